//! Reading a JSON object member by member, leniently, through serde: a walker for formats
//! of your own that implement [`Format`](super::Format) by hand (the built-in and the
//! declared formats are read by [`declared`](super::declared)'s reader).
//!
//! A format describes the members it knows with a [`Members`] type; [`read_object`]
//! walks an object and hands each member to it by name. The readers for a member's value
//! ([`string`], [`status`], [`details`], [`skip`], [`MaybeObject`] for a nested object,
//! [`LenientStr`] and [`LenientU16`] for `Deserialize` contexts) never fail on a value of
//! the wrong type: it is consumed and dropped. Only a value that is not an object where
//! an object is required is an error. Member names are borrowed from the body unless
//! they contain escapes, and a name that does not unescape to text still reads (it
//! matches no member).
//!
//! The readers read each value once. A format's [`decode`](super::Format::decode) hands
//! its [`deserialize`](super::Format::deserialize) the crate's own reader of the body,
//! which gives the lenient readers every value they drop consumed, including the few
//! that `serde_json` rejects before a visitor sees them (a lone surrogate escape, a
//! number out of range): one read, never a second. Read with `serde_json`'s deserializer
//! instead (as in the example), those values fail the read.
//!
//! ```
//! use std::borrow::Cow;
//!
//! use apierror::format::object::{self, Members};
//! use serde::de::MapAccess;
//!
//! /// `{"error":"invalid_grant","error_description":"…"}` (RFC 6749 §5.2).
//! #[derive(Default)]
//! struct OAuthBody<'de> {
//!     error: Option<Cow<'de, str>>,
//!     description: Option<Cow<'de, str>>,
//! }
//!
//! impl<'de> Members<'de> for OAuthBody<'de> {
//!     fn member<A: MapAccess<'de>>(
//!         &mut self,
//!         name: Cow<'de, str>,
//!         map: &mut A,
//!     ) -> Result<(), A::Error> {
//!         match &*name {
//!             "error" => object::string(map, &mut self.error),
//!             "error_description" => object::string(map, &mut self.description),
//!             _ => object::skip(map),
//!         }
//!     }
//! }
//!
//! let body = br#"{"error":"invalid_grant","error_description":7,"error_uri":null}"#;
//! let read: OAuthBody<'_> =
//!     object::read_object(&mut serde_json::Deserializer::from_slice(body)).unwrap();
//! assert_eq!(read.error.as_deref(), Some("invalid_grant"));
//! assert_eq!(read.description, None); // a number where text belongs is dropped
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::format::RawDetails;

pub use crate::lenient::{LenientStr, LenientU16};

/// The members of one kind of JSON object, collected as they are read.
pub trait Members<'de>: Default {
    /// Reads the value of the member called `name` from `map`, or skips it: every
    /// member must be consumed, with one of this module's readers or `map.next_value()`.
    ///
    /// # Errors
    ///
    /// What reading the value reports: with the lenient readers, only input that is not
    /// JSON.
    fn member<A: MapAccess<'de>>(
        &mut self,
        name: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// Reads an object into `M`, member by member.
///
/// # Errors
///
/// When the value is not an object (or not JSON); a member's value never makes it fail.
pub fn read_object<'de, M, De>(deserializer: De) -> Result<M, De::Error>
where
    M: Members<'de>,
    De: Deserializer<'de>,
{
    deserializer.deserialize_map(ObjectVisitor::<M>(PhantomData))
}

struct ObjectVisitor<M>(PhantomData<M>);

impl<'de, M: Members<'de>> Visitor<'de> for ObjectVisitor<M> {
    type Value = M;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<M, A::Error> {
        visit_object(map)
    }
}

/// Reads the members of an object a visitor was handed into `M`, from inside
/// [`Visitor::visit_map`].
///
/// # Errors
///
/// What `map` reports for input that is not JSON.
pub fn visit_object<'de, M, A>(mut map: A) -> Result<M, A::Error>
where
    M: Members<'de>,
    A: MapAccess<'de>,
{
    let mut members = M::default();
    while let Some(MemberName(name)) = map.next_key()? {
        members.member(name, &mut map)?;
    }
    Ok(members)
}

/// A member that should be an object: `Some` when it is, `None` for any other value
/// (which is consumed and dropped, even one the JSON parser would reject as a typed
/// value, such as `1e400`).
pub struct MaybeObject<M>(pub Option<M>);

impl<'de, M: Members<'de>> Deserialize<'de> for MaybeObject<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_newtype_struct(crate::lenient::OBJECT, MaybeObjectVisitor(PhantomData))
    }
}

/// How a [`MaybeObject`] is read: an object's members in the same pass, and any other
/// value consumed and dropped.
struct MaybeObjectVisitor<M>(PhantomData<M>);

impl<'de, M: Members<'de>> Visitor<'de> for MaybeObjectVisitor<M> {
    type Value = MaybeObject<M>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        visit_object(map).map(|members| MaybeObject(Some(members)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(MaybeObject(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(MaybeObject(None))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(MaybeObject(None))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(MaybeObject(None))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(MaybeObject(None))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(MaybeObject(None))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(MaybeObject(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(MaybeObject(None))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(MaybeObject(None))
    }
}

/// A member's name, borrowed from the input unless it contains escapes. A name that is
/// not valid UTF-8 once unescaped (a lone surrogate, `"\ud800"`) is kept with the
/// invalid parts replaced, so it matches no known member and the object still reads.
struct MemberName<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Bytes: a deserializer then unescapes without rejecting surrogates.
        deserializer.deserialize_bytes(MemberNameVisitor)
    }
}

struct MemberNameVisitor;

impl<'de> Visitor<'de> for MemberNameVisitor {
    type Value = MemberName<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(MemberName(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(MemberName(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(MemberName(Cow::Owned(v)))
    }
    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
        Ok(MemberName(match std::str::from_utf8(v) {
            Ok(name) => Cow::Borrowed(name),
            Err(_) => String::from_utf8_lossy(v).into_owned().into(),
        }))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(MemberName(String::from_utf8_lossy(v).into_owned().into()))
    }
}

/// Reads a string member into `slot`; a value of another type, or a string that is not
/// text once unescaped (a lone surrogate), leaves `slot` as it was.
///
/// # Errors
///
/// As [`raw`].
#[inline]
pub fn string<'de, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<Cow<'de, str>>,
) -> Result<(), A::Error> {
    if let Some(value) = map.next_value::<LenientStr<'de>>()?.0 {
        *slot = Some(value);
    }
    Ok(())
}

/// Reads a status member into `slot`; a value that is not an integer in `0..=65535`
/// (`"404"`, `404.0`, `1e400`) leaves `slot` as it was.
///
/// # Errors
///
/// As [`raw`].
#[inline]
pub fn status<'de, A: MapAccess<'de>>(map: &mut A, slot: &mut Option<u16>) -> Result<(), A::Error> {
    if let Some(value) = map.next_value::<LenientU16>()?.0 {
        *slot = Some(value);
    }
    Ok(())
}

/// Reads a member's JSON text, borrowed from the input.
///
/// # Errors
///
/// For input that is not JSON, and for a value that cannot be borrowed: the
/// deserializer must read from a slice or `str` (`serde_json::from_slice`), not a reader.
#[inline]
pub fn raw<'de, A: MapAccess<'de>>(map: &mut A) -> Result<&'de RawValue, A::Error> {
    map.next_value()
}

/// Reads a details member into `slot` as undecoded JSON; `null` leaves `slot` as it was.
///
/// # Errors
///
/// As [`raw`].
pub fn details<'de, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<RawDetails<'de>>,
) -> Result<(), A::Error> {
    let value = raw(map)?;
    if value.get() != "null" {
        *slot = Some(RawDetails::Value(Cow::Borrowed(value)));
    }
    Ok(())
}

/// Resolves repeated names in members read in order: a repeated member replaces the
/// earlier one's value, as in a JSON object, and keeps the earlier one's place. Linear in
/// the number of members.
pub(crate) fn keep_last_of_repeats<K: AsRef<str>, V>(members: &mut Vec<(K, V)>) {
    /// Up to this many members, pairs are compared directly instead of hashed.
    const COMPARE_UP_TO: usize = 8;
    if members.len() < 2 {
        return;
    }
    // For each member, the position of the first member with its name.
    let first: Vec<usize> = if members.len() <= COMPARE_UP_TO {
        (0..members.len())
            .map(|i| {
                let name = members[i].0.as_ref();
                (0..i).find(|&j| members[j].0.as_ref() == name).unwrap_or(i)
            })
            .collect()
    } else {
        let mut seen = HashMap::with_capacity(members.len());
        members
            .iter()
            .enumerate()
            .map(|(i, (name, _))| *seen.entry(name.as_ref()).or_insert(i))
            .collect()
    };
    if first.iter().enumerate().all(|(i, &f)| i == f) {
        return;
    }
    // In order, each repeat swaps its value into the first place; what it swaps out is
    // an earlier value, dropped with the repeat below.
    for (i, &f) in first.iter().enumerate() {
        if f != i {
            let (head, tail) = members.split_at_mut(i);
            std::mem::swap(&mut head[f].1, &mut tail[0].1);
        }
    }
    let mut position = 0;
    members.retain(|_| {
        let keep = first[position] == position;
        position += 1;
        keep
    });
}

/// Skips a member's value.
///
/// # Errors
///
/// Only for input that is not JSON.
#[inline]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Names<'de>(Vec<Cow<'de, str>>);

    impl<'de> Members<'de> for Names<'de> {
        fn member<A: MapAccess<'de>>(
            &mut self,
            name: Cow<'de, str>,
            map: &mut A,
        ) -> Result<(), A::Error> {
            self.0.push(name);
            skip(map)
        }
    }

    /// Reads an object from `body` as a format's `decode` does: with the crate's reader.
    fn ours<'a, M: Members<'a>>(body: &'a str) -> Result<M, serde_json::Error> {
        crate::format::json::de::read_body(body.as_bytes(), |d| read_object(d))
    }

    /// Reads a value from `body` with the crate's reader.
    fn ours_value<'a, T: Deserialize<'a>>(body: &'a str) -> Result<T, serde_json::Error> {
        crate::format::json::de::read_body(body.as_bytes(), |d| T::deserialize(d))
    }

    #[test]
    fn names_borrow_unless_escaped() {
        let body = r#"{"plain":1,"esc\"aped":{"x":[1,2]}}"#;
        let names: Names<'_> = read_object(&mut serde_json::Deserializer::from_str(body)).unwrap();
        assert!(matches!(names.0[0], Cow::Borrowed("plain")));
        assert!(matches!(&names.0[1], Cow::Owned(name) if name == "esc\"aped"));
    }

    #[test]
    fn a_value_that_is_not_an_object_is_an_error() {
        for body in ["[]", "\"error\"", "1", "null", "true"] {
            let result: Result<Names<'_>, _> =
                read_object(&mut serde_json::Deserializer::from_str(body));
            assert!(result.is_err(), "{body}");
        }
    }

    #[test]
    fn maybe_object_drops_other_values() {
        for body in ["[1,[2]]", "\"x\"", "1", "-1", "1.5", "null", "false"] {
            let value: MaybeObject<Names<'_>> = serde_json::from_str(body).unwrap();
            assert!(value.0.is_none(), "{body}");
        }
        let value: MaybeObject<Names<'_>> = serde_json::from_str(r#"{"a":null}"#).unwrap();
        assert_eq!(value.0.unwrap().0, ["a"]);
    }

    #[test]
    fn values_the_parser_rejects_are_dropped_like_any_mistyped_value() {
        #[derive(Default)]
        struct Two<'de>(Option<Cow<'de, str>>, Option<u16>);
        impl<'de> Members<'de> for Two<'de> {
            fn member<A: MapAccess<'de>>(
                &mut self,
                name: Cow<'de, str>,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match &*name {
                    "s" => string(map, &mut self.0),
                    "n" => status(map, &mut self.1),
                    _ => skip(map),
                }
            }
        }
        let read = |body: &'static str| -> Two<'static> { ours(body).unwrap() };
        for body in [
            r#"{"s":1e400,"n":1e400}"#,
            r#"{"s":"\ud800","n":"\udc00"}"#,
            r#"{"s":-1e400,"n":-5}"#,
            r#"{"s":[1e400],"n":{"a":"\ud800"}}"#,
            r#"{"s":null,"n":404.0}"#,
            r#"{"s":5,"n":70000}"#,
            r#"{"\ud800":1,"s":{},"n":true}"#,
        ] {
            let two = read(body);
            assert_eq!((two.0, two.1), (None, None), "{body}");
        }
        let two = read(r#"{"s":"tab\t","n":404,"s":"plain"}"#);
        assert!(matches!(two.0, Some(Cow::Borrowed("plain"))));
        assert_eq!(two.1, Some(404));
        assert_eq!(read(r#"{"s":"\u00e9","n":-0}"#).0.as_deref(), Some("é"));
        assert_eq!(read(r#"{"n":-0}"#).1, Some(0));
        assert_eq!(read(r#"{"n":65535}"#).1, Some(65535));
    }

    #[test]
    fn a_name_that_is_not_text_is_kept_and_matches_nothing() {
        let names: Names<'_> = read_object(&mut serde_json::Deserializer::from_str(
            r#"{"\ud800x":1,"b":2}"#,
        ))
        .unwrap();
        assert_eq!(names.0, ["\u{fffd}\u{fffd}\u{fffd}x", "b"]);
    }

    #[test]
    fn maybe_object_drops_values_the_parser_rejects() {
        for body in ["1e400", "\"\\ud800\"", "[1e400]"] {
            let value: MaybeObject<Names<'_>> = ours_value(body).unwrap();
            assert!(value.0.is_none(), "{body}");
        }
        // `serde_json`'s own deserializer rejects the first two before a visitor sees
        // them (skipping `[1e400]` never reads the number).
        for body in ["1e400", "\"\\ud800\""] {
            assert!(
                serde_json::from_str::<MaybeObject<Names<'_>>>(body).is_err(),
                "{body}"
            );
        }
        let value: MaybeObject<Names<'_>> = ours_value(r#"{"a":1e400,"b":"\ud800"}"#).unwrap();
        assert_eq!(value.0.unwrap().0, ["a", "b"]);
    }

    #[test]
    fn the_crate_reader_reads_what_serde_json_reads() {
        #[derive(Default, Debug, PartialEq)]
        struct Both<'de>(Option<Cow<'de, str>>, Option<u16>, Option<String>);
        impl<'de> Members<'de> for Both<'de> {
            fn member<A: MapAccess<'de>>(
                &mut self,
                name: Cow<'de, str>,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match &*name {
                    "s" => string(map, &mut self.0),
                    "n" => status(map, &mut self.1),
                    "raw" => {
                        self.2 = Some(raw(map)?.get().to_owned());
                        Ok(())
                    }
                    "o" => map
                        .next_value::<MaybeObject<Names<'de>>>()
                        .map(|o| self.2 = o.0.map(|n| n.0.join("+"))),
                    _ => skip(map),
                }
            }
        }
        for body in [
            r#"{"s":"a\"b","n":7,"raw":[1, {"x" : 2}],"z":{}}"#,
            r#"{"s":7,"n":"7","o":{"p":1,"q":[]},"s":"late"}"#,
            r#"{"n":-5,"raw":"\u00e9","o":3}"#,
        ] {
            let theirs: Both<'_> =
                read_object(&mut serde_json::Deserializer::from_str(body)).unwrap();
            assert_eq!(ours::<Both<'_>>(body).unwrap(), theirs, "{body}");
        }
        for bad in ["[]", "{", r#"{"s":1}x"#, r#"{"s" 1}"#] {
            assert!(ours::<Both<'_>>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_repeated_member_replaces_the_earlier_value_in_its_place() {
        for len in [3, 9, 999] {
            let mut members: Vec<(String, usize)> = (0..len)
                .map(|i| (format!("m{}", i % (len / 3)), i))
                .collect();
            keep_last_of_repeats(&mut members);
            let third = len / 3;
            let expected: Vec<(String, usize)> = (0..third)
                .map(|i| (format!("m{i}"), i + 2 * third))
                .collect();
            assert_eq!(members, expected, "{len}");
        }
        let mut members = vec![("a", 1), ("b", 2), ("a", 3), ("c", 4), ("a", 5)];
        keep_last_of_repeats(&mut members);
        assert_eq!(members, [("a", 5), ("b", 2), ("c", 4)]);
        let mut unique = vec![("a", 1), ("b", 2)];
        keep_last_of_repeats(&mut unique);
        assert_eq!(unique, [("a", 1), ("b", 2)]);
    }
}

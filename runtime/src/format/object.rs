//! Reading a JSON object member by member, leniently: the visitors the formats share.
//!
//! A format describes the members it knows with a [`Members`] type; the visitors here
//! walk an object, hand each member to it by name, and never fail on a member's value
//! having the wrong type (it is consumed and dropped). Only a value that is not an object
//! where an object is required is an error.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::envelope::RawDetails;
use crate::lenient::{LenientStr, LenientU16};

/// The members of one kind of JSON object, collected as they are read.
pub(crate) trait Members<'de>: Default {
    /// Reads the value of the member called `name` from `map` (or skips it).
    fn member<A: MapAccess<'de>>(
        &mut self,
        name: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// Reads an object into `M`; any other value is an error.
pub(crate) fn read_object<'de, M, De>(deserializer: De) -> Result<M, De::Error>
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

/// Reads the members of an object a visitor was handed into `M`.
pub(crate) fn visit_object<'de, M, A>(mut map: A) -> Result<M, A::Error>
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
/// (which is consumed and dropped).
pub(crate) struct MaybeObject<M>(pub(crate) Option<M>);

impl<'de, M: Members<'de>> Deserialize<'de> for MaybeObject<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MaybeObjectVisitor::<M>(PhantomData))
    }
}

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
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(MaybeObject(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(MaybeObject(None))
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
}

/// A member's name, borrowed from the input unless it contains escapes.
struct MemberName<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(MemberNameVisitor)
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
}

/// Reads a string member into `slot`; a value of another type leaves `slot` as it was.
pub(crate) fn string<'de, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<Cow<'de, str>>,
) -> Result<(), A::Error> {
    if let LenientStr(Some(value)) = map.next_value()? {
        *slot = Some(value);
    }
    Ok(())
}

/// Reads a status member into `slot`; a value that is not an integer in `0..=65535`
/// leaves `slot` as it was.
pub(crate) fn status<'de, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<u16>,
) -> Result<(), A::Error> {
    if let LenientU16(Some(value)) = map.next_value()? {
        *slot = Some(value);
    }
    Ok(())
}

/// Reads a member's JSON text, borrowed from the input.
pub(crate) fn raw<'de, A: MapAccess<'de>>(map: &mut A) -> Result<&'de RawValue, A::Error> {
    map.next_value()
}

/// Reads a details member into `slot` as undecoded JSON; `null` leaves `slot` as it was.
pub(crate) fn details<'de, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<RawDetails<'de>>,
) -> Result<(), A::Error> {
    let value = raw(map)?;
    if value.get() != "null" {
        *slot = Some(RawDetails::Value(Cow::Borrowed(value)));
    }
    Ok(())
}

/// Skips a member's value.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
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
}

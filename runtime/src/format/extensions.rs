//! `problem`'s extension members, read back as the variant's details type.
//!
//! The members are one object to a struct or map (`{"balance":30,"accounts":[…]}`); to
//! [`FieldErrors`](crate::FieldErrors) they are the `errors` member; to an `Option` they
//! are `Some` unless there are none; to any other type (a list, a string) they are the
//! `details` member, under which `problem` writes details that are not an object. Details
//! that are an object with an entry named like a standard member are written whole under
//! `details` too, so a struct that does not fit the members is read from there.

use std::borrow::Cow;

use serde::de::value::MapDeserializer;
use serde::de::{DeserializeOwned, Deserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::flatten::FIELD_ERRORS_MEMBER;
use super::json::de::JsonText;

/// The member that holds details written whole.
const WHOLE_MEMBER: &str = "details";

/// One extension member: its name and its value's JSON text.
pub(crate) type Member<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Decodes the members into `T`.
pub(crate) fn decode<T: DeserializeOwned>(members: &[Member<'_>]) -> Result<T, serde_json::Error> {
    T::deserialize(Members(members)).or_else(|error| match find(members, WHOLE_MEMBER) {
        Some(whole) => T::deserialize(whole),
        None => Err(error),
    })
}

/// The value of the member called `name`. Called once per decode, never per member.
fn find<'a>(members: &'a [Member<'_>], name: &str) -> Option<JsonText<'a>> {
    members
        .iter()
        .find(|(member, _)| member == name)
        .map(|(_, value)| JsonText(value))
}

/// The one member a `T` is read from alone, when there is one: `errors` for
/// [`FieldErrors`](crate::FieldErrors). Other types read several members, or the whole
/// `details` member only when the members do not fit. Asked by starting to deserialize a
/// `T` from a deserializer that declines at once: no input is read and nothing allocates.
pub(crate) fn read_from<T: DeserializeOwned>() -> Option<&'static str> {
    let mut newtype = None;
    let _ = T::deserialize(FirstCall(&mut newtype));
    (newtype == Some(crate::field_errors::NEWTYPE_NAME)).then_some(FIELD_ERRORS_MEMBER)
}

/// A deserializer that notes the newtype a type starts with, and declines every call.
struct FirstCall<'a>(&'a mut Option<&'static str>);

/// [`FirstCall`]'s answer to every call.
#[derive(Debug)]
struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("declined")
    }
}

impl std::error::Error for Declined {}

impl serde::de::Error for Declined {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Declined
    }
}

impl<'de> Deserializer<'de> for FirstCall<'_> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: V,
    ) -> Result<V::Value, Declined> {
        *self.0 = Some(name);
        Err(Declined)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// The members as a deserializer.
struct Members<'a, 'b>(&'a [Member<'b>]);

/// Methods for types that are not an object: they read the `details` member, or fail as
/// an object would when there is none.
macro_rules! whole {
    ($($method:ident($($arg:ident: $ty:ty),*),)*) => {
        $(fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, serde_json::Error> {
            match find(self.0, WHOLE_MEMBER) {
                Some(whole) => whole.$method($($arg,)* visitor),
                None => self.deserialize_any(visitor),
            }
        })*
    };
}

impl<'de> Deserializer<'de> for Members<'de, '_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        let entries = self
            .0
            .iter()
            .map(|(name, value)| (name.as_ref(), JsonText(value)));
        let mut map = MapDeserializer::new(entries);
        let value = visitor.visit_map(&mut map)?;
        map.end()?;
        Ok(value)
    }

    fn deserialize_option<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        if self.0.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        if name == crate::field_errors::NEWTYPE_NAME
            && let Some(errors) = find(self.0, FIELD_ERRORS_MEMBER)
        {
            return visitor.visit_newtype_struct(errors);
        }
        visitor.visit_newtype_struct(self)
    }

    whole! {
        deserialize_bool(),
        deserialize_i8(),
        deserialize_i16(),
        deserialize_i32(),
        deserialize_i64(),
        deserialize_i128(),
        deserialize_u8(),
        deserialize_u16(),
        deserialize_u32(),
        deserialize_u64(),
        deserialize_u128(),
        deserialize_f32(),
        deserialize_f64(),
        deserialize_char(),
        deserialize_str(),
        deserialize_string(),
        deserialize_bytes(),
        deserialize_byte_buf(),
        deserialize_unit(),
        deserialize_unit_struct(name: &'static str),
        deserialize_seq(),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    }

    forward_to_deserialize_any! {
        map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::FieldErrors;

    fn members(body: &str) -> Vec<Member<'_>> {
        let map: Vec<(Cow<'_, str>, &serde_json::value::RawValue)> =
            serde_json::from_str::<BTreeMap<_, _>>(body)
                .unwrap()
                .into_iter()
                .collect();
        map.into_iter()
            .map(|(name, value)| (name, Cow::Borrowed(value.get())))
            .collect()
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Credit {
        balance: u32,
    }

    #[test]
    fn field_errors_read_the_errors_member() {
        let members = members(r#"{"balance":1,"errors":{"status":["is invalid"]}}"#);
        assert_eq!(
            decode::<FieldErrors>(&members).unwrap(),
            FieldErrors::new().with_field("status", "is invalid")
        );
        assert_eq!(
            decode::<Option<FieldErrors>>(&members).unwrap(),
            Some(FieldErrors::new().with_field("status", "is invalid"))
        );
    }

    #[test]
    fn only_field_errors_are_read_from_one_member() {
        assert_eq!(read_from::<FieldErrors>(), Some("errors"));
        assert_eq!(read_from::<Option<FieldErrors>>(), None);
        assert_eq!(read_from::<Credit>(), None);
        assert_eq!(read_from::<Vec<String>>(), None);
        assert_eq!(read_from::<serde_json::Value>(), None);
    }

    #[test]
    fn structs_and_options_read_every_member() {
        let members = members(r#"{"balance":30,"other":true}"#);
        assert_eq!(decode::<Credit>(&members).unwrap(), Credit { balance: 30 });
        assert_eq!(
            decode::<Option<Credit>>(&members).unwrap(),
            Some(Credit { balance: 30 })
        );
        assert_eq!(decode::<Option<Credit>>(&[]).unwrap(), None);
    }

    #[test]
    fn other_types_read_the_details_member() {
        let members = members(r#"{"details":["a","b"]}"#);
        assert_eq!(decode::<Vec<String>>(&members).unwrap(), ["a", "b"]);
        assert_eq!(
            decode::<Option<Vec<String>>>(&members).unwrap(),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        let whole = members_of_whole();
        assert_eq!(decode::<Credit>(&whole).unwrap(), Credit { balance: 7 });
    }

    fn members_of_whole() -> Vec<Member<'static>> {
        members(r#"{"details":{"balance":7}}"#)
            .into_iter()
            .map(|(name, value)| {
                (
                    Cow::Owned(name.into_owned()),
                    Cow::Owned(value.into_owned()),
                )
            })
            .collect()
    }
}

//! Asking a `Serialize` value one question about its shape without writing it.
//!
//! Formats use it to leave out details that serialize as `null` (an `Option` that is
//! `None`) and to recognise `problem` extension members that would shadow a standard
//! member. Only the value's first serializer call is looked at: the probe stops there.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, Serializer};

/// Whether `value` serializes as `null` (`None`, `()`, a unit struct, or a newtype around
/// one). A value whose serialization fails counts as not `null`, so that the real
/// serialization reports the failure.
pub(crate) fn is_null<T: Serialize + ?Sized>(value: &T) -> bool {
    value.serialize(Probe(Question::IsNull)).unwrap_or(false)
}

/// Whether `value` serializes as a string that is one of `names`.
pub(crate) fn is_one_of<T: Serialize + ?Sized>(value: &T, names: &[&str]) -> bool {
    value
        .serialize(Probe(Question::IsOneOf(names)))
        .unwrap_or(false)
}

/// What a [`Probe`] asks.
#[derive(Clone, Copy)]
enum Question<'a> {
    /// Is the value `null`?
    IsNull,
    /// Is the value a string, one of these?
    IsOneOf(&'a [&'a str]),
}

/// A serializer that writes nothing and answers its question from the first call.
struct Probe<'a>(Question<'a>);

/// Stops a probe at a compound value: its answer is `false`.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a scalar")
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

macro_rules! answer_false {
    ($($method:ident($ty:ty),)*) => {
        $(fn $method(self, _: $ty) -> Result<bool, Stop> {
            Ok(false)
        })*
    };
}

impl Probe<'_> {
    /// The answer for `null`.
    fn null(&self) -> bool {
        matches!(self.0, Question::IsNull)
    }
}

impl Serializer for Probe<'_> {
    type Ok = bool;
    type Error = Stop;
    type SerializeSeq = Impossible<bool, Stop>;
    type SerializeTuple = Impossible<bool, Stop>;
    type SerializeTupleStruct = Impossible<bool, Stop>;
    type SerializeTupleVariant = Impossible<bool, Stop>;
    type SerializeMap = Impossible<bool, Stop>;
    type SerializeStruct = Impossible<bool, Stop>;
    type SerializeStructVariant = Impossible<bool, Stop>;

    answer_false! {
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
    }

    fn serialize_str(self, v: &str) -> Result<bool, Stop> {
        Ok(match self.0 {
            Question::IsNull => false,
            Question::IsOneOf(names) => names.contains(&v),
        })
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<bool, Stop> {
        match self.0 {
            Question::IsNull => Ok(false),
            Question::IsOneOf(_) => self.serialize_str(&value.to_string()),
        }
    }

    fn serialize_none(self) -> Result<bool, Stop> {
        Ok(self.null())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, Stop> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<bool, Stop> {
        Ok(self.null())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, Stop> {
        Ok(self.null())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<bool, Stop> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, Stop> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, Stop> {
        Ok(false)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldErrors;

    #[test]
    fn null_values() {
        assert!(is_null(&None::<FieldErrors>));
        assert!(is_null(&()));
        assert!(is_null(&Some(None::<u8>)));
        assert!(!is_null(&Some(FieldErrors::new())));
        assert!(!is_null(&FieldErrors::new()));
        assert!(!is_null("null"));
        assert!(!is_null(&0));
        assert!(!is_null(&vec![()]));
    }

    #[test]
    fn names() {
        let names = ["status", "code"];
        assert!(is_one_of("status", &names));
        assert!(is_one_of(&String::from("code"), &names));
        assert!(!is_one_of("Status", &names));
        assert!(!is_one_of(&7, &names));
        assert!(!is_one_of(&None::<&str>, &names));
        assert!(is_one_of(&Some("code"), &names));
        assert!(is_one_of(&format_args!("co{}", "de"), &names));
    }
}

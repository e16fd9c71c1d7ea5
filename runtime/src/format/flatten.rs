//! Writing a value's entries into an object that is already open: `problem` extension
//! members.
//!
//! [`flatten`] serializes a value into a [`SerializeMap`] the caller has started.
//! [`FieldErrors`](crate::FieldErrors) adds one `errors` member; another map or struct
//! adds its entries, unless one of them is named like a member the object already has;
//! `null` adds nothing. Any other value, and a map or struct with a clashing entry, adds
//! nothing and says so, and the caller writes it whole under a member of its own: no
//! entry is ever dropped. Nothing is buffered: a first pass over the keys alone finds a
//! clash before anything is written.

use std::cell::Cell;
use std::marker::PhantomData;

use serde::ser::{
    self, Serialize, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant,
    SerializeTuple, SerializeTupleStruct, SerializeTupleVariant, Serializer,
};

use super::probe;

/// What [`flatten`] did with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flattened {
    /// The value was a map or struct: its entries were written.
    Entries,
    /// The value was `null`: nothing was written.
    Nothing,
    /// The value was neither, or has an entry named like one in `reserved`: nothing
    /// was written, the caller should write it whole.
    NotAnObject,
    /// The value was one entry, written by the checking pass itself: there is nothing a
    /// clash could leave half-written, so no second pass is needed.
    Written,
}

/// The member [`FieldErrors`](crate::FieldErrors) travel under.
pub(crate) const FIELD_ERRORS_MEMBER: &str = "errors";

/// Writes `value`'s entries into `map`, or nothing when one of them is named like a
/// member in `reserved` (the value is then [`Flattened::NotAnObject`]).
#[inline]
pub(crate) fn flatten<M, T>(
    value: &T,
    map: &mut M,
    reserved: &[&str],
) -> Result<Flattened, M::Error>
where
    M: SerializeMap,
    T: Serialize + ?Sized,
{
    let clash = Cell::new(false);
    let shape = value.serialize(FlattenInto {
        map,
        reserved,
        check: Some(&clash),
    })?;
    match shape {
        Flattened::Entries if clash.get() => Ok(Flattened::NotAnObject),
        Flattened::Entries => value.serialize(FlattenInto {
            map,
            reserved,
            check: None,
        }),
        Flattened::Written => Ok(Flattened::Entries),
        other => Ok(other),
    }
}

/// The serializer behind [`flatten`]: with `check`, it writes nothing and only records
/// whether an entry's key is reserved.
struct FlattenInto<'a, M> {
    map: &'a mut M,
    reserved: &'a [&'a str],
    check: Option<&'a Cell<bool>>,
}

impl<M: SerializeMap> FlattenInto<'_, M> {
    /// Writes one entry, or in the checking pass notes whether its key is reserved.
    fn entry<T: Serialize + ?Sized>(self, key: &'static str, value: &T) -> Result<(), M::Error> {
        match self.check {
            Some(clash) => {
                if self.reserved.contains(&key) {
                    clash.set(true);
                }
                Ok(())
            }
            None => self.map.serialize_entry(key, value),
        }
    }
}

macro_rules! not_an_object {
    ($($method:ident($ty:ty),)*) => {
        $(fn $method(self, _: $ty) -> Result<Flattened, M::Error> {
            Ok(Flattened::NotAnObject)
        })*
    };
}

impl<'a, M: SerializeMap> Serializer for FlattenInto<'a, M> {
    type Ok = Flattened;
    type Error = M::Error;
    type SerializeSeq = Discard<M::Error>;
    type SerializeTuple = Discard<M::Error>;
    type SerializeTupleStruct = Discard<M::Error>;
    type SerializeTupleVariant = Discard<M::Error>;
    type SerializeMap = Entries<'a, M>;
    type SerializeStruct = Entries<'a, M>;
    type SerializeStructVariant = Discard<M::Error>;

    not_an_object! {
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
        serialize_str(&str),
        serialize_bytes(&[u8]),
    }

    fn collect_str<T: std::fmt::Display + ?Sized>(self, _: &T) -> Result<Flattened, M::Error> {
        Ok(Flattened::NotAnObject)
    }

    fn serialize_none(self) -> Result<Flattened, M::Error> {
        Ok(Flattened::Nothing)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Flattened, M::Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Flattened, M::Error> {
        Ok(Flattened::Nothing)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Flattened, M::Error> {
        Ok(Flattened::Nothing)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Flattened, M::Error> {
        Ok(Flattened::NotAnObject)
    }

    /// [`FieldErrors`](crate::FieldErrors) mark themselves with a newtype struct: they
    /// travel under one `errors` member, so no field name can clash.
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Flattened, M::Error> {
        if name == crate::field_errors::NEWTYPE_NAME {
            if self.check.is_some() {
                // One entry, under a name no caller reserves (`problem` checks its own
                // at compile time): written now, in the checking pass.
                debug_assert!(!self.reserved.contains(&FIELD_ERRORS_MEMBER));
                self.map.serialize_entry(FIELD_ERRORS_MEMBER, value)?;
                return Ok(Flattened::Written);
            }
            self.entry(FIELD_ERRORS_MEMBER, value)?;
            Ok(Flattened::Entries)
        } else {
            value.serialize(self)
        }
    }

    /// A newtype variant is an object of one member in JSON: `{"Variant":value}`.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Flattened, M::Error> {
        self.entry(variant, value)?;
        Ok(Flattened::Entries)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Discard<M::Error>, M::Error> {
        Ok(Discard(PhantomData))
    }

    fn serialize_tuple(self, _: usize) -> Result<Discard<M::Error>, M::Error> {
        Ok(Discard(PhantomData))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Discard<M::Error>, M::Error> {
        Ok(Discard(PhantomData))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Discard<M::Error>, M::Error> {
        Ok(Discard(PhantomData))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Entries<'a, M>, M::Error> {
        Ok(Entries {
            map: self.map,
            reserved: self.reserved,
            check: self.check,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Entries<'a, M>, M::Error> {
        self.serialize_map(None)
    }

    /// A struct variant is written whole by the caller, as any value that is not
    /// itself a map or struct.
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Discard<M::Error>, M::Error> {
        Ok(Discard(PhantomData))
    }
}

/// Writes a map's or struct's entries into the outer map; with `check`, only looks at
/// their keys.
pub(crate) struct Entries<'a, M> {
    map: &'a mut M,
    reserved: &'a [&'a str],
    check: Option<&'a Cell<bool>>,
}

impl<M: SerializeMap> SerializeMap for Entries<'_, M> {
    type Ok = Flattened;
    type Error = M::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), M::Error> {
        match self.check {
            Some(clash) => {
                if !clash.get() && probe::is_one_of(key, self.reserved) {
                    clash.set(true);
                }
                Ok(())
            }
            None => self.map.serialize_key(key),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        match self.check {
            Some(_) => Ok(()),
            None => self.map.serialize_value(value),
        }
    }

    fn end(self) -> Result<Flattened, M::Error> {
        Ok(Flattened::Entries)
    }
}

impl<M: SerializeMap> SerializeStruct for Entries<'_, M> {
    type Ok = Flattened;
    type Error = M::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        FlattenInto {
            map: &mut *self.map,
            reserved: self.reserved,
            check: self.check,
        }
        .entry(key, value)
    }

    fn end(self) -> Result<Flattened, M::Error> {
        Ok(Flattened::Entries)
    }
}

/// Consumes a value that is not an object without writing or even visiting its parts.
pub(crate) struct Discard<E>(PhantomData<E>);

macro_rules! discard {
    ($($trait:ident::$method:ident $(($key:ty))?,)*) => {
        $(impl<E: ser::Error> $trait for Discard<E> {
            type Ok = Flattened;
            type Error = E;

            fn $method<T: Serialize + ?Sized>(&mut self, $(_: $key,)? _: &T) -> Result<(), E> {
                Ok(())
            }

            fn end(self) -> Result<Flattened, E> {
                Ok(Flattened::NotAnObject)
            }
        })*
    };
}

discard! {
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
    SerializeStructVariant::serialize_field(&'static str),
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::FieldErrors;

    /// Writes `{"first":1,<value's entries>}` and what `flatten` said.
    fn flattened<T: Serialize + ?Sized>(value: &T) -> (String, Flattened) {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = serializer.serialize_map(None).unwrap();
        map.serialize_entry("first", &1).unwrap();
        let what = flatten(value, &mut map, &["first", "status"]).unwrap();
        SerializeMap::end(map).unwrap();
        (String::from_utf8(out).unwrap(), what)
    }

    struct Limits {
        limit: u32,
        status: Option<&'static str>,
        window: Option<&'static str>,
    }

    impl Serialize for Limits {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut limits = serializer.serialize_struct("Limits", 3)?;
            limits.serialize_field("limit", &self.limit)?;
            if let Some(status) = self.status {
                limits.serialize_field("status", status)?;
            }
            limits.serialize_field("window", &self.window)?;
            limits.end()
        }
    }

    enum Choice {
        Newtype(u8),
        Struct { a: u8 },
    }

    impl Serialize for Choice {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                Choice::Newtype(n) => {
                    serializer.serialize_newtype_variant("Choice", 0, "Newtype", n)
                }
                Choice::Struct { a } => {
                    let mut variant =
                        serializer.serialize_struct_variant("Choice", 1, "Struct", 1)?;
                    variant.serialize_field("a", a)?;
                    variant.end()
                }
            }
        }
    }

    #[test]
    fn field_errors_travel_under_one_member() {
        let errors = FieldErrors::new()
            .with_field("b", "x")
            .with_field("status", "y");
        assert_eq!(
            flattened(&errors),
            (
                r#"{"first":1,"errors":{"b":["x"],"status":["y"]}}"#.to_owned(),
                Flattened::Entries
            )
        );
        assert_eq!(flattened(&Some(&errors)).1, Flattened::Entries);
    }

    #[test]
    fn maps_and_structs_add_their_entries_in_order() {
        let limits = Limits {
            limit: 10,
            status: None,
            window: None,
        };
        assert_eq!(
            flattened(&limits),
            (
                r#"{"first":1,"limit":10,"window":null}"#.to_owned(),
                Flattened::Entries
            )
        );
        assert_eq!(flattened(&Some(&limits)).1, Flattened::Entries);
        let map: BTreeMap<&str, u8> = [("other", 2), ("more", 3)].into();
        assert_eq!(flattened(&map).0, r#"{"first":1,"more":3,"other":2}"#);
        let numbers: BTreeMap<u8, u8> = [(1, 2)].into();
        assert_eq!(flattened(&numbers).0, r#"{"first":1,"1":2}"#);
    }

    #[test]
    fn a_clash_with_a_reserved_member_leaves_the_value_to_the_caller() {
        let empty = (r#"{"first":1}"#.to_owned(), Flattened::NotAnObject);
        let map: BTreeMap<&str, u8> = [("other", 2), ("status", 7)].into();
        assert_eq!(flattened(&map), empty);
        let limits = Limits {
            limit: 10,
            status: Some("shadowed"),
            window: None,
        };
        assert_eq!(flattened(&limits), empty);
        assert_eq!(flattened(&Some(&limits)), empty);
    }

    #[test]
    fn null_adds_nothing() {
        assert_eq!(
            flattened(&None::<u8>),
            (r#"{"first":1}"#.to_owned(), Flattened::Nothing)
        );
        assert_eq!(flattened(&()).1, Flattened::Nothing);
    }

    #[test]
    fn other_values_are_left_to_the_caller() {
        let empty = r#"{"first":1}"#.to_owned();
        assert_eq!(flattened("text"), (empty.clone(), Flattened::NotAnObject));
        assert_eq!(flattened(&[1, 2]), (empty.clone(), Flattened::NotAnObject));
        assert_eq!(
            flattened(&(1, "a")),
            (empty.clone(), Flattened::NotAnObject)
        );
        assert_eq!(flattened(&3.5), (empty.clone(), Flattened::NotAnObject));
        assert_eq!(
            flattened(&Choice::Struct { a: 1 }),
            (empty, Flattened::NotAnObject)
        );
    }

    #[test]
    fn a_newtype_variant_is_one_entry() {
        assert_eq!(
            flattened(&Choice::Newtype(4)),
            (r#"{"first":1,"Newtype":4}"#.to_owned(), Flattened::Entries)
        );
    }
}

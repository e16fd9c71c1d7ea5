//! Deserializers that never fail on a value of the wrong type: they drop it instead.
//!
//! Layer 0: the ground floor (plain data and header parsing; imports nothing above it).
//!
//! Decoding an error envelope is total: a member with an unexpected type is consumed and
//! treated as absent, so one odd member never costs the whole error.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The newtype name a [`LenientStr`] asks the crate's reader for: a string's text, and
/// any other value (a string that is not text, a number out of range) consumed as a unit.
/// Any other deserializer hands the visitor itself (`visit_newtype_struct`).
pub(crate) const STR: &str = "$apierror::lenient::str";
/// As [`STR`], for a [`LenientU16`]: an integer in `0..=65535`, or a unit.
pub(crate) const U16: &str = "$apierror::lenient::u16";
/// As [`STR`], for a [`MaybeObject`](crate::format::object::MaybeObject): an object's members, or a
/// unit.
pub(crate) const OBJECT: &str = "$apierror::lenient::object";

/// A string member, borrowed from the input where possible; `None` for any other type.
///
/// Read by a format's [`decode`](crate::format::Format::decode), a string that is not text (a
/// lone surrogate escape) and a number out of range are dropped too; `serde_json`'s own
/// deserializer rejects them before a visitor sees them.
#[derive(Debug, Default)]
pub struct LenientStr<'a>(pub Option<Cow<'a, str>>);

impl<'de> Deserialize<'de> for LenientStr<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(STR, LenientVisitor::<StrKind>::default())
    }
}

/// An integer member that fits `u16` (a status code); `None` for anything else (see
/// [`LenientStr`] on what `serde_json` rejects first).
#[derive(Debug, Default, Clone, Copy)]
pub struct LenientU16(pub Option<u16>);

impl<'de> Deserialize<'de> for LenientU16 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(U16, LenientVisitor::<U16Kind>::default())
    }
}

/// What a [`LenientVisitor`] keeps; everything else it consumes and drops.
trait Kind<'de> {
    type Out: Default;
    fn from_str(value: Cow<'de, str>) -> Self::Out {
        let _ = value;
        Self::Out::default()
    }
    fn from_u64(value: u64) -> Self::Out {
        let _ = value;
        Self::Out::default()
    }
}

struct StrKind;
impl<'de> Kind<'de> for StrKind {
    type Out = LenientStr<'de>;
    fn from_str(value: Cow<'de, str>) -> LenientStr<'de> {
        LenientStr(Some(value))
    }
}

struct U16Kind;
impl Kind<'_> for U16Kind {
    type Out = LenientU16;
    fn from_u64(value: u64) -> LenientU16 {
        LenientU16(u16::try_from(value).ok())
    }
}

struct LenientVisitor<K>(std::marker::PhantomData<K>);

impl<K> Default for LenientVisitor<K> {
    fn default() -> Self {
        LenientVisitor(std::marker::PhantomData)
    }
}

impl<'de, K: Kind<'de>> Visitor<'de> for LenientVisitor<K> {
    type Value = K::Out;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<K::Out, E> {
        Ok(K::from_str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<K::Out, E> {
        Ok(K::from_str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<K::Out, E> {
        Ok(K::from_str(Cow::Owned(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<K::Out, E> {
        Ok(K::from_u64(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<K::Out, E> {
        Ok(u64::try_from(v).map_or_else(|_| K::Out::default(), K::from_u64))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<K::Out, E> {
        Ok(K::Out::default())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<K::Out, E> {
        Ok(K::Out::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<K::Out, E> {
        Ok(K::Out::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<K::Out, E> {
        Ok(K::Out::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<K::Out, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<K::Out, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<K::Out, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(K::Out::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<K::Out, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(K::Out::default())
    }
}

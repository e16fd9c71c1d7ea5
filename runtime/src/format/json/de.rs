//! A `serde::Deserializer` over the [`Reader`]: what decodes a variant's details in place,
//! in the same pass as the envelope around them, and what a format of your own reads a
//! body with.
//!
//! For typed values it is as strict as `serde_json`'s typed parse: a string that is not
//! text is an error here, not a dropped value, and so is a number out of range or nesting
//! past [`MAX_DEPTH`]. The caller keeps the value's start, so that on any error it can
//! skip the value and keep it as text instead. The lenient readers
//! ([`LenientStr`](crate::format::object::LenientStr), [`LenientU16`](crate::format::object::LenientU16),
//! [`MaybeObject`](crate::format::object::MaybeObject)) ask for their value under a
//! newtype name of their own, and get any value they would drop consumed and handed
//! over as a unit: nothing a lenient reader drops fails the read. A `RawValue` gets its
//! JSON text borrowed from the body, as from `serde_json`.

use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::{Kind, Reader, Str};
use crate::lenient;

/// How deep a value deserialized in place may nest, as in `serde_json`.
pub(crate) const MAX_DEPTH: usize = 128;

type Error = serde_json::Error;

fn syntax(invalid: super::Invalid) -> Error {
    de::Error::custom(format_args!("invalid JSON at byte {}", invalid.at))
}

/// One value's JSON text, checked to be JSON, as a deserializer (and, for maps of such
/// values, something that turns into one): what a `problem` extension member decodes
/// from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonText<'a>(pub(crate) &'a str);

impl<'a> de::IntoDeserializer<'a, Error> for JsonText<'a> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// Each method reads the text with [`JsonText::read`], by [`ValueDeserializer`]'s method
/// of the same name.
macro_rules! through_reader {
    ($($method:ident($($arg:ident: $ty:ty),*),)*) => {
        $(fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Error> {
            self.read(|value| value.$method($($arg,)* visitor))
        })*
    };
}

impl<'a> JsonText<'a> {
    /// Reads the text with a new reader through `read`, and checks that nothing follows.
    fn read<T>(
        self,
        read: impl FnOnce(ValueDeserializer<'_, 'a>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut reader = Reader::new(self.0);
        let value = read(ValueDeserializer {
            reader: &mut reader,
            depth: 0,
        })?;
        reader.end().map_err(syntax)?;
        Ok(value)
    }

    /// The text of a string value without escapes (most member values): its contents as
    /// they stand. The text is one well-formed value, so a string's contents without a
    /// backslash hold no quote or control character.
    #[inline]
    fn plain_string(self) -> Option<&'a str> {
        let inner = self.0.strip_prefix('"')?.strip_suffix('"')?;
        (!inner.as_bytes().contains(&b'\\')).then_some(inner)
    }
}

/// A string value without escapes is handed over as it stands; anything else goes
/// through the reader.
macro_rules! plain_or_reader {
    ($($method:ident,)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.plain_string() {
                Some(text) => visitor.visit_borrowed_str(text),
                None => self.read(|value| value.$method(visitor)),
            }
        })*
    };
}

impl<'de> de::Deserializer<'de> for JsonText<'de> {
    type Error = Error;

    plain_or_reader! {
        deserialize_any,
        deserialize_str,
        deserialize_string,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.plain_string().is_some() {
            visitor.visit_some(self)
        } else {
            self.read(|value| value.deserialize_option(visitor))
        }
    }

    through_reader! {
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
        deserialize_bytes(),
        deserialize_byte_buf(),
        deserialize_unit(),
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_seq(),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_map(),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
        deserialize_identifier(),
        deserialize_ignored_any(),
    }
}

/// Reads a whole body with `read` over a [`ValueDeserializer`], and checks that nothing
/// but whitespace follows: what a format of your own decodes with.
///
/// # Errors
///
/// The parser's own error (its kind and position) for a body that is not JSON (or not
/// UTF-8), else what `read` reports.
pub(crate) fn read_body<'a, T>(
    body: &'a [u8],
    read: impl FnOnce(ValueDeserializer<'_, 'a>) -> Result<T, Error>,
) -> Result<T, Error> {
    let Ok(text) = std::str::from_utf8(body) else {
        return Err(super::malformed(body));
    };
    // On the failure path only: whether the body is JSON at all decides whose error it is.
    JsonText(text).read(read).map_err(|error| {
        match serde_json::from_slice::<de::IgnoredAny>(body) {
            Err(not_json) if not_json.is_syntax() || not_json.is_eof() => not_json,
            _ => error,
        }
    })
}

/// Deserializes one value from the reader.
pub(crate) struct ValueDeserializer<'r, 'a> {
    pub(crate) reader: &'r mut Reader<'a>,
    pub(crate) depth: usize,
}

impl<'a> ValueDeserializer<'_, 'a> {
    fn nested(&mut self) -> Result<ValueDeserializer<'_, 'a>, Error> {
        if self.depth >= MAX_DEPTH {
            return Err(de::Error::custom("nested too deeply"));
        }
        Ok(ValueDeserializer {
            reader: self.reader,
            depth: self.depth + 1,
        })
    }

    fn string(&mut self) -> Result<Str<'a>, Error> {
        self.reader.string().map_err(syntax)
    }
}

/// A string's text for a visitor, borrowed when it can be.
fn visit_text<'de, V: Visitor<'de>>(text: Str<'de>, visitor: V) -> Result<V::Value, Error> {
    match text.text() {
        Some(Cow::Borrowed(text)) => visitor.visit_borrowed_str(text),
        Some(Cow::Owned(text)) => visitor.visit_string(text),
        None => Err(de::Error::custom("a string that is not text")),
    }
}

fn visit_number<'de, V: Visitor<'de>>(text: &str, visitor: V) -> Result<V::Value, Error> {
    let integral = !text.contains(['.', 'e', 'E']);
    if integral {
        if let Ok(n) = text.parse::<u64>() {
            return visitor.visit_u64(n);
        }
        if let Ok(n) = text.parse::<i64>() {
            return visitor.visit_i64(n);
        }
    }
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => visitor.visit_f64(n),
        _ => Err(de::Error::custom("a number out of range")),
    }
}

impl<'de> de::Deserializer<'de> for ValueDeserializer<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        match self.reader.kind().map_err(syntax)? {
            Kind::Object => {
                self.reader.pos += 1;
                let mut compound = Compound {
                    inner: self.nested()?,
                    first: true,
                    closed: false,
                };
                let value = visitor.visit_map(&mut compound)?;
                compound.end(b'}')?;
                Ok(value)
            }
            Kind::Array => {
                self.reader.pos += 1;
                let mut compound = Compound {
                    inner: self.nested()?,
                    first: true,
                    closed: false,
                };
                let value = visitor.visit_seq(&mut compound)?;
                compound.end(b']')?;
                Ok(value)
            }
            Kind::String => {
                let text = self.string()?;
                visit_text(text, visitor)
            }
            Kind::Number => {
                let text = self.reader.number().map_err(syntax)?;
                visit_number(text, visitor)
            }
            Kind::Literal => {
                let rest = &self.reader.bytes[self.reader.pos..];
                let value = if rest.starts_with(b"true") {
                    Some(true)
                } else if rest.starts_with(b"false") {
                    Some(false)
                } else {
                    None
                };
                self.reader.literal().map_err(syntax)?;
                match value {
                    Some(b) => visitor.visit_bool(b),
                    None => visitor.visit_unit(),
                }
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.reader.peek().map_err(syntax)? == b'n' {
            self.reader.literal().map_err(syntax)?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match name {
            RAW_VALUE => {
                let text = self.reader.span().map_err(syntax)?;
                visitor.visit_map(RawValueAccess(Some(text)))
            }
            lenient::STR => match self.reader.text().map_err(syntax)? {
                Some(Cow::Borrowed(text)) => visitor.visit_borrowed_str(text),
                Some(Cow::Owned(text)) => visitor.visit_string(text),
                None => visitor.visit_unit(),
            },
            lenient::U16 => match self.reader.u16().map_err(syntax)? {
                Some(n) => visitor.visit_u64(u64::from(n)),
                None => visitor.visit_unit(),
            },
            lenient::OBJECT => {
                if self.reader.kind().map_err(syntax)? == Kind::Object {
                    self.deserialize_any(visitor)
                } else {
                    self.reader.skip().map_err(syntax)?;
                    visitor.visit_unit()
                }
            }
            _ => visitor.visit_newtype_struct(self),
        }
    }

    /// A string's bytes; a string that does not unescape to text gives its text with
    /// U+FFFD for each escape that is not a character (as a member name is read), and any
    /// other value is read as by `deserialize_any`.
    fn deserialize_bytes<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        if self.reader.kind().map_err(syntax)? != Kind::String {
            return self.deserialize_any(visitor);
        }
        match self.string()?.text_lossy() {
            Cow::Borrowed(text) => visitor.visit_borrowed_bytes(text.as_bytes()),
            Cow::Owned(text) => visitor.visit_byte_buf(text.into_bytes()),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.reader.kind().map_err(syntax)? {
            Kind::String => {
                let text = self.string()?;
                let name = text
                    .text()
                    .ok_or_else(|| de::Error::custom("a string that is not text"))?;
                visitor.visit_enum(name.into_owned().into_deserializer())
            }
            Kind::Object => {
                self.reader.pos += 1;
                let inner = self.nested()?;
                let value = visitor.visit_enum(Variant { inner })?;
                self.reader.expect(b'}').map_err(syntax)?;
                Ok(value)
            }
            _ => Err(de::Error::custom("an enum is a string or an object")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.reader.skip().map_err(syntax)?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// The name `serde_json` gives the newtype a `RawValue` deserializes as: such a value is
/// handed over as its JSON text, borrowed from the body.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// The one member of the map a `RawValue` reads: its marker name, then its text.
struct RawValueAccess<'a>(Option<&'a str>);

impl<'de> de::MapAccess<'de> for RawValueAccess<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(RAW_VALUE))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let text = self
            .0
            .take()
            .ok_or_else(|| de::Error::custom("a raw value read twice"))?;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(text))
    }
}

/// The members of an object or the elements of an array, after its opening bracket.
struct Compound<'r, 'a> {
    inner: ValueDeserializer<'r, 'a>,
    first: bool,
    /// Whether the closing bracket was read.
    closed: bool,
}

impl<'a> Compound<'_, 'a> {
    /// Whether another member or element follows (consuming its comma), or the
    /// container ends here (consuming `close`).
    fn more(&mut self, close: u8) -> Result<bool, Error> {
        let reader = &mut *self.inner.reader;
        let next = reader.peek().map_err(syntax)?;
        if next == close {
            reader.pos += 1;
            self.closed = true;
            return Ok(false);
        }
        if !self.first {
            if next != b',' {
                return Err(syntax(reader.invalid()));
            }
            reader.pos += 1;
        }
        self.first = false;
        Ok(true)
    }

    /// Checks that the visitor read every member or element: a value it left unread is
    /// an error, as in `serde_json` (a struct read from an array too long for it).
    fn end(&mut self, close: u8) -> Result<(), Error> {
        if !self.closed && self.more(close)? {
            Err(de::Error::custom("trailing members or elements"))
        } else {
            Ok(())
        }
    }

    fn value(&mut self) -> ValueDeserializer<'_, 'a> {
        ValueDeserializer {
            reader: self.inner.reader,
            depth: self.inner.depth,
        }
    }
}

impl<'de> de::MapAccess<'de> for Compound<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if !self.more(b'}')? {
            return Ok(None);
        }
        if self.inner.reader.peek().map_err(syntax)? != b'"' {
            return Err(syntax(self.inner.reader.invalid()));
        }
        let name = self.inner.string()?;
        self.inner.reader.expect(b':').map_err(syntax)?;
        seed.deserialize(Key(name)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(self.value())
    }
}

impl<'de> de::SeqAccess<'de> for Compound<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if !self.more(b']')? {
            return Ok(None);
        }
        seed.deserialize(self.value()).map(Some)
    }
}

/// `{"Variant": value}`, after the `{`.
struct Variant<'r, 'a> {
    inner: ValueDeserializer<'r, 'a>,
}

impl<'r, 'de> de::EnumAccess<'de> for Variant<'r, 'de> {
    type Error = Error;
    type Variant = ValueDeserializer<'r, 'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        mut self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        if self.inner.reader.peek().map_err(syntax)? != b'"' {
            return Err(syntax(self.inner.reader.invalid()));
        }
        let name = self.inner.string()?;
        self.inner.reader.expect(b':').map_err(syntax)?;
        let value = seed.deserialize(Key(name))?;
        Ok((value, self.inner))
    }
}

impl<'de> de::VariantAccess<'de> for ValueDeserializer<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}

/// A member name: text, or an integer written as text (a map with integer keys).
struct Key<'a>(Str<'a>);

macro_rules! parse_key {
    ($($method:ident => $visit:ident: $ty:ty),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let text = self.0.text().ok_or_else(|| de::Error::custom("a name that is not text"))?;
            match text.parse::<$ty>() {
                Ok(n) => visitor.$visit(n),
                Err(_) => visit_text(self.0, visitor),
            }
        })*
    };
}

impl<'de> de::Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visit_text(self.0, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    /// The name's bytes, with U+FFFD for each escape that is not a character: how a
    /// lenient reader takes a name, so that one that is not text matches nothing.
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.text_lossy() {
            Cow::Borrowed(text) => visitor.visit_borrowed_bytes(text.as_bytes()),
            Cow::Owned(text) => visitor.visit_byte_buf(text.into_bytes()),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let name = self
            .0
            .text()
            .ok_or_else(|| de::Error::custom("a name that is not text"))?;
        visitor.visit_enum(name.into_owned().into_deserializer())
    }

    parse_key! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
    }

    serde::forward_to_deserialize_any! {
        bool i128 u128 f32 f64 char str string unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    fn from<'a, T: Deserialize<'a>>(body: &'a str) -> Result<T, Error> {
        let mut reader = Reader::new(body);
        let value = T::deserialize(ValueDeserializer {
            reader: &mut reader,
            depth: 0,
        })?;
        reader.end().map_err(syntax)?;
        Ok(value)
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Shape {
        Dot,
        Line(u32),
        Box { w: u8, h: u8 },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Everything<'a> {
        text: &'a str,
        escaped: String,
        numbers: Vec<f64>,
        signed: i64,
        big: u64,
        flag: bool,
        none: Option<u8>,
        some: Option<u8>,
        by_number: BTreeMap<u32, String>,
        shapes: Vec<Shape>,
        #[serde(default)]
        missing: Vec<u8>,
        raw: serde_json::Value,
    }

    #[test]
    fn a_container_read_only_in_part_is_an_error() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct One {
            id: u32,
        }
        assert!(from::<One>("[1,2]").is_err());
        assert!(serde_json::from_str::<One>("[1,2]").is_err());
        assert!(from::<One>("[1]").is_ok());
        assert!(from::<(u8,)>("[1,2]").is_err());
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let body = r#"{"text":"plain","escaped":"a\"\u00e9","numbers":[1,-2.5,3e2],"signed":-7,
            "big":18446744073709551615,"flag":true,"none":null,"some":4,"by_number":{"1":"one","20":"twenty"},
            "shapes":["Dot",{"Line":3},{"Box":{"w":1,"h":2}}],"ignored":[{"deep":[1]}],"raw":{"a":[1,"x",null]}}"#;
        let ours: Everything<'_> = from(body).unwrap();
        let theirs: Everything<'_> = serde_json::from_str(body).unwrap();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn what_serde_json_rejects_as_typed_fails_here_too() {
        assert!(from::<String>(r#""\ud800""#).is_err());
        assert!(from::<f64>("1e400").is_err());
        assert!(from::<u8>("300").is_err());
        assert!(from::<Vec<u8>>("[1,]").is_err());
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(from::<serde_json::Value>(&deep).is_err());
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(from::<serde_json::Value>(&fine).is_ok());
    }
}

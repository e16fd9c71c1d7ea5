//! Reading the details in the same pass as the rest of the envelope.

use serde::de::MapAccess;
use serde_json::value::RawValue;

use super::RawEnvelope;
use super::object;

/// What a [`Format`](super::Format) hands the members that hold an envelope's details to,
/// as it meets them: a reader may decode a value in place, or leave it as JSON text for
/// the format to keep in [`RawEnvelope::details`].
///
/// The derive implements one per enum: when the code was read before the details and
/// names a variant, the details are decoded into that variant's type in the same pass;
/// otherwise (the code comes after them, or there is none) they are kept as text and
/// decoded once a variant is chosen. [`Undecoded`] keeps everything as text.
///
/// A format of your own opts in by overriding
/// [`Format::deserialize_with`](super::Format::deserialize_with) and reading its details
/// members with [`object::details_with`]; without that, details are kept as text, which is
/// correct, only slower.
pub trait DetailsReader<'de>: Default {
    /// Reads the value of a member that holds details, or skips nothing and returns its
    /// JSON text to keep. `code` is the envelope's code as read so far; `part` is `None`
    /// when the member holds the whole details (`details`, `errors`), and the member's
    /// name when it is one of the loose members that together form them (`problem`'s
    /// extension members).
    ///
    /// Returns the value's JSON text when the reader left it undecoded, `None` when it
    /// decoded it. The value must be consumed either way.
    ///
    /// # Errors
    ///
    /// For input that is not JSON, and for details that do not fit the type they were
    /// decoded as: [`Format::decode_with`](super::Format::decode_with) then reads the body
    /// again, with every value kept as text (see [`object::careful`]).
    fn read<A: MapAccess<'de>>(
        &mut self,
        code: Option<&str>,
        part: Option<&str>,
        map: &mut A,
    ) -> Result<Option<&'de RawValue>, A::Error>;

    /// Whether what the reader decoded belongs with `raw`, the envelope as read to its
    /// end: not when a later `code` member replaced the one the details were decoded for.
    /// When not, the body is read again with every value kept as text.
    fn fits(&self, raw: &RawEnvelope<'_>) -> bool {
        let _ = raw;
        true
    }

    /// Not a public API: what a declared format's decoder calls at a details value when
    /// the code has been read. Returns whether the value was decoded (and consumed); when
    /// not, or on an error, the decoder skips the value from where it started and keeps
    /// it as text.
    ///
    /// # Errors
    ///
    /// For details that do not fit the type they were decoded as.
    #[doc(hidden)]
    fn read_declared(
        &mut self,
        code: &str,
        part: Option<&str>,
        value: &mut DeclaredValue<'_, 'de>,
    ) -> Result<bool, serde_json::Error> {
        let _ = (code, part, value);
        Ok(false)
    }
}

/// Not a public API: one value of a body a declared format is reading, as a `MapAccess`
/// whose one value is read in place (see [`DetailsReader::read_declared`]).
#[doc(hidden)]
pub struct DeclaredValue<'r, 'de>(pub(crate) &'r mut super::json::Reader<'de>);

impl<'de> MapAccess<'de> for DeclaredValue<'_, 'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        _: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        Ok(None)
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        seed.deserialize(super::json::de::ValueDeserializer {
            reader: self.0,
            depth: 0,
        })
    }
}

/// The reader that decodes nothing: every details member is kept as JSON text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Undecoded;

impl<'de> DetailsReader<'de> for Undecoded {
    fn read<A: MapAccess<'de>>(
        &mut self,
        _: Option<&str>,
        _: Option<&str>,
        map: &mut A,
    ) -> Result<Option<&'de RawValue>, A::Error> {
        object::raw(map).map(Some)
    }
}

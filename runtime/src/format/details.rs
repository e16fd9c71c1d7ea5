//! Reading the details in the same pass as the rest of the envelope.

use serde::de::MapAccess;

use super::RawEnvelope;

/// What a declared [`Format`](super::Format) hands the values that hold an envelope's
/// details to, as it meets them: a reader may decode a value in place, or leave it as
/// JSON text for the format to keep in [`RawEnvelope::details`].
///
/// The derive implements one per enum: when the code was read before the details and
/// names a variant (or the status alone picks the variant, see
/// [`presumed`](Self::presumed)), the details are decoded into that variant's type in the
/// same pass;
/// otherwise (the code comes after them, or there is none) they are kept as text and
/// decoded once a variant is chosen. [`Undecoded`] keeps everything as text, and so does
/// a format of your own (see [`Format::decode_with`](super::Format::decode_with)): that is
/// correct, only slower when a body has details.
pub trait DetailsReader<'de>: Default {
    /// Whether what the reader decoded belongs with `raw`, the envelope as read to its
    /// end: not when a later `code` member replaced the one the details were decoded for.
    /// When not, the format keeps those details as text after all (it skipped past them,
    /// so it has their text), and the reader is cleared.
    fn fits(&self, raw: &RawEnvelope<'_>) -> bool {
        let _ = raw;
        true
    }

    /// The code the details are taken to be for while the body has named none: the code
    /// of the one variant the response's status picks when status alone picks variants
    /// (a format with no code). `None` by default: details met before a code are then
    /// kept as text.
    fn presumed(&self) -> Option<&'static str> {
        None
    }

    /// Forgets what the reader decoded (keeping what it presumes).
    fn clear(&mut self) {
        *self = Self::default();
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

impl DetailsReader<'_> for Undecoded {}

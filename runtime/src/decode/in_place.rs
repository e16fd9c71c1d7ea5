//! Decoding a derived enum's details in the same pass as its envelope.
//!
//! The derive gives each enum a row of slots, one per variant with details whose code no
//! other variant has, and [`InPlaceDetails::read_details`], which decodes a details
//! member into the slot its code names. [`InPlace`] is the [`DetailsReader`] over them
//! that the enum's format reads with: when the code came first, the details are decoded
//! where they are met, and the variant takes them from its slot; otherwise they are kept
//! as text and decoded once the variant is chosen, as a format of its own reads them.
//! Where the status alone picks the variant (a format with no code, like GitHub's), the
//! details are decoded for the variant the response's status picks
//! ([`InPlaceDetails::presume`]).
//!
//! It stays as lenient as reading the text first: details that do not fit the slot's
//! type are skipped from where they started and kept as text, and so are details decoded
//! for a code that a later member replaced. A format of your own keeps every details
//! value as text (see [`Format::decode_with`](crate::format::Format::decode_with)).

use std::fmt;

use http::StatusCode;
use serde::de::MapAccess;

use super::DecodeError;
use super::input::DecodeInput;
use crate::format::{DeclaredValue, DetailsReader, RawEnvelope};

/// What the derive implements for an enum so that its details decode in the same pass.
pub trait InPlaceDetails: Sized {
    /// A slot per variant that decodes in place: `(Option<T0>, (Option<T1>, ()))`.
    type Slots: Default;

    /// Decodes a details value into the slot of the variant with `code`, and returns that
    /// code; `None`, with the value not read, when no slot's variant has `code` or its
    /// type is not read from `part` (`None` for a member holding the whole details, else
    /// the name of one of the loose members that together form them).
    ///
    /// # Errors
    ///
    /// For input that is not JSON, or details that do not fit the slot's type.
    fn read_details<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        code: &str,
        part: Option<&str>,
        map: &mut A,
    ) -> Result<Option<&'static str>, A::Error>;

    /// The code of the variant whose details a body is read for before it names a code:
    /// the one `status` picks, where status alone picks a variant (the details reader
    /// presumes it).
    fn presume(status: StatusCode) -> Option<&'static str> {
        let _ = status;
        None
    }

    /// Picks the variant for `input`, taking its details from `slots` when they were
    /// decoded in place.
    ///
    /// # Errors
    ///
    /// When no variant fits and the enum has no `unknown` variant.
    fn choose<R>(input: &DecodeInput<'_, R>, slots: &mut Self::Slots) -> Result<Self, DecodeError>;
}

/// The reader an enum's format reads with: see the module's documentation.
pub(crate) struct InPlace<E: InPlaceDetails> {
    pub(crate) slots: E::Slots,
    /// The code the details were decoded for, once they were.
    decoded: Option<&'static str>,
    /// The code details met before any are read for: see [`InPlaceDetails::presume`].
    presumed: Option<&'static str>,
}

impl<E: InPlaceDetails> InPlace<E> {
    pub(crate) fn for_status(status: StatusCode) -> Self {
        InPlace {
            presumed: E::presume(status),
            ..InPlace::default()
        }
    }
}

impl<E: InPlaceDetails> Default for InPlace<E> {
    fn default() -> Self {
        InPlace {
            slots: E::Slots::default(),
            decoded: None,
            presumed: None,
        }
    }
}

impl<E: InPlaceDetails> fmt::Debug for InPlace<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InPlace")
            .field("decoded", &self.decoded)
            .field("presumed", &self.presumed)
            .finish_non_exhaustive()
    }
}

impl<'de, E: InPlaceDetails> DetailsReader<'de> for InPlace<E> {
    fn fits(&self, raw: &RawEnvelope<'_>) -> bool {
        self.decoded
            .is_none_or(|decoded| raw.code.as_deref().or(self.presumed) == Some(decoded))
    }

    fn presumed(&self) -> Option<&'static str> {
        self.presumed
    }

    fn clear(&mut self) {
        *self = InPlace {
            presumed: self.presumed,
            ..InPlace::default()
        };
    }

    #[inline]
    fn read_declared(
        &mut self,
        code: &str,
        part: Option<&str>,
        value: &mut DeclaredValue<'_, 'de>,
    ) -> Result<bool, serde_json::Error> {
        // A repeated member replaces the earlier one: the slot is overwritten, or (when
        // this one is not decoded) the decoder clears the reader.
        let decoded = E::read_details(&mut self.slots, code, part, value)?;
        self.decoded = decoded.or(self.decoded);
        Ok(decoded.is_some())
    }
}

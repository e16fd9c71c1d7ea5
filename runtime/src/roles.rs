//! What the derive needs of a field for its role, and of a variant for its message, as
//! traits the generated code calls: when a type does not fit, the error is one line on
//! the field's type that says what is needed (`#[diagnostic::on_unimplemented]`), never
//! a wall of trait-solver text (`#[diagnostic::do_not_recommend]`).
//!
//! Layer 2: decoded data (above the formats, below the `ApiError` trait).
//!
//! Not a public API. The module is public but hidden only so that compiler messages
//! name these traits by this path rather than through `__private`, which is where the
//! generated code reaches them.

use std::fmt;
use std::time::Duration;

use serde::de::{DeserializeOwned, MapAccess};
use serde::{Serialize, Serializer};

use crate::decode::DecodeErrorKind;
use crate::format::RawEnvelope;

/// An `#[api_error(message)]` field: text, both ways.
#[diagnostic::on_unimplemented(
    message = "an #[api_error(message)] field must be text, not `{Self}`",
    label = "the message field's type",
    note = "use `String`, or another type that is `AsRef<str>` and `From<String>`"
)]
pub trait MessageField: Sized {
    /// The message.
    fn as_message(&self) -> &str;
    /// The field, from a decoded body's message (empty when it had none).
    fn from_message(raw: &RawEnvelope<'_>) -> Self;
}

#[diagnostic::do_not_recommend]
impl<T: AsRef<str> + From<String>> MessageField for T {
    fn as_message(&self) -> &str {
        self.as_ref()
    }
    fn from_message(raw: &RawEnvelope<'_>) -> Self {
        T::from(raw.message.as_deref().unwrap_or_default().to_owned())
    }
}

/// An `#[api_error(retry_after)]` field: the `Retry-After` delay, both ways.
#[diagnostic::on_unimplemented(
    message = "an #[api_error(retry_after)] field must be a delay, not `{Self}`",
    label = "the retry_after field's type",
    note = "use `Duration`, `u64` seconds, or an `Option` of either"
)]
pub trait RetryAfterField {
    /// The delay to send, if any.
    fn to_retry_after(&self) -> Option<Duration>;
    /// The field for a decoded response's delay (zero or `None` when it had none).
    fn from_retry_after(delay: Option<Duration>) -> Self;
}

impl RetryAfterField for Duration {
    fn to_retry_after(&self) -> Option<Duration> {
        Some(*self)
    }
    fn from_retry_after(delay: Option<Duration>) -> Self {
        delay.unwrap_or_default()
    }
}

impl RetryAfterField for Option<Duration> {
    fn to_retry_after(&self) -> Option<Duration> {
        *self
    }
    fn from_retry_after(delay: Option<Duration>) -> Self {
        delay
    }
}

impl RetryAfterField for u64 {
    fn to_retry_after(&self) -> Option<Duration> {
        Some(Duration::from_secs(*self))
    }
    fn from_retry_after(delay: Option<Duration>) -> Self {
        delay.map_or(0, |d| d.as_secs())
    }
}

impl RetryAfterField for Option<u64> {
    fn to_retry_after(&self) -> Option<Duration> {
        self.map(Duration::from_secs)
    }
    fn from_retry_after(delay: Option<Duration>) -> Self {
        delay.map(|d| d.as_secs())
    }
}

/// An `#[api_error(details)]` field: encoded into the envelope, decoded back.
#[diagnostic::on_unimplemented(
    message = "an #[api_error(details)] field must be `Serialize` and `Deserialize`, and `{Self}` is not both",
    label = "the details field's type",
    note = "derive `serde::Serialize` and `serde::Deserialize` for it, or use `apierror::FieldErrors`"
)]
pub trait DetailsField: Sized {
    /// The field, as the envelope holds it.
    fn as_details(&self) -> Details<'_, Self> {
        Details(self)
    }
    /// Writes the details.
    ///
    /// # Errors
    ///
    /// Whatever the serializer reports.
    fn serialize_details<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the details of a decoded body.
    ///
    /// # Errors
    ///
    /// When they neither fit nor can be left out.
    fn decode_details(raw: &RawEnvelope<'_>) -> Result<Self, DecodeErrorKind>;
    /// Reads a details value in place (`part` as in
    /// [`InPlaceDetails::read_details`](crate::__private::InPlaceDetails::read_details));
    /// `None`, with the value not read, when the type is not read from `part`.
    ///
    /// # Errors
    ///
    /// For input that is not JSON, or details that do not fit.
    fn read_in_place<'de, A: MapAccess<'de>>(
        part: Option<&str>,
        map: &mut A,
    ) -> Result<Option<Self>, A::Error>;
}

#[diagnostic::do_not_recommend]
impl<T: Serialize + DeserializeOwned> DetailsField for T {
    fn serialize_details<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
    fn decode_details(raw: &RawEnvelope<'_>) -> Result<Self, DecodeErrorKind> {
        crate::decode::input::decode_details(raw)
    }
    fn read_in_place<'de, A: MapAccess<'de>>(
        part: Option<&str>,
        map: &mut A,
    ) -> Result<Option<Self>, A::Error> {
        match part {
            Some(name) if crate::format::extensions::read_from::<Self>() != Some(name) => Ok(None),
            // `null` leaves the details as an earlier member set them: fail, and the
            // decoder keeps it as text, where the rule is applied.
            _ => match map.next_value::<NotNull<Self>>()?.0 {
                Some(details) => Ok(Some(details)),
                None => Err(serde::de::Error::custom("null details")),
            },
        }
    }
}

/// A value that is `None` for `null`, and `T` otherwise.
struct NotNull<T>(Option<T>);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for NotNull<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(NotNull)
    }
}

/// A details field as the envelope holds it: serialized as the field itself.
pub struct Details<'a, T>(&'a T);

impl<T: DetailsField> Serialize for Details<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_details(serializer)
    }
}

/// Picks the envelope's form of a details field by autoref, so that a type that is no
/// [`DetailsField`] costs one error (the derive's assertion on the field's type) and not
/// a second one from the envelope's `Serialize` bound: `(&DetailsProbe(field)).details()`
/// is [`Details`] when the type is a `DetailsField` ([`ViaDetails`]) and
/// [`MissingDetails`] otherwise ([`ViaMissing`]).
pub struct DetailsProbe<'a, T>(pub &'a T);

/// The probe's answer for a `DetailsField`.
pub trait ViaDetails<'a, T> {
    /// The field as the envelope holds it.
    fn details(&self) -> Details<'a, T>;
}

impl<'a, T: DetailsField> ViaDetails<'a, T> for DetailsProbe<'a, T> {
    fn details(&self) -> Details<'a, T> {
        self.0.as_details()
    }
}

/// The probe's answer for any other type, whose assertion has already failed the build.
pub trait ViaMissing {
    /// A stand-in that is never serialized.
    fn details(&self) -> MissingDetails {
        MissingDetails
    }
}

impl<T> ViaMissing for &DetailsProbe<'_, T> {}

/// The stand-in for a details field of the wrong type: the build has already failed.
pub struct MissingDetails;

impl Serialize for MissingDetails {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(
            "a details field that is not serde",
        ))
    }
}

/// An `#[api_error(default)]` field: rebuilt with `Default` when decoding.
#[diagnostic::on_unimplemented(
    message = "an #[api_error(default)] field is rebuilt with `Default` when decoding, and `{Self}` has no `Default`",
    label = "the default field's type",
    note = "implement or derive `Default` for it, or leave the attribute off (the variant is then encode-only)"
)]
pub trait DefaultField {
    /// The value a decoded variant gets.
    fn rebuilt() -> Self;
}

#[diagnostic::do_not_recommend]
impl<T: Default> DefaultField for T {
    fn rebuilt() -> Self {
        T::default()
    }
}

/// A type whose variants' public message is their `Display`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` needs a `Display`: it is the public message of a variant with no message template or field",
    label = "this variant's message is its `Display`",
    note = "derive `thiserror::Error` and give the variant #[error(\"…\")], or write #[api_error(message = \"…\")]"
)]
pub trait DisplayMessage {
    /// The value as a `Display`.
    fn as_display(&self) -> &dyn fmt::Display;
}

#[diagnostic::do_not_recommend]
impl<T: fmt::Display> DisplayMessage for T {
    fn as_display(&self) -> &dyn fmt::Display {
        self
    }
}

/// An `#[api_error(member)]` field: a member of a declared format, both ways.
#[diagnostic::on_unimplemented(
    message = "an #[api_error(member)] field must be serde-compatible, not `{Self}`",
    label = "the member field's type",
    note = "use a type that is `Serialize` and `DeserializeOwned`, such as `String` or `Option<String>`"
)]
pub trait MemberField: Sized {
    /// Whether the field has a value to write (`None` and other values that serialize as
    /// `null` are omitted).
    fn is_present(&self) -> bool;
    /// Writes the field.
    ///
    /// # Errors
    ///
    /// Whatever the serializer or the field reports.
    fn write_member<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// The field, from the member's JSON text as received (`None` when the body had no
    /// such member): a member that is absent or does not fit is `None` for an `Option`,
    /// and makes the variant not fit otherwise.
    ///
    /// # Errors
    ///
    /// When the member is absent or does not fit and the type has no absent value.
    fn from_member(text: Option<&str>) -> Result<Self, DecodeErrorKind>;
}

#[diagnostic::do_not_recommend]
impl<T: Serialize + DeserializeOwned> MemberField for T {
    fn is_present(&self) -> bool {
        !crate::format::probe::is_null(self)
    }
    fn write_member<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
    fn from_member(text: Option<&str>) -> Result<Self, DecodeErrorKind> {
        let first = match text.map(|text| T::deserialize(crate::format::json::de::JsonText(text))) {
            Some(Ok(value)) => return Ok(value),
            Some(Err(e)) => Some(e),
            None => None,
        };
        T::deserialize(serde::de::value::UnitDeserializer::<serde_json::Error>::new()).map_err(
            |absent| {
                DecodeErrorKind::Details(first.map_or_else(
                    || format!("a member is missing: {absent}"),
                    |e| e.to_string(),
                ))
            },
        )
    }
}

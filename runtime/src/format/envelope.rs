//! The parts of an error envelope: a borrowed view for encoding, raw parts from decoding.

use std::borrow::Cow;
use std::fmt;

use http::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use super::declared::{RawParts, UnboundMember};

/// Per-response values a [`Format`](crate::format::Format) may carry beside the error
/// itself.
///
/// Formats without a place for a value ignore it: `nested` writes `request_id` and
/// `timestamp`, `problem` writes `instance` and uses `problem_type` as its `type`.
///
/// ```
/// use apierror::Context;
///
/// let context = Context::new()
///     .with_request_id("req_8f2c")
///     .with_timestamp("2026-12-02T17:34:27Z");
/// assert_eq!(context.request_id, Some("req_8f2c"));
/// assert_eq!(context.instance, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The request's id (`X-Request-Id`), for support and log correlation.
    pub request_id: Option<&'a str>,
    /// When the error happened, as an RFC 3339 / ISO 8601 timestamp.
    pub timestamp: Option<&'a str>,
    /// RFC 9457 `type` URI; `about:blank` when absent.
    pub problem_type: Option<&'a str>,
    /// RFC 9457 `instance` URI.
    pub instance: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// No context: the envelope holds the error alone.
    pub const EMPTY: Context<'static> = Context {
        request_id: None,
        timestamp: None,
        problem_type: None,
        instance: None,
    };

    /// No context; add values with the `with_*` methods.
    pub const fn new() -> Self {
        Context {
            request_id: None,
            timestamp: None,
            problem_type: None,
            instance: None,
        }
    }

    /// Sets the request id.
    #[must_use]
    pub const fn with_request_id(mut self, request_id: &'a str) -> Self {
        self.request_id = Some(request_id);
        self
    }

    /// Sets the timestamp (RFC 3339).
    #[must_use]
    pub const fn with_timestamp(mut self, timestamp: &'a str) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Sets the RFC 9457 `type` URI.
    #[must_use]
    pub const fn with_problem_type(mut self, problem_type: &'a str) -> Self {
        self.problem_type = Some(problem_type);
        self
    }

    /// Sets the RFC 9457 `instance` URI.
    #[must_use]
    pub const fn with_instance(mut self, instance: &'a str) -> Self {
        self.instance = Some(instance);
        self
    }
}

/// What a variant without a `details` field passes as its details type.
///
/// It is never serialized: such envelopes have `details: None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoDetails {}

impl Serialize for NoDetails {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

/// A public message, as the derived code has it: text it already holds (a literal, a
/// reason phrase, a message field), or a `Display` to be written straight into the
/// output (a template, a type's own `Display`), never collected into a `String` first.
#[derive(Clone, Copy)]
pub enum Message<'a> {
    /// Text, written as a JSON string directly.
    Str(&'a str),
    /// A `Display`, written through `Serializer::collect_str`.
    Display(&'a dyn fmt::Display),
}

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Str(text) => f.write_str(text),
            Message::Display(display) => display.fmt(f),
        }
    }
}

impl fmt::Debug for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&format_args!("{self}"), f)
    }
}

impl Serialize for Message<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Message::Str(text) => serializer.serialize_str(text),
            Message::Display(display) => serializer.collect_str(display),
        }
    }
}

impl<'a> From<&'a str> for Message<'a> {
    fn from(text: &'a str) -> Self {
        Message::Str(text)
    }
}

/// One error, borrowed, ready for a [`Format`](crate::format::Format) to write.
///
/// ```
/// use apierror::Context;
/// use apierror::format::{Envelope, Format, Message, Nested};
///
/// let details = [1, 2];
/// let envelope = Envelope::new(http::StatusCode::CONFLICT, "conflict", Message::Str("taken"), &Context::EMPTY)
///     .with_details(&details);
/// let mut body = Vec::new();
/// Nested::serialize(&envelope, &mut serde_json::Serializer::new(&mut body)).unwrap();
/// assert_eq!(body, br#"{"error":{"code":"conflict","message":"taken","details":[1,2]}}"#);
/// ```
#[non_exhaustive]
pub struct Envelope<'a, D: ?Sized = NoDetails> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The machine-readable code.
    pub code: &'a str,
    /// The public message.
    pub message: Message<'a>,
    /// The variant's `#[api_error(details)]` field, if it has one.
    pub details: Option<&'a D>,
    /// Per-response values (request id, timestamp, problem type and instance).
    pub context: &'a Context<'a>,
    /// The variant's retry hint, for a format with a place for it in the body (a declared
    /// `{retry_after:…}`); the `Retry-After` header is written apart from the body.
    pub retry_after: Option<std::time::Duration>,
}

impl<'a> Envelope<'a, NoDetails> {
    /// An envelope without details.
    pub const fn new(
        status: StatusCode,
        code: &'a str,
        message: Message<'a>,
        context: &'a Context<'a>,
    ) -> Self {
        Envelope {
            status,
            code,
            message,
            details: None,
            context,
            retry_after: None,
        }
    }
}

impl<'a, D: ?Sized> Envelope<'a, D> {
    /// The same envelope with `details`.
    pub const fn with_details<T: ?Sized>(self, details: &'a T) -> Envelope<'a, T> {
        Envelope {
            status: self.status,
            code: self.code,
            message: self.message,
            details: Some(details),
            context: self.context,
            retry_after: self.retry_after,
        }
    }

    /// The same envelope with the variant's retry hint.
    #[must_use]
    pub const fn with_retry_after(mut self, retry_after: Option<std::time::Duration>) -> Self {
        self.retry_after = retry_after;
        self
    }
}

impl<'a, D: Serialize + ?Sized> Envelope<'a, D> {
    /// The details, unless they are absent or serialize as `null`: what a format writes,
    /// since optional members are omitted, never written as `null`.
    pub fn present_details(&self) -> Option<&'a D> {
        self.details
            .filter(|details| !super::probe::is_null(*details))
    }
}

impl<D: ?Sized> fmt::Debug for Envelope<'_, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("has_details", &self.details.is_some())
            .field("context", self.context)
            .finish()
    }
}

/// The members a [`Format`](crate::format::Format) read from a body, before a variant is chosen.
///
/// Every member is optional: decoding is lenient, and a member that is absent or of the
/// wrong type is `None`. Strings borrow from the body where they can.
///
/// It is `#[non_exhaustive]`: a format starts from [`RawEnvelope::default`] and sets
/// the members it read.
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct RawEnvelope<'a> {
    /// The machine-readable code (`code`, `reason` or `error`, by format).
    pub code: Option<Cow<'a, str>>,
    /// A status the body itself states (`status` in `problem`, `code` in `reason`).
    pub status: Option<u16>,
    /// The human-readable message.
    pub message: Option<Cow<'a, str>>,
    /// The details (`details`, `errors`, or `problem` extension members).
    pub details: Option<RawDetails<'a>>,
    /// The request id the body carries.
    pub request_id: Option<Cow<'a, str>>,
    /// The timestamp the body carries.
    pub timestamp: Option<Cow<'a, str>>,
    /// The retry hint the body carries (a declared `{retry_after:…}` placeholder).
    pub retry_after: Option<crate::hint::retry_after::RetryAfter>,
    /// The named parts a [declared format](crate::format::declared) read: key values and
    /// members bound to variant fields.
    pub parts: RawParts<'a>,
    /// The members the format does not bind, kept so that nothing the body said is lost
    /// (declared formats keep them; at most
    /// [`MAX_UNBOUND_MEMBERS`](crate::format::declared::MAX_UNBOUND_MEMBERS), and
    /// [`KEPT_BODY_BYTES`](crate::decode::KEPT_BODY_BYTES) of text in all).
    pub unbound: Vec<UnboundMember<'a>>,
    /// Whether members were left out of [`unbound`](Self::unbound) for its bounds.
    pub unbound_truncated: bool,
    /// For a format that declares literal members (`"ok":false`): whether the body had
    /// every one with its declared value, so that it is this error envelope even under a
    /// 2xx status. `None` for formats that declare none.
    pub discriminated: Option<bool>,
}

impl RawEnvelope<'_> {
    /// The same parts, owning their text (for a body that does not outlive the read).
    pub fn into_owned(self) -> RawEnvelope<'static> {
        let owned = |text: Option<Cow<'_, str>>| text.map(|t| Cow::Owned(t.into_owned()));
        RawEnvelope {
            code: owned(self.code),
            status: self.status,
            message: owned(self.message),
            details: self.details.map(RawDetails::into_owned),
            request_id: owned(self.request_id),
            timestamp: owned(self.timestamp),
            retry_after: self.retry_after,
            parts: self.parts.into_owned(),
            unbound: self
                .unbound
                .into_iter()
                .map(|member| UnboundMember {
                    pointer: member.pointer,
                    value: Cow::Owned(member.value.into_owned()),
                })
                .collect(),
            unbound_truncated: self.unbound_truncated,
            discriminated: self.discriminated,
        }
    }
}

/// Undecoded details: JSON text kept as it was until a variant's details type is known.
#[derive(Debug, Clone)]
pub enum RawDetails<'a> {
    /// One JSON value (the `details` or `errors` member).
    Value(Cow<'a, RawValue>),
    /// Loose members that together form the details (`problem` extension members), each
    /// a name and its value's JSON text: a struct or map reads them as one object,
    /// [`FieldErrors`](crate::FieldErrors) read the `errors` member, and other types the
    /// `details` member.
    Members(Vec<(Cow<'a, str>, Cow<'a, str>)>),
    /// One JSON value's text, checked to be JSON (what a declared format reads).
    Text(Cow<'a, str>),
}

impl RawDetails<'_> {
    /// The same details, owning their text.
    pub fn into_owned(self) -> RawDetails<'static> {
        match self {
            RawDetails::Value(raw) => RawDetails::Value(Cow::Owned(raw.into_owned())),
            RawDetails::Members(members) => RawDetails::Members(
                members
                    .into_iter()
                    .map(|(name, value)| {
                        (
                            Cow::Owned(name.into_owned()),
                            Cow::Owned(value.into_owned()),
                        )
                    })
                    .collect(),
            ),
            RawDetails::Text(text) => RawDetails::Text(Cow::Owned(text.into_owned())),
        }
    }

    /// Decodes the details into `T`.
    ///
    /// # Errors
    ///
    /// When the JSON does not fit `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        match self {
            RawDetails::Value(raw) => serde_json::from_str(raw.get()),
            RawDetails::Members(members) => crate::format::extensions::decode(members),
            // The reader's own deserializer: floats correctly rounded, as when the details
            // are decoded in place.
            RawDetails::Text(text) => T::deserialize(crate::format::json::de::JsonText(text)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Context, Envelope, Message};

    #[test]
    fn message_is_escaped_json_in_both_forms() {
        // A `Display` with a placeholder, as a variant's formatted message is.
        let control = '\u{1}';
        let text = format!("a \"quoted\" \\ {control}\n");
        let expected = r#""a \"quoted\" \\ \u0001\n""#;
        assert_eq!(
            serde_json::to_string(&Message::Display(&format_args!("{text}"))).unwrap(),
            expected
        );
        assert_eq!(
            serde_json::to_string(&Message::Str(&text)).unwrap(),
            expected
        );
    }

    #[test]
    fn null_details_are_absent() {
        let none: Option<u8> = None;
        let some = Some(3_u8);
        let envelope = |details| Envelope {
            status: http::StatusCode::BAD_REQUEST,
            code: "c",
            message: Message::Str("m"),
            details,
            context: &Context::EMPTY,
            retry_after: None,
        };
        assert!(envelope(Some(&none)).present_details().is_none());
        assert!(envelope(None).present_details().is_none());
        assert_eq!(envelope(Some(&some)).present_details(), Some(&some));
    }
}

//! The parts of an error envelope: a borrowed view for encoding, raw parts from decoding.

use std::borrow::Cow;
use std::fmt;

use http::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// Per-response values a [`Format`](crate::Format) may carry beside the error itself.
///
/// Formats without a place for a value ignore it: `nested` writes `request_id` and
/// `timestamp`, `problem` writes `instance` and uses `problem_type` as its `type`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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

impl Context<'_> {
    /// No context: the envelope holds the error alone.
    pub const EMPTY: Context<'static> = Context {
        request_id: None,
        timestamp: None,
        problem_type: None,
        instance: None,
    };
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

/// One error, borrowed, ready for a [`Format`](crate::Format) to write.
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

/// The members a [`Format`](crate::Format) read from a body, before a variant is chosen.
///
/// Every member is optional: decoding is lenient, and a member that is absent or of the
/// wrong type is `None`. Strings borrow from the body where they can.
#[derive(Debug, Default, Clone)]
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
}

/// Undecoded details: JSON text kept as it was until a variant's details type is known.
#[derive(Debug, Clone)]
pub enum RawDetails<'a> {
    /// One JSON value (the `details` or `errors` member).
    Value(Cow<'a, RawValue>),
    /// Loose members that together form the details (`problem` extension members): a
    /// struct or map reads them as one object, [`FieldErrors`](crate::FieldErrors) read
    /// the `errors` member, and other types the `details` member.
    Members(Vec<(Cow<'a, str>, Cow<'a, RawValue>)>),
}

impl RawDetails<'_> {
    /// Decodes the details into `T`.
    ///
    /// # Errors
    ///
    /// When the JSON does not fit `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        match self {
            RawDetails::Value(raw) => serde_json::from_str(raw.get()),
            RawDetails::Members(members) => crate::format::extensions::decode(members),
        }
    }
}

//! `Rejection`: a framework's extractor failure, described as field errors for an
//! envelope, and [`FromRejection`], which turns it into the application's error: one
//! trait for axum and actix-web.

// With tonic alone, no framework builds rejections from its extractors' errors.
#![cfg_attr(not(any(feature = "axum", feature = "actix-web")), allow(dead_code))]

use std::error::Error;
use std::fmt;

use http::StatusCode;

use crate::field_errors::FieldErrors;

/// Which part of the request an extractor rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RequestPart {
    /// The body (`Json`, `Bytes`, `String`).
    Body,
    /// The query string (`Query`).
    Query,
    /// The path parameters (`Path`).
    Path,
    /// Anything else.
    Other,
}

impl RequestPart {
    /// The part's name, `body`, `query`, `path` or `request`: the field that
    /// [`Rejection::fields`] names for a problem with the part as a whole.
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestPart::Body => "body",
            RequestPart::Query => "query",
            RequestPart::Path => "path",
            RequestPart::Other => "request",
        }
    }
}

impl fmt::Display for RequestPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of problem an extractor found, so a rejection maps to the right variant
/// without reading its text (a body over the limit is a 413, not a validation error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RejectionKind {
    /// A required field is absent (``missing field `email` ``).
    MissingField,
    /// A field the type does not know (with `#[serde(deny_unknown_fields)]`).
    UnknownField,
    /// A field given twice.
    DuplicateField,
    /// A value of the wrong type or out of range (`invalid type`, `invalid digit`).
    WrongType,
    /// The body is not well-formed (a JSON syntax error).
    Syntax,
    /// Text that is not UTF-8.
    InvalidUtf8,
    /// The body is longer than the route's limit (413).
    BodyTooLarge,
    /// The body could not be read (the connection broke).
    BodyUnreadable,
    /// The `Content-Type` is missing or not the one the extractor reads (415).
    UnsupportedMediaType,
    /// The route and the extractor disagree (a `Path` type that does not fit the route):
    /// a server bug, answered with 500.
    ServerMisconfigured,
    /// Anything else.
    Other,
}

impl RejectionKind {
    /// The kind serde's message names (`missing field`, `invalid type`, …).
    fn of_message(message: &str) -> Self {
        let starts = |prefix: &str| message.starts_with(prefix);
        if starts("missing field") {
            RejectionKind::MissingField
        } else if starts("unknown field") {
            RejectionKind::UnknownField
        } else if starts("duplicate field") {
            RejectionKind::DuplicateField
        } else {
            RejectionKind::WrongType
        }
    }

    /// The kind a status says on its own, if it says one.
    fn of_status(status: StatusCode) -> Option<Self> {
        match status.as_u16() {
            413 => Some(RejectionKind::BodyTooLarge),
            415 => Some(RejectionKind::UnsupportedMediaType),
            500..=599 => Some(RejectionKind::ServerMisconfigured),
            _ => None,
        }
    }
}

/// An axum extractor's rejection, read into the parts an error envelope needs: which
/// part of the request failed, a message, and messages per field.
///
/// Built with `From` from axum's `JsonRejection`, `QueryRejection`, `FormRejection`,
/// `PathRejection`, `BytesRejection` and `StringRejection`, and from actix-web's
/// extractor errors (`JsonPayloadError`, `QueryPayloadError`, `PathError`,
/// `UrlencodedError`, `PayloadError`); handed to [`FromRejection`] by each framework's
/// integration.
///
/// Field names are the paths serde reports (`address.zip`, `items[0].name`) or the path
/// parameter's name; a field that is missing, unknown or duplicated is named itself
/// (`email` for ``missing field `email` ``); a problem with the part as a whole (a
/// syntax error, a wrong `Content-Type`) is filed under the part's name (`body`,
/// `query`, `path`).
///
/// ```
/// use std::collections::HashMap;
///
/// use apierror::axum::{Rejection, RequestPart};
/// use axum::extract::Query;
/// use http::StatusCode;
///
/// let uri = "/items?limit=lots".parse().unwrap();
/// let error = Query::<HashMap<String, u32>>::try_from_uri(&uri).unwrap_err();
/// let rejection = Rejection::from(error);
/// assert_eq!(rejection.part(), RequestPart::Query);
/// assert_eq!(rejection.status(), StatusCode::BAD_REQUEST);
/// assert_eq!(rejection.message(), "Failed to deserialize query string");
/// assert_eq!(rejection.fields().get("limit").unwrap(), ["invalid digit found in string"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    status: StatusCode,
    part: RequestPart,
    kind: RejectionKind,
    message: String,
    fields: FieldErrors,
}

impl Rejection {
    /// A rejection of `part` with `status` and `message`, and no field errors yet; its
    /// kind is what the status says (413, 415, 5xx), else [`RejectionKind::Other`].
    pub fn new(status: StatusCode, part: RequestPart, message: impl Into<String>) -> Self {
        Rejection {
            status,
            part,
            kind: RejectionKind::of_status(status).unwrap_or(RejectionKind::Other),
            message: message.into(),
            fields: FieldErrors::new(),
        }
    }

    /// The same rejection of kind `kind`.
    #[must_use]
    pub fn with_kind(mut self, kind: RejectionKind) -> Self {
        self.kind = kind;
        self
    }

    /// What kind of problem it is.
    pub fn kind(&self) -> RejectionKind {
        self.kind
    }

    /// Adds `message` to `field`'s messages.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.fields.add(field, message);
        self
    }

    /// The status axum would have answered with: 400, 413, 415 or 422 for a bad
    /// request, 500 when the server is misconfigured (a `Path` extractor whose type
    /// does not fit the route, say).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The part of the request that was rejected.
    pub fn part(&self) -> RequestPart {
        self.part
    }

    /// axum's summary of the failure (`Failed to deserialize query string`), without
    /// the per-field details.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Messages per field; never empty for rejections built from axum's.
    pub fn fields(&self) -> &FieldErrors {
        &self.fields
    }

    /// The field errors, for a `details` field.
    pub fn into_fields(self) -> FieldErrors {
        self.fields
    }

    /// A rejection whose whole text is `text`, split into axum's summary and the detail
    /// that `source` (when it has one) describes; the detail goes under the part's name.
    pub(crate) fn whole(
        status: StatusCode,
        part: RequestPart,
        text: &str,
        source: Option<&dyn Error>,
    ) -> Self {
        let detail = source.map(ToString::to_string);
        let summary = detail
            .as_deref()
            .and_then(|detail| text.strip_suffix(detail))
            .and_then(|rest| rest.strip_suffix(": "))
            .unwrap_or(text);
        let detail = detail.unwrap_or_else(|| text.to_owned());
        Rejection::new(status, part, summary).with_field(part.as_str(), detail)
    }

    /// [`whole`](Self::whole), of kind `kind` unless the status says otherwise.
    pub(crate) fn whole_of(
        kind: RejectionKind,
        status: StatusCode,
        part: RequestPart,
        text: &str,
        source: Option<&dyn Error>,
    ) -> Self {
        let rejection = Rejection::whole(status, part, text, source);
        let kind = RejectionKind::of_status(status).unwrap_or(kind);
        rejection.with_kind(kind)
    }

    /// A rejection from a serde error that `serde_path_to_error` located: `text` is
    /// axum's body text, `source` the located error.
    pub(crate) fn located(
        status: StatusCode,
        part: RequestPart,
        text: &str,
        source: Option<&dyn Error>,
    ) -> Self {
        let mut rejection = Rejection::whole(status, part, text, source);
        let Some(detail) = source.map(ToString::to_string) else {
            return rejection;
        };
        rejection.fields = FieldErrors::new();
        let (path, message) = split_path(strip_position(&detail));
        let field = match (path, named_field(message)) {
            (Some(path), Some(name)) => format!("{path}.{name}"),
            (Some(path), None) => path.to_owned(),
            (None, Some(name)) => name.to_owned(),
            (None, None) => part.as_str().to_owned(),
        };
        rejection.fields.add(field, message);
        rejection.kind =
            RejectionKind::of_status(status).unwrap_or_else(|| RejectionKind::of_message(message));
        rejection
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rejection {}

/// Builds the application's error from an extractor's [`Rejection`], so that a request
/// the extractors refuse gets the same envelope as every other error.
///
/// ```
/// use apierror::FieldErrors;
/// use apierror::server::{FromRejection, Rejection};
///
/// # #[derive(Debug)]
/// enum AppError {
///     ValidationError { fields: FieldErrors },
///     Internal,
/// }
///
/// impl FromRejection for AppError {
///     fn from_rejection(rejection: Rejection) -> Self {
///         if rejection.status().is_server_error() {
///             // The route and the extractor disagree: a bug, not a bad request.
///             return AppError::Internal;
///         }
///         AppError::ValidationError { fields: rejection.into_fields() }
///     }
/// }
/// ```
pub trait FromRejection {
    /// The error for `rejection`.
    fn from_rejection(rejection: Rejection) -> Self;
}

/// The serde messages that start without a location prefix.
const UNLOCATED: [&str; 7] = [
    "invalid type: ",
    "invalid value: ",
    "invalid length ",
    "unknown variant `",
    "unknown field `",
    "missing field `",
    "duplicate field `",
];

/// Splits `serde_path_to_error`'s `path: message` into its parts; `None` for a message
/// at the root, which has no prefix.
pub(crate) fn split_path(detail: &str) -> (Option<&str>, &str) {
    if UNLOCATED.iter().any(|prefix| detail.starts_with(prefix)) {
        return (None, detail);
    }
    match detail.split_once(": ") {
        Some((path, message)) if !path.is_empty() && path != "." => (Some(path), message),
        _ => (None, detail),
    }
}

/// The field a message is about, for serde's ``missing field `x` ``, ``unknown field `x` ``
/// and ``duplicate field `x` ``.
fn named_field(message: &str) -> Option<&str> {
    let rest = ["missing field `", "unknown field `", "duplicate field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))?;
    rest.split_once('`')
        .map(|(name, _)| name)
        .filter(|name| !name.is_empty())
}

/// `message` without `serde_json`'s trailing ` at line L column C`.
fn strip_position(message: &str) -> &str {
    let Some((head, position)) = message.rsplit_once(" at line ") else {
        return message;
    };
    let numbers = position.split_once(" column ");
    let is_position = numbers.is_some_and(|(line, column)| {
        [line, column]
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    });
    if is_position { head } else { message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_split_without_guessing_wrong() {
        assert_eq!(split_path("a.b: bad: worse"), (Some("a.b"), "bad: worse"));
        assert_eq!(split_path("invalid type: x"), (None, "invalid type: x"));
        assert_eq!(split_path("missing field `a`"), (None, "missing field `a`"));
        assert_eq!(split_path("no location"), (None, "no location"));
        assert_eq!(split_path(": x"), (None, ": x"));
        assert_eq!(named_field("missing field `a`"), Some("a"));
        assert_eq!(named_field("unknown field `b`, expected `a`"), Some("b"));
        assert_eq!(named_field("missing field ``"), None);
        assert_eq!(named_field("missing field `unterminated"), None);
        assert_eq!(strip_position("x at line 1 column 2"), "x");
        assert_eq!(
            strip_position("x at line one column 2"),
            "x at line one column 2"
        );
        assert_eq!(strip_position("x at line 1"), "x at line 1");
        assert_eq!(strip_position("x at line  column "), "x at line  column ");
    }
}

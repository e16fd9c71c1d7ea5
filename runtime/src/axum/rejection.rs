//! `Rejection`: an axum extractor's failure, described as field errors for an envelope.

use std::error::Error;
use std::fmt;

use ::axum::extract::path::ErrorKind;
use ::axum::extract::rejection::{
    BytesRejection, FormRejection, JsonRejection, PathRejection, QueryRejection, StringRejection,
};
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
/// Built from axum's `JsonRejection`, `QueryRejection`, `PathRejection`,
/// `BytesRejection` and `StringRejection` with `From`, and handed to
/// [`FromRejection`] by the [`Extract`](super::Extract) extractor.
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
    fn whole(
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
    fn whole_of(
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
    fn located(
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

impl From<JsonRejection> for Rejection {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let text = rejection.body_text();
        let kind = match &rejection {
            JsonRejection::JsonDataError(_) => {
                return Rejection::located(status, RequestPart::Body, &text, rejection.source());
            }
            JsonRejection::JsonSyntaxError(_) => RejectionKind::Syntax,
            JsonRejection::MissingJsonContentType(_) => RejectionKind::UnsupportedMediaType,
            _ => RejectionKind::BodyUnreadable,
        };
        Rejection::whole_of(kind, status, RequestPart::Body, &text, rejection.source())
    }
}

impl From<QueryRejection> for Rejection {
    fn from(rejection: QueryRejection) -> Self {
        let status = rejection.status();
        let text = rejection.body_text();
        match rejection {
            QueryRejection::FailedToDeserializeQueryString(_) => {
                Rejection::located(status, RequestPart::Query, &text, rejection.source())
            }
            _ => Rejection::whole(status, RequestPart::Query, &text, rejection.source()),
        }
    }
}

impl From<FormRejection> for Rejection {
    /// Like a JSON body's: a field that does not deserialize is located; a wrong
    /// `Content-Type` is 415. (`Form` on a `GET` reads the query string, and is filed
    /// under the body all the same.)
    fn from(rejection: FormRejection) -> Self {
        let status = rejection.status();
        let text = rejection.body_text();
        let kind = match &rejection {
            FormRejection::FailedToDeserializeForm(_)
            | FormRejection::FailedToDeserializeFormBody(_) => {
                return Rejection::located(status, RequestPart::Body, &text, rejection.source());
            }
            FormRejection::InvalidFormContentType(_) => RejectionKind::UnsupportedMediaType,
            _ => RejectionKind::BodyUnreadable,
        };
        Rejection::whole_of(kind, status, RequestPart::Body, &text, rejection.source())
    }
}

impl From<PathRejection> for Rejection {
    fn from(rejection: PathRejection) -> Self {
        let status = rejection.status();
        let PathRejection::FailedToDeserializePathParams(failed) = &rejection else {
            return Rejection::whole(status, RequestPart::Path, &rejection.body_text(), None)
                .with_kind(RejectionKind::ServerMisconfigured);
        };
        let kind = failed.kind();
        let rejection_kind = match kind {
            ErrorKind::InvalidUtf8InPathParam { .. } => RejectionKind::InvalidUtf8,
            _ if status.is_server_error() => RejectionKind::ServerMisconfigured,
            _ => RejectionKind::WrongType,
        };
        let field = match kind {
            ErrorKind::ParseErrorAtKey { key, .. }
            | ErrorKind::InvalidUtf8InPathParam { key }
            | ErrorKind::DeserializeError { key, .. } => key.as_str(),
            _ => RequestPart::Path.as_str(),
        };
        let summary = if status.is_server_error() {
            "Failed to extract the path parameters"
        } else {
            "Invalid URL"
        };
        Rejection::new(status, RequestPart::Path, summary)
            .with_field(field, kind.to_string())
            .with_kind(rejection_kind)
    }
}

impl From<BytesRejection> for Rejection {
    fn from(rejection: BytesRejection) -> Self {
        Rejection::whole_of(
            RejectionKind::BodyUnreadable,
            rejection.status(),
            RequestPart::Body,
            &rejection.body_text(),
            rejection.source(),
        )
    }
}

impl From<StringRejection> for Rejection {
    fn from(rejection: StringRejection) -> Self {
        let kind = match &rejection {
            StringRejection::InvalidUtf8(_) => RejectionKind::InvalidUtf8,
            _ => RejectionKind::BodyUnreadable,
        };
        Rejection::whole_of(
            kind,
            rejection.status(),
            RequestPart::Body,
            &rejection.body_text(),
            rejection.source(),
        )
    }
}

/// Builds the application's error from an extractor's [`Rejection`], so that a request
/// the extractors refuse gets the same envelope as every other error.
///
/// ```
/// use apierror::FieldErrors;
/// use apierror::axum::{FromRejection, Rejection};
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
fn split_path(detail: &str) -> (Option<&str>, &str) {
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
    use std::collections::HashMap;

    use ::axum::Json;
    use ::axum::extract::Query;
    use ::axum::extract::rejection::MissingJsonContentType;

    use super::*;

    type Tags = HashMap<String, Vec<u8>>;

    fn json(body: &str) -> Rejection {
        Json::<Tags>::from_bytes(body.as_bytes())
            .unwrap_err()
            .into()
    }

    fn fields(rejection: &Rejection) -> Vec<(String, Vec<String>)> {
        rejection
            .fields()
            .iter()
            .map(|(field, messages)| (field.to_owned(), messages.to_vec()))
            .collect()
    }

    fn one(field: &str, message: &str) -> Vec<(String, Vec<String>)> {
        vec![(field.to_owned(), vec![message.to_owned()])]
    }

    #[test]
    fn each_rejection_has_a_kind() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Strict {
            email: String,
        }

        assert_eq!(json(r#"{"tags":[1,"a"]}"#).kind(), RejectionKind::WrongType);
        assert_eq!(json(r#"{"tags":"#).kind(), RejectionKind::Syntax);
        let missing = Rejection::from(JsonRejection::from(MissingJsonContentType::default()));
        assert_eq!(missing.kind(), RejectionKind::UnsupportedMediaType);
        let strict = |body: &str| -> Rejection {
            Json::<Strict>::from_bytes(body.as_bytes())
                .unwrap_err()
                .into()
        };
        assert_eq!(strict("{}").kind(), RejectionKind::MissingField);
        assert_eq!(
            strict(r#"{"email":"a","admin":true}"#).kind(),
            RejectionKind::UnknownField
        );
        assert_eq!(
            strict(r#"{"email":"a","email":"b"}"#).kind(),
            RejectionKind::DuplicateField
        );
        assert_eq!(
            Rejection::new(StatusCode::PAYLOAD_TOO_LARGE, RequestPart::Body, "too big").kind(),
            RejectionKind::BodyTooLarge
        );
    }

    #[test]
    fn json_data_errors_name_the_field() {
        let rejection = json(r#"{"tags":[1,"a"]}"#);
        assert_eq!(rejection.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(rejection.part(), RequestPart::Body);
        assert_eq!(
            rejection.message(),
            "Failed to deserialize the JSON body into the target type"
        );
        assert_eq!(
            fields(&rejection),
            one("tags[1]", "invalid type: string \"a\", expected u8")
        );
        assert_eq!(
            fields(&json(r#"{"ages":[300]}"#)),
            one("ages[0]", "invalid value: integer `300`, expected u8")
        );
        assert_eq!(
            fields(&json("[1]")),
            one("body", "invalid type: sequence, expected a map")
        );
    }

    #[test]
    fn json_syntax_and_content_type_errors_name_the_body() {
        let rejection = json(r#"{"tags":"#);
        assert_eq!(rejection.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            rejection.message(),
            "Failed to parse the request body as JSON"
        );
        assert_eq!(
            fields(&rejection),
            one("body", "tags: EOF while parsing a value at line 1 column 8")
        );
        assert_eq!(
            fields(&json(r#"{"tags":[]} x"#)),
            one("body", "trailing characters at line 1 column 13")
        );

        let missing = Rejection::from(JsonRejection::from(MissingJsonContentType::default()));
        assert_eq!(missing.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let text = "Expected request with `Content-Type: application/json`";
        assert_eq!(missing.message(), text);
        assert_eq!(fields(&missing), one("body", text));
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let uri = "/items?limit=lots".parse().unwrap();
        let rejection =
            Rejection::from(Query::<HashMap<String, u32>>::try_from_uri(&uri).unwrap_err());
        assert_eq!(rejection.status(), StatusCode::BAD_REQUEST);
        assert_eq!(rejection.part(), RequestPart::Query);
        assert_eq!(rejection.message(), "Failed to deserialize query string");
        assert_eq!(
            fields(&rejection),
            one("limit", "invalid digit found in string")
        );
    }

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

    #[test]
    fn hand_built_rejections_keep_their_fields() {
        let rejection = Rejection::new(StatusCode::BAD_REQUEST, RequestPart::Other, "bad")
            .with_field("x-api-key", "is required");
        assert_eq!(rejection.to_string(), "bad");
        assert_eq!(fields(&rejection), one("x-api-key", "is required"));
        assert_eq!(rejection.into_fields().len(), 1);
    }
}

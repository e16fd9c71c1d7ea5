//! The bodies written by hand, the two ways a user would without `apierror`:
//! `#[derive(Serialize, Deserialize)]` structs (the practical limit: same bytes, zero-copy
//! strings, no leniency) and a `serde_json::Value` built with `json!`.
//!
//! Every struct is general, as a user's one error-body type would be: details are
//! optional and skipped when absent. The details type is [`FieldErrors`] on both sides,
//! so the ratios measure the envelope, not the map.

use std::borrow::Cow;

use apierror::{FieldErrors, Unknown};
use http::{HeaderValue, Response, StatusCode, header};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::fixtures::{CODE, MESSAGE, NestedError, STATUS};

/// One wire format written by hand.
pub trait HandWritten {
    /// The format's name, as in `#[api_error(format = "…")]`.
    const FORMAT: &'static str;

    /// What a hand-written client deserializes a body into.
    type Body<'a>: Deserialize<'a>;

    /// Writes an error through `#[derive(Serialize)]` structs.
    ///
    /// # Errors
    ///
    /// Whatever `serde_json` reports.
    fn encode(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()>;

    /// Builds an error as a `serde_json::Value` with `json!` and writes it.
    ///
    /// # Errors
    ///
    /// Whatever `serde_json` reports.
    fn encode_json(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()>;

    /// Reads a body with `#[derive(Deserialize)]` structs.
    ///
    /// # Errors
    ///
    /// When the body is not this format's shape.
    fn decode(body: &[u8]) -> serde_json::Result<Self::Body<'_>> {
        serde_json::from_slice(body)
    }

    /// Reads a body into a `serde_json::Value` and takes the code and the details out.
    ///
    /// # Errors
    ///
    /// When the body is not JSON or the details are not field errors.
    fn decode_json(body: &[u8]) -> serde_json::Result<JsonRead>;
}

/// What a hand-written server knows of an error when it writes the body.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The machine-readable code.
    pub code: &'a str,
    /// The public message.
    pub message: &'a str,
    /// The field errors, if any.
    pub details: Option<&'a FieldErrors>,
}

impl<'a> Parts<'a> {
    /// The validation error with `fields`.
    pub fn validation(fields: &'a FieldErrors) -> Self {
        Parts {
            status: STATUS,
            code: CODE,
            message: MESSAGE,
            details: Some(fields),
        }
    }

    /// The 400 with a static message and no details.
    pub fn invalid_request() -> Self {
        Parts {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_request",
            message: "malformed request",
            details: None,
        }
    }

    fn title(&self) -> &'static str {
        self.status.canonical_reason().unwrap_or("Error")
    }
}

/// What [`HandWritten::decode_json`] read: the whole value, the code if the format has
/// one, and the details.
#[derive(Debug)]
pub struct JsonRead {
    /// The parsed body.
    pub value: Value,
    /// Whether the body had a string code where the format puts it.
    pub has_code: bool,
    /// The details.
    pub details: FieldErrors,
}

/// Parses `body` into a `Value` and reads the code and the details at the given paths
/// (an empty `code` path: the format has no code).
fn read_json(body: &[u8], code: &[&str], details: &[&str]) -> serde_json::Result<JsonRead> {
    let value: Value = serde_json::from_slice(body)?;
    let at = |path: &[&str]| path.iter().fold(&value, |member, name| &member[*name]);
    let has_code = !code.is_empty() && at(code).is_string();
    let details = FieldErrors::deserialize(at(details))?;
    Ok(JsonRead {
        value,
        has_code,
        details,
    })
}

/// `plain`: `{"error":"<message>","details":{…}}`.
#[derive(Debug)]
pub struct Plain;

/// `plain`, written.
#[derive(Serialize)]
struct PlainOut<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a FieldErrors>,
}

/// `plain`, read.
#[derive(Debug, Deserialize)]
pub struct PlainIn<'a> {
    /// The message.
    #[serde(borrow)]
    pub error: Cow<'a, str>,
    /// The details.
    #[serde(default)]
    pub details: Option<FieldErrors>,
}

impl HandWritten for Plain {
    const FORMAT: &'static str = "plain";
    type Body<'a> = PlainIn<'a>;

    fn encode(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let body = PlainOut {
            error: error.message,
            details: error.details,
        };
        serde_json::to_writer(buf, &body)
    }

    fn encode_json(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let mut body = json!({ "error": error.message });
        if let Some(details) = error.details {
            body["details"] = json!(details);
        }
        serde_json::to_writer(buf, &body)
    }

    fn decode_json(body: &[u8]) -> serde_json::Result<JsonRead> {
        read_json(body, &[], &["details"])
    }
}

/// `nested`: `{"error":{"code":"…","message":"…","details":{…}}}`.
#[derive(Debug)]
pub struct Nested;

/// `nested`, written.
#[derive(Serialize)]
struct NestedOut<'a> {
    error: NestedErrorOut<'a>,
}

/// `nested`'s `error` object, written.
#[derive(Serialize)]
struct NestedErrorOut<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a FieldErrors>,
}

/// `nested`, read.
#[derive(Debug, Deserialize)]
pub struct NestedIn<'a> {
    /// The `error` object.
    #[serde(borrow)]
    pub error: NestedErrorIn<'a>,
}

/// `nested`'s `error` object, read.
#[derive(Debug, Deserialize)]
pub struct NestedErrorIn<'a> {
    /// The code.
    #[serde(borrow)]
    pub code: Cow<'a, str>,
    /// The message.
    #[serde(borrow)]
    pub message: Cow<'a, str>,
    /// The details.
    #[serde(default)]
    pub details: Option<FieldErrors>,
}

impl HandWritten for Nested {
    const FORMAT: &'static str = "nested";
    type Body<'a> = NestedIn<'a>;

    fn encode(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let body = NestedOut {
            error: NestedErrorOut {
                code: error.code,
                message: error.message,
                details: error.details,
            },
        };
        serde_json::to_writer(buf, &body)
    }

    fn encode_json(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let mut body = json!({ "error": { "code": error.code, "message": error.message } });
        if let Some(details) = error.details {
            body["error"]["details"] = json!(details);
        }
        serde_json::to_writer(buf, &body)
    }

    fn decode_json(body: &[u8]) -> serde_json::Result<JsonRead> {
        read_json(body, &["error", "code"], &["error", "details"])
    }
}

/// `fields`: `{"message":"…","errors":{…}}`.
#[derive(Debug)]
pub struct Fields;

/// `fields`, written.
#[derive(Serialize)]
struct FieldsOut<'a> {
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a FieldErrors>,
}

/// `fields`, read.
#[derive(Debug, Deserialize)]
pub struct FieldsIn<'a> {
    /// The message.
    #[serde(borrow)]
    pub message: Cow<'a, str>,
    /// The details.
    #[serde(default)]
    pub errors: Option<FieldErrors>,
}

impl HandWritten for Fields {
    const FORMAT: &'static str = "fields";
    type Body<'a> = FieldsIn<'a>;

    fn encode(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let body = FieldsOut {
            message: error.message,
            errors: error.details,
        };
        serde_json::to_writer(buf, &body)
    }

    fn encode_json(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let mut body = json!({ "message": error.message });
        if let Some(details) = error.details {
            body["errors"] = json!(details);
        }
        serde_json::to_writer(buf, &body)
    }

    fn decode_json(body: &[u8]) -> serde_json::Result<JsonRead> {
        read_json(body, &[], &["errors"])
    }
}

/// `reason`: `{"error":{"code":422,"reason":"…","message":"…","details":{…}}}`.
#[derive(Debug)]
pub struct Reason;

/// `reason`, written.
#[derive(Serialize)]
struct ReasonOut<'a> {
    error: ReasonErrorOut<'a>,
}

/// `reason`'s `error` object, written.
#[derive(Serialize)]
struct ReasonErrorOut<'a> {
    code: u16,
    reason: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a FieldErrors>,
}

/// `reason`, read.
#[derive(Debug, Deserialize)]
pub struct ReasonIn<'a> {
    /// The `error` object.
    #[serde(borrow)]
    pub error: ReasonErrorIn<'a>,
}

/// `reason`'s `error` object, read.
#[derive(Debug, Deserialize)]
pub struct ReasonErrorIn<'a> {
    /// The status.
    pub code: u16,
    /// The code.
    #[serde(borrow)]
    pub reason: Cow<'a, str>,
    /// The message.
    #[serde(borrow)]
    pub message: Cow<'a, str>,
    /// The details.
    #[serde(default)]
    pub details: Option<FieldErrors>,
}

impl HandWritten for Reason {
    const FORMAT: &'static str = "reason";
    type Body<'a> = ReasonIn<'a>;

    fn encode(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let body = ReasonOut {
            error: ReasonErrorOut {
                code: error.status.as_u16(),
                reason: error.code,
                message: error.message,
                details: error.details,
            },
        };
        serde_json::to_writer(buf, &body)
    }

    fn encode_json(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let mut body = json!({ "error": {
            "code": error.status.as_u16(),
            "reason": error.code,
            "message": error.message,
        } });
        if let Some(details) = error.details {
            body["error"]["details"] = json!(details);
        }
        serde_json::to_writer(buf, &body)
    }

    fn decode_json(body: &[u8]) -> serde_json::Result<JsonRead> {
        read_json(body, &["error", "reason"], &["error", "details"])
    }
}

/// `flat`: `{"error":"<code>","message":"…","details":{…}}`.
#[derive(Debug)]
pub struct Flat;

/// `flat`, written.
#[derive(Serialize)]
struct FlatOut<'a> {
    error: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a FieldErrors>,
}

/// `flat`, read.
#[derive(Debug, Deserialize)]
pub struct FlatIn<'a> {
    /// The code.
    #[serde(borrow)]
    pub error: Cow<'a, str>,
    /// The message.
    #[serde(borrow)]
    pub message: Cow<'a, str>,
    /// The details.
    #[serde(default)]
    pub details: Option<FieldErrors>,
}

impl HandWritten for Flat {
    const FORMAT: &'static str = "flat";
    type Body<'a> = FlatIn<'a>;

    fn encode(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let body = FlatOut {
            error: error.code,
            message: error.message,
            details: error.details,
        };
        serde_json::to_writer(buf, &body)
    }

    fn encode_json(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let mut body = json!({ "error": error.code, "message": error.message });
        if let Some(details) = error.details {
            body["details"] = json!(details);
        }
        serde_json::to_writer(buf, &body)
    }

    fn decode_json(body: &[u8]) -> serde_json::Result<JsonRead> {
        read_json(body, &["error"], &["details"])
    }
}

/// `problem`: RFC 9457, the field errors under one `errors` member.
#[derive(Debug)]
pub struct Problem;

/// `problem`, written.
#[derive(Serialize)]
struct ProblemOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: &'a str,
    code: &'a str,
    #[serde(rename = "errors", skip_serializing_if = "Option::is_none")]
    details: Option<&'a FieldErrors>,
}

/// `problem`, read.
#[derive(Debug, Deserialize)]
pub struct ProblemIn<'a> {
    /// `type`.
    #[serde(rename = "type", borrow)]
    pub kind: Cow<'a, str>,
    /// `title`.
    #[serde(borrow)]
    pub title: Cow<'a, str>,
    /// `status`.
    pub status: u16,
    /// `detail`.
    #[serde(borrow)]
    pub detail: Cow<'a, str>,
    /// `code`.
    #[serde(borrow)]
    pub code: Cow<'a, str>,
    /// The `errors` member.
    #[serde(rename = "errors", default)]
    pub details: FieldErrors,
}

impl HandWritten for Problem {
    const FORMAT: &'static str = "problem";
    type Body<'a> = ProblemIn<'a>;

    fn encode(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let body = ProblemOut {
            kind: "about:blank",
            title: error.title(),
            status: error.status.as_u16(),
            detail: error.message,
            code: error.code,
            details: error.details,
        };
        serde_json::to_writer(buf, &body)
    }

    fn encode_json(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
        let mut body = json!({
            "type": "about:blank",
            "title": error.title(),
            "status": error.status.as_u16(),
            "detail": error.message,
            "code": error.code,
        });
        if let Some(details) = error.details {
            body["errors"] = json!(details);
        }
        serde_json::to_writer(buf, &body)
    }

    fn decode_json(body: &[u8]) -> serde_json::Result<JsonRead> {
        let value: Value = serde_json::from_slice(body)?;
        let mut details = FieldErrors::new();
        if let Value::Object(errors) = &value["errors"] {
            for (name, messages) in errors {
                for message in messages.as_array().into_iter().flatten() {
                    if let Some(message) = message.as_str() {
                        details.add(name.as_str(), message);
                    }
                }
            }
        }
        Ok(JsonRead {
            has_code: value["code"].is_string(),
            details,
            value,
        })
    }
}

/// `error-envelope`'s shape, written: `{"code","message","details","retryable"}`.
#[derive(Serialize)]
struct EnvelopeOut<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a FieldErrors>,
    retryable: bool,
}

/// Writes an error in `error-envelope`'s shape through a
/// `#[derive(Serialize)]` struct.
///
/// # Errors
///
/// Whatever `serde_json` reports.
pub fn encode_envelope_shape(buf: &mut Vec<u8>, error: &Parts<'_>) -> serde_json::Result<()> {
    let body = EnvelopeOut {
        code: error.code,
        message: error.message,
        details: error.details,
        retryable: matches!(error.status.as_u16(), 408 | 425 | 429 | 500 | 502..=504),
    };
    serde_json::to_writer(buf, &body)
}

/// A hand-written server's response for `error` in the `nested` format: status,
/// `Content-Type` and the body from `#[derive(Serialize)]` structs.
///
/// # Panics
///
/// Never: the body's members are strings and field errors.
pub fn nested_response(error: &Parts<'_>) -> Response<Vec<u8>> {
    let mut body = Vec::with_capacity(128);
    Nested::encode(&mut body, error).expect("strings and field errors are JSON");
    let mut response = Response::new(body);
    *response.status_mut() = error.status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A hand-written client's decoder for the `nested` format, into the same enum `apierror`
/// decodes into: `#[derive(Deserialize)]` structs, a `match` on the code, and the
/// `unknown` variant (with the start of the body) for anything else.
pub fn nested_from_response(status: StatusCode, body: &[u8]) -> NestedError {
    let Ok(NestedIn { error }) = Nested::decode(body) else {
        return NestedError::Other(Unknown::new(status).with_body(body));
    };
    match &*error.code {
        "invalid_request" => NestedError::InvalidRequest,
        "not_found" => NestedError::NotFound,
        "validation_error" => NestedError::ValidationError {
            fields: error.details.unwrap_or_default(),
        },
        "rate_limited" => NestedError::RateLimited,
        "unavailable" => NestedError::Unavailable,
        _ => NestedError::Other(
            Unknown::new(status)
                .with_code(error.code)
                .with_message(error.message)
                .with_body(body),
        ),
    }
}

#[cfg(test)]
mod tests {
    use apierror::ApiError;
    use http::HeaderMap;

    use super::*;
    use crate::fixtures::{
        FieldsError, FlatError, NestedError, PlainError, ProblemError, ReasonError, Sample,
        field_errors,
    };

    /// The hand-written structs write `E`'s bytes exactly, `json!` writes the same
    /// members, and all three read `E`'s bytes back.
    fn same_body<E: Sample, H: HandWritten>() {
        assert_eq!(E::FORMAT, H::FORMAT);
        let fields = field_errors();
        let ours = E::validation_body();
        let mut theirs = Vec::new();
        H::encode(&mut theirs, &Parts::validation(&fields)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "{}",
            H::FORMAT
        );
        let mut theirs = Vec::new();
        H::encode(&mut theirs, &Parts::invalid_request()).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&E::invalid_request().to_body()),
            String::from_utf8_lossy(&theirs),
            "{}",
            H::FORMAT
        );
        let mut json = Vec::new();
        H::encode_json(&mut json, &Parts::validation(&fields)).unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&json).unwrap(),
            serde_json::from_slice::<Value>(&ours).unwrap(),
            "{}",
            H::FORMAT
        );

        H::decode(&ours).unwrap();
        let read = H::decode_json(&ours).unwrap();
        assert_eq!(read.details, fields);
        assert_eq!(read.has_code, !matches!(H::FORMAT, "plain" | "fields"));
        let decoded = E::from_response(STATUS, &HeaderMap::new(), &ours).unwrap();
        assert_eq!(decoded.details(), Some(&fields), "{}", H::FORMAT);
    }

    #[test]
    fn every_baseline_matches_its_format() {
        same_body::<PlainError, Plain>();
        same_body::<NestedError, Nested>();
        same_body::<FieldsError, Fields>();
        same_body::<ReasonError, Reason>();
        same_body::<FlatError, Flat>();
        same_body::<ProblemError, Problem>();
    }

    #[test]
    fn hand_written_client_decodes_as_apierror_does() {
        use crate::fixtures::{HTML_BODY, RATE_LIMITED_BODY, UNKNOWN_CODE_BODY};
        let headers = HeaderMap::new();
        for (status, body) in [
            (STATUS, NestedError::validation_body()),
            (StatusCode::TOO_MANY_REQUESTS, RATE_LIMITED_BODY.to_vec()),
            (StatusCode::FORBIDDEN, UNKNOWN_CODE_BODY.to_vec()),
            (StatusCode::BAD_GATEWAY, HTML_BODY.to_vec()),
        ] {
            let ours = NestedError::from_response(status, &headers, &body).unwrap();
            let theirs = nested_from_response(status, &body);
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        }
    }

    #[test]
    fn hand_written_response_matches_to_response() {
        let fields = field_errors();
        let ours = NestedError::validation(fields.clone()).to_response();
        let theirs = nested_response(&Parts::validation(&fields));
        assert_eq!(ours.status(), theirs.status());
        assert_eq!(ours.headers(), theirs.headers());
        assert_eq!(ours.body(), theirs.body());
    }
}

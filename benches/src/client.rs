//! The client's path, case by case: `E::from_response(status, &headers, body)` and
//! `Decoded::<E>::from_response`, against what a hand-written client does with the same
//! body: parse it into a serde struct that borrows `&str` fields (its details, where the
//! body has them, a small borrowed struct too) and `match` on the code.
//!
//! Each case is one documented body: the three built-in shapes the performance targets
//! name (`nested` and `problem` with field errors, a `flat` 401 unit variant), and one body
//! of each vendor declared in `apierror_examples::vendors` (Stripe, GitHub, Slack, Google
//! Cloud). Every decoder returns a small number that depends on what it read, so that
//! nothing is optimised away, and the tests check that both sides read the same error.

// Every case panics on a body it cannot handle: the bodies are fixed.
#![allow(clippy::missing_panics_doc)]

use std::collections::BTreeMap;

use apierror::{ApiError, Decoded};
use apierror_examples::vendors::flextell::FlextellError;
use apierror_examples::vendors::github::GitHubError;
use apierror_examples::vendors::google::GoogleError;
use apierror_examples::vendors::slack::SlackError;
use apierror_examples::vendors::stripe::StripeError;
use http::{HeaderMap, StatusCode};
use serde::Deserialize;

use crate::fixtures::{NestedError, ProblemError};

/// One documented body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `nested`, a 422 with field errors, request id and timestamp.
    Nested,
    /// `problem`, a 422 with field errors, request id and timestamp.
    Problem,
    /// `flat`, seed 004's 401 `invalid_token`: a unit variant with a code and a message.
    Flat,
    /// Stripe's 402 `card_declined`, keyed by `type` and `code`, four member fields.
    Stripe,
    /// GitHub's 422, keyed by status, with `errors` and `documentation_url`.
    GitHub,
    /// Slack's `channel_not_found`, sent with 200.
    Slack,
    /// Google Cloud's 429: the key in the `ErrorInfo` element of `details`.
    Google,
}

impl Case {
    /// Every case.
    pub const ALL: [Case; 7] = [
        Case::Nested,
        Case::Problem,
        Case::Flat,
        Case::Stripe,
        Case::GitHub,
        Case::Slack,
        Case::Google,
    ];

    /// The case's name.
    pub const fn name(self) -> &'static str {
        match self {
            Case::Nested => "nested",
            Case::Problem => "problem",
            Case::Flat => "flat",
            Case::Stripe => "stripe",
            Case::GitHub => "github",
            Case::Slack => "slack",
            Case::Google => "google",
        }
    }

    /// The response's status.
    pub fn status(self) -> StatusCode {
        StatusCode::from_u16(match self {
            Case::Nested | Case::Problem | Case::GitHub => 422,
            Case::Flat => 401,
            Case::Stripe => 402,
            Case::Slack => 200,
            Case::Google => 429,
        })
        .expect("a status")
    }

    /// The response's body.
    pub const fn body(self) -> &'static [u8] {
        match self {
            Case::Nested => br#"{"error":{"code":"validation_error","message":"validation failed","details":{"email":["is not an email address"],"password":["is too short","must contain a digit"]},"request_id":"req_8f2c4d1e","timestamp":"2024-05-01T12:00:00.000Z"}}"#,
            Case::Problem => br#"{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"validation failed","code":"validation_error","request_id":"req_8f2c4d1e","timestamp":"2024-05-01T12:00:00.000Z","errors":{"email":["is not an email address"],"password":["is too short","must contain a digit"]}}"#,
            Case::Flat => br#"{"error":"invalid_token","message":"The bearer token is expired or malformed."}"#,
            Case::Stripe => br#"{"error":{"code":"card_declined","decline_code":"insufficient_funds","doc_url":"https://stripe.com/docs/error-codes/card-declined","message":"Your card was declined.","param":"number","request_log_url":"https://dashboard.stripe.com/logs/req_x","type":"card_error"}}"#,
            Case::GitHub => br#"{"message":"Validation Failed","errors":[{"resource":"Issue","field":"title","code":"missing_field"}],"documentation_url":"https://docs.github.com/rest/issues/issues#create-an-issue","status":"422"}"#,
            Case::Slack => br#"{"ok":false,"error":"channel_not_found"}"#,
            Case::Google => br#"{"error":{"code":429,"message":"Quota exceeded for quota metric 'Read requests'.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com","metadata":{"service":"pubsub.googleapis.com"}},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30s"}]}}"#,
        }
    }

    /// The hand-written client: parse and match.
    pub fn serde(self, body: &[u8]) -> u32 {
        match self {
            Case::Nested => {
                let read: NestedBody<'_> = serde_json::from_slice(body).unwrap();
                match read.error.code {
                    "validation_error" => 1 + count(read.error.details.as_ref()),
                    "not_found" => 2,
                    _ => 0,
                }
            }
            Case::Problem => {
                let read: ProblemBody<'_> = serde_json::from_slice(body).unwrap();
                match read.code {
                    "validation_error" => 1 + count(read.errors.as_ref()),
                    "not_found" => 2,
                    _ => 0,
                }
            }
            Case::Flat => {
                let read: FlatBody<'_> = serde_json::from_slice(body).unwrap();
                match read.error {
                    "invalid_token" => 1,
                    "not_found" => 2,
                    _ => 0,
                }
            }
            Case::Stripe => {
                let read: StripeBody<'_> = serde_json::from_slice(body).unwrap();
                let error = read.error;
                match (error.kind, error.code) {
                    ("card_error", Some("card_declined")) => {
                        1 + u32::from(error.decline_code.is_some())
                    }
                    ("invalid_request_error", Some("resource_missing")) => 3,
                    ("invalid_request_error", _) => 4,
                    _ => 0,
                }
            }
            Case::GitHub => {
                let read: GitHubBody<'_> = serde_json::from_slice(body).unwrap();
                match read.status {
                    "422" => 1 + read.errors.map_or(0, |e| u32::try_from(e.len()).unwrap()),
                    "404" => 2,
                    _ => 0,
                }
            }
            Case::Slack => {
                let read: SlackBody<'_> = serde_json::from_slice(body).unwrap();
                match (read.ok, read.error) {
                    (false, Some("channel_not_found")) => 1,
                    (false, Some("invalid_auth")) => 2,
                    _ => 0,
                }
            }
            Case::Google => {
                let read: GoogleBody<'_> = serde_json::from_slice(body).unwrap();
                let reason = read
                    .error
                    .details
                    .iter()
                    .find(|d| d.kind == "type.googleapis.com/google.rpc.ErrorInfo")
                    .and_then(|d| d.reason);
                match reason {
                    Some("RATE_LIMIT_EXCEEDED") => 1 + u32::from(read.error.code == 429),
                    _ => 0,
                }
            }
        }
    }

    /// The hand-written client of [`serde`](Self::serde) that also keeps, for after the
    /// body is gone, what [`Decoded`] keeps (`None` for the vendors): the status, the
    /// code, the message, the request id and timestamp where the body has them, and the
    /// start of the raw body, owned and boxed. What a client that logs or returns the
    /// response's own words pays, whoever writes it.
    pub fn serde_kept(self, body: &[u8]) -> Option<u32> {
        let status = self.status();
        let (value, kept) = match self {
            Case::Nested => {
                let read: NestedBody<'_> = serde_json::from_slice(body).unwrap();
                let error = &read.error;
                let value = match error.code {
                    "validation_error" => 1 + count(error.details.as_ref()),
                    "not_found" => 2,
                    _ => 0,
                };
                let kept = Kept::new(status, body, error.code, error.message);
                (value, kept.traced(error.request_id, error.timestamp))
            }
            Case::Problem => {
                let read: ProblemBody<'_> = serde_json::from_slice(body).unwrap();
                let value = match read.code {
                    "validation_error" => 1 + count(read.errors.as_ref()),
                    "not_found" => 2,
                    _ => 0,
                };
                let kept = Kept::new(status, body, read.code, read.detail);
                (value, kept.traced(read.request_id, read.timestamp))
            }
            Case::Flat => {
                let read: FlatBody<'_> = serde_json::from_slice(body).unwrap();
                let value = match read.error {
                    "invalid_token" => 1,
                    "not_found" => 2,
                    _ => 0,
                };
                (value, Kept::new(status, body, read.error, read.message))
            }
            _ => return None,
        };
        let kept = Box::new(kept);
        Some(value + u32::from(kept.code.is_some()))
    }

    /// The hand-written client decoding into the owned types the vendor's enum holds
    /// (`String`s, `Vec`s, a `BTreeMap`, a parsed `Duration`), then matching on the key:
    /// what the declared enum's own fields cost, whoever decodes them. `None` for the
    /// built-in bodies, whose baseline is the borrowed one.
    pub fn serde_owned(self, body: &[u8]) -> Option<u32> {
        Some(match self {
            Case::Nested | Case::Problem | Case::Flat => return None,
            Case::Stripe => {
                let read: OwnedStripeBody = serde_json::from_slice(body).unwrap();
                let error = read.error;
                match (error.kind.as_str(), error.code.as_deref()) {
                    ("card_error", Some("card_declined")) => {
                        1 + u32::from(error.decline_code.is_some())
                            + u32::from(error.param.is_some())
                    }
                    ("invalid_request_error", Some("resource_missing")) => 3,
                    ("invalid_request_error", _) => 4,
                    _ => 0,
                }
            }
            Case::GitHub => {
                let read: OwnedGitHubBody = serde_json::from_slice(body).unwrap();
                match read.status.as_str() {
                    "422" => 1 + read.errors.map_or(0, |e| u32::try_from(e.len()).unwrap()),
                    "404" => 2,
                    _ => 0,
                }
            }
            Case::Slack => {
                let read: OwnedSlackBody = serde_json::from_slice(body).unwrap();
                match (read.ok, read.error.as_deref()) {
                    (false, Some("channel_not_found")) => 1,
                    (false, Some("invalid_auth")) => 2,
                    _ => 0,
                }
            }
            Case::Google => {
                let read: OwnedGoogleBody = serde_json::from_slice(body).unwrap();
                let details = &read.error.details;
                let info = details
                    .iter()
                    .find(|d| d.kind == "type.googleapis.com/google.rpc.ErrorInfo");
                let delay = details
                    .iter()
                    .find_map(|d| d.retry_delay.as_deref())
                    .and_then(|text| text.strip_suffix('s'))
                    .and_then(|seconds| seconds.parse::<f64>().ok())
                    .map(std::time::Duration::from_secs_f64);
                match info.and_then(|d| d.reason.as_deref()) {
                    Some("RATE_LIMIT_EXCEEDED") => {
                        1 + u32::from(read.error.code == 429)
                            + u32::from(delay.is_some())
                            + u32::from(info.is_some_and(|d| d.metadata.is_some()))
                    }
                    _ => 0,
                }
            }
        })
    }

    /// `E::from_response` with an empty `HeaderMap`.
    pub fn apierror(self, headers: &HeaderMap, body: &[u8]) -> u32 {
        let status = self.status();
        match self {
            Case::Nested => code_len(&NestedError::from_response(status, headers, body).unwrap()),
            Case::Problem => code_len(&ProblemError::from_response(status, headers, body).unwrap()),
            Case::Flat => code_len(&FlextellError::from_response(status, headers, body).unwrap()),
            Case::Stripe => code_len(&StripeError::from_response(status, headers, body).unwrap()),
            Case::GitHub => code_len(&GitHubError::from_response(status, headers, body).unwrap()),
            Case::Slack => code_len(&SlackError::from_response(status, headers, body).unwrap()),
            Case::Google => code_len(&GoogleError::from_response(status, headers, body).unwrap()),
        }
    }

    /// `Decoded::<E>::from_response`: the error and what the response said beside it.
    pub fn decoded(self, headers: &HeaderMap, body: &[u8]) -> u32 {
        fn len<E: ApiError>(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> u32 {
            let decoded = Decoded::<E>::from_response(status, headers, body).unwrap();
            code_len(&decoded.error) + u32::from(decoded.meta.code.is_some())
        }
        let status = self.status();
        match self {
            Case::Nested => len::<NestedError>(status, headers, body),
            Case::Problem => len::<ProblemError>(status, headers, body),
            Case::Flat => len::<FlextellError>(status, headers, body),
            Case::Stripe => len::<StripeError>(status, headers, body),
            Case::GitHub => len::<GitHubError>(status, headers, body),
            Case::Slack => len::<SlackError>(status, headers, body),
            Case::Google => len::<GoogleError>(status, headers, body),
        }
    }

    /// The code `E::from_response` gives the body (for the tests).
    pub fn code(self) -> String {
        let (status, body, headers) = (self.status(), self.body(), HeaderMap::new());
        match self {
            Case::Nested => NestedError::from_response(status, &headers, body)
                .unwrap()
                .code()
                .to_owned(),
            Case::Problem => ProblemError::from_response(status, &headers, body)
                .unwrap()
                .code()
                .to_owned(),
            Case::Flat => FlextellError::from_response(status, &headers, body)
                .unwrap()
                .code()
                .to_owned(),
            Case::Stripe => StripeError::from_response(status, &headers, body)
                .unwrap()
                .code()
                .to_owned(),
            Case::GitHub => GitHubError::from_response(status, &headers, body)
                .unwrap()
                .code()
                .to_owned(),
            Case::Slack => SlackError::from_response(status, &headers, body)
                .unwrap()
                .code()
                .to_owned(),
            Case::Google => GoogleError::from_response(status, &headers, body)
                .unwrap()
                .code()
                .to_owned(),
        }
    }
}

/// What [`Case::serde_kept`] keeps of a response.
#[allow(dead_code)]
struct Kept {
    status: StatusCode,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    timestamp: Option<String>,
    body: Vec<u8>,
}

impl Kept {
    fn new(status: StatusCode, body: &[u8], code: &str, message: &str) -> Self {
        Kept {
            status,
            code: Some(code.to_owned()),
            message: Some(message.to_owned()),
            request_id: None,
            timestamp: None,
            body: body[..body.len().min(apierror::decode::KEPT_BODY_BYTES)].to_vec(),
        }
    }

    fn traced(mut self, request_id: Option<&str>, timestamp: Option<&str>) -> Self {
        self.request_id = request_id.map(str::to_owned);
        self.timestamp = timestamp.map(str::to_owned);
        self
    }
}

fn code_len<E: ApiError>(error: &E) -> u32 {
    u32::try_from(error.code().len()).unwrap()
}

fn count(details: Option<&Details<'_>>) -> u32 {
    details.map_or(0, |d| {
        u32::try_from(d.email.len() + d.password.len()).unwrap()
    })
}

/// The field errors of the 422 bodies, as a hand-written client reads them.
#[derive(Deserialize)]
struct Details<'a> {
    #[serde(borrow, default)]
    email: Vec<&'a str>,
    #[serde(borrow, default)]
    password: Vec<&'a str>,
}

#[derive(Deserialize)]
struct NestedBody<'a> {
    #[serde(borrow)]
    error: NestedInner<'a>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct NestedInner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(borrow, default)]
    details: Option<Details<'a>>,
    request_id: Option<&'a str>,
    timestamp: Option<&'a str>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ProblemBody<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: &'a str,
    code: &'a str,
    request_id: Option<&'a str>,
    timestamp: Option<&'a str>,
    #[serde(borrow, default)]
    errors: Option<Details<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct FlatBody<'a> {
    error: &'a str,
    message: &'a str,
}

#[derive(Deserialize)]
struct StripeBody<'a> {
    #[serde(borrow)]
    error: StripeInner<'a>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct StripeInner<'a> {
    code: Option<&'a str>,
    decline_code: Option<&'a str>,
    doc_url: Option<&'a str>,
    message: &'a str,
    param: Option<&'a str>,
    request_log_url: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct GitHubBody<'a> {
    message: &'a str,
    #[serde(borrow, default)]
    errors: Option<Vec<GitHubFieldError<'a>>>,
    documentation_url: Option<&'a str>,
    status: &'a str,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct GitHubFieldError<'a> {
    resource: &'a str,
    field: &'a str,
    code: &'a str,
}

#[derive(Deserialize)]
struct SlackBody<'a> {
    ok: bool,
    error: Option<&'a str>,
}

#[derive(Deserialize)]
struct GoogleBody<'a> {
    #[serde(borrow)]
    error: GoogleInner<'a>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct GoogleInner<'a> {
    code: u16,
    message: &'a str,
    status: &'a str,
    #[serde(borrow, default)]
    details: Vec<GoogleDetail<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct GoogleDetail<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    reason: Option<&'a str>,
    domain: Option<&'a str>,
    #[serde(borrow, default)]
    metadata: Option<BTreeMap<&'a str, &'a str>>,
    #[serde(rename = "retryDelay")]
    retry_delay: Option<&'a str>,
}

#[derive(Deserialize)]
struct OwnedStripeBody {
    error: OwnedStripeInner,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct OwnedStripeInner {
    code: Option<String>,
    decline_code: Option<String>,
    doc_url: Option<String>,
    message: String,
    param: Option<String>,
    request_log_url: Option<String>,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct OwnedGitHubBody {
    message: String,
    #[serde(default)]
    errors: Option<Vec<OwnedGitHubFieldError>>,
    documentation_url: Option<String>,
    status: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct OwnedGitHubFieldError {
    resource: String,
    field: String,
    code: String,
}

#[derive(Deserialize)]
struct OwnedSlackBody {
    ok: bool,
    error: Option<String>,
}

#[derive(Deserialize)]
struct OwnedGoogleBody {
    error: OwnedGoogleInner,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct OwnedGoogleInner {
    code: u16,
    message: String,
    status: String,
    #[serde(default)]
    details: Vec<OwnedGoogleDetail>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct OwnedGoogleDetail {
    #[serde(rename = "@type")]
    kind: String,
    reason: Option<String>,
    domain: Option<String>,
    #[serde(default)]
    metadata: Option<BTreeMap<String, String>>,
    #[serde(rename = "retryDelay")]
    retry_delay: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_read_the_error_each_body_documents() {
        let headers = HeaderMap::new();
        let expected = [
            "validation_error",
            "validation_error",
            "invalid_token",
            "card_declined",
            "validation_failed",
            "channel_not_found",
            "RATE_LIMIT_EXCEEDED",
        ];
        for (case, code) in Case::ALL.into_iter().zip(expected) {
            assert_eq!(case.code(), code, "{}", case.name());
            assert!(case.serde(case.body()) > 0, "{}", case.name());
            assert!(
                case.serde_owned(case.body()).is_none_or(|seen| seen > 0),
                "{}",
                case.name()
            );
            assert!(
                case.serde_kept(case.body()).is_none_or(|seen| seen > 1),
                "{}",
                case.name()
            );
            assert!(case.apierror(&headers, case.body()) > 0, "{}", case.name());
            assert!(case.decoded(&headers, case.body()) > 0, "{}", case.name());
        }
    }
}

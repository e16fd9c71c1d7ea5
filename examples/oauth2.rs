//! A seventh wire format, built from `apierror::format`'s public items alone: the error
//! response of an OAuth 2.0 token endpoint (RFC 6749 §5.2, with RFC 6750's bearer-token
//! codes).
//!
//! ```text
//! HTTP/1.1 400 Bad Request
//! Content-Type: application/json
//!
//! {"error":"invalid_grant","error_description":"The authorization code has expired.","error_uri":"https://auth.example.com/docs/errors#invalid_grant"}
//! ```
//!
//! The code is `error`, the message `error_description`; the context's problem type, a
//! URI that documents the error, is written as `error_uri`. The RFC has no member for
//! details, so a variant's details are written under the extension member `details`.

use std::borrow::Cow;
use std::fmt;

use apierror::format::object::{self, Members};
use apierror::format::{Envelope, Format, RawDetails, RawEnvelope};
use apierror::{ApiError, Context, Decoded, Unknown};
use http::{HeaderMap, StatusCode};
use serde::de::MapAccess;
use serde::ser::SerializeStruct;
use serde::{Deserializer, Serialize, Serializer};

/// RFC 6749 §5.2's error object.
#[derive(Debug, Clone, Copy, Default)]
pub struct OAuth2;

impl Format for OAuth2 {
    const NAME: &'static str = "oauth2";

    fn serialize<S, D>(envelope: &Envelope<'_, D>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        D: Serialize + ?Sized,
    {
        let details = envelope.present_details();
        let uri = envelope.context.problem_type;
        let len = 2 + usize::from(uri.is_some()) + usize::from(details.is_some());
        let mut body = serializer.serialize_struct("OAuth2", len)?;
        body.serialize_field("error", envelope.code)?;
        body.serialize_field("error_description", &envelope.message)?;
        if let Some(uri) = uri {
            body.serialize_field("error_uri", uri)?;
        }
        if let Some(details) = details {
            body.serialize_field("details", details)?;
        }
        body.end()
    }

    fn deserialize<'de, De>(deserializer: De) -> Result<RawEnvelope<'de>, De::Error>
    where
        De: Deserializer<'de>,
    {
        let body: Body<'de> = object::read_object(deserializer)?;
        let mut raw = RawEnvelope::default();
        raw.code = body.error;
        raw.message = body.description;
        raw.details = body.details;
        Ok(raw)
    }
}

/// The members an OAuth 2.0 error body is read for; any other member is skipped, and a
/// member of the wrong type is dropped.
#[derive(Default)]
struct Body<'de> {
    error: Option<Cow<'de, str>>,
    description: Option<Cow<'de, str>>,
    details: Option<RawDetails<'de>>,
}

impl<'de> Members<'de> for Body<'de> {
    fn member<A: MapAccess<'de>>(
        &mut self,
        name: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match &*name {
            "error" => object::string(map, &mut self.error),
            "error_description" => object::string(map, &mut self.description),
            "details" => object::details(map, &mut self.details),
            _ => object::skip(map),
        }
    }
}

/// A token endpoint's errors, in the new format.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = crate::oauth2::OAuth2)]
pub enum TokenError {
    /// A parameter is missing or malformed.
    #[error("The request is missing a required parameter.")]
    #[status(400)]
    InvalidRequest,

    /// The client failed to authenticate.
    #[error("Client authentication failed.")]
    #[status(401)]
    InvalidClient,

    /// The grant (an authorization code, a refresh token) is invalid or expired: the
    /// server's own words are kept.
    #[error("{description}")]
    #[status(400)]
    InvalidGrant {
        /// What the server said.
        #[api_error(message)]
        description: String,
    },

    /// The access token expired (RFC 6750): refresh it, then retry.
    #[error("The access token expired.")]
    #[status(401)]
    #[retryable(reauthenticate)]
    InvalidToken,

    /// The server is overloaded or in maintenance; the description is meant for
    /// clients, so it is not masked.
    #[error("The authorization server is temporarily unavailable.")]
    #[status(503)]
    #[api_error(expose)]
    TemporarilyUnavailable,

    /// Anything else the server sent.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

/// What the `custom_format` example prints: each variant on the wire, and vendor bodies
/// decoded back, leniently.
///
/// # Errors
///
/// Only if writing to `out` fails.
pub fn demo(out: &mut impl fmt::Write) -> fmt::Result {
    writeln!(out, "== encoding (format {:?})", OAuth2::NAME)?;
    let errors = [
        TokenError::InvalidRequest,
        TokenError::InvalidClient,
        TokenError::InvalidGrant {
            description: "The authorization code has expired.".to_owned(),
        },
        TokenError::InvalidToken,
        TokenError::TemporarilyUnavailable,
    ];
    for error in &errors {
        let response = error.to_response();
        writeln!(
            out,
            "{} {:?} retry={:?} {}",
            response.status().as_u16(),
            response.headers()[http::header::CONTENT_TYPE],
            error.retry(),
            String::from_utf8_lossy(response.body()),
        )?;
    }
    let documented =
        Context::new().with_problem_type("https://auth.example.com/docs/errors#invalid_client");
    writeln!(
        out,
        "with an error_uri: {}",
        String::from_utf8_lossy(&TokenError::InvalidClient.to_body_with(&documented)),
    )?;

    writeln!(out, "== decoding")?;
    let bodies: [(u16, &[u8]); 5] = [
        (
            400,
            br#"{"error":"invalid_grant","error_description":"The refresh token was revoked.","error_uri":"https://auth.example.com/docs/errors#invalid_grant"}"#,
        ),
        (401, br#"{"error_description":7,"error":"invalid_token"}"#),
        (400, br#"{"error":"unsupported_grant_type"}"#),
        (503, b"<html><body>502 Bad Gateway</body></html>"),
        (400, br#"{"error":"invalid_request","error_description":"#),
    ];
    for (status, body) in bodies {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        match Decoded::<TokenError>::from_response(status, &HeaderMap::new(), body) {
            Ok(decoded) => writeln!(
                out,
                "{} {} -> {} ({:?}, retry={:?}): {}",
                status.as_u16(),
                String::from_utf8_lossy(body),
                variant(&decoded.error),
                decoded.error.code(),
                decoded.error.retry(),
                decoded,
            )?,
            Err(error) => writeln!(out, "{} -> {error}", status.as_u16())?,
        }
    }
    Ok(())
}

/// The variant's name, for the demonstration's output.
fn variant(error: &TokenError) -> &'static str {
    match error {
        TokenError::InvalidRequest => "InvalidRequest",
        TokenError::InvalidClient => "InvalidClient",
        TokenError::InvalidGrant { .. } => "InvalidGrant",
        TokenError::InvalidToken => "InvalidToken",
        TokenError::TemporarilyUnavailable => "TemporarilyUnavailable",
        TokenError::Other(_) => "Other",
    }
}

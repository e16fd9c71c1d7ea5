//! `Unknown`: an error response the declared enum does not recognise.
//!
//! Layer 2: decoded data (above the formats, below the `ApiError` trait).

use std::borrow::Cow;

use http::StatusCode;

use crate::format::{Context, Envelope, Format, Message, RawEnvelope};
use crate::limits::{KEPT_BODY_BYTES, KEPT_TEXT_BYTES, kept_text};
use crate::retry_class::Retry;
use crate::status::reason_phrase;

/// An error the enum does not know: an unknown code, a status no variant has, or a body
/// that is not the expected envelope at all (an HTML 502 page from a proxy, an empty or
/// truncated body).
///
/// It is the single field of the `#[api_error(unknown)]` variant. The status is always
/// kept; code and message are kept when the body had them (the code up to
/// [`KEPT_TEXT_BYTES`], the message up to [`KEPT_BODY_BYTES`], cut at a character
/// boundary); the raw body is kept up to [`KEPT_BODY_BYTES`]. Encoding an `Unknown`
/// writes its status, code and message back in the enum's format, so a proxy can pass an
/// upstream error on.
///
/// [`KEPT_TEXT_BYTES`]: crate::decode::KEPT_TEXT_BYTES
/// [`KEPT_BODY_BYTES`]: crate::decode::KEPT_BODY_BYTES
#[derive(Clone, PartialEq, Eq)]
pub struct Unknown {
    status: StatusCode,
    code: Option<String>,
    message: Option<String>,
    body: Vec<u8>,
    body_truncated: bool,
}

impl Unknown {
    /// An unknown error with this status and nothing else.
    pub fn new(status: StatusCode) -> Self {
        Unknown {
            status,
            code: None,
            message: None,
            body: Vec::new(),
            body_truncated: false,
        }
    }

    /// Sets the code (at most [`KEPT_TEXT_BYTES`](crate::decode::KEPT_TEXT_BYTES) of it).
    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(bounded(code.into(), KEPT_TEXT_BYTES));
        self
    }

    /// Sets the message (at most [`KEPT_BODY_BYTES`](crate::decode::KEPT_BODY_BYTES) of it).
    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(bounded(message.into(), KEPT_BODY_BYTES));
        self
    }

    /// Keeps `body` (at most [`KEPT_BODY_BYTES`](crate::decode::KEPT_BODY_BYTES) of it).
    #[must_use]
    pub fn with_body(mut self, body: &[u8]) -> Self {
        let kept = body.len().min(KEPT_BODY_BYTES);
        self.body = body[..kept].to_vec();
        self.body_truncated = kept < body.len();
        self
    }

    /// Builds one from what a format read of a body (possibly nothing).
    pub(crate) fn from_raw(status: StatusCode, raw: Option<&RawEnvelope<'_>>, body: &[u8]) -> Self {
        let mut unknown = Unknown::new(status).with_body(body);
        if let Some(raw) = raw {
            unknown.code = raw.code.as_deref().map(|c| kept_text(c, KEPT_TEXT_BYTES));
            unknown.message = raw
                .message
                .as_deref()
                .map(|m| kept_text(m, KEPT_BODY_BYTES));
        }
        unknown
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The code the body carried, or `"unknown"` when it carried none.
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or("unknown")
    }

    /// The code the body carried, if any.
    pub fn raw_code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The message the body carried, or the status's reason phrase.
    pub fn message(&self) -> Cow<'_, str> {
        match &self.message {
            Some(message) => Cow::Borrowed(message),
            None => Cow::Borrowed(reason_phrase(self.status)),
        }
    }

    /// The message the body carried, if any.
    pub fn raw_message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The retry class of the status.
    pub fn retry(&self) -> Retry {
        Retry::for_status(self.status)
    }

    /// Writes this error back as an envelope of format `F`, with its status, code and
    /// message (the enum's `unknown` variant encodes through this).
    ///
    /// # Errors
    ///
    /// Whatever the serializer reports.
    pub fn encode<F: Format, S: serde::Serializer>(
        &self,
        serializer: S,
        context: &Context<'_>,
    ) -> Result<S::Ok, S::Error> {
        let message = self.message();
        F::serialize(
            &Envelope::new(self.status, self.code(), Message::Str(&message), context),
            serializer,
        )
    }

    /// [`encode`](Self::encode), to any sink: what a derived type's `unknown` variant
    /// writes. Not a public API.
    #[doc(hidden)]
    pub fn encode_into<F: Format, K: crate::format::sink::EnvelopeSink>(
        &self,
        sink: K,
        context: &Context<'_>,
    ) -> K::Out {
        let message = self.message();
        sink.write::<F, _, _>(
            &Envelope::new(self.status, self.code(), Message::Str(&message), context),
            &crate::format::declared::EnvelopeOnly,
        )
    }

    /// The start of the raw body, at most [`KEPT_BODY_BYTES`](crate::decode::KEPT_BODY_BYTES).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The kept body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// Whether the body was longer than what was kept.
    pub fn body_truncated(&self) -> bool {
        self.body_truncated
    }
}

/// `text`, cut to at most `bound` bytes at a character boundary.
fn bounded(mut text: String, bound: usize) -> String {
    if text.len() > bound {
        text = kept_text(&text, bound);
    }
    text
}

impl std::fmt::Debug for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unknown")
            .field("status", &self.status.as_u16())
            .field("code", &self.code)
            .field("message", &self.message)
            .field("body", &self.body_text())
            .field("body_truncated", &self.body_truncated)
            .finish()
    }
}

impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.message())?;
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unknown {}

//! The error catalogue: one [`ErrorSpec`] per declared variant, as a const slice
//! ([`ApiError::CATALOGUE`](crate::ApiError::CATALOGUE)), for documentation and for
//! compile-time checks against a vendor's published table.
//!
//! Layer 0: the ground floor (plain data and header parsing; imports nothing above it).
//!
//! ```
//! use apierror::ApiError;
//! use apierror::catalogue::{self, maps};
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! #[api_error(format = "flat")]
//! enum VendorError {
//!     /// The bearer token is expired or malformed.
//!     #[error("The bearer token is expired or malformed.")]
//!     #[status(401)]
//!     #[retryable(reauthenticate)]
//!     InvalidToken,
//!     /// Too many requests: wait for `Retry-After`.
//!     #[error("Too many requests.")]
//!     #[status(429)]
//!     RateLimitExceeded,
//! }
//!
//! // The vendor's table says a 401 is `invalid_token`: checked when the crate compiles.
//! const _: () = assert!(maps(VendorError::CATALOGUE, 401, "invalid_token"));
//! const _: () = assert!(!maps(VendorError::CATALOGUE, 404, "invalid_token"));
//!
//! let table = catalogue::markdown(VendorError::CATALOGUE);
//! assert!(table.contains("| 429 | `RESOURCE_EXHAUSTED` | `rate_limit_exceeded` | Too many requests: wait for `Retry-After`. | retry after the server's `Retry-After` |"));
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::grpc_code::GrpcCode;
use crate::retry_class::Retry;

/// One declared variant, as documentation sees it.
///
/// `#[non_exhaustive]` and built by the derive with the const `with_*` methods, so that
/// it can grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent facts of one entry, each a yes or no, as a table row has them"
)]
pub struct ErrorSpec {
    /// The variant's name (`RateLimitExceeded`), or the struct's.
    pub name: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The code on the wire.
    pub code: &'static str,
    /// The gRPC code: the variant's `#[api_error(grpc = "…")]`, else its status's.
    pub grpc: GrpcCode,
    /// The message text as declared: a literal, or a template with its `{placeholders}`
    /// (the `message = "…"` template, else a thiserror `#[error("…")]`); `None` when the
    /// message is a field or a `Display` the derive cannot see.
    pub message: Option<&'static str>,
    /// Whether the message is masked (a 5xx that is not `expose`d sends its status's
    /// reason phrase instead).
    pub masked: bool,
    /// How a client should react.
    pub retry: Retry,
    /// Whether the variant sends `Retry-After` (it has an `#[api_error(retry_after)]`
    /// field).
    pub sends_retry_after: bool,
    /// Whether a client can decode a response into this variant.
    pub decodes: bool,
    /// Whether a codeless body at its status decodes to it among the variants that share
    /// the status (`#[api_error(decode_default)]`).
    pub decode_default: bool,
    /// The variant's doc comment, lines joined with spaces (empty when it has none).
    pub doc: &'static str,
}

impl ErrorSpec {
    /// A spec with its name, status and code; a message-less, non-retried, decodable
    /// variant until the `with_*` methods say otherwise.
    pub const fn new(name: &'static str, status: u16, code: &'static str) -> Self {
        ErrorSpec {
            name,
            status,
            code,
            grpc: GrpcCode::for_u16(status),
            message: None,
            masked: false,
            retry: Retry::Never,
            sends_retry_after: false,
            decodes: true,
            decode_default: false,
            doc: "",
        }
    }

    /// Sets the gRPC code.
    #[must_use]
    pub const fn with_grpc(mut self, grpc: GrpcCode) -> Self {
        self.grpc = grpc;
        self
    }

    /// Sets the declared message text.
    #[must_use]
    pub const fn with_message(mut self, message: &'static str) -> Self {
        self.message = Some(message);
        self
    }

    /// Marks the message masked.
    #[must_use]
    pub const fn with_masked(mut self, masked: bool) -> Self {
        self.masked = masked;
        self
    }

    /// Sets the retry class.
    #[must_use]
    pub const fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Sets whether it sends `Retry-After`.
    #[must_use]
    pub const fn with_retry_after(mut self, sends: bool) -> Self {
        self.sends_retry_after = sends;
        self
    }

    /// Sets whether it decodes.
    #[must_use]
    pub const fn with_decodes(mut self, decodes: bool) -> Self {
        self.decodes = decodes;
        self
    }

    /// Marks it the decode default of its status.
    #[must_use]
    pub const fn with_decode_default(mut self, default: bool) -> Self {
        self.decode_default = default;
        self
    }

    /// Sets the doc comment.
    #[must_use]
    pub const fn with_doc(mut self, doc: &'static str) -> Self {
        self.doc = doc;
        self
    }

    /// The message a client sees: the status's reason phrase when masked, else the
    /// declared text (`None` when it is not known at compile time).
    pub fn public_message(&self) -> Option<Cow<'static, str>> {
        if self.masked {
            let status = http::StatusCode::from_u16(self.status).ok()?;
            return Some(Cow::Borrowed(crate::status::reason_phrase(status)));
        }
        self.message.map(Cow::Borrowed)
    }

    /// What a client should do, in words, for tables.
    pub fn advice(&self) -> &'static str {
        match self.retry {
            Retry::Never => "fix the request; do not retry",
            Retry::Backoff => "retry with exponential backoff",
            Retry::Throttled => "retry after the server's `Retry-After`",
            Retry::Reauthenticate => "refresh the credentials, then retry once",
        }
    }
}

/// Whether `catalogue` maps `status` to `code`: a variant has both. Const, so a crate can
/// hold its enum to a vendor's table with `const _: () = assert!(maps(…));`.
pub const fn maps(catalogue: &[ErrorSpec], status: u16, code: &str) -> bool {
    let mut i = 0;
    while i < catalogue.len() {
        if catalogue[i].status == status && str_eq(catalogue[i].code, code) {
            return true;
        }
        i += 1;
    }
    false
}

/// `a == b`, in a const context.
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The catalogue as a Markdown table, like a vendor's error page: status, gRPC code,
/// code, meaning (the doc comment, else the public message) and what a client should do.
pub fn markdown(catalogue: &[ErrorSpec]) -> String {
    let mut out =
        String::from("| status | gRPC | code | meaning | what to do |\n|---|---|---|---|---|\n");
    for spec in catalogue {
        let meaning = if spec.doc.is_empty() {
            spec.public_message().unwrap_or_default()
        } else {
            Cow::Borrowed(spec.doc)
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` | {} | {} |",
            spec.status,
            spec.grpc,
            spec.code,
            meaning.replace('|', "\\|"),
            spec.advice()
        );
    }
    out
}

/// The catalogue as a JSON array, one object per variant.
pub fn json(catalogue: &[ErrorSpec]) -> String {
    serde_json::to_string_pretty(catalogue).unwrap_or_default()
}

impl Serialize for ErrorSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut spec = serializer.serialize_struct("ErrorSpec", 10)?;
        spec.serialize_field("name", self.name)?;
        spec.serialize_field("status", &self.status)?;
        spec.serialize_field("grpc", self.grpc.as_str())?;
        spec.serialize_field("code", self.code)?;
        spec.serialize_field("message", &self.public_message())?;
        spec.serialize_field("retry", self.retry.as_str())?;
        spec.serialize_field("sends_retry_after", &self.sends_retry_after)?;
        spec.serialize_field("decodes", &self.decodes)?;
        spec.serialize_field("doc", self.doc)?;
        spec.end()
    }
}

//! tonic 0.14 integration: one enum for HTTP and gRPC.
//!
//! Layer 6: an integration (on top of the rest).
//!
//! **Server.** With the `tonic` feature, every `#[derive(ApiError)]` type converts into a
//! `tonic::Status` (`impl From<E> for tonic::Status`), so `?` works in a tonic handler:
//!
//! - its code is the variant's [`GrpcCode`]: `#[api_error(grpc = "…")]`,
//!   else its HTTP status's by google.rpc.Code's mapping;
//! - its message is the public message, masked for a 5xx exactly as over HTTP; the
//!   error's `Display` and `source` chain go to the log (`tracing`, with OpenTelemetry's
//!   `rpc.system`, `rpc.grpc.status_code` and `error.type`), never to the client;
//! - its rich details (google.rpc, through tonic-types):
//!   - `ErrorInfo { reason: code, domain, metadata }`: the domain is
//!     `#[api_error(domain = "…")]`; the metadata has the HTTP status (`http_status`) and
//!     details that are not field errors as JSON (`details`);
//!   - `BadRequest` field violations from `FieldErrors` details (any details that
//!     serialize as `{"field":["message", …]}`);
//!   - `RetryInfo` from an `#[api_error(retry_after)]` field;
//!   - `RequestInfo` with the request id, inside a request-context layer
//!     ([`RequestContextLayer`](crate::server::RequestContextLayer) on tonic's
//!     `Server::builder().layer(…)`).
//!
//! **Client.** [`from_status`] and
//! [`Decoded::from_status`](crate::Decoded) decode a `tonic::Status` back into the same
//! enum, leniently and totally: `ErrorInfo.reason` picks the variant (else the code's
//! status, with `decode_default` among variants sharing one), field violations come back
//! as `FieldErrors`, `RetryInfo` as the retry hint, and anything else lands in the
//! `unknown` variant with its code, message and details kept (the details as JSON, its
//! [`body`](crate::Unknown::body)).
//!
//! **Retry.** A `tonic::Status` classifies on its own ([`Classify`]): `UNAVAILABLE` and
//! `DEADLINE_EXCEEDED` back off, `RESOURCE_EXHAUSTED` is throttled and honours
//! `RetryInfo`, the rest never retry; a `Decoded<E>` decoded from it classifies by the
//! variant, as for HTTP. The retry driver runs tonic calls like any other.
//!
//! ```
//! use apierror::{ApiError, Decoded, FieldErrors};
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! #[api_error(format = "nested", domain = "widgets.example.com")]
//! enum AppError {
//!     #[error("validation failed")]
//!     #[status(422)]
//!     #[api_error(grpc = "invalid_argument")]
//!     ValidationError {
//!         #[api_error(details)]
//!         fields: FieldErrors,
//!     },
//!     #[api_error(unknown)]
//!     #[error("{0}")]
//!     Other(apierror::Unknown),
//! }
//!
//! // Server: a handler's error becomes a Status with rich details.
//! let fields = FieldErrors::new().with_field("name", "must not be empty");
//! let status = tonic::Status::from(AppError::ValidationError { fields });
//! assert_eq!(status.code(), tonic::Code::InvalidArgument);
//!
//! // Client: back into the enum.
//! let decoded = Decoded::<AppError>::from_status(&status).unwrap();
//! let AppError::ValidationError { fields } = decoded.error else { panic!() };
//! assert_eq!(fields.get("name").unwrap(), ["must not be empty"]);
//! ```

use std::collections::HashMap;
use std::error::Error;
use std::time::Duration;

use ::tonic::{Code, Status};
use serde::Serialize;
use tonic_types::{ErrorDetails, FieldViolation, StatusExt as _};

use crate::api_error::ApiError;
use crate::decode::DecodeError;
use crate::decode::input::DecodeInput;
use crate::decoded::Decoded;
use crate::format::declared::VariantParts;
use crate::format::sink::{EncodeEnvelope, EnvelopeSink};
use crate::format::{Context, Envelope, Format, RawDetails, RawEnvelope};
use crate::grpc_code::GrpcCode;
use crate::log_level::LogLevel;
use crate::retry::{Classify, Failure, RetryAfter, Summary};
use crate::retry_class::Retry;

/// The `ErrorInfo` metadata key holding the HTTP status.
pub const HTTP_STATUS_KEY: &str = "http_status";

/// The `ErrorInfo` metadata key holding details that are not field errors, as JSON.
pub const DETAILS_KEY: &str = "details";

/// What a derived error's envelope says, for a `Status`.
struct Captured {
    message: String,
    details: Option<serde_json::Value>,
}

/// The sink that reads an envelope's message and details.
struct Capture;

impl EnvelopeSink for Capture {
    type Out = Captured;

    fn write<F, D, P>(self, envelope: &Envelope<'_, D>, _: &P) -> Captured
    where
        F: Format,
        D: Serialize + ?Sized,
        P: VariantParts,
    {
        Captured {
            message: envelope.message.to_string(),
            details: envelope
                .details
                .and_then(|details| serde_json::to_value(details).ok())
                .filter(|details| !details.is_null()),
        }
    }
}

/// The `tonic::Status` for `error`: see the [module](self). `as_error` (the error's
/// `Display` and `source` chain) is logged for a 5xx, never sent.
pub fn into_status<E>(error: &E, as_error: Option<&dyn Error>) -> Status
where
    E: ApiError + EncodeEnvelope,
{
    let request_id = current_request_id();
    let captured = error.encode_into(Capture, &Context::EMPTY);
    let code = error.grpc_code();
    log(error, code, request_id.as_deref(), as_error);

    let mut details = ErrorDetails::new();
    let mut metadata = HashMap::new();
    metadata.insert(
        HTTP_STATUS_KEY.to_owned(),
        error.status().as_u16().to_string(),
    );
    if let Some(value) = captured.details {
        if let Some(violations) = field_violations(&value) {
            details.set_bad_request(violations);
        } else {
            metadata.insert(DETAILS_KEY.to_owned(), value.to_string());
        }
    }
    details.set_error_info(error.code(), E::GRPC_DOMAIN.unwrap_or_default(), metadata);
    if let Some(delay) = error.retry_after() {
        details.set_retry_info(Some(delay));
    }
    if let Some(id) = request_id {
        details.set_request_info(id, "");
    }
    Status::with_error_details(Code::from_i32(code.as_i32()), captured.message, details)
}

/// Details shaped as field errors (`{"field":["message", …]}`, at least one field), as
/// violations, one per message.
fn field_violations(details: &serde_json::Value) -> Option<Vec<FieldViolation>> {
    let fields = details.as_object().filter(|fields| !fields.is_empty())?;
    let mut violations = Vec::new();
    for (field, messages) in fields {
        for message in messages.as_array()? {
            violations.push(FieldViolation::new(field, message.as_str()?));
        }
    }
    Some(violations)
}

/// The id of the request being answered, inside a request-context layer.
fn current_request_id() -> Option<String> {
    crate::server::RequestId::current().map(|id| id.as_str().to_owned())
}

/// Logs `error` as a gRPC server answers with it: at its variant's level, else a 5xx at
/// error level, with OpenTelemetry's RPC names and the error's chain (log only).
fn log<E: ApiError>(
    error: &E,
    code: GrpcCode,
    request_id: Option<&str>,
    as_error: Option<&dyn Error>,
) {
    let default = error.status().is_server_error().then(|| {
        crate::server::scope::current().map_or(LogLevel::Error, |scope| scope.log_level())
    });
    let Some(level) = error
        .log_level()
        .or(default)
        .filter(|l| *l != LogLevel::Off)
    else {
        return;
    };
    let chain = as_error.map(crate::server::respond::chain);
    let status_code = code.as_i32();
    let kind = error.code();
    macro_rules! at {
        ($macro:ident) => {
            tracing::$macro!(
                request_id,
                rpc.system = "grpc",
                rpc.grpc.status_code = status_code,
                error.type = kind,
                error = chain.as_deref(),
                "rpc failed with {}",
                code,
            )
        };
    }
    match level {
        LogLevel::Error => at!(error),
        LogLevel::Warn => at!(warn),
        LogLevel::Info => at!(info),
        LogLevel::Debug => at!(debug),
        LogLevel::Off => {}
    }
}

/// What a `Status` carries, as the raw parts of an envelope, and its details as JSON text
/// (the body an `unknown` variant keeps).
fn raw_of<E: ApiError>(status: &Status) -> (RawEnvelope<'static>, String) {
    let details = status.get_error_details();
    let grpc = GrpcCode::from_i32(status.code() as i32).unwrap_or(GrpcCode::Unknown);
    let info = details.error_info();
    let mut http = info
        .and_then(|info| info.metadata.get(HTTP_STATUS_KEY))
        .and_then(|text| text.parse::<u16>().ok())
        .and_then(|status| http::StatusCode::from_u16(status).ok())
        .filter(|status| status.is_client_error() || status.is_server_error())
        .unwrap_or_else(|| grpc.status());
    let reason = info
        .map(|info| info.reason.clone())
        .filter(|reason| !reason.is_empty());
    let code = match reason {
        Some(reason) => reason,
        // No reason: the variant with this gRPC code, if one has it alone (or is the
        // decode default among those that share it).
        None => match by_grpc_code::<E>(grpc) {
            Some(spec) => {
                http = http::StatusCode::from_u16(spec.status).unwrap_or(http);
                spec.code.to_owned()
            }
            None => grpc.as_str().to_ascii_lowercase(),
        },
    };
    let mut raw = RawEnvelope {
        status: Some(http.as_u16()),
        code: Some(code.into()),
        message: Some(status.message().to_owned().into()),
        ..RawEnvelope::default()
    };
    let mut text = String::new();
    if let Some(bad) = details.bad_request() {
        let mut fields = serde_json::Map::new();
        for violation in &bad.field_violations {
            let messages = fields
                .entry(violation.field.clone())
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let Some(messages) = messages.as_array_mut() {
                messages.push(violation.description.clone().into());
            }
        }
        text = serde_json::Value::Object(fields).to_string();
    } else if let Some(json) = info.and_then(|info| info.metadata.get(DETAILS_KEY)) {
        text.clone_from(json);
    }
    if !text.is_empty() {
        raw.details = Some(RawDetails::Text(text.clone().into()));
    }
    raw.retry_after = details
        .retry_info()
        .and_then(|retry| retry.retry_delay)
        .map(RetryAfter::Delay);
    raw.request_id = details
        .request_info()
        .map(|info| info.request_id.clone().into())
        .filter(|id: &std::borrow::Cow<'_, str>| !id.is_empty());
    (raw, text)
}

/// The decodable variant whose gRPC code is `grpc`: the only one, or the decode default
/// among several.
fn by_grpc_code<E: ApiError>(grpc: GrpcCode) -> Option<&'static crate::catalogue::ErrorSpec> {
    let mut candidates = E::CATALOGUE
        .iter()
        .filter(|spec| spec.decodes && spec.grpc == grpc);
    let first = candidates.next()?;
    let mut rest = candidates.peekable();
    if rest.peek().is_none() {
        return Some(first);
    }
    std::iter::once(first)
        .chain(rest)
        .find(|spec| spec.decode_default)
}

/// Decodes a `tonic::Status` into `E`: see the [module](self).
///
/// # Errors
///
/// Only when `E` has no `unknown` variant and the status matches no variant.
pub fn from_status<E: ApiError>(status: &Status) -> Result<E, DecodeError> {
    let (raw, details) = raw_of::<E>(status);
    E::__decode(&DecodeInput::from_body(raw).with_body(details.as_bytes()))
}

impl<E: ApiError> Decoded<E> {
    /// Decodes a `tonic::Status` into `E`, with what it carried as the metadata (the
    /// HTTP status its code stands for, the message, the code, the request id, the
    /// retry hint): see [`apierror::tonic`](crate::tonic).
    ///
    /// # Errors
    ///
    /// Only when `E` has no `unknown` variant and the status matches no variant.
    pub fn from_status(status: &Status) -> Result<Self, DecodeError> {
        let (raw, details) = raw_of::<E>(status);
        let input = DecodeInput::from_body(raw).with_body(details.as_bytes());
        E::__decode(&input).map(|error| Decoded {
            error,
            meta: input.meta(),
        })
    }
}

impl Classify for Status {
    /// `UNAVAILABLE` and `DEADLINE_EXCEEDED` back off; `RESOURCE_EXHAUSTED` is throttled,
    /// waiting at least its `RetryInfo`; every other code never retries (decode it into
    /// your enum, as a `Decoded<E>`, for a variant's own class).
    fn failure(&self) -> Option<Failure> {
        let class = match self.code() {
            Code::Ok => return None,
            Code::Unavailable | Code::DeadlineExceeded => Retry::Backoff,
            Code::ResourceExhausted => Retry::Throttled,
            _ => Retry::Never,
        };
        let hint = self
            .get_error_details()
            .retry_info()
            .and_then(|retry| retry.retry_delay)
            .map(RetryAfter::Delay);
        Some(Failure::new(class).with_retry_after(hint))
    }

    /// The status the code stands for, and the code's name as `error.type`.
    fn summary(&self) -> Summary<'_> {
        let grpc = GrpcCode::from_i32(self.code() as i32).unwrap_or(GrpcCode::Unknown);
        Summary::new(Some(grpc.status()), Some(grpc.as_str()), None)
    }
}

/// How long a `RetryInfo` asks to wait, if the status carries one.
pub fn retry_delay(status: &Status) -> Option<Duration> {
    status.get_error_details().retry_info()?.retry_delay
}

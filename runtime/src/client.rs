//! What a call through an HTTP client ends in when it does not give the expected value:
//! [`ClientError`], shared by the client integrations (`reqwest`, `ureq`), each naming it
//! with its own transport error.
//!
//! Layer 5: built on the trait (retry, client, server, OpenAPI).

use std::fmt;

use http::StatusCode;

use crate::api_error::ApiError;
use crate::decode::{DecodeError, ResponseMeta};
use crate::decoded::Decoded;
use crate::retry::{Classify, Failure, Summary};
use crate::retry_class::Retry;

#[doc(hidden)]
pub mod registry;

/// The default bound on an error body: longer bodies are cut here, which decodes them
/// to the `unknown` variant with their start kept.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The default bound on a success body read by a client's `json`.
pub const SUCCESS_BODY_LIMIT: usize = crate::decode::MAX_DECODED_BODY;

/// A body read with a bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedBody {
    /// The bytes read: at most the bound.
    pub bytes: Vec<u8>,
    /// Whether the body went on past the bound (the rest was not read).
    pub truncated: bool,
}

/// Why a call through an HTTP client did not produce the expected value: `T` is the
/// client's own error (`reqwest::Error`, `ureq::Error`), and each client's module names
/// this type for it (`apierror::reqwest::ClientError<E>`, `apierror::ureq::ClientError<E>`).
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError<E, T> {
    /// No response: the request could not be sent or answered (connect, timeout), or a
    /// success body could not be read. Classified by the client's error: a transient
    /// failure is [`Retry::Backoff`] (a refused connection as never sent); a request that
    /// could not even be built is [`Retry::Never`].
    Transport(T),
    /// The server answered with an error status; here it is, decoded, with the
    /// response's metadata (`Retry-After`, rate limit, request id).
    Api(Decoded<E>),
    /// The server answered with an error status whose body matches no variant of an
    /// enum that has no `unknown` variant.
    Undecodable {
        /// Why no variant matched.
        error: Box<DecodeError>,
        /// The response's metadata.
        meta: Box<ResponseMeta>,
    },
    /// A success body longer than the limit.
    TooLarge {
        /// The response's status.
        status: StatusCode,
        /// The limit it passed.
        limit: usize,
    },
    /// A success body that is not the expected JSON.
    InvalidBody {
        /// The response's status.
        status: StatusCode,
        /// The parser's complaint.
        error: serde_json::Error,
    },
}

impl<E, T> fmt::Display for ClientError<E, T> {
    /// What went wrong at this level; the cause (the transport error, the decoded error,
    /// the parser's complaint) is the [`source`](std::error::Error::source), never
    /// repeated here.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Transport(_) => f.write_str("the request failed"),
            ClientError::Api(decoded) => {
                write!(f, "the server answered {}", decoded.meta.status.as_u16())
            }
            ClientError::Undecodable { meta, .. } => write!(
                f,
                "the server answered {} with an error this client does not know",
                meta.status.as_u16()
            ),
            ClientError::TooLarge { status, limit } => write!(
                f,
                "the {} response's body is longer than {limit} bytes",
                status.as_u16()
            ),
            ClientError::InvalidBody { status, .. } => write!(
                f,
                "the {} response's body is not the expected JSON",
                status.as_u16()
            ),
        }
    }
}

impl<E, T> std::error::Error for ClientError<E, T>
where
    E: std::error::Error + 'static,
    T: std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Transport(error) => Some(error),
            ClientError::Api(decoded) => Some(decoded),
            ClientError::Undecodable { error, .. } => Some(error),
            ClientError::InvalidBody { error, .. } => Some(error),
            ClientError::TooLarge { .. } => None,
        }
    }
}

impl<E: ApiError, T: Classify> Classify for ClientError<E, T> {
    fn failure(&self) -> Option<Failure> {
        match self {
            ClientError::Transport(error) => error.failure(),
            ClientError::Api(decoded) => decoded.failure(),
            ClientError::Undecodable { meta, .. } => meta.failure(),
            ClientError::TooLarge { .. } | ClientError::InvalidBody { .. } => {
                Some(Failure::new(Retry::Never))
            }
        }
    }

    fn summary(&self) -> Summary<'_> {
        match self {
            ClientError::Transport(error) => error.summary(),
            ClientError::Api(decoded) => decoded.summary(),
            ClientError::Undecodable { meta, .. } => meta.summary(),
            ClientError::TooLarge { status, .. } | ClientError::InvalidBody { status, .. } => {
                Summary::new(Some(*status), None, None)
            }
        }
    }
}

/// The error an error response's body decodes to, with its metadata: one parse of the
/// body serves both, whichever way it goes.
#[cfg(any(feature = "reqwest", feature = "ureq"))]
pub(crate) fn api_error_of<E: ApiError, T>(
    status: StatusCode,
    headers: &http::HeaderMap,
    body: &[u8],
) -> ClientError<E, T> {
    match crate::decoded::decode_with_meta::<E>(status, headers, body, None) {
        (Ok(error), meta) => ClientError::Api(Decoded { error, meta }),
        (Err(error), meta) => ClientError::Undecodable {
            error: Box::new(error),
            meta,
        },
    }
}

/// Whether a status is an error (4xx or 5xx).
#[cfg(any(feature = "reqwest", feature = "ureq"))]
pub(crate) fn is_error(status: StatusCode) -> bool {
    status.is_client_error() || status.is_server_error()
}

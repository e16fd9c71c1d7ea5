//! What the server integrations (axum, actix-web, tonic) share: the request id and the
//! per-request context that error bodies carry, the response a derived error becomes,
//! and extractor failures as [`Rejection`]s that [`FromRejection`] turns into the
//! application's error, one trait for both frameworks.
//!
//! Layer 5: built on the trait (retry, client, server, OpenAPI).

pub(crate) mod rejection;
#[cfg(any(feature = "axum", feature = "tonic"))]
mod request_context;
pub(crate) mod request_id;
pub(crate) mod respond;
pub(crate) mod scope;
pub(crate) mod timestamp;

pub use rejection::{FromRejection, Rejection, RejectionKind, RequestPart};
#[cfg(any(feature = "axum", feature = "tonic"))]
pub use request_context::{RequestContextFuture, RequestContextLayer, RequestContextService};
pub use request_id::{MAX_REQUEST_ID_LEN, RequestId, X_REQUEST_ID};

//! Google Cloud (AIP-193): `{"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED","details":[…]}}`,
//! where the key is the `reason` of the `details` element whose `@type` is
//! `google.rpc.ErrorInfo`, and the status is repeated as a number and as gRPC's name.

use std::collections::BTreeMap;
use std::time::Duration;

use apierror::{ApiError, Unknown};
use serde::{Deserialize, Serialize};

/// Google Cloud's errors. A body without an `ErrorInfo` is chosen by its status.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(
    rename_all = "SCREAMING_SNAKE_CASE",
    format(
        json = r#"{"error":{"code":{status},"message":"{message}","status":"{status:grpc}","details":[
        {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"{code?}","domain":"{domain?}","metadata":{metadata?}},
        {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"{retry_after:duration?}"},
        {"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":{details?}}
    ]}}"#
    )
)]
pub enum GoogleError {
    /// A quota is exhausted: wait for `retryDelay`.
    #[error("{message}")]
    #[status(429)]
    #[code("RATE_LIMIT_EXCEEDED")]
    RateLimitExceeded {
        /// What Google said.
        #[api_error(message)]
        message: String,
        /// The service's domain, like `googleapis.com`.
        #[api_error(member)]
        domain: Option<String>,
        /// Which service and quota.
        #[api_error(member)]
        metadata: Option<BTreeMap<String, String>>,
        /// How long to wait: `RetryInfo`'s `retryDelay`, a protobuf Duration (`"30s"`) on
        /// the wire. The client waits the later of it and a `Retry-After` header.
        #[api_error(retry_after)]
        retry_delay: Option<Duration>,
    },
    /// The request is invalid: each violation names a field.
    #[error("{message}")]
    #[status(400)]
    InvalidArgument {
        /// What Google said.
        #[api_error(message)]
        message: String,
        /// The field violations of the `BadRequest` detail.
        #[api_error(details)]
        violations: Vec<FieldViolation>,
    },
    /// Any other error.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

/// One `google.rpc.BadRequest.FieldViolation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldViolation {
    /// The field's path.
    pub field: String,
    /// Why it is invalid.
    pub description: String,
}

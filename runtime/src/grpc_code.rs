//! `GrpcCode`: google.rpc.Code, and its mapping to and from HTTP statuses.
//!
//! Layer 0: the ground floor (plain data and header parsing; imports nothing above it).

use std::fmt;

use http::StatusCode;

/// A gRPC status code (google.rpc.Code): what a variant is over gRPC.
///
/// A variant's code comes from its HTTP status by google.rpc.Code's mapping
/// ([`for_status`](Self::for_status)) unless it says otherwise with
/// `#[api_error(grpc = "already_exists")]`; each catalogue entry carries it.
///
/// ```
/// use apierror::GrpcCode;
/// use http::StatusCode;
///
/// assert_eq!(GrpcCode::for_status(StatusCode::TOO_MANY_REQUESTS), GrpcCode::ResourceExhausted);
/// assert_eq!(GrpcCode::for_status(StatusCode::UNPROCESSABLE_ENTITY), GrpcCode::FailedPrecondition);
/// assert_eq!(GrpcCode::AlreadyExists.status(), StatusCode::CONFLICT);
/// assert_eq!(GrpcCode::from_name("already_exists"), Some(GrpcCode::AlreadyExists));
/// assert_eq!(GrpcCode::Unavailable.as_str(), "UNAVAILABLE");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum GrpcCode {
    /// Not an error.
    Ok = 0,
    /// The caller cancelled (499).
    Cancelled = 1,
    /// An unknown error (500).
    Unknown = 2,
    /// The request is invalid whatever the system's state (400).
    InvalidArgument = 3,
    /// The deadline passed first (504).
    DeadlineExceeded = 4,
    /// No such entity (404).
    NotFound = 5,
    /// The entity exists already (409).
    AlreadyExists = 6,
    /// The caller may not do this (403).
    PermissionDenied = 7,
    /// A quota or rate limit is exhausted (429).
    ResourceExhausted = 8,
    /// The system is not in the state the operation needs (400; other 4xx map here).
    FailedPrecondition = 9,
    /// A concurrency conflict: retry at a higher level (409).
    Aborted = 10,
    /// Past the valid range (400).
    OutOfRange = 11,
    /// Not implemented (501).
    Unimplemented = 12,
    /// An invariant broke (500; other 5xx map here).
    Internal = 13,
    /// Transiently unavailable: retry with backoff (503).
    Unavailable = 14,
    /// Unrecoverable data loss (500).
    DataLoss = 15,
    /// No valid credentials (401).
    Unauthenticated = 16,
}

/// Every code, with its canonical name.
const NAMES: [(GrpcCode, &str); 17] = [
    (GrpcCode::Ok, "OK"),
    (GrpcCode::Cancelled, "CANCELLED"),
    (GrpcCode::Unknown, "UNKNOWN"),
    (GrpcCode::InvalidArgument, "INVALID_ARGUMENT"),
    (GrpcCode::DeadlineExceeded, "DEADLINE_EXCEEDED"),
    (GrpcCode::NotFound, "NOT_FOUND"),
    (GrpcCode::AlreadyExists, "ALREADY_EXISTS"),
    (GrpcCode::PermissionDenied, "PERMISSION_DENIED"),
    (GrpcCode::ResourceExhausted, "RESOURCE_EXHAUSTED"),
    (GrpcCode::FailedPrecondition, "FAILED_PRECONDITION"),
    (GrpcCode::Aborted, "ABORTED"),
    (GrpcCode::OutOfRange, "OUT_OF_RANGE"),
    (GrpcCode::Unimplemented, "UNIMPLEMENTED"),
    (GrpcCode::Internal, "INTERNAL"),
    (GrpcCode::Unavailable, "UNAVAILABLE"),
    (GrpcCode::DataLoss, "DATA_LOSS"),
    (GrpcCode::Unauthenticated, "UNAUTHENTICATED"),
];

impl GrpcCode {
    /// The code for an HTTP status, by google.rpc.Code's mapping: 400 `INVALID_ARGUMENT`,
    /// 401 `UNAUTHENTICATED`, 403 `PERMISSION_DENIED`, 404 `NOT_FOUND`, 409 `ABORTED`,
    /// 412 `FAILED_PRECONDITION`, 429 `RESOURCE_EXHAUSTED`, 499 `CANCELLED`, 500
    /// `INTERNAL`, 501 `UNIMPLEMENTED`, 503 `UNAVAILABLE`, 504 `DEADLINE_EXCEEDED`; any
    /// other 4xx `FAILED_PRECONDITION`, any other 5xx `INTERNAL`, anything else `UNKNOWN`.
    pub const fn for_status(status: StatusCode) -> Self {
        Self::for_u16(status.as_u16())
    }

    /// [`for_status`](Self::for_status) of a status number.
    pub(crate) const fn for_u16(status: u16) -> Self {
        match status {
            400 => GrpcCode::InvalidArgument,
            401 => GrpcCode::Unauthenticated,
            403 => GrpcCode::PermissionDenied,
            404 => GrpcCode::NotFound,
            409 => GrpcCode::Aborted,
            429 => GrpcCode::ResourceExhausted,
            499 => GrpcCode::Cancelled,
            501 => GrpcCode::Unimplemented,
            503 => GrpcCode::Unavailable,
            504 => GrpcCode::DeadlineExceeded,
            402 | 405..=408 | 410..=428 | 430..=498 => GrpcCode::FailedPrecondition,
            500 | 502 | 505..=599 => GrpcCode::Internal,
            _ => GrpcCode::Unknown,
        }
    }

    /// The HTTP status the code stands for (google.rpc.Code's): the inverse of
    /// [`for_status`](Self::for_status) for the codes it gives, and 409 for
    /// `ALREADY_EXISTS`, 400 for `OUT_OF_RANGE`, 500 for `UNKNOWN` and `DATA_LOSS`, 200
    /// for `OK`.
    pub const fn status(self) -> StatusCode {
        match self {
            GrpcCode::Ok => StatusCode::OK,
            GrpcCode::InvalidArgument | GrpcCode::OutOfRange => StatusCode::BAD_REQUEST,
            GrpcCode::FailedPrecondition => StatusCode::PRECONDITION_FAILED,
            GrpcCode::Unauthenticated => StatusCode::UNAUTHORIZED,
            GrpcCode::PermissionDenied => StatusCode::FORBIDDEN,
            GrpcCode::NotFound => StatusCode::NOT_FOUND,
            GrpcCode::Aborted | GrpcCode::AlreadyExists => StatusCode::CONFLICT,
            GrpcCode::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
            GrpcCode::Cancelled => match StatusCode::from_u16(499) {
                Ok(status) => status,
                Err(_) => StatusCode::BAD_REQUEST,
            },
            GrpcCode::Unknown | GrpcCode::Internal | GrpcCode::DataLoss => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            GrpcCode::Unimplemented => StatusCode::NOT_IMPLEMENTED,
            GrpcCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            GrpcCode::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The canonical name: `RESOURCE_EXHAUSTED`.
    pub const fn as_str(self) -> &'static str {
        NAMES[self as usize].1
    }

    /// The code named `name`, in either case (`already_exists`, `ALREADY_EXISTS`).
    pub fn from_name(name: &str) -> Option<Self> {
        NAMES
            .iter()
            .find(|(_, known)| known.eq_ignore_ascii_case(name))
            .map(|(code, _)| *code)
    }

    /// The code with number `number` (`8` is `RESOURCE_EXHAUSTED`).
    pub fn from_i32(number: i32) -> Option<Self> {
        usize::try_from(number)
            .ok()
            .and_then(|index| NAMES.get(index))
            .map(|(code, _)| *code)
    }

    /// The code's number.
    pub const fn as_i32(self) -> i32 {
        self as i32
    }
}

impl fmt::Display for GrpcCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_agree_and_every_status_maps_back_into_its_class() {
        for (index, (code, name)) in NAMES.iter().enumerate() {
            assert_eq!(code.as_i32(), i32::try_from(index).unwrap());
            assert_eq!(GrpcCode::from_name(name), Some(*code));
            assert_eq!(GrpcCode::from_i32(code.as_i32()), Some(*code));
        }
        assert_eq!(GrpcCode::from_i32(17), None);
        assert_eq!(GrpcCode::from_name("nope"), None);
        for status in 400..600 {
            let status = StatusCode::from_u16(status).unwrap();
            let back = GrpcCode::for_status(status).status();
            assert_eq!(
                back.is_client_error(),
                status.is_client_error(),
                "{status} -> {back}"
            );
        }
        // The named statuses come back as they were.
        for status in [400, 401, 403, 404, 409, 412, 429, 499, 501, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(GrpcCode::for_status(status).status(), status);
        }
    }
}

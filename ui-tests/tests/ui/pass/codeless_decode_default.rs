//! Seed 002: codeless format, two 401s, one chosen for decoding.
use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "fields")]
enum Error {
    #[error("Invalid API key")]
    #[status(401)]
    #[api_error(decode_default)]
    InvalidApiKey,
    #[error("Invalid API key or brand access denied")]
    #[status(401)]
    NoBrandAccess,
    // Encode-only variants do not compete for a status.
    #[error("internal")]
    #[status(500)]
    Internal(#[source] std::io::Error),
    #[error("unavailable")]
    #[status(500)]
    Unavailable,
}

fn main() {
    let _ = Error::NoBrandAccess.to_body();
}

use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "fields")]
enum Error {
    #[error("invalid key")]
    #[status(401)]
    #[api_error(decode_default)]
    InvalidKey,
    #[error("no brand access")]
    #[status(401)]
    #[api_error(decode_default)]
    NoBrandAccess,
}

fn main() {}

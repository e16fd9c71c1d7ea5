use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum Error {
    #[error("invalid key")]
    #[status(401)]
    #[api_error(decode_default)]
    InvalidKey,
}

fn main() {}

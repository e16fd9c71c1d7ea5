use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "plain")]
enum Error {
    #[error("invalid key")]
    #[status(401)]
    InvalidKey,
    #[error("revoked key")]
    #[status(401)]
    RevokedKey,
}

fn main() {}

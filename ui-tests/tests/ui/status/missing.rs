use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("has one")]
    #[status(400)]
    HasOne,
    #[error("has none")]
    HasNone,
}

fn main() {}

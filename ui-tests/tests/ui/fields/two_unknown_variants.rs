use apierror::{ApiError, Unknown};

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("a")]
    #[status(400)]
    Bad,
    #[error("{0}")]
    #[api_error(unknown)]
    Other(Unknown),
    #[error("{0}")]
    #[api_error(unknown)]
    Another(Unknown),
}

fn main() {}

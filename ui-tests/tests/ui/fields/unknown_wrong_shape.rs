use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("a")]
    #[status(400)]
    Bad,
    #[error("{0}")]
    #[api_error(unknown)]
    Other(String),
    #[error("other")]
    #[api_error(unknown)]
    #[status(500)]
    Again,
}

fn main() {}

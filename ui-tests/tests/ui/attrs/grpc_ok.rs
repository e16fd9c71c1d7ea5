use apierror::{ApiError, Unknown};

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", grpc = "not_found")]
enum Error {
    #[error("a")]
    #[status(404)]
    #[api_error(grpc = "ok")]
    Gone,

    #[api_error(unknown, grpc = "internal")]
    #[error("{0}")]
    Other(Unknown),
}

fn main() {}

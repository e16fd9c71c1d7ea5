use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(503)]
    #[api_error(log = "warning")]
    Unavailable,
}

fn main() {}

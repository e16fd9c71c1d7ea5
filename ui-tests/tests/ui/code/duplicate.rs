use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(404)]
    #[code("not_found")]
    Missing,
    #[error("b")]
    #[status(410)]
    #[code("not_found")]
    Gone,
}

fn main() {}

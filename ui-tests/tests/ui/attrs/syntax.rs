use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("a")]
    #[status(400)]
    #[api_error(message = "x" "y")]
    Bad,
    #[error("b")]
    #[status(404)]
    #[api_error = "nope"]
    NotFound,
}

fn main() {}

use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("a")]
    #[status(400)]
    #[api_error(expose)]
    Bad,
}

fn main() {}

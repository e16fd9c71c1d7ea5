use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = 5)]
enum Error {
    #[error("a")]
    #[status(400)]
    Bad,
}

fn main() {}

use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(rename_all = "shouting")]
enum Error {
    #[error("a")]
    #[status(400)]
    Bad,
}

fn main() {}

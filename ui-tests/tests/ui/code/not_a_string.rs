use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum Error {
    #[error("a")]
    #[status(400)]
    #[code(not_found)]
    Bare,
}

fn main() {}

use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "plain")]
enum Error {
    #[error("a")]
    #[status(400)]
    #[api_error(decode_default)]
    Bad(#[source] std::io::Error),
    #[error("b")]
    #[status(400)]
    AlsoBad,
}

fn main() {}

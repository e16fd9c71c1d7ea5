use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("nope")]
    #[status(600)]
    Nope,
}

fn main() {}

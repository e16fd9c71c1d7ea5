use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("twice")]
    #[status(404)]
    #[status(410)]
    Twice,
}

fn main() {}

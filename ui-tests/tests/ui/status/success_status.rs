use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("fine")]
    #[status(200)]
    Fine,
}

fn main() {}

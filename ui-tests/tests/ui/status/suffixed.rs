use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("a")]
    #[status(404u16)]
    NotFound,
}

fn main() {}

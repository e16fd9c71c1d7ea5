use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[code("everything")]
enum Error {
    #[error("a")]
    #[status(400)]
    Bad,
}

fn main() {}

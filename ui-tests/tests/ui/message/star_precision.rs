use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("a")]
    #[status(400)]
    #[api_error(message = "ratio {0:.*}")]
    Ratio(usize, f64),
}

fn main() {}

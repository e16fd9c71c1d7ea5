use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("a")]
    #[status(429)]
    Slow {
        #[api_error(default, retry_after)]
        seconds: u64,
    },
}

fn main() {}

use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("{text}")]
    #[status(429)]
    Slow {
        #[api_error(message)]
        text: String,
        #[api_error(message)]
        again: String,
        #[api_error(retry_after)]
        wait: u64,
        #[api_error(retry_after)]
        later: u64,
    },
}

fn main() {}

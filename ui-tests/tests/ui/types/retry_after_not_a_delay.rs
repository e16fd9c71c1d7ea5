use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(429)]
    Slow {
        #[api_error(retry_after)]
        wait: String,
    },
}

fn main() {}

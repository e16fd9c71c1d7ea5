use apierror::ApiError;

// Keys of another level say where they belong.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(unknown)]
enum Error {
    #[error("a")]
    #[status(429)]
    #[api_error(format = "nested", retry_after)]
    Slow {
        #[api_error(decode_default)]
        seconds: u64,
    },
}

fn main() {}

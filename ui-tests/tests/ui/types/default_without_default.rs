use apierror::ApiError;

#[derive(Debug)]
struct Trace;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(400)]
    Bad {
        #[api_error(default)]
        trace: Trace,
    },
}

fn main() {}

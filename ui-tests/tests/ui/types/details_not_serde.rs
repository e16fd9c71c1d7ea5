use apierror::ApiError;

#[derive(Debug)]
struct Reasons;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(422)]
    Invalid {
        #[api_error(details)]
        reasons: Reasons,
    },
}

fn main() {}

use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(400)]
    Bad {
        #[api_error(message)]
        text: u32,
    },
}

fn main() {}

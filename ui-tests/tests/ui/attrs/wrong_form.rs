use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(rename_all = snake_case)]
enum Error {
    #[error("a")]
    #[status(400)]
    #[api_error(message = 5, unknown = true)]
    Bad {
        #[api_error(message = "x")]
        text: String,
    },
}

fn main() {}

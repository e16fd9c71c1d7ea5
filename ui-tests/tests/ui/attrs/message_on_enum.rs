use apierror::ApiError;

// `message` and `expose` describe one variant; on a struct they are allowed.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(message = "bad", expose)]
enum Error {
    #[error("a")]
    #[status(400)]
    Bad,
}

fn main() {}

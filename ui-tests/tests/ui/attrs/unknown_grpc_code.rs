use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(409)]
    #[api_error(grpc = "already_exist")]
    Exists,

    #[error("b")]
    #[status(404)]
    #[api_error(grpc = "quota")]
    Gone,
}

fn main() {}

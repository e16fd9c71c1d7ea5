use apierror::ApiError;

#[derive(Debug, ApiError)]
#[api_error(format = "flat")]
enum Error {
    #[status(404)]
    #[api_error(message = "no {0} with id {2}")]
    NotFound(String, u64),
}

fn main() {}

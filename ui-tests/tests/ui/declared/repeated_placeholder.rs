use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"error":"{code}","code":"{code}"}"#))]
enum Error {
    #[error("not found")]
    #[status(404)]
    NotFound,
}

fn main() {}

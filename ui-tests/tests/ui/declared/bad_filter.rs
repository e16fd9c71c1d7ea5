use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"error":"{code}","status":"{status:http}"}"#))]
enum Error {
    #[error("missing")]
    #[status(404)]
    Missing,
}

fn main() {}

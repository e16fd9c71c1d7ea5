use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"ok":false,"type":"invalid","error":"{code}"}"#))]
enum Error {
    #[error("not found")]
    #[status(404)]
    #[api_error(key(type = "missing"))]
    NotFound,
    #[error("gone")]
    #[status(410)]
    #[api_error(key(tipe = "gone"))]
    Gone,
}

fn main() {}

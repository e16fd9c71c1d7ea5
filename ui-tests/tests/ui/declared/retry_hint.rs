use apierror::{ApiError, Unknown};

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"error":"{code}","wait":{retry_after}}"#))]
enum Required {
    #[error("busy")]
    #[status(503)]
    Busy,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"error":"{code}","wait":"{retry_after:minutes?}"}"#))]
enum BadUnit {
    #[error("busy")]
    #[status(503)]
    Busy,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

fn main() {}

use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"error":{"type":"{type}","code":"{code}"}}"#))]
enum Error {
    #[error("declined")]
    #[status(402)]
    #[api_error(key(type = "card_error"))]
    Declined,
    #[error("missing")]
    #[status(404)]
    Missing,
}

fn main() {}

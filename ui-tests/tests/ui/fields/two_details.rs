use apierror::{ApiError, FieldErrors};

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("invalid")]
    #[status(422)]
    Invalid {
        #[api_error(details)]
        fields: FieldErrors,
        #[api_error(details)]
        more: FieldErrors,
    },
}

fn main() {}

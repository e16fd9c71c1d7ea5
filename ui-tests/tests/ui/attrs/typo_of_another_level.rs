//! A typo of a key that belongs at another level is named, with where it belongs.
use apierror::{ApiError, FieldErrors};

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", decode_defualt)]
enum Error {
    #[error("invalid")]
    #[status(422)]
    #[api_error(fromat = "flat")]
    Invalid {
        #[api_error(detials)]
        fields: FieldErrors,
    },
    #[error("gone")]
    #[status(404)]
    #[api_error(detials)]
    Gone,
}

fn main() {}

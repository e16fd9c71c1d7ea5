//! `crate = path` for crates that re-export apierror.
mod errors {
    pub use ::apierror as runtime;
}

#[derive(Debug, thiserror::Error, errors::runtime::ApiError)]
#[api_error(crate = crate::errors::runtime, format = "flat")]
enum Error {
    #[error("bad")]
    #[status(400)]
    Bad,
}

fn main() {
    let _ = errors::runtime::ApiError::code(&Error::Bad);
}

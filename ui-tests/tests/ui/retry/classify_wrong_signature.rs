use apierror::{ApiError, Unknown};

fn classify(error: &Vendor) -> bool {
    matches!(error, Vendor::Busy)
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat", classify = classify)]
enum Vendor {
    #[error("busy")]
    #[status(503)]
    Busy,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

fn main() {}

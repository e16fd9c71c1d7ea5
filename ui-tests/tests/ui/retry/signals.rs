use apierror::{ApiError, Unknown};

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat", retry(header = "x retry", unit = "minutes"))]
enum BadHeaderAndUnit {
    #[error("busy")]
    #[status(503)]
    Busy,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat", retry(unit = "seconds", should_retry = "stripe-should-retry"))]
enum UnitWithoutHeader {
    #[error("busy")]
    #[status(503)]
    Busy,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

fn main() {}

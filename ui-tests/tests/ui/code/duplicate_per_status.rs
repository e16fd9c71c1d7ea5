use apierror::ApiError;

// `reason` carries the status, so a code may repeat under another status, not the same.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "reason")]
enum Error {
    #[error("a")]
    #[status(400)]
    #[code("required")]
    MissingParameter,
    #[error("b")]
    #[status(401)]
    #[code("required")]
    MissingAuth,
    #[error("c")]
    #[status(400)]
    #[code("required")]
    MissingBody,
}

fn main() {}

use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("quoted")]
    #[status("404")]
    Quoted,
}

fn main() {}

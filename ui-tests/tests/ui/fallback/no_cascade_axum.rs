use apierror::ApiError;
use axum::Router;
use axum::routing::get;

// With the `axum` feature, a router that uses the rejected type compiles against the
// fallback's `IntoResponse`: the only error is the derive's.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(1000)]
    Broken,
}

async fn handler() -> Result<&'static str, Error> {
    Err(Error::Broken)
}

fn main() {
    let _: Router = Router::new().route("/", get(handler));
}

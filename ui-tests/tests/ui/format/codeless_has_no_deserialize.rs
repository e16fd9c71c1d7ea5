use apierror::ApiError;

// `plain` carries no code: a body alone cannot say which error it is, so there is no
// Deserialize impl; decode whole responses with `from_response` instead.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "plain")]
enum Error {
    #[error("bad")]
    #[status(400)]
    Bad,
}

fn main() {
    let _: Error = serde_json::from_str(r#"{"error":"bad"}"#).unwrap();
}

//! Generic enums: bounds only where fields mention the parameters.
use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error<D, E: std::error::Error + 'static> {
    #[error("invalid")]
    #[status(422)]
    Invalid {
        #[api_error(details)]
        details: D,
    },
    #[error("upstream")]
    #[status(502)]
    Upstream(#[source] E),
}

#[derive(Debug)]
struct NotSerde;
impl std::fmt::Display for NotSerde {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not serde")
    }
}
impl std::error::Error for NotSerde {}

fn main() {
    // `E` needs no serde bound: it is only in an encode-only field.
    let error: Error<Vec<String>, NotSerde> = Error::Upstream(NotSerde);
    let _ = error.to_body();
    let decoded: Result<Error<Vec<String>, NotSerde>, _> = serde_json::from_str("{}");
    let _ = decoded;
}

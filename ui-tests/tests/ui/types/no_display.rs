use apierror::ApiError;

// A 4xx's public message is its `Display` unless a template or a message field says
// otherwise; this enum has none.
#[derive(Debug, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[status(400)]
    Bad,
}

fn main() {}

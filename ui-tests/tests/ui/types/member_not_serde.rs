use apierror::ApiError;

#[derive(Debug)]
struct Opaque;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"error":"{code}","param":"{param?}"}"#))]
enum Error {
    #[error("invalid")]
    #[status(400)]
    Invalid {
        #[api_error(member)]
        param: Opaque,
    },
}

fn main() {}

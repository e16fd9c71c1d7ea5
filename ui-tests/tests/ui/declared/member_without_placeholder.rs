use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"error":"{code}","param":"{param?}"}"#))]
enum Error {
    #[error("invalid")]
    #[status(400)]
    Invalid {
        #[api_error(member)]
        parameter: Option<String>,
    },
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Nested {
    #[error("invalid")]
    #[status(400)]
    #[api_error(key(type = "x"))]
    Invalid {
        #[api_error(member)]
        param: Option<String>,
    },
}

fn main() {}

use apierror::ApiError;

#[derive(Debug, ApiError)]
#[api_error(format = "flat")]
enum Error {
    #[status(422)]
    #[api_error(message = "field {feild} is invalid")]
    Invalid { field: String },
}

fn main() {}

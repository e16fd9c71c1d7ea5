use apierror::ApiError;

#[derive(Debug, ApiError)]
#[api_error(format = "flat")]
enum Error {
    #[status(403)]
    #[api_error(message = "forbidden")]
    Forbidden {
        #[api_error(message)]
        message: String,
    },
}

fn main() {}

// `ResponseExt` is implemented for `reqwest::Response` only.
use std::future::Future;

use apierror::ApiError;
use apierror::reqwest::{ClientError, ResponseExt};

struct MyResponse;

impl ResponseExt for MyResponse {
    fn api_error<E: ApiError + Send>(
        self,
    ) -> impl Future<Output = Result<reqwest::Response, ClientError<E>>> + Send {
        async { unimplemented!() }
    }

    fn api_json<T: serde::de::DeserializeOwned + Send, E: ApiError + Send>(
        self,
    ) -> impl Future<Output = Result<T, ClientError<E>>> + Send {
        async { unimplemented!() }
    }

    fn api_json_within<T: serde::de::DeserializeOwned + Send, E: ApiError + Send>(
        self,
        _: usize,
    ) -> impl Future<Output = Result<T, ClientError<E>>> + Send {
        async { unimplemented!() }
    }
}

fn main() {}

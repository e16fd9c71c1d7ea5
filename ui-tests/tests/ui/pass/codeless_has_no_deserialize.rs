//! `plain` and `fields` carry no code: a body alone cannot say which error it is, so
//! those enums get no `Deserialize` (decode whole responses with `from_response`); the
//! formats that carry a code get one.
use std::marker::PhantomData;

use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "plain")]
enum PlainError {
    #[error("bad")]
    #[status(400)]
    Bad,
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum FlatError {
    #[error("bad")]
    #[status(400)]
    Bad,
}

/// `Probe::<T>::DESERIALIZES`: the inherent const where `T` implements the trait, the
/// trait's `false` otherwise.
struct Probe<T>(PhantomData<T>);

trait Otherwise {
    const DESERIALIZES: bool = false;
}
impl<T> Otherwise for Probe<T> {}

impl<T: serde::de::DeserializeOwned> Probe<T> {
    const DESERIALIZES: bool = true;
}

fn main() {
    assert!(!Probe::<PlainError>::DESERIALIZES);
    assert!(Probe::<FlatError>::DESERIALIZES);
    let _ = (PlainError::Bad, FlatError::Bad);
}

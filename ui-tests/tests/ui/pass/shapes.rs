//! Unit, tuple and struct variants; a struct; together with thiserror.
use apierror::{ApiError, FieldErrors, Unknown};

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("unit")]
    #[status(400)]
    Unit,
    #[error("tuple {0}")]
    #[status(404)]
    Tuple(#[api_error(message)] String),
    #[error("struct")]
    #[status(422)]
    Struct {
        #[api_error(details)]
        fields: FieldErrors,
        #[api_error(default)]
        attempts: u32,
    },
    #[error("io")]
    #[status(500)]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    #[api_error(unknown)]
    Other(Unknown),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("conflict on {resource}")]
#[status(409)]
struct Conflict {
    resource: String,
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("tuple struct")]
#[status(400)]
#[api_error(format = "flat")]
struct TupleStruct(#[api_error(message)] String);

#[derive(Debug, thiserror::Error, ApiError)]
#[error("unit struct")]
#[status(503)]
struct UnitStruct;

fn main() {
    let _ = Error::Unit.status();
    let _ = Error::Tuple("x".into()).message();
    let _ = Conflict { resource: "x".into() }.to_response();
    let _ = TupleStruct("x".into()).code();
    let _ = UnitStruct.retry();
    let _ = Error::from(std::io::Error::other("x")).to_body();
}

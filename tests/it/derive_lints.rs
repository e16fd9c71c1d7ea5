//! Generated code is clean under `unused_qualifications` and `clippy::pedantic`: CI's
//! `cargo clippy --all-targets -- -D warnings` compiles this module with both denied.
#![deny(unused_qualifications, clippy::pedantic)]

use apierror::{ApiError, FieldErrors, Unknown};

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
enum Strict<T: std::fmt::Debug> {
    #[error("bad")]
    #[status(400)]
    Bad,
    #[error("also bad")]
    #[status(400)]
    AlsoBad,
    #[error("invalid")]
    #[status(422)]
    #[api_error(message = "{field} is invalid ({count} times)")]
    Invalid {
        field: String,
        count: u32,
        #[api_error(details)]
        details: FieldErrors,
    },
    #[error("generic")]
    #[status(409)]
    Generic {
        #[api_error(details)]
        value: T,
    },
    #[error("slow down")]
    #[status(429)]
    Slow {
        #[api_error(retry_after)]
        seconds: u64,
        #[api_error(message)]
        message: String,
    },
    #[error("broken: {0}")]
    #[status(500)]
    Broken(#[source] std::io::Error),
    #[error("{0}")]
    #[api_error(unknown)]
    Other(Unknown),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("codeless")]
#[status(401)]
#[api_error(format = "plain")]
struct Codeless;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(
    json = r#"{"ok":false,"error":{"type":"{type}","code":"{code?}","n":{status},"param":"{param?}","d":{details?}}}"#
))]
enum Declared<T: std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned> {
    #[error("quiet")]
    #[status(200)]
    #[api_error(key(type = "quiet"))]
    Quiet,
    #[error("loud")]
    #[status(400)]
    #[api_error(key(type = "loud", code = "very"))]
    Loud {
        #[api_error(member)]
        param: Option<T>,
        #[api_error(details)]
        details: FieldErrors,
    },
    #[error("{0}")]
    #[api_error(unknown)]
    Other(Unknown),
}

#[test]
fn strict_lints_accept_declared_formats() {
    let loud = Declared::Loud {
        param: Some(7_u8),
        details: FieldErrors::new().with_field("a", "b"),
    };
    assert_eq!(
        loud.to_body(),
        br#"{"ok":false,"error":{"type":"loud","code":"very","n":400,"param":7,"d":{"a":["b"]}}}"#
    );
    assert_eq!(
        Declared::<u8>::Quiet.to_body(),
        br#"{"ok":false,"error":{"type":"quiet","n":200}}"#
    );
}

#[test]
fn strict_lints_accept_generated_code() {
    let all: [Strict<Vec<u8>>; 7] = [
        Strict::Bad,
        Strict::AlsoBad,
        Strict::Invalid {
            field: "name".into(),
            count: 2,
            details: FieldErrors::new(),
        },
        Strict::Generic { value: vec![1] },
        Strict::Slow {
            seconds: 3,
            message: "wait".into(),
        },
        Strict::Broken(std::io::Error::other("disk")),
        Strict::Other(Unknown::new(http::StatusCode::IM_A_TEAPOT)),
    ];
    let codes: Vec<&str> = all.iter().map(ApiError::code).collect();
    assert_eq!(
        codes,
        [
            "BAD", "ALSO_BAD", "INVALID", "GENERIC", "SLOW", "BROKEN", "unknown"
        ]
    );
    assert_eq!(all[2].message(), "name is invalid (2 times)");
    assert_eq!(
        all[4].retry_after(),
        Some(std::time::Duration::from_secs(3))
    );
    assert_eq!(all[5].message(), "Internal Server Error");
    assert_eq!(Codeless.code(), "codeless");
}

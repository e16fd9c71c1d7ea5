//! Every generic shape compiles: defaults, lifetimes, const generics, where clauses; and
//! generated locals never clash with the user's names.
#![allow(non_upper_case_globals, dead_code)]

use apierror::{ApiError, FieldErrors, Unknown};

// Names the generated code uses for its own locals, in scope as items.
const __raw: u8 = 1;
const __input: u8 = 2;
const __kind: u8 = 3;
const __value: u8 = 4;
const __serializer: u8 = 5;
const __context: u8 = 6;
const __field_0: u8 = 7;
const __field_fields: u8 = 8;

/// A type parameter with a default, a lifetime, a const generic and a where clause.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error<'a, D = FieldErrors, const N: usize = 3>
where
    D: std::fmt::Debug,
{
    #[error("invalid")]
    #[status(422)]
    Invalid {
        #[api_error(details)]
        fields: D,
    },
    #[error("conflict on {resource}")]
    #[status(409)]
    #[api_error(message = "conflict on {resource:>width$} ({share:.prec$})")]
    Conflict {
        resource: &'a str,
        width: usize,
        share: f64,
        prec: usize,
    },
    #[error("too many: at most {}", N)]
    #[status(429)]
    TooMany,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

fn main() {
    let _ = (__raw, __input, __kind, __value, __serializer, __context, __field_0, __field_fields);
    // Width and precision arguments name fields, as in thiserror.
    let conflict: Error<'_> = Error::Conflict {
        resource: "order",
        width: 7,
        share: 2.5,
        prec: 2,
    };
    assert_eq!(conflict.message(), "conflict on   order (2.50)");

    let invalid: Error<'_, FieldErrors, 4> = Error::Invalid {
        fields: FieldErrors::new().with_field("email", "is not an email address"),
    };
    assert_eq!(
        String::from_utf8(invalid.to_body()).unwrap(),
        r#"{"error":{"code":"invalid","message":"invalid","details":{"email":["is not an email address"]}}}"#
    );
    let decoded: Error<'static> = serde_json::from_str(
        r#"{"error":{"code":"invalid","message":"x","details":{"a":["b"]}}}"#,
    )
    .unwrap();
    assert!(matches!(decoded, Error::Invalid { .. }));
    assert_eq!(Error::<'_, FieldErrors, 3>::TooMany.message(), "too many: at most 3");
}

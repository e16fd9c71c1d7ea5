//! Bodies of 1k to 64k members in the shapes a hostile or broken vendor can send: many
//! field errors in `nested`; many extension members, and many field errors under
//! `errors`, in `problem`; one field name repeated in `fields`. The `scaling` bench times
//! their decoding and `scaling-count` counts its instructions.

use apierror::{ApiError, FieldErrors, Unknown};
use http::{HeaderMap, StatusCode};

/// The member counts the bench measures.
pub const SIZES: [usize; 3] = [1_000, 8_000, 64_000];

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum NestedError {
    #[error("validation failed")]
    #[status(422)]
    Validation {
        #[api_error(details)]
        fields: FieldErrors,
    },
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "problem")]
enum ProblemError {
    #[error("validation failed")]
    #[status(422)]
    Validation {
        #[api_error(details)]
        fields: FieldErrors,
    },
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "fields")]
enum FieldsError {
    #[error("validation failed")]
    #[status(422)]
    Validation {
        #[api_error(details)]
        fields: FieldErrors,
    },
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

/// `"m0000":["x"],…` with `n` distinct names (64k of them fit the 1 MiB bound).
fn distinct(n: usize) -> String {
    (0..n)
        .map(|i| format!(r#""m{i:04x}":["x"]"#))
        .collect::<Vec<_>>()
        .join(",")
}

/// `"n":["x"],…` with one name `n` times.
fn repeated(n: usize) -> String {
    vec![r#""n":["x"]"#; n].join(",")
}

/// One shape: its name, how it builds a body of `n` members, and how it decodes one
/// (returning how many fields arrived, so nothing is optimised away).
pub struct Shape {
    /// The shape's name, for the bench group.
    pub name: &'static str,
    /// A body of `n` members.
    pub body: fn(usize) -> String,
    /// Decodes a body, returning how many fields arrived.
    pub decode: fn(&[u8]) -> usize,
}

fn fields_of<E: ApiError + std::fmt::Debug>(
    body: &[u8],
    fields: impl Fn(E) -> Option<FieldErrors>,
) -> usize {
    let error = E::from_response(StatusCode::UNPROCESSABLE_ENTITY, &HeaderMap::new(), body)
        .expect("an unknown variant");
    fields(error).expect("the validation variant").len()
}

/// Every shape.
pub const SHAPES: [Shape; 4] = [
    Shape {
        name: "nested_fields",
        body: |n| {
            format!(
                r#"{{"error":{{"code":"validation","message":"m","details":{{{}}}}}}}"#,
                distinct(n)
            )
        },
        decode: |body| {
            fields_of::<NestedError>(body, |e| match e {
                NestedError::Validation { fields } => Some(fields),
                NestedError::Other(_) => None,
            })
        },
    },
    Shape {
        name: "problem_members",
        body: |n| format!(r#"{{"status":422,"code":"validation",{}}}"#, distinct(n)),
        decode: |body| {
            fields_of::<ProblemError>(body, |e| match e {
                ProblemError::Validation { fields } => Some(fields),
                ProblemError::Other(_) => None,
            })
        },
    },
    Shape {
        name: "problem_errors",
        body: |n| {
            format!(
                r#"{{"status":422,"code":"validation","errors":{{{}}}}}"#,
                distinct(n)
            )
        },
        decode: |body| {
            fields_of::<ProblemError>(body, |e| match e {
                ProblemError::Validation { fields } => Some(fields),
                ProblemError::Other(_) => None,
            })
        },
    },
    Shape {
        name: "fields_repeated",
        body: |n| format!(r#"{{"message":"m","errors":{{{}}}}}"#, repeated(n)),
        decode: |body| {
            fields_of::<FieldsError>(body, |e| match e {
                FieldsError::Validation { fields } => Some(fields),
                FieldsError::Other(_) => None,
            })
        },
    },
];

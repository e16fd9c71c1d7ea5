//! Bodies of 1k to 64k members in the shapes a hostile or broken vendor can send: many
//! field errors in `nested`; many extension members, and many field errors under
//! `errors`, in `problem`; one field name repeated in `fields`. The `scaling` bench times
//! their decoding and `scaling-count` counts its instructions.

use apierror::{ApiError, FieldErrors, Unknown};
use http::{HeaderMap, StatusCode};

/// The member counts the bench measures.
pub const SIZES: [usize; 3] = [1_000, 8_000, 64_000];

/// Declares a format's enum: a 422 with field errors, and a catch-all.
macro_rules! validation_enum {
    ($name:ident, $format:literal) => {
        #[derive(Debug, thiserror::Error, ApiError)]
        #[api_error(format = $format)]
        enum $name {
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

        impl HasFields for $name {
            fn fields(self) -> Option<FieldErrors> {
                match self {
                    $name::Validation { fields } => Some(fields),
                    $name::Other(_) => None,
                }
            }
        }
    };
}

/// The field errors of a decoded validation error.
trait HasFields {
    fn fields(self) -> Option<FieldErrors>;
}

validation_enum!(NestedError, "nested");
validation_enum!(ProblemError, "problem");
validation_enum!(FieldsError, "fields");

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

/// Decodes `body` into `E` and counts the fields that arrived.
fn fields_of<E: ApiError + HasFields>(body: &[u8]) -> usize {
    let error = E::from_response(StatusCode::UNPROCESSABLE_ENTITY, &HeaderMap::new(), body)
        .expect("an unknown variant");
    error.fields().expect("the validation variant").len()
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
        decode: fields_of::<NestedError>,
    },
    Shape {
        name: "problem_members",
        body: |n| format!(r#"{{"status":422,"code":"validation",{}}}"#, distinct(n)),
        decode: fields_of::<ProblemError>,
    },
    Shape {
        name: "problem_errors",
        body: |n| {
            format!(
                r#"{{"status":422,"code":"validation","errors":{{{}}}}}"#,
                distinct(n)
            )
        },
        decode: fields_of::<ProblemError>,
    },
    Shape {
        name: "fields_repeated",
        body: |n| format!(r#"{{"message":"m","errors":{{{}}}}}"#, repeated(n)),
        decode: fields_of::<FieldsError>,
    },
];

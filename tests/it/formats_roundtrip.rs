//! In every format, what a server encodes a client decodes back: code, status, message
//! and details survive any content, including quotes, backslashes, control characters
//! and characters outside the BMP.

use apierror::{ApiError, Context, FieldErrors, Unknown};
use proptest::prelude::*;

use super::formats_seeds::decode;

/// Messages: anything, and often the characters JSON must escape.
fn message() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), r#"[\\"\x00-\x1f/a-z é☃\x{10348}]{0,24}"#]
}

/// The members `problem` defines itself: details entries with these names are not sent.
const PROBLEM_MEMBERS: [&str; 8] = [
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "code",
    "request_id",
    "timestamp",
];

/// Field errors with arbitrary names and messages; `flattened` leaves out the names
/// `problem` reserves.
fn field_errors(flattened: bool) -> impl Strategy<Value = FieldErrors> {
    let name = prop_oneof![
        message(),
        Just("details".to_owned()),
        Just("errors".to_owned())
    ]
    .prop_filter("a problem member", move |name| {
        !(flattened && PROBLEM_MEMBERS.contains(&name.as_str()))
    });
    prop::collection::vec((name, prop::collection::vec(message(), 1..3)), 0..4).prop_map(|fields| {
        let mut errors = FieldErrors::new();
        for (name, messages) in fields {
            for message in messages {
                errors.add(name.clone(), message);
            }
        }
        errors
    })
}

/// Per-response context values, owned.
#[derive(Debug, Clone)]
struct OwnedContext([Option<String>; 4]);

impl OwnedContext {
    fn get(&self) -> Context<'_> {
        let [request_id, timestamp, problem_type, instance] = &self.0;
        Context {
            request_id: request_id.as_deref(),
            timestamp: timestamp.as_deref(),
            problem_type: problem_type.as_deref(),
            instance: instance.as_deref(),
        }
    }
}

fn context() -> impl Strategy<Value = OwnedContext> {
    prop::array::uniform4(prop::option::of(message())).prop_map(OwnedContext)
}

/// Statuses and codes no declared variant has.
fn undeclared() -> impl Strategy<Value = (u16, String)> {
    let status = (400_u16..600).prop_filter("declared", |s| ![400, 410, 422].contains(s));
    let code = "[a-z][a-z0-9_.-]{0,20}".prop_filter("declared", |c| {
        !["gone", "invalid", "validation"].contains(&c.as_str())
    });
    (status, code)
}

macro_rules! roundtrip {
    ($module:ident, carries_code = $carries_code:expr, flattens = $flattens:expr, format = $($format:tt)+) => {
        mod $module {
            use super::*;

            #[derive(Debug, PartialEq, thiserror::Error, ApiError)]
            #[api_error(format = $($format)+)]
            enum E {
                #[error("the resource is gone")]
                #[status(410)]
                Gone,
                #[error("{message}")]
                #[status(400)]
                Invalid {
                    #[api_error(message)]
                    message: String,
                },
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

            /// Encodes with `context`, decodes at the error's own status.
            fn roundtrip(error: &E, context: &OwnedContext) -> E {
                let body = error.to_body_with(&context.get());
                decode(error.status().as_u16(), &body).expect("decodes")
            }

            proptest! {
                #[test]
                fn unit(context in context()) {
                    prop_assert_eq!(roundtrip(&E::Gone, &context), E::Gone);
                }

                #[test]
                fn message_field(message in message(), context in context()) {
                    let error = E::Invalid { message };
                    let decoded = roundtrip(&error, &context);
                    prop_assert_eq!(decoded.code(), "invalid");
                    prop_assert_eq!(decoded, error);
                }

                #[test]
                fn details_field(fields in field_errors($flattens), context in context()) {
                    let error = E::Validation { fields };
                    prop_assert_eq!(roundtrip(&error, &context), error);
                }

                #[test]
                fn unknown(
                    (status, code) in undeclared(),
                    message in message(),
                    context in context(),
                ) {
                    let status = apierror::http::StatusCode::from_u16(status).unwrap();
                    let error = E::Other(Unknown::new(status).with_code(code.clone()).with_message(message.clone()));
                    let E::Other(decoded) = roundtrip(&error, &context) else {
                        return Err(TestCaseError::fail("decoded to a declared variant"));
                    };
                    prop_assert_eq!(decoded.status(), status);
                    prop_assert_eq!(decoded.raw_message(), Some(message.as_str()));
                    let carries_code: bool = $carries_code;
                    prop_assert_eq!(decoded.raw_code(), carries_code.then_some(code.as_str()));
                }
            }
        }
    };
}

roundtrip!(
    plain,
    carries_code = false,
    flattens = false,
    format = "plain"
);
roundtrip!(
    nested,
    carries_code = true,
    flattens = false,
    format = "nested"
);
roundtrip!(
    fields,
    carries_code = false,
    flattens = false,
    format = "fields"
);
roundtrip!(
    reason,
    carries_code = true,
    flattens = false,
    format = "reason"
);
roundtrip!(flat, carries_code = true, flattens = false, format = "flat");
roundtrip!(
    problem,
    carries_code = true,
    flattens = true,
    format = "problem"
);
roundtrip!(
    auto,
    carries_code = true,
    flattens = true,
    format = apierror::format::Auto
);

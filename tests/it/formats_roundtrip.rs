//! In every format, what a server encodes a client decodes back: code, status, message,
//! details of every shape (field errors, an `Option` of them, a struct, a struct whose
//! fields are named like `problem`'s own members, a list, a map) and `Retry-After`
//! survive any content, including quotes, backslashes, control characters and characters
//! outside the BMP, and field names like `status` or `type`.

use std::collections::BTreeMap;
use std::time::Duration;

use apierror::{ApiError, Context, FieldErrors, Unknown};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// Messages: anything, and often the characters JSON must escape.
fn message() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), r#"[\\"\x00-\x1f/a-z é☃\x{10348}]{0,24}"#]
}

/// Names `problem` writes itself, and the members it puts details under.
const AWKWARD_NAMES: [&str; 10] = [
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "code",
    "request_id",
    "timestamp",
    "details",
    "errors",
];

/// Names: anything, and often one `problem` reserves.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        message(),
        prop::sample::select(&AWKWARD_NAMES[..]).prop_map(str::to_owned)
    ]
}

/// Field errors with arbitrary names and messages.
fn field_errors() -> impl Strategy<Value = FieldErrors> {
    prop::collection::vec((name(), prop::collection::vec(message(), 1..3)), 0..4).prop_map(
        |fields| {
            let mut errors = FieldErrors::new();
            for (name, messages) in fields {
                for message in messages {
                    errors.add(name.clone(), message);
                }
            }
            errors
        },
    )
}

/// Struct details whose fields are extension members in `problem`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Credit {
    balance: u32,
    accounts: Vec<String>,
}

/// Struct details whose fields are named like `problem`'s own members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Clash {
    status: String,
    title: Option<String>,
}

fn credit() -> impl Strategy<Value = Credit> {
    (any::<u32>(), prop::collection::vec(message(), 0..3))
        .prop_map(|(balance, accounts)| Credit { balance, accounts })
}

fn clash() -> impl Strategy<Value = Clash> {
    (message(), prop::option::of(message())).prop_map(|(status, title)| Clash { status, title })
}

/// A `Retry-After` in whole seconds, within what a client accepts.
fn wait() -> impl Strategy<Value = Duration> {
    (0..=apierror::retry::MAX_RETRY_AFTER.as_secs()).prop_map(Duration::from_secs)
}

/// Per-response context values, owned.
#[derive(Debug, Clone)]
struct OwnedContext([Option<String>; 4]);

impl OwnedContext {
    fn get(&self) -> Context<'_> {
        let [request_id, timestamp, problem_type, instance] = &self.0;
        let mut context = Context::new();
        context.request_id = request_id.as_deref();
        context.timestamp = timestamp.as_deref();
        context.problem_type = problem_type.as_deref();
        context.instance = instance.as_deref();
        context
    }
}

fn context() -> impl Strategy<Value = OwnedContext> {
    prop::array::uniform4(prop::option::of(message())).prop_map(OwnedContext)
}

/// Statuses and codes no declared variant has.
fn undeclared() -> impl Strategy<Value = (u16, String)> {
    let status = (400_u16..600).prop_filter("declared", |s| !DECLARED_STATUSES.contains(s));
    let code =
        "[a-z][a-z0-9_.-]{0,20}".prop_filter("declared", |c| !DECLARED_CODES.contains(&c.as_str()));
    (status, code)
}

/// The statuses and codes the enums below declare.
const DECLARED_STATUSES: [u16; 10] = [400, 402, 403, 409, 410, 412, 422, 424, 429, 503];
const DECLARED_CODES: [&str; 10] = [
    "gone",
    "invalid",
    "validation",
    "optional_validation",
    "credit",
    "clash",
    "list",
    "map",
    "throttled",
    "unavailable",
];

macro_rules! roundtrip {
    ($module:ident, carries_code = $carries_code:expr, format = $($format:tt)+) => {
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
                #[error("validation failed, perhaps")]
                #[status(409)]
                OptionalValidation {
                    #[api_error(details)]
                    fields: Option<FieldErrors>,
                },
                #[error("out of credit")]
                #[status(402)]
                Credit {
                    #[api_error(details)]
                    credit: Credit,
                },
                #[error("forbidden")]
                #[status(403)]
                Clash {
                    #[api_error(details)]
                    clash: Clash,
                },
                #[error("precondition failed")]
                #[status(412)]
                List {
                    #[api_error(details)]
                    items: Vec<String>,
                },
                #[error("failed dependency")]
                #[status(424)]
                Map {
                    #[api_error(details)]
                    entries: BTreeMap<String, String>,
                },
                #[error("slow down")]
                #[status(429)]
                Throttled {
                    #[api_error(retry_after)]
                    wait: Duration,
                },
                #[error("down for maintenance")]
                #[status(503)]
                Unavailable {
                    #[api_error(retry_after)]
                    wait: Option<u64>,
                },
                #[api_error(unknown)]
                #[error("{0}")]
                Other(Unknown),
            }

            /// Encodes with `context` as a whole response (so `Retry-After` travels too),
            /// decodes its status, headers and body.
            fn roundtrip(error: &E, context: &OwnedContext) -> E {
                let response = error.to_response_with(&context.get());
                E::from_response(response.status(), response.headers(), response.body())
                    .expect("decodes")
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
                fn details_field(fields in field_errors(), context in context()) {
                    let error = E::Validation { fields };
                    prop_assert_eq!(roundtrip(&error, &context), error);
                }

                #[test]
                fn optional_details(fields in prop::option::of(field_errors()), context in context()) {
                    let error = E::OptionalValidation { fields };
                    prop_assert_eq!(roundtrip(&error, &context), error);
                }

                #[test]
                fn struct_details(credit in credit(), clash in clash(), context in context()) {
                    let error = E::Credit { credit };
                    prop_assert_eq!(roundtrip(&error, &context), error);
                    let error = E::Clash { clash };
                    prop_assert_eq!(roundtrip(&error, &context), error);
                }

                #[test]
                fn list_and_map_details(
                    items in prop::collection::vec(message(), 0..3),
                    entries in prop::collection::btree_map(name(), message(), 0..4),
                    context in context(),
                ) {
                    let error = E::List { items };
                    prop_assert_eq!(roundtrip(&error, &context), error);
                    let error = E::Map { entries };
                    prop_assert_eq!(roundtrip(&error, &context), error);
                }

                #[test]
                fn retry_after_fields(
                    wait in wait(),
                    seconds in prop::option::of(0..=apierror::retry::MAX_RETRY_AFTER.as_secs()),
                    context in context(),
                ) {
                    let error = E::Throttled { wait };
                    prop_assert_eq!(roundtrip(&error, &context), error);
                    let error = E::Unavailable { wait: seconds };
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

roundtrip!(plain, carries_code = false, format = "plain");
roundtrip!(nested, carries_code = true, format = "nested");
roundtrip!(fields, carries_code = false, format = "fields");
roundtrip!(reason, carries_code = true, format = "reason");
roundtrip!(flat, carries_code = true, format = "flat");
roundtrip!(problem, carries_code = true, format = "problem");
roundtrip!(auto, carries_code = true, format = apierror::format::Auto);

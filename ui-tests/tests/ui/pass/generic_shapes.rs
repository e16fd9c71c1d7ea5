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
const __sink: u8 = 9;
const __buf: u8 = 10;
const __part: u8 = 11;
const __key_0: u8 = 12;
const __slots: u8 = 13;
const __body: u8 = 14;
const __status: u8 = 15;
const __headers: u8 = 16;
const __now: u8 = 17;
const __code: u8 = 18;
const __chosen: u8 = 19;
const __map: u8 = 20;
const __in_place: u8 = 21;
const __deserializer: u8 = 22;
const __field_param: u8 = 23;
const __meta: u8 = 24;
const __hook: u8 = 25;
const __REGISTERED: u8 = 26;

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

/// A declared format on a generic enum: a key part, a member field of a type parameter,
/// and details of another.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(
    format(json = r#"{"error":{"type":"{type}","code":"{code?}","message":"{message}","param":"{param?}","details":"{details?}"}}"#),
    classify = vendor_classify
)]
enum Vendor<P, D = FieldErrors>
where
    P: std::fmt::Debug,
    D: std::fmt::Debug,
{
    #[error("declined")]
    #[status(402)]
    #[api_error(key(type = "card_error", code = "card_declined"))]
    Declined {
        #[api_error(member)]
        param: Option<P>,
    },
    #[error("invalid")]
    #[status(400)]
    #[api_error(key(type = "invalid_request_error"))]
    Invalid {
        #[api_error(details)]
        fields: D,
    },
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

/// A classify hook for a generic enum: a generic function, its parameters inferred.
fn vendor_classify<P: std::fmt::Debug, D: std::fmt::Debug>(
    error: &Vendor<P, D>,
    meta: &apierror::decode::ResponseMeta,
) -> Option<apierror::retry::Failure> {
    let _ = meta;
    matches!(error, Vendor::Declined { .. })
        .then(|| apierror::retry::Failure::new(apierror::Retry::Never))
}

/// A plain enum registers its family for `dyn Error` classification through a static of
/// its own, whatever constants the module has.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum Plain {
    #[error("gone")]
    #[status(404)]
    Gone,
}

fn main() {
    let _ = (__raw, __input, __kind, __value, __serializer, __context, __field_0, __field_fields);
    let _ = (__sink, __buf, __part, __key_0, __slots, __body, __status, __headers, __now);
    let _ = (__code, __chosen, __map, __in_place, __deserializer, __field_param);
    let _ = (__meta, __hook, __REGISTERED);
    let gone = Plain::from_response(
        apierror::http::StatusCode::NOT_FOUND,
        &apierror::http::HeaderMap::new(),
        br#"{"error":"gone","message":"m"}"#,
    );
    assert!(matches!(gone, Ok(Plain::Gone)));

    let declined: Vendor<String> = Vendor::Declined {
        param: Some("number".to_owned()),
    };
    let body = declined.to_body();
    assert_eq!(
        String::from_utf8(body.clone()).unwrap(),
        r#"{"error":{"type":"card_error","code":"card_declined","message":"declined","param":"number"}}"#
    );
    let back = Vendor::<String>::from_response(
        apierror::http::StatusCode::PAYMENT_REQUIRED,
        &apierror::http::HeaderMap::new(),
        &body,
    )
    .unwrap();
    assert!(matches!(back, Vendor::Declined { param: Some(p) } if p == "number"));
    let invalid = Vendor::<u32>::from_response(
        apierror::http::StatusCode::BAD_REQUEST,
        &apierror::http::HeaderMap::new(),
        br#"{"error":{"details":{"a":["b"]},"type":"invalid_request_error","message":"m"}}"#,
    )
    .unwrap();
    assert!(matches!(invalid, Vendor::Invalid { .. }));

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

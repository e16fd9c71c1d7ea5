//! Details are decoded in the same pass as the envelope when the code comes first, and
//! kept as text until a variant is chosen when it does not; either way the result is the
//! one reading every value as text first gives.

use std::cell::RefCell;

use apierror::__private::DecodeInput;
use apierror::{ApiError, FieldErrors, Unknown};
use http::{HeaderMap, StatusCode};
use proptest::prelude::*;
use serde::{Deserialize, Deserializer, Serialize};

thread_local! {
    /// The deserializer types `Seen` was read through, in order.
    static READERS: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// Details that note how they were read: straight from the body (`SliceRead`, in place)
/// or from text kept first (`StrRead`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Seen(Vec<String>);

impl<'de> Deserialize<'de> for Seen {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::any::type_name::<D>();
        // serde_json's reader of a body, or a declared format's reader of one.
        let reader = if name.contains("SliceRead") || name.contains("ValueDeserializer") {
            "in place"
        } else {
            "from text"
        };
        READERS.with(|r| r.borrow_mut().push(reader));
        Vec::deserialize(deserializer).map(Seen)
    }
}

/// How the `Seen` details of the last decode were read.
fn readers() -> Vec<&'static str> {
    READERS.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Conflict {
    id: u32,
}

macro_rules! enum_in {
    ($name:ident, $($format:tt)+) => {
        #[derive(Debug, PartialEq, Eq, thiserror::Error, ApiError)]
        #[api_error($($format)+)]
        enum $name {
            #[error("invalid")]
            #[status(422)]
            #[code("a")]
            Invalid {
                #[api_error(details)]
                seen: Seen,
            },
            #[error("conflict")]
            #[status(409)]
            #[code("b")]
            Taken {
                #[api_error(details)]
                conflict: Option<Conflict>,
            },
            #[error("{message}")]
            #[status(400)]
            #[code("c")]
            Bad {
                #[api_error(message)]
                message: String,
            },
            #[error("fields")]
            #[status(400)]
            #[code("d")]
            Fields {
                #[api_error(details)]
                fields: FieldErrors,
            },
            #[error("again")]
            #[status(400)]
            #[code("e")]
            Again {
                #[api_error(details)]
                seen: Seen,
            },
            #[api_error(unknown)]
            #[error("{0}")]
            Other(Unknown),
        }
    };
}

enum_in!(InFlat, format = "flat");
enum_in!(InNested, format = "nested");
enum_in!(InReason, format = "reason");
enum_in!(InProblem, format = "problem");
enum_in!(InAuto, format = apierror::format::Auto);
// `flat`'s shape, declared: it must decode every body as `flat` does.
enum_in!(
    InDeclared,
    format(json = r#"{"error":"{code}","message":"{message}","details":{details?}}"#)
);
// `nested`'s shape, declared.
enum_in!(
    InDeclaredNested,
    format(
        json = r#"{"error":{"code":"{code}","message":"{message}","details":{details?},"request_id":"{request_id?}","timestamp":"{timestamp?}"}}"#
    )
);

/// Problem lets two variants share a code under different statuses: neither decodes in
/// place, and each still gets its details.
#[derive(Debug, PartialEq, Eq, thiserror::Error, ApiError)]
#[api_error(format = "problem")]
enum Shared {
    #[error("invalid")]
    #[status(422)]
    #[code("a")]
    Invalid {
        #[api_error(details)]
        fields: FieldErrors,
    },
    #[error("invalid")]
    #[status(400)]
    #[code("a")]
    Malformed {
        #[api_error(details)]
        fields: FieldErrors,
    },
}

/// The status alone picks the variant (GitHub's way): the details are read for the
/// variant the response's status picks, before the body says anything.
macro_rules! by_status {
    ($name:ident, $($format:tt)+) => {
        #[derive(Debug, PartialEq, Eq, thiserror::Error, ApiError)]
        #[api_error($($format)+)]
        enum $name {
            #[error("invalid")]
            #[status(422)]
            Invalid {
                #[api_error(details)]
                seen: Seen,
            },
            #[error("conflict")]
            #[status(409)]
            Taken {
                #[api_error(details)]
                conflict: Option<Conflict>,
            },
            #[error("{message}")]
            #[status(400)]
            Bad {
                #[api_error(message)]
                message: String,
            },
            #[api_error(unknown)]
            #[error("{0}")]
            Other(Unknown),
        }
    };
}

by_status!(
    ByStatus,
    format(json = r#"{"message":"{message}","errors":{details?},"status":"{status}"}"#)
);
by_status!(ByStatusFields, format = "fields");

fn decode<E: ApiError>(status: u16, body: &str) -> Result<E, apierror::DecodeError> {
    let status = StatusCode::from_u16(status).unwrap();
    E::from_response(status, &HeaderMap::new(), body.as_bytes())
}

/// `decode` with every details value kept as text first, and decoded once the variant is
/// chosen: the format's read with no details reader, then the variant picked.
fn text_first<E: ApiError>(status: u16, body: &str) -> Result<E, apierror::DecodeError> {
    let status = StatusCode::from_u16(status).unwrap();
    let headers = HeaderMap::new();
    let input = DecodeInput::read::<E::Format>(status, &headers, body.as_bytes());
    E::__decode(&input)
}

fn seen(items: &[&str]) -> Seen {
    Seen(items.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn details_after_the_code_are_read_in_place() {
    let body = r#"{"error":"a","message":"m","details":["x","y"]}"#;
    assert_eq!(
        decode::<InFlat>(422, body).unwrap(),
        InFlat::Invalid {
            seen: seen(&["x", "y"])
        }
    );
    assert_eq!(readers(), ["in place"]);

    let body = r#"{"error":{"code":"a","details":["x"],"request_id":"r"}}"#;
    assert_eq!(
        decode::<InNested>(422, body).unwrap(),
        InNested::Invalid { seen: seen(&["x"]) }
    );
    assert_eq!(readers(), ["in place"]);

    let body = r#"{"error":{"code":422,"reason":"a","details":["x"]}}"#;
    assert_eq!(
        decode::<InReason>(422, body).unwrap(),
        InReason::Invalid { seen: seen(&["x"]) }
    );
    assert_eq!(readers(), ["in place"]);

    // `auto` recognises the shape, then reads it as that format does.
    let body = r#"{"error":"a","message":"m","details":["x"]}"#;
    assert_eq!(
        decode::<InAuto>(422, body).unwrap(),
        InAuto::Invalid { seen: seen(&["x"]) }
    );
    assert_eq!(readers(), ["in place"]);
}

#[test]
fn details_before_the_code_are_kept_as_text_until_the_code_is_known() {
    let body = r#"{"details":["x"],"message":"m","error":"a"}"#;
    assert_eq!(
        decode::<InFlat>(422, body).unwrap(),
        InFlat::Invalid { seen: seen(&["x"]) }
    );
    assert_eq!(readers(), ["from text"]);

    let body = r#"{"error":{"details":["x"],"code":"a"}}"#;
    assert_eq!(
        decode::<InNested>(422, body).unwrap(),
        InNested::Invalid { seen: seen(&["x"]) }
    );
    assert_eq!(readers(), ["from text"]);
}

#[test]
fn where_the_status_picks_the_variant_its_details_are_read_in_place() {
    let body = r#"{"errors":["x","y"],"message":"m","status":"422"}"#;
    assert_eq!(
        decode::<ByStatus>(422, body).unwrap(),
        ByStatus::Invalid {
            seen: seen(&["x", "y"])
        }
    );
    assert_eq!(readers(), ["in place"]);
    let body = r#"{"message":"m","errors":["x"]}"#;
    assert_eq!(
        decode::<ByStatusFields>(422, body).unwrap(),
        ByStatusFields::Invalid { seen: seen(&["x"]) }
    );
    assert_eq!(readers(), ["in place"]);
    let body = r#"{"errors":{"id":4}}"#;
    assert_eq!(
        decode::<ByStatus>(409, body).unwrap(),
        ByStatus::Taken {
            conflict: Some(Conflict { id: 4 })
        }
    );

    // A status no variant has: nothing is read in place, and the body is kept.
    let body = r#"{"errors":["x"],"message":"m"}"#;
    let ByStatus::Other(unknown) = decode::<ByStatus>(418, body).unwrap() else {
        panic!("not the unknown variant");
    };
    assert_eq!(unknown.body(), body.as_bytes());
    assert_eq!(readers(), Vec::<&str>::new());

    // Details that do not fit the status's variant: kept, and that variant built from
    // nothing, as reading the text first does.
    let body = r#"{"errors":{"not":"a list"}}"#;
    assert_eq!(
        decode::<ByStatus>(422, body).unwrap(),
        ByStatus::Invalid { seen: seen(&[]) }
    );
    readers();
}

#[test]
fn problem_reads_field_errors_in_place_and_other_details_from_its_members() {
    let body = r#"{"type":"about:blank","status":400,"code":"d","errors":{"name":["is taken"]},"trace":1}"#;
    assert_eq!(
        decode::<InProblem>(400, body).unwrap(),
        InProblem::Fields {
            fields: FieldErrors::new().with_field("name", "is taken")
        }
    );
    // A struct is read from the extension members together.
    let body = r#"{"status":409,"code":"b","id":7,"trace":1}"#;
    assert_eq!(
        decode::<InProblem>(409, body).unwrap(),
        InProblem::Taken {
            conflict: Some(Conflict { id: 7 })
        }
    );
    // A list is written, and read, under `details`: kept as text with the other members.
    let body = r#"{"status":422,"code":"a","details":["x"]}"#;
    assert_eq!(
        decode::<InProblem>(422, body).unwrap(),
        InProblem::Invalid { seen: seen(&["x"]) }
    );
    assert!(readers().iter().all(|r| *r == "from text"));
}

#[test]
fn a_code_shared_by_two_variants_still_picks_by_status() {
    let body = r#"{"status":400,"code":"a","errors":{"q":["is required"]}}"#;
    assert_eq!(
        decode::<Shared>(400, body).unwrap(),
        Shared::Malformed {
            fields: FieldErrors::new().with_field("q", "is required")
        }
    );
    let body = r#"{"status":422,"code":"a","errors":{"q":["is invalid"]}}"#;
    assert_eq!(
        decode::<Shared>(422, body).unwrap(),
        Shared::Invalid {
            fields: FieldErrors::new().with_field("q", "is invalid")
        }
    );
}

#[test]
fn details_that_do_not_fit_are_dropped_as_before() {
    // Mistyped: read in place, which fails, so the value is kept as text; the variant is
    // still chosen, with details built from nothing.
    let body = r#"{"error":"b","message":"m","details":"text"}"#;
    assert_eq!(
        decode::<InFlat>(409, body).unwrap(),
        InFlat::Taken { conflict: None }
    );
    let body = r#"{"error":"b","details":{"id":"seven"}}"#;
    assert_eq!(
        decode::<InFlat>(409, body).unwrap(),
        InFlat::Taken { conflict: None }
    );
    // A list is built from nothing as an empty one.
    let body = r#"{"error":"a","details":{"not":"a list"}}"#;
    assert_eq!(
        decode::<InFlat>(422, body).unwrap(),
        InFlat::Invalid { seen: seen(&[]) }
    );
    // Read in place first; then from the text kept, and from nothing.
    let readers = readers();
    assert_eq!(readers[0], "in place");
    assert!(
        readers[1..].iter().all(|r| *r == "from text"),
        "{readers:?}"
    );
}

#[test]
fn a_repeated_member_means_what_it_means_in_the_text() {
    // A later `null` leaves the earlier details.
    let body = r#"{"error":"a","details":["x"],"details":null}"#;
    assert_eq!(
        decode::<InFlat>(422, body).unwrap(),
        InFlat::Invalid { seen: seen(&["x"]) }
    );
    let body = r#"{"error":"b","details":{"id":1},"details":null}"#;
    assert_eq!(
        decode::<InFlat>(409, body).unwrap(),
        InFlat::Taken {
            conflict: Some(Conflict { id: 1 })
        }
    );
    // A later value replaces it.
    let body = r#"{"error":"a","details":["x"],"details":["y"]}"#;
    assert_eq!(
        decode::<InFlat>(422, body).unwrap(),
        InFlat::Invalid { seen: seen(&["y"]) }
    );
    // A later code replaces the one the details were decoded for.
    let body = r#"{"error":"b","details":["x"],"error":"a"}"#;
    assert_eq!(
        decode::<InFlat>(422, body).unwrap(),
        InFlat::Invalid { seen: seen(&["x"]) }
    );
    let body = r#"{"error":"a","details":["x"],"error":"e"}"#;
    assert_eq!(
        decode::<InFlat>(400, body).unwrap(),
        InFlat::Again { seen: seen(&["x"]) }
    );
    let body = r#"{"status":400,"code":"d","errors":{"a":["1"]},"errors":{"b":["2"]}}"#;
    assert_eq!(
        decode::<InProblem>(400, body).unwrap(),
        InProblem::Fields {
            fields: FieldErrors::new().with_field("b", "2")
        }
    );
}

/// One member of a generated body: a name and a JSON value.
fn member(code: &'static str, details: &'static str) -> impl Strategy<Value = String> {
    let codes = prop::sample::select(vec![
        r#""a""#, r#""b""#, r#""c""#, r#""d""#, r#""e""#, r#""zz""#, "7",
    ]);
    let values = prop::sample::select(vec![
        r#"["x","y"]"#,
        r#"{"id":3}"#,
        r#"{"id":"3"}"#,
        r#"{"f":["e"]}"#,
        r#""text""#,
        "null",
        "1e400",
        r#""\ud800""#,
        "[1,2]",
        "{}",
    ]);
    prop_oneof![
        codes.prop_map(move |c| format!(r#""{code}":{c}"#)),
        values
            .clone()
            .prop_map(move |v| format!(r#""{details}":{v}"#)),
        values.prop_map(|v| format!(r#""id":{v}"#)),
        Just(r#""message":"m""#.to_owned()),
        Just(r#""status":409"#.to_owned()),
    ]
}

fn object(members: &[String]) -> String {
    format!("{{{}}}", members.join(","))
}

/// `decode` equals `decode` with every details value read as text first.
fn same_both_ways<E: ApiError + PartialEq + std::fmt::Debug>(status: u16, body: &str) {
    let fast = decode::<E>(status, body);
    let slow = text_first::<E>(status, body);
    assert_eq!(fast, slow, "{body}");
    readers();
}

#[test]
fn a_declared_format_reads_details_in_place_after_the_code_and_from_text_before_it() {
    let body = r#"{"error":"a","message":"m","details":["x","y"]}"#;
    assert_eq!(
        decode::<InDeclared>(422, body).unwrap(),
        InDeclared::Invalid {
            seen: seen(&["x", "y"])
        }
    );
    assert_eq!(readers(), ["in place"]);

    let body = r#"{"details":["x"],"message":"m","error":"a"}"#;
    assert_eq!(
        decode::<InDeclared>(422, body).unwrap(),
        InDeclared::Invalid { seen: seen(&["x"]) }
    );
    assert_eq!(readers(), ["from text"]);

    // Decoded for `b`'s type, but a later code names `a`: read again, from the text.
    let body = r#"{"error":"b","details":["x"],"error":"a"}"#;
    assert_eq!(
        decode::<InDeclared>(422, body).unwrap(),
        InDeclared::Invalid { seen: seen(&["x"]) }
    );
    assert_eq!(readers(), ["from text"]);
    // Decoded in place for `a`, but a later code names `e`, whose type is the same.
    let body = r#"{"error":"a","details":["x"],"error":"e"}"#;
    assert_eq!(
        decode::<InDeclared>(400, body).unwrap(),
        InDeclared::Again { seen: seen(&["x"]) }
    );
    assert_eq!(readers(), ["in place", "from text"]);
    // A later details member replaces the earlier one; a later `null` does not.
    let body = r#"{"error":"a","details":["x"],"details":["y"]}"#;
    assert_eq!(
        decode::<InDeclared>(422, body).unwrap(),
        InDeclared::Invalid { seen: seen(&["y"]) }
    );
    let body = r#"{"error":"a","details":["x"],"details":null}"#;
    assert_eq!(
        decode::<InDeclared>(422, body).unwrap(),
        InDeclared::Invalid { seen: seen(&["x"]) }
    );
    readers();
}

/// A declared format decodes every body as the built-in format of the same shape does
/// (read as text first).
fn same_as_builtin<D: ApiError + std::fmt::Debug, B: ApiError + std::fmt::Debug>(
    status: u16,
    body: &str,
) {
    let declared = decode::<D>(status, body).map(|e| format!("{e:?}"));
    let builtin = text_first::<B>(status, body).map(|e| format!("{e:?}"));
    assert_eq!(declared.ok(), builtin.ok(), "{body}");
    readers();
}

proptest! {
    #[test]
    fn reading_in_place_changes_no_result(
        status in prop::sample::select(vec![400u16, 409, 422, 500]),
        top in prop::collection::vec(member("error", "details"), 0..6),
        inner in prop::collection::vec(member("code", "details"), 0..6),
        problem in prop::collection::vec(member("code", "errors"), 0..6),
        reason in prop::collection::vec(member("reason", "details"), 0..6),
    ) {
        same_both_ways::<InFlat>(status, &object(&top));
        same_as_builtin::<InDeclared, InFlat>(status, &object(&top));
        same_both_ways::<InAuto>(status, &object(&top));
        let nested = format!(r#"{{"error":{}}}"#, object(&inner));
        same_both_ways::<InNested>(status, &nested);
        same_as_builtin::<InDeclaredNested, InNested>(status, &nested);
        same_both_ways::<InAuto>(status, &nested);
        same_both_ways::<InProblem>(status, &object(&problem));
        same_both_ways::<InProblem>(status, &object(&inner));
        same_both_ways::<Shared>(status, &object(&problem));
        let reason = format!(r#"{{"error":{}}}"#, object(&reason));
        same_both_ways::<InReason>(status, &reason);
        same_both_ways::<ByStatus>(status, &object(&problem));
        same_both_ways::<ByStatusFields>(status, &object(&problem));
    }
}

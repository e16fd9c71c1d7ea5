//! Hostile bodies: a mebibyte of field errors or members decodes, in every format, with
//! every field kept in order (decoding costs time linear in the body: the quadratic
//! decoders this replaced took minutes here), and a value the JSON parser rejects as
//! typed (`1e400`, a lone surrogate) is dropped like any mistyped member.

use std::fmt::Write as _;

use apierror::decode::MAX_DECODED_BODY;
use apierror::format::{Auto, Shape};
use apierror::{ApiError, FieldErrors, Unknown};

use super::formats_seeds::decode;

/// `"00000":["m"],"00001":["m"],…`: as many distinct names as fit in `room` bytes.
fn distinct_fields(room: usize) -> (String, usize) {
    const ENTRY: usize = r#""00000":["m"],"#.len();
    let count = room / ENTRY;
    let mut text = String::with_capacity(count * ENTRY);
    for i in 0..count {
        if i > 0 {
            text.push(',');
        }
        write!(text, r#""{i:05x}":["m"]"#).expect("writing to a String");
    }
    (text, count)
}

/// `"f":["m"],"f":["m"],…`: one name repeated as often as fits in `room` bytes.
fn repeated_field(room: usize) -> (String, usize) {
    const ENTRY: &str = r#""f":["m"]"#;
    let count = room / (ENTRY.len() + 1);
    (vec![ENTRY; count].join(","), count)
}

/// Room for the fields once the envelope around them is written.
const ROOM: usize = MAX_DECODED_BODY - 256;

/// Checks that `fields` are the distinct fields in order, or the repeated one merged.
fn check_distinct(fields: &FieldErrors, count: usize) {
    assert_eq!(fields.len(), count);
    let names: Vec<&str> = fields.iter().map(|(name, _)| name).collect();
    assert_eq!(names[0], "00000");
    assert_eq!(names[count - 1], format!("{:05x}", count - 1));
    assert!(names.windows(2).all(|pair| pair[0] < pair[1]), "order kept");
    assert_eq!(fields.get(&format!("{:05x}", count / 2)).unwrap(), ["m"]);
}

/// Checks that the repeated field is one field with `messages` messages.
fn check_repeated(fields: &FieldErrors, messages: usize) {
    assert_eq!(fields.len(), 1);
    assert_eq!(fields.get("f").unwrap().len(), messages);
}

macro_rules! hostile {
    ($module:ident, format = [$($format:tt)+], shape = $shape:expr, body = $body:expr) => {
        hostile!($module, format = [$($format)+], shape = $shape, body = $body, repeats = |count| count);
    };
    ($module:ident, format = [$($format:tt)+], shape = $shape:expr, body = $body:expr, repeats = $repeats:expr) => {
        mod $module {
            use super::*;

            #[derive(Debug, thiserror::Error, ApiError)]
            #[api_error(format = $($format)+)]
            pub(super) enum E {
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

            /// The format's body around `fields` (the text inside the details object).
            pub(super) fn body(fields: &str) -> String {
                let wrap: fn(&str) -> String = $body;
                wrap(fields)
            }

            fn fields_of(body: &str) -> FieldErrors {
                assert!(body.len() <= MAX_DECODED_BODY, "{}", body.len());
                match decode::<E>(422, body.as_bytes()).unwrap() {
                    E::Validation { fields } => fields,
                    other => panic!("{other:?}"),
                }
            }

            #[test]
            fn a_mebibyte_of_distinct_fields() {
                let (fields, count) = distinct_fields(ROOM);
                check_distinct(&fields_of(&body(&fields)), count);
            }

            #[test]
            fn a_mebibyte_of_one_repeated_field() {
                let (fields, count) = repeated_field(ROOM);
                let messages: fn(usize) -> usize = $repeats;
                check_repeated(&fields_of(&body(&fields)), messages(count));
            }

            #[test]
            fn values_the_parser_rejects_are_dropped_not_fatal() {
                let body = body(r#""email":["is invalid"]"#)
                    .replace(r#""MESSAGE""#, r#""\ud800""#)
                    .replace("\"STATE\"", "1e400");
                assert_eq!(
                    fields_of(&body),
                    FieldErrors::new().with_field("email", "is invalid"),
                    "{body}"
                );
                let shape: Option<Shape> = $shape;
                if let Some(shape) = shape {
                    assert_eq!(Auto::detect(body.as_bytes()), Some(shape), "{body}");
                }
                let detected = Auto::detect(body.as_bytes()).expect("a shape");
                assert!(detected.decode(body.as_bytes()).is_ok(), "{body}");
            }
        }
    };
}

// Each body has a `"MESSAGE"` and a `"STATE"` value, which the lenient test swaps for a
// lone surrogate and an out-of-range number.
hostile!(
    plain,
    format = ["plain"],
    shape = Some(Shape::Plain),
    body = |fields| { format!(r#"{{"error":"MESSAGE","state":"STATE","details":{{{fields}}}}}"#) }
);
hostile!(
    nested,
    format = ["nested"],
    shape = Some(Shape::Nested),
    body = |fields| {
        format!(
            r#"{{"error":{{"code":"validation","message":"MESSAGE","request_id":"STATE","timestamp":"STATE","details":{{{fields}}}}}}}"#
        )
    }
);
hostile!(
    fields,
    format = ["fields"],
    shape = Some(Shape::Fields),
    body = |fields| { format!(r#"{{"message":"MESSAGE","state":"STATE","errors":{{{fields}}}}}"#) }
);
hostile!(
    reason,
    format = ["reason"],
    shape = Some(Shape::Reason),
    body = |fields| {
        format!(
            r#"{{"error":{{"code":"STATE","reason":"validation","message":"MESSAGE","details":{{{fields}}}}}}}"#
        )
    }
);
hostile!(
    flat,
    format = ["flat"],
    shape = Some(Shape::Flat),
    body = |fields| {
        format!(
            r#"{{"error":"validation","message":"MESSAGE","state":"STATE","details":{{{fields}}}}}"#
        )
    }
);
hostile!(
    problem,
    format = ["problem"],
    shape = Some(Shape::Problem),
    body = |fields| {
        format!(
            r#"{{"type":"STATE","title":"MESSAGE","status":"STATE","detail":"MESSAGE","instance":"STATE","code":"validation","request_id":"STATE","timestamp":"MESSAGE","errors":{{{fields}}}}}"#
        )
    }
);
hostile!(
    problem_members,
    format = ["problem"],
    shape = Some(Shape::Problem),
    body =
        |fields| format!(r#"{{"status":"STATE","detail":"MESSAGE","code":"validation",{fields}}}"#),
    // Extension members are members of one object: a repeated one replaces the earlier.
    repeats = |_| 1
);
hostile!(
    auto_nested,
    format = [apierror::format::Auto],
    shape = None,
    body = |fields| { super::nested::body(fields) }
);
hostile!(
    auto_reason,
    format = [apierror::format::Auto],
    shape = None,
    body = |fields| { super::reason::body(fields) }
);
hostile!(
    auto_flat,
    format = [apierror::format::Auto],
    shape = None,
    body = |fields| { super::flat::body(fields) }
);
hostile!(
    auto_problem,
    format = [apierror::format::Auto],
    shape = None,
    body = |fields| { super::problem::body(fields) }
);

//! The `problem` format: RFC 9457 problem details (`application/problem+json`).

use super::declared::{Declaration, Extensions, Part, declared_methods, member, optional, part};
use crate::format::Format;

/// The members `problem` defines itself; no extension member may take these names.
const STANDARD_MEMBERS: [&str; 8] = [
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "code",
    "request_id",
    "timestamp",
];

// Field errors travel under `errors`, which must not be a standard member: `flatten`
// writes them without checking.
const _: () = assert!(!is_standard(super::flatten::FIELD_ERRORS_MEMBER));

/// Whether `name` is one of [`STANDARD_MEMBERS`], at compile time.
const fn is_standard(name: &str) -> bool {
    let mut i = 0;
    while i < STANDARD_MEMBERS.len() {
        let member = STANDARD_MEMBERS[i].as_bytes();
        let name = name.as_bytes();
        if member.len() == name.len() {
            let mut j = 0;
            while j < name.len() && member[j] == name[j] {
                j += 1;
            }
            if j == name.len() {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// RFC 9457 problem details, in this order: `type` (the [`Context`](crate::Context)'s
/// `problem_type`, else `about:blank`), `title` (the status's reason phrase), `status`,
/// `detail` (the public message), `instance` (from the context, if any), `code`,
/// `request_id` and `timestamp` (from the context, if any), then the details.
///
/// [`FieldErrors`](crate::FieldErrors) details travel under one `errors` member, as
/// ASP.NET Core's `ValidationProblemDetails` carries them, so no field name can clash
/// with a standard member. Other details that serialize as a map or struct add their
/// entries as extension members, unless one of them is named like a standard member:
/// such details, and details that are not an object, are written whole under
/// `details`. Nothing is ever dropped. Decoding picks the variant by `code`; it reads
/// `detail` as the message, `status` as the status, and collects every non-standard
/// member as the details ([`RawDetails::Members`](crate::format::RawDetails::Members)), which decode back into each of
/// these shapes.
///
/// ```text
/// {"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"validation failed","code":"validation_error","errors":{"email":["is not an email address"]}}
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Problem;

impl Format for Problem {
    const NAME: &'static str = "problem";
    const CONTENT_TYPE: &'static str = "application/problem+json";

    #[cfg(feature = "utoipa")]
    fn schema(
        doc: &crate::format::schema::EnvelopeDoc<'_>,
    ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::format::schema::problem(doc)
    }

    declared_methods!(DECLARATION);
}

/// The format, declared: the standard members in order, then the details as extension
/// members.
const DECLARATION: Declaration = Declaration {
    name: "problem",
    content_type: "application/problem+json",
    members: &[
        member!("type" => part(Part::ProblemType)),
        member!("title" => part(Part::Title)),
        member!("status" => part(Part::Status)),
        member!("detail" => part(Part::Message)),
        member!("instance" => optional(Part::Instance)),
        member!("code" => part(Part::Code)),
        member!("request_id" => optional(Part::RequestId)),
        member!("timestamp" => optional(Part::Timestamp)),
    ],
    literals: 0,
    extensions: Some(Extensions {
        reserved: &STANDARD_MEMBERS,
        whole: "details",
    }),
};

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    use super::*;
    use crate::FieldErrors;
    use crate::format::RawDetails;
    use crate::format::envelope::Context;
    use crate::format::sample::{self, AWKWARD, AWKWARD_JSON, TRACED};

    #[test]
    fn field_errors_travel_under_a_member_that_is_not_standard() {
        assert!(is_standard("status") && is_standard("request_id"));
        assert!(!is_standard(crate::format::flatten::FIELD_ERRORS_MEMBER));
        assert!(!is_standard("statu") && !is_standard("statuses"));
    }

    #[test]
    fn encodes_the_standard_members_in_order() {
        assert_eq!(
            sample::encode_bare::<Problem>(404, "not_found", "no such order"),
            r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"no such order","code":"not_found"}"#
        );
        assert_eq!(
            sample::encode_bare::<Problem>(599, "odd", AWKWARD),
            format!(
                r#"{{"type":"about:blank","title":"Error","status":599,"detail":{AWKWARD_JSON},"code":"odd"}}"#
            )
        );
    }

    #[test]
    fn encodes_the_whole_context() {
        let context = Context {
            problem_type: Some("https://example.com/probs/out-of-credit"),
            instance: Some("/account/12345/msgs/abc"),
            ..TRACED
        };
        assert_eq!(
            sample::encode::<Problem, FieldErrors>(
                403,
                "out_of_credit",
                "Your balance is 30.",
                None,
                &context
            ),
            r#"{"type":"https://example.com/probs/out-of-credit","title":"Forbidden","status":403,"detail":"Your balance is 30.","instance":"/account/12345/msgs/abc","code":"out_of_credit","request_id":"req_8f2c","timestamp":"2024-05-01T12:00:00Z"}"#
        );
    }

    #[test]
    fn field_errors_travel_under_one_errors_member() {
        let errors = FieldErrors::new()
            .with_field("email", "is invalid")
            .with_field("age", "is negative");
        assert_eq!(
            sample::encode::<Problem, _>(422, "invalid", "Invalid.", Some(&errors), &TRACED),
            r#"{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"Invalid.","code":"invalid","request_id":"req_8f2c","timestamp":"2024-05-01T12:00:00Z","errors":{"email":["is invalid"],"age":["is negative"]}}"#
        );
    }

    #[test]
    fn flattens_map_details_into_extension_members() {
        let details: BTreeMap<&str, u32> = [("balance", 30), ("cost", 50)].into();
        assert_eq!(
            sample::encode::<Problem, _>(403, "out_of_credit", "m", Some(&details), &TRACED),
            r#"{"type":"about:blank","title":"Forbidden","status":403,"detail":"m","code":"out_of_credit","request_id":"req_8f2c","timestamp":"2024-05-01T12:00:00Z","balance":30,"cost":50}"#
        );
    }

    #[test]
    fn details_that_clash_with_standard_members_travel_whole() {
        let details: BTreeMap<&str, &str> = [
            ("balance", "30"),
            ("code", "x"),
            ("detail", "x"),
            ("request_id", "x"),
            ("type", "x"),
        ]
        .into();
        assert_eq!(
            sample::encode::<Problem, _>(
                403,
                "out_of_credit",
                "m",
                Some(&details),
                &Context::EMPTY
            ),
            r#"{"type":"about:blank","title":"Forbidden","status":403,"detail":"m","code":"out_of_credit","details":{"balance":"30","code":"x","detail":"x","request_id":"x","type":"x"}}"#
        );
        let body = sample::encode::<Problem, _>(403, "c", "m", Some(&details), &Context::EMPTY);
        let raw = Problem::decode(body.as_bytes()).unwrap();
        assert_eq!(
            raw.details
                .unwrap()
                .decode::<BTreeMap<String, String>>()
                .unwrap(),
            details
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>()
        );
        // A field error called `status` is kept: field errors travel under `errors`.
        assert_eq!(
            sample::encode::<Problem, _>(
                422,
                "invalid",
                "m",
                Some(&sample::field_errors()),
                &Context::EMPTY
            ),
            r#"{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"m","code":"invalid","errors":{"price":["The price must be a number.","The price must be at least 0."],"status":["The selected status is invalid."]}}"#
        );
    }

    #[test]
    fn writes_other_details_under_details() {
        assert_eq!(
            sample::encode::<Problem, _>(400, "bad", "m", Some(&["a", "b"]), &Context::EMPTY),
            r#"{"type":"about:blank","title":"Bad Request","status":400,"detail":"m","code":"bad","details":["a","b"]}"#
        );
        assert_eq!(
            sample::encode::<Problem, _>(
                400,
                "bad",
                "m",
                Some(&None::<FieldErrors>),
                &Context::EMPTY
            ),
            r#"{"type":"about:blank","title":"Bad Request","status":400,"detail":"m","code":"bad"}"#
        );
    }

    #[test]
    fn decodes_standard_and_extension_members() {
        let body = br#"{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","status":403,"detail":"Your current balance is 30, but that costs 50.","instance":"/account/12345/msgs/abc","code":"out_of_credit","request_id":"r1","timestamp":"t1","balance":30,"accounts":["/account/12345","/account/67890"]}"#;
        let raw = Problem::decode(body).unwrap();
        assert_eq!(
            sample::parts(&raw),
            [
                Some("out_of_credit"),
                Some("Your current balance is 30, but that costs 50."),
                Some("r1"),
                Some("t1")
            ]
        );
        assert_eq!(raw.status, Some(403));
        assert_eq!(
            sample::details_json(&raw).as_deref(),
            Some(r#"{"balance":30,"accounts":["/account/12345","/account/67890"]}"#)
        );
    }

    #[test]
    fn decodes_flattened_field_errors_back() {
        let errors = FieldErrors::new()
            .with_field("email", "is invalid")
            .with_field("email", "is taken");
        let body = sample::encode::<Problem, _>(422, "invalid", "Invalid.", Some(&errors), &TRACED);
        let raw = Problem::decode(body.as_bytes()).unwrap();
        let decoded: FieldErrors = raw.details.unwrap().decode().unwrap();
        assert_eq!(decoded, errors);
    }

    #[test]
    fn field_errors_named_like_any_member_decode_back() {
        let errors = [
            "details", "errors", "status", "type", "title", "detail", "instance", "code",
        ]
        .into_iter()
        .map(|name| (name, "is wrong"))
        .collect::<FieldErrors>();
        let body =
            sample::encode::<Problem, _>(422, "invalid", "m", Some(&errors), &Context::EMPTY);
        assert!(
            body.ends_with(r#""code":"invalid","errors":{"details":["is wrong"],"errors":["is wrong"],"status":["is wrong"],"type":["is wrong"],"title":["is wrong"],"detail":["is wrong"],"instance":["is wrong"],"code":["is wrong"]}}"#),
            "{body}"
        );
        let raw = Problem::decode(body.as_bytes()).unwrap();
        assert_eq!(
            raw.details.unwrap().decode::<FieldErrors>().unwrap(),
            errors
        );
    }

    #[test]
    fn details_that_are_not_an_object_decode_back() {
        let body =
            sample::encode::<Problem, _>(400, "bad", "m", Some(&["a", "b"]), &Context::EMPTY);
        let raw = Problem::decode(body.as_bytes()).unwrap();
        assert_eq!(
            raw.details.unwrap().decode::<Vec<String>>().unwrap(),
            ["a", "b"]
        );
    }

    #[test]
    fn decodes_leniently() {
        let body = br#"{"status":"403","detail":["d"],"balance":1,"code":null,"type":5,"balance":2,"title":{}}"#;
        let raw = Problem::decode(body).unwrap();
        assert_eq!(sample::parts(&raw), [None; 4]);
        assert_eq!(raw.status, None);
        assert_eq!(
            sample::details_json(&raw).as_deref(),
            Some(r#"{"balance":2}"#)
        );

        let raw = Problem::decode(br#"{"status":70000,"code":"c"}"#).unwrap();
        assert_eq!(raw.status, None);
        assert!(raw.details.is_none());
    }

    #[test]
    fn extension_member_names_borrow_unless_escaped() {
        let raw = Problem::decode(br#"{"plain":1,"tab\t":2}"#).unwrap();
        let Some(RawDetails::Members(members)) = raw.details else {
            panic!("members expected");
        };
        assert!(matches!(members[0].0, Cow::Borrowed("plain")));
        assert_eq!(members[1].0, "tab\t");
    }

    #[test]
    fn rejects_what_is_not_an_object() {
        for body in [&b"[]"[..], b"\"about:blank\"", b"{\"status\":4", b"nul"] {
            assert!(
                Problem::decode(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

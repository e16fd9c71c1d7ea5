//! The `nested` format: one `error` object with code, message, details, request id and
//! timestamp.

use super::declared::{Declaration, Part, Value, declared_methods, member, optional, part};
use crate::format::Format;

/// `{"error":{"code":"…","message":"…","details":{…},"request_id":"…","timestamp":"…"}}`.
///
/// `details` is written when the variant has details; `request_id` and `timestamp` when
/// the [`Context`](crate::Context) has them. Decoding picks the variant by `code`.
///
/// Seed 001: `{"error":{"code":"RATE_LIMIT_EXCEEDED","message":"Too many requests"}}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nested;

impl Format for Nested {
    const NAME: &'static str = "nested";

    #[cfg(feature = "utoipa")]
    fn schema(
        doc: &crate::format::schema::EnvelopeDoc<'_>,
    ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::format::schema::nested(doc)
    }

    declared_methods!(DECLARATION);
}

/// The format, declared: `{"error":{"code":"{code}","message":"{message}","details":{details?},"request_id":"{request_id?}","timestamp":"{timestamp?}"}}`.
const DECLARATION: Declaration = Declaration {
    name: "nested",
    content_type: "application/json",
    members: &[member!("error" => Value::Object(&[
        member!("code" => part(Part::Code)),
        member!("message" => part(Part::Message)),
        member!("details" => optional(Part::Details)),
        member!("request_id" => optional(Part::RequestId)),
        member!("timestamp" => optional(Part::Timestamp)),
    ]))],
    literals: 0,
    extensions: None,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::envelope::Context;
    use crate::format::sample::{self, AWKWARD, AWKWARD_JSON, TRACED};

    #[test]
    fn encodes_code_and_message() {
        assert_eq!(
            sample::encode_bare::<Nested>(429, "RATE_LIMIT_EXCEEDED", "Too many requests"),
            r#"{"error":{"code":"RATE_LIMIT_EXCEEDED","message":"Too many requests"}}"#
        );
    }

    #[test]
    fn encodes_every_member_in_order() {
        let errors = sample::field_errors();
        assert_eq!(
            sample::encode::<Nested, _>(
                422,
                "VALIDATION_ERROR",
                "Request validation failed",
                Some(&errors),
                &TRACED
            ),
            r#"{"error":{"code":"VALIDATION_ERROR","message":"Request validation failed","details":{"price":["The price must be a number.","The price must be at least 0."],"status":["The selected status is invalid."]},"request_id":"req_8f2c","timestamp":"2024-05-01T12:00:00Z"}}"#
        );
    }

    #[test]
    fn encodes_only_the_context_it_has() {
        let context = Context {
            timestamp: Some("t"),
            problem_type: Some("https://example.com/p"),
            instance: Some("/i"),
            ..Context::EMPTY
        };
        assert_eq!(
            sample::encode::<Nested, Option<u8>>(404, "NOT_FOUND", AWKWARD, Some(&None), &context),
            format!(
                r#"{{"error":{{"code":"NOT_FOUND","message":{AWKWARD_JSON},"timestamp":"t"}}}}"#
            )
        );
    }

    #[test]
    fn decodes_every_member() {
        let body = br#"{"error":{"code":"VALIDATION_ERROR","message":"Request validation failed","details":{"email":["is invalid"]},"request_id":"req_1","timestamp":"2024-05-01T12:00:00Z"}}"#;
        let raw = Nested::decode(body).unwrap();
        assert_eq!(
            sample::parts(&raw),
            [
                Some("VALIDATION_ERROR"),
                Some("Request validation failed"),
                Some("req_1"),
                Some("2024-05-01T12:00:00Z")
            ]
        );
        assert_eq!(raw.status, None);
        assert_eq!(
            sample::details_json(&raw).as_deref(),
            Some(r#"{"email":["is invalid"]}"#)
        );
    }

    #[test]
    fn decodes_leniently() {
        let body = br#"{"meta":{"error":1},"error":{"timestamp":7,"details":"text","zzz":null,"message":"m","request_id":["r"],"code":"C"},"code":"outer"}"#;
        let raw = Nested::decode(body).unwrap();
        assert_eq!(sample::parts(&raw), [Some("C"), Some("m"), None, None]);
        assert_eq!(sample::details_json(&raw).as_deref(), Some(r#""text""#));

        let raw = Nested::decode(br#"{"error":{"code":404,"message":"m"}}"#).unwrap();
        assert_eq!(sample::parts(&raw), [None, Some("m"), None, None]);
        assert_eq!(raw.status, None);
    }

    #[test]
    fn an_error_member_that_is_not_an_object_is_dropped() {
        for body in [
            &br#"{"error":"INVALID_REQUEST"}"#[..],
            br#"{"error":[{"code":"X"}]}"#,
            b"{}",
        ] {
            let raw = Nested::decode(body).unwrap();
            assert_eq!(sample::parts(&raw), [None; 4]);
            assert!(raw.details.is_none());
        }
    }

    #[test]
    fn rejects_what_is_not_an_object() {
        for body in [
            &b"[{\"error\":{}}]"[..],
            b"\"x\"",
            b"{\"error\":{\"code\":\"X\"}",
            b"<html>",
        ] {
            assert!(
                Nested::decode(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

//! The `plain` format: `{"error":"<message>"}`, the HTTP status alone says which error.

use super::top_level;

/// `{"error":"<message>"}`, with `"details"` after the message when a variant has
/// details. The body carries no code: decoding picks the variant by HTTP status.
///
/// Seed 000 (Everflow): `{"error": "Invalid parameters."}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plain;

top_level::top_level_format!(Plain {
    name: "plain",
    code: None,
    message: "error",
    details: "details",
});

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::format::Format;
    use crate::format::sample::{self, AWKWARD, AWKWARD_JSON, TRACED};

    #[test]
    fn encodes_the_message_alone() {
        assert_eq!(
            sample::encode_bare::<Plain>(400, "bad_request", "Invalid parameters."),
            r#"{"error":"Invalid parameters."}"#
        );
    }

    #[test]
    fn encodes_details_after_the_message_and_ignores_context() {
        let errors = sample::field_errors();
        assert_eq!(
            sample::encode::<Plain, _>(422, "invalid", "Invalid.", Some(&errors), &TRACED),
            r#"{"error":"Invalid.","details":{"price":["The price must be a number.","The price must be at least 0."],"status":["The selected status is invalid."]}}"#
        );
        assert_eq!(
            sample::encode::<Plain, Option<u8>>(422, "invalid", "Invalid.", Some(&None), &TRACED),
            r#"{"error":"Invalid."}"#
        );
    }

    #[test]
    fn escapes_the_message() {
        assert_eq!(
            sample::encode_bare::<Plain>(400, "x", AWKWARD),
            format!(r#"{{"error":{AWKWARD_JSON}}}"#)
        );
    }

    #[test]
    fn decodes_message_and_details() {
        let body = br#"{"error": "Invalid parameters.", "details": {"a": ["b"]}}"#;
        let raw = Plain::decode(body).unwrap();
        assert_eq!(
            sample::parts(&raw),
            [None, Some("Invalid parameters."), None, None]
        );
        assert_eq!(raw.status, None);
        assert_eq!(
            sample::details_json(&raw).as_deref(),
            Some(r#"{"a": ["b"]}"#)
        );
        assert!(matches!(raw.message, Some(Cow::Borrowed(_))));
    }

    #[test]
    fn decodes_leniently() {
        // Out of order, unknown members, mistyped and null members.
        let body = br#"{"details":null,"extra":[1,{"error":"no"}],"error":"late","code":"c"}"#;
        let raw = Plain::decode(body).unwrap();
        assert_eq!(sample::parts(&raw), [None, Some("late"), None, None]);
        assert!(raw.details.is_none());

        let raw = Plain::decode(br#"{"error":{"message":"nested"}}"#).unwrap();
        assert_eq!(sample::parts(&raw), [None; 4]);

        let raw = Plain::decode(br#"{"error":"first","error":42}"#).unwrap();
        assert_eq!(raw.message.as_deref(), Some("first"));
    }

    #[test]
    fn decodes_escaped_messages() {
        let body = format!(r#"{{"error":{AWKWARD_JSON}}}"#);
        let raw = Plain::decode(body.as_bytes()).unwrap();
        assert_eq!(raw.message.as_deref(), Some(AWKWARD));
    }

    #[test]
    fn rejects_what_is_not_an_object() {
        for body in [
            &b"[]"[..],
            b"\"error\"",
            b"12",
            b"null",
            b"{\"error\":",
            b"{} {}",
            b"<html>",
        ] {
            assert!(
                Plain::decode(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

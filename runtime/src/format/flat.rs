//! The `flat` format: `{"error":"<code>","message":"…"}`.

use super::top_level;

/// `{"error":"<code>","message":"…"}`, with `"details"` after the message when a variant
/// has details. Decoding picks the variant by code (`error`).
///
/// Seed 004 (Flextell): `{"error":"invalid_token","message":"The bearer token is expired or malformed."}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flat;

top_level::top_level_format!(Flat {
    name: "flat",
    code: Some("error"),
    message: "message",
    details: "details",
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;
    use crate::format::sample::{self, AWKWARD, AWKWARD_JSON, TRACED};

    #[test]
    fn encodes_code_then_message() {
        assert_eq!(
            sample::encode_bare::<Flat>(
                401,
                "invalid_token",
                "The bearer token is expired or malformed."
            ),
            r#"{"error":"invalid_token","message":"The bearer token is expired or malformed."}"#
        );
        assert_eq!(
            sample::encode_bare::<Flat>(401, "invalid_token", AWKWARD),
            format!(r#"{{"error":"invalid_token","message":{AWKWARD_JSON}}}"#)
        );
    }

    #[test]
    fn encodes_details_after_the_message() {
        let errors = sample::field_errors();
        assert_eq!(
            sample::encode::<Flat, _>(422, "validation_error", "Invalid.", Some(&errors), &TRACED),
            r#"{"error":"validation_error","message":"Invalid.","details":{"price":["The price must be a number.","The price must be at least 0."],"status":["The selected status is invalid."]}}"#
        );
    }

    #[test]
    fn decodes_code_message_and_details() {
        let body = br#"{"message":"slow down","details":[30],"error":"rate_limit_exceeded"}"#;
        let raw = Flat::decode(body).unwrap();
        assert_eq!(
            sample::parts(&raw),
            [Some("rate_limit_exceeded"), Some("slow down"), None, None]
        );
        assert_eq!(sample::details_json(&raw).as_deref(), Some("[30]"));
    }

    #[test]
    fn decodes_leniently() {
        let body = br#"{"error":{"code":"nested"},"message":null,"data":{},"request_id":"r"}"#;
        let raw = Flat::decode(body).unwrap();
        assert_eq!(sample::parts(&raw), [None; 4]);

        let raw = Flat::decode(br#"{"error":"invalid_token","message":5}"#).unwrap();
        assert_eq!(
            sample::parts(&raw),
            [Some("invalid_token"), None, None, None]
        );
    }

    #[test]
    fn rejects_what_is_not_an_object() {
        for body in [
            &b"[]"[..],
            b"\"invalid_token\"",
            b"{\"error\":\"x\",}",
            b"{'error':'x'}",
        ] {
            assert!(
                Flat::decode(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

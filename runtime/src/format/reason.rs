//! The `reason` format: `{"error":{"code":<status>,"reason":"<code>","message":"…"}}`.

use super::declared::{Declaration, Part, Value, declared_methods, member, optional, part};
use crate::format::Format;

/// `{"error":{"code":<status>,"reason":"<code>","message":"…"}}`: `code` repeats the HTTP
/// status as a number and `reason` is the machine-readable code; `"details"` follows the
/// message when a variant has details.
///
/// Decoding picks the variant by `reason` (the raw envelope's `code`), and by the HTTP
/// status when one reason is declared under several statuses. The body's numeric `code`
/// is read as the raw envelope's `status`.
///
/// Seed 003 (FLOW): `{"error":{"code":400,"reason":"invalid_argument","message":"…"}}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reason;

impl Format for Reason {
    const NAME: &'static str = "reason";

    #[cfg(feature = "utoipa")]
    fn schema(
        doc: &crate::format::schema::EnvelopeDoc<'_>,
    ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::format::schema::reason(doc)
    }

    declared_methods!(DECLARATION);
}

/// The format, declared: `{"error":{"code":{status},"reason":"{code}","message":"{message}","details":{details?}}}`.
const DECLARATION: Declaration = Declaration {
    name: "reason",
    content_type: "application/json",
    members: &[member!("error" => Value::Object(&[
        member!("code" => part(Part::Status)),
        member!("reason" => part(Part::Code)),
        member!("message" => part(Part::Message)),
        member!("details" => optional(Part::Details)),
    ]))],
    literals: 0,
    extensions: None,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::sample::{self, AWKWARD, AWKWARD_JSON, TRACED};

    #[test]
    fn encodes_status_reason_message() {
        assert_eq!(
            sample::encode_bare::<Reason>(
                400,
                "invalid_argument",
                "The value for one of the fields in the request body was invalid."
            ),
            r#"{"error":{"code":400,"reason":"invalid_argument","message":"The value for one of the fields in the request body was invalid."}}"#
        );
        assert_eq!(
            sample::encode_bare::<Reason>(501, "analytics_data_loading", AWKWARD),
            format!(
                r#"{{"error":{{"code":501,"reason":"analytics_data_loading","message":{AWKWARD_JSON}}}}}"#
            )
        );
    }

    #[test]
    fn encodes_details_after_the_message() {
        let errors = sample::field_errors();
        assert_eq!(
            sample::encode::<Reason, _>(400, "required", "Missing.", Some(&errors), &TRACED),
            r#"{"error":{"code":400,"reason":"required","message":"Missing.","details":{"price":["The price must be a number.","The price must be at least 0."],"status":["The selected status is invalid."]}}}"#
        );
    }

    #[test]
    fn decodes_reason_as_code_and_code_as_status() {
        let body = b"{\n\"error\": {\n\"code\": 400,\n\"reason\": \"invalid_argument\",\n\"message\": \"The value for one of the fields in the request body was invalid.\"\n}\n}";
        let raw = Reason::decode(body).unwrap();
        assert_eq!(
            sample::parts(&raw),
            [
                Some("invalid_argument"),
                Some("The value for one of the fields in the request body was invalid."),
                None,
                None
            ]
        );
        assert_eq!(raw.status, Some(400));
        assert!(raw.details.is_none());
    }

    #[test]
    fn decodes_leniently() {
        let body = br#"{"error":{"details":{"f":1},"message":"m","code":"400","reason":"required","extra":[]},"status":500}"#;
        let raw = Reason::decode(body).unwrap();
        assert_eq!(
            sample::parts(&raw),
            [Some("required"), Some("m"), None, None]
        );
        assert_eq!(raw.status, None);
        assert_eq!(sample::details_json(&raw).as_deref(), Some(r#"{"f":1}"#));

        for code in ["-1", "70000", "4.5e2", "true"] {
            let body = format!(r#"{{"error":{{"code":{code},"reason":7,"message":"m"}}}}"#);
            let raw = Reason::decode(body.as_bytes()).unwrap();
            assert_eq!(raw.status, None, "{code}");
            assert_eq!(sample::parts(&raw), [None, Some("m"), None, None]);
        }

        let raw = Reason::decode(br#"{"error":"required"}"#).unwrap();
        assert_eq!(sample::parts(&raw), [None; 4]);
    }

    #[test]
    fn rejects_what_is_not_an_object() {
        for body in [
            &b"[]"[..],
            b"400",
            b"{\"error\":{\"code\":400}",
            b"{\"error\":{}}x",
        ] {
            assert!(
                Reason::decode(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

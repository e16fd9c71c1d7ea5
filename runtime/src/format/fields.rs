//! The `fields` format: `{"message":"…","errors":{…}}`, the HTTP status alone says which
//! error.

use super::top_level;

/// `{"message":"…","errors":{"field":["…"]}}`: the details are written as `errors`, which
/// is omitted when the variant has none. The body carries no code: decoding picks the
/// variant by HTTP status.
///
/// Seed 002 (`ElasticFunnels`): `{"message":"The given data was invalid.","errors":{"name":["The name field is required."]}}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fields;

top_level::top_level_format!(Fields {
    name: "fields",
    code: None,
    message: "message",
    details: "errors",
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;
    use crate::format::sample::{self, AWKWARD, AWKWARD_JSON, TRACED};

    #[test]
    fn encodes_the_message_alone() {
        assert_eq!(
            sample::encode_bare::<Fields>(401, "unauthorized", "Invalid API key"),
            r#"{"message":"Invalid API key"}"#
        );
        assert_eq!(
            sample::encode_bare::<Fields>(401, "unauthorized", AWKWARD),
            format!(r#"{{"message":{AWKWARD_JSON}}}"#)
        );
    }

    #[test]
    fn encodes_details_as_errors() {
        let errors = sample::field_errors();
        assert_eq!(
            sample::encode::<Fields, _>(
                422,
                "invalid",
                "The given data was invalid.",
                Some(&errors),
                &TRACED
            ),
            r#"{"message":"The given data was invalid.","errors":{"price":["The price must be a number.","The price must be at least 0."],"status":["The selected status is invalid."]}}"#
        );
        assert_eq!(
            sample::encode::<Fields, Option<u8>>(422, "invalid", "m", Some(&None), &TRACED),
            r#"{"message":"m"}"#
        );
    }

    #[test]
    fn decodes_message_and_errors() {
        let body = br#"{
  "message": "The given data was invalid.",
  "errors": {
    "name": [
      "The name field is required."
    ]
  }
}"#;
        let raw = Fields::decode(body).unwrap();
        assert_eq!(
            sample::parts(&raw),
            [None, Some("The given data was invalid."), None, None]
        );
        assert_eq!(
            raw.details.unwrap().decode::<crate::FieldErrors>().unwrap(),
            crate::FieldErrors::new().with_field("name", "The name field is required.")
        );
    }

    #[test]
    fn decodes_leniently() {
        let body = br#"{"errors":null,"code":"x","message":{"text":"no"},"status":422}"#;
        let raw = Fields::decode(body).unwrap();
        assert_eq!(sample::parts(&raw), [None; 4]);
        assert_eq!(raw.status, None);
        assert!(raw.details.is_none());

        let raw = Fields::decode(br#"{"errors":["a"],"message":"m","extra":true}"#).unwrap();
        assert_eq!(sample::parts(&raw), [None, Some("m"), None, None]);
        assert_eq!(sample::details_json(&raw).as_deref(), Some(r#"["a"]"#));
    }

    #[test]
    fn rejects_what_is_not_an_object() {
        for body in [
            &b"[\"message\"]"[..],
            b"\"message\"",
            b"{\"message\":\"m\"",
            b"{\"message\" \"m\"}",
        ] {
            assert!(
                Fields::decode(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

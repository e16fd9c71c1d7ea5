//! Sample envelopes and shortcuts for the formats' unit tests.

use http::StatusCode;
use serde::Serialize;

use super::Format;
use crate::field_errors::FieldErrors;
use crate::format::envelope::{Context, Envelope, RawDetails, RawEnvelope};

/// Request id and timestamp, as a server would add them.
pub(crate) const TRACED: Context<'static> = Context {
    request_id: Some("req_8f2c"),
    timestamp: Some("2024-05-01T12:00:00Z"),
    problem_type: None,
    instance: None,
};

/// A message with every character JSON must escape.
pub(crate) const AWKWARD: &str = "say \"hi\" \\ tab\t nl\n nul\u{0} é ☃";

/// `AWKWARD` as JSON text.
pub(crate) const AWKWARD_JSON: &str = r#""say \"hi\" \\ tab\t nl\n nul\u0000 é ☃""#;

/// Two fields, the first with two messages.
pub(crate) fn field_errors() -> FieldErrors {
    FieldErrors::new()
        .with_field("price", "The price must be a number.")
        .with_field("price", "The price must be at least 0.")
        .with_field("status", "The selected status is invalid.")
}

/// Encodes an envelope with `F`.
pub(crate) fn encode<F: Format, D: Serialize + ?Sized>(
    status: u16,
    code: &str,
    message: &str,
    details: Option<&D>,
    context: &Context<'_>,
) -> String {
    let envelope = Envelope {
        status: StatusCode::from_u16(status).unwrap(),
        code,
        message: crate::format::envelope::Message::Str(message),
        details,
        context,
        retry_after: None,
    };
    let mut out = Vec::new();
    F::serialize(&envelope, &mut serde_json::Serializer::new(&mut out)).unwrap();
    // The body writer writes the same bytes as the serializer, in every format.
    let mut written = Vec::new();
    F::write_json(
        &envelope,
        &crate::format::declared::EnvelopeOnly,
        &mut written,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&out),
        "write_json and serialize differ in {}",
        F::NAME
    );
    String::from_utf8(out).unwrap()
}

/// Encodes an envelope without details or context.
pub(crate) fn encode_bare<F: Format>(status: u16, code: &str, message: &str) -> String {
    encode::<F, FieldErrors>(status, code, message, None, &Context::EMPTY)
}

/// The details' JSON text.
pub(crate) fn details_json(raw: &RawEnvelope<'_>) -> Option<String> {
    match raw.details.as_ref()? {
        RawDetails::Value(value) => Some(value.get().to_owned()),
        RawDetails::Text(text) => Some(text.to_string()),
        RawDetails::Members(members) => {
            let entries: Vec<String> = members
                .iter()
                .map(|(name, value)| format!("{}:{}", serde_json::to_string(name).unwrap(), value))
                .collect();
            Some(format!("{{{}}}", entries.join(",")))
        }
    }
}

/// The raw envelope's string parts, for comparing.
pub(crate) fn parts<'a>(raw: &'a RawEnvelope<'_>) -> [Option<&'a str>; 4] {
    [
        raw.code.as_deref(),
        raw.message.as_deref(),
        raw.request_id.as_deref(),
        raw.timestamp.as_deref(),
    ]
}

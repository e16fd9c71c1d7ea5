//! Recognising which built-in shape a body has, and decoding it as that shape.

use std::fmt;

use serde::de::{self, Deserialize};
use serde::{Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use super::json::{self, Kind, Reader};
use super::{Fields, Flat, Nested, Plain, Problem, Reason};
use crate::format::Format;
use crate::format::{DetailsReader, Envelope, RawEnvelope, Undecoded};

/// Which built-in shape a body has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Shape {
    /// [`Plain`]: `{"error":"<message>"}`.
    Plain,
    /// [`Nested`]: `{"error":{"code":"…","message":"…"}}`.
    Nested,
    /// [`Fields`]: `{"message":"…","errors":{…}}`.
    Fields,
    /// [`Reason`]: `{"error":{"code":422,"reason":"…","message":"…"}}`.
    Reason,
    /// [`Flat`]: `{"error":"<code>","message":"…"}`.
    Flat,
    /// [`Problem`]: RFC 9457 problem details.
    Problem,
}

impl Shape {
    /// The name of the shape's format, as `#[api_error(format = "…")]` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Plain => Plain::NAME,
            Shape::Nested => Nested::NAME,
            Shape::Fields => Fields::NAME,
            Shape::Reason => Reason::NAME,
            Shape::Flat => Flat::NAME,
            Shape::Problem => Problem::NAME,
        }
    }

    /// Reads `body` with this shape's format.
    ///
    /// # Errors
    ///
    /// When `body` is not a complete JSON object.
    pub fn decode(self, body: &[u8]) -> Result<RawEnvelope<'_>, serde_json::Error> {
        let mut raw = RawEnvelope::default();
        self.decode_with(body, &mut Undecoded, &mut raw)?;
        Ok(raw)
    }

    /// [`decode`](Self::decode), with `R` reading the details: see
    /// [`Format::decode_with`].
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode).
    pub(crate) fn decode_with<'de, R: DetailsReader<'de>>(
        self,
        body: &'de [u8],
        reader: &mut R,
        raw: &mut RawEnvelope<'de>,
    ) -> Result<(), serde_json::Error> {
        match self {
            Shape::Plain => Plain::decode_with(body, reader, raw),
            Shape::Nested => Nested::decode_with(body, reader, raw),
            Shape::Fields => Fields::decode_with(body, reader, raw),
            Shape::Reason => Reason::decode_with(body, reader, raw),
            Shape::Flat => Flat::decode_with(body, reader, raw),
            Shape::Problem => Problem::decode_with(body, reader, raw),
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The format for a client of an API whose error shape is not known in advance, or not
/// consistent: decoding recognises which of the six built-in shapes a body has and reads
/// it as that shape. Encoding writes [`Problem`].
///
/// The shape is decided by the body's top-level members, first rule first:
///
/// | members | shape |
/// |---|---|
/// | `error` is a string, and `message` is present | [`Shape::Flat`] |
/// | `error` is a string | [`Shape::Plain`] |
/// | `error` is an object with a `reason` | [`Shape::Reason`] |
/// | `error` is an object | [`Shape::Nested`] |
/// | any of `type`, `title`, `detail`, `status` | [`Shape::Problem`] |
/// | `message` | [`Shape::Fields`] |
///
/// A body that is an object of none of these shapes does not decode (the derived decoder
/// yields the `unknown` variant).
///
/// ```
/// use apierror::format::{Auto, Shape};
///
/// assert_eq!(Auto::detect(br#"{"error":"invalid_token","message":"expired"}"#), Some(Shape::Flat));
/// assert_eq!(Auto::detect(br#"{"error":{"code":400,"reason":"required"}}"#), Some(Shape::Reason));
/// assert_eq!(Auto::detect(b"<html>502 Bad Gateway</html>"), None);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Auto;

impl Auto {
    /// Which shape `body` has, or `None` when it is not a JSON object of any of them.
    pub fn detect(body: &[u8]) -> Option<Shape> {
        outline(body)?.shape()
    }
}

/// Reads the top-level outline of `body`, with the reader the formats read with: a body
/// has a shape only when its format reads it (UTF-8, and JSON throughout).
fn outline(body: &[u8]) -> Option<Outline> {
    let mut reader = Reader::new(std::str::from_utf8(body).ok()?);
    if reader.kind().ok()? != Kind::Object {
        return None;
    }
    let mut outline = Outline::default();
    reader
        .object(|reader, name| {
            if name.is("error") {
                outline.error = error_member(reader)?;
                Ok(())
            } else {
                if name.is("message") {
                    outline.message = true;
                } else if ["type", "title", "detail", "status"]
                    .iter()
                    .any(|n| name.is(n))
                {
                    outline.problem = true;
                }
                reader.skip()
            }
        })
        .ok()?;
    reader.end().ok()?;
    Some(outline)
}

/// What an `error` member's value is, read past it.
fn error_member(reader: &mut Reader<'_>) -> json::Result<ErrorMember> {
    match reader.kind()? {
        Kind::String => reader.skip().map(|()| ErrorMember::String),
        Kind::Object => {
            let mut reason = false;
            reader.object(|reader, name| {
                reason |= name.is("reason");
                reader.skip()
            })?;
            Ok(ErrorMember::Object { reason })
        }
        _ => reader.skip().map(|()| ErrorMember::Other),
    }
}

/// Why a body has no shape.
const NO_SHAPE: &str = "a JSON object of no known error envelope shape";

impl Format for Auto {
    const NAME: &'static str = "auto";
    const CONTENT_TYPE: &'static str = Problem::CONTENT_TYPE;

    #[cfg(feature = "utoipa")]
    fn schema(
        doc: &crate::format::schema::EnvelopeDoc<'_>,
    ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::format::schema::problem(doc)
    }

    fn serialize<S, D>(envelope: &Envelope<'_, D>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        D: Serialize + ?Sized,
    {
        Problem::serialize(envelope, serializer)
    }

    /// Reads the value as JSON text first (borrowed, so the deserializer must read from a
    /// slice or string), then decodes that text with [`Format::decode`].
    fn deserialize<'de, De>(deserializer: De) -> Result<RawEnvelope<'de>, De::Error>
    where
        De: Deserializer<'de>,
    {
        let text = <&'de RawValue>::deserialize(deserializer)?.get();
        Self::decode(text.as_bytes()).map_err(de::Error::custom)
    }

    fn decode_with<'de, R: DetailsReader<'de>>(
        body: &'de [u8],
        reader: &mut R,
        raw: &mut RawEnvelope<'de>,
    ) -> Result<(), serde_json::Error> {
        match outline(body).and_then(|outline| outline.shape()) {
            Some(shape) => shape.decode_with(body, reader, raw),
            // The parser's own word for a body that is not JSON; else, no known shape.
            None => match serde_json::from_slice::<Box<RawValue>>(body) {
                Err(error) => Err(error),
                Ok(_) => Err(de::Error::custom(NO_SHAPE)),
            },
        }
    }
}

/// The top-level members that decide a body's shape.
#[derive(Default)]
struct Outline {
    error: ErrorMember,
    message: bool,
    problem: bool,
}

impl Outline {
    fn shape(&self) -> Option<Shape> {
        Some(match self.error {
            ErrorMember::String if self.message => Shape::Flat,
            ErrorMember::String => Shape::Plain,
            ErrorMember::Object { reason: true } => Shape::Reason,
            ErrorMember::Object { reason: false } => Shape::Nested,
            ErrorMember::Other if self.problem => Shape::Problem,
            ErrorMember::Other if self.message => Shape::Fields,
            ErrorMember::Other => return None,
        })
    }
}

/// What the top-level `error` member is.
#[derive(Default, Clone, Copy)]
enum ErrorMember {
    /// A string.
    String,
    /// An object; `reason` says whether it has a `reason` member.
    Object { reason: bool },
    /// Absent, or of another type.
    #[default]
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::sample::{self, TRACED};

    const BODIES: [(&str, Shape); 12] = [
        (
            r#"{"error":"invalid_token","message":"expired"}"#,
            Shape::Flat,
        ),
        (
            r#"{"message":"expired","error":"invalid_token"}"#,
            Shape::Flat,
        ),
        (r#"{"error":"invalid_token","message":null}"#, Shape::Flat),
        (r#"{"error": "Invalid parameters."}"#, Shape::Plain),
        (
            r#"{"error":{"code":400,"reason":"required","message":"m"}}"#,
            Shape::Reason,
        ),
        (
            r#"{"error":{"code":"NOT_FOUND","message":"m","request_id":"r"}}"#,
            Shape::Nested,
        ),
        (r#"{"error":{}}"#, Shape::Nested),
        (
            r#"{"type":"about:blank","status":404,"code":"not_found"}"#,
            Shape::Problem,
        ),
        (r#"{"detail":"d"}"#, Shape::Problem),
        (r#"{"message":"m","errors":{"a":["b"]}}"#, Shape::Fields),
        (r#"{"message":"m","status":422}"#, Shape::Problem),
        (r#"{"error":5,"message":"m"}"#, Shape::Fields),
    ];

    #[test]
    fn a_body_that_is_not_utf8_has_no_shape_even_in_a_skipped_member() {
        let body = b"{\"message\":\"\xb2\"}";
        assert_eq!(Auto::detect(body), None);
        assert!(Auto::decode(body).is_err());
        assert!(Fields::decode(body).is_err());
    }

    #[test]
    fn detects_each_shape() {
        for (body, shape) in BODIES {
            assert_eq!(Auto::detect(body.as_bytes()), Some(shape), "{body}");
        }
    }

    #[test]
    fn detects_nothing_in_bodies_of_no_shape() {
        for body in [
            "{}",
            r#"{"errors":{"a":["b"]}}"#,
            r#"{"error":null}"#,
            "[]",
            "\"error\"",
            "",
            "<html>",
            r#"{"error":"x""#,
            r#"{"error":"x"} 1"#,
        ] {
            assert_eq!(Auto::detect(body.as_bytes()), None, "{body}");
            assert!(Auto::decode(body.as_bytes()).is_err(), "{body}");
        }
    }

    #[test]
    fn decodes_as_the_detected_shape() {
        for (body, shape) in BODIES {
            let auto = Auto::decode(body.as_bytes()).unwrap();
            let direct = shape.decode(body.as_bytes()).unwrap();
            assert_eq!(sample::parts(&auto), sample::parts(&direct), "{body}");
            assert_eq!(auto.status, direct.status, "{body}");
            assert_eq!(
                sample::details_json(&auto),
                sample::details_json(&direct),
                "{body}"
            );
        }
        let raw = Auto::decode(br#"{"error":{"code":401,"reason":"required","message":"log in"}}"#)
            .unwrap();
        assert_eq!(
            sample::parts(&raw),
            [Some("required"), Some("log in"), None, None]
        );
        assert_eq!(raw.status, Some(401));
    }

    #[test]
    fn deserializes_through_any_borrowing_deserializer() {
        let body = r#"  {"error":"invalid_token","message":"expired"}  "#;
        let mut deserializer = serde_json::Deserializer::from_str(body);
        let raw = Auto::deserialize(&mut deserializer).unwrap();
        deserializer.end().unwrap();
        assert_eq!(
            sample::parts(&raw),
            [Some("invalid_token"), Some("expired"), None, None]
        );
    }

    #[test]
    fn encodes_problem_details() {
        let errors = crate::FieldErrors::new().with_field("email", "is invalid");
        assert_eq!(
            sample::encode::<Auto, _>(422, "invalid", "Invalid.", Some(&errors), &TRACED),
            sample::encode::<Problem, _>(422, "invalid", "Invalid.", Some(&errors), &TRACED),
        );
        assert_eq!(Auto::CONTENT_TYPE, "application/problem+json");
    }

    #[test]
    fn names_shapes_as_their_formats() {
        assert_eq!(Shape::Reason.to_string(), "reason");
        assert_eq!(Shape::Problem.name(), "problem");
    }
}

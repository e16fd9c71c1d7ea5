//! Wire formats: the six built-in envelope shapes, and everything a seventh needs.
//!
//! Layer 1: the formats (above the ground floor).
//!
//! | format | body |
//! |---|---|
//! | [`Plain`] | `{"error":"<message>"}` |
//! | [`Nested`] | `{"error":{"code":"…","message":"…","details":{…},"request_id":"…","timestamp":"…"}}` |
//! | [`Fields`] | `{"message":"…","errors":{"field":["…"]}}` |
//! | [`Reason`] | `{"error":{"code":422,"reason":"…","message":"…"}}` |
//! | [`Flat`] | `{"error":"<code>","message":"…"}` |
//! | [`Problem`] | RFC 9457 `application/problem+json` |
//!
//! Each of the six is a [declaration](declared): the envelope as JSON with the error's
//! parts in their places, run by one reader and one writer, the same that run a format
//! declared in `#[api_error(format(json = "…"))]`. [`Auto`] recognises which of the six
//! shapes a body has and decodes it as that shape (it encodes [`Problem`]). Decoding is
//! lenient in every format: members the declaration does not name are kept aside,
//! members may come in any order, and a member of the wrong type is dropped. It reads the
//! body once: a derived enum's details are decoded where they stand when the code comes
//! before them, and otherwise kept as JSON text borrowed from the
//! body until a variant is chosen.
//!
//! # Writing a format
//!
//! A vendor's shape is best declared in the attribute (see [`declared`]). A shape no
//! declaration can say gets a type implementing [`Format`], named in
//! `#[api_error(format = path::To::Type)]`. It writes an [`Envelope`] (status, code,
//! [`Message`], details, [`Context`]) and reads a body into a [`RawEnvelope`] (with
//! undecoded [`RawDetails`]). [`object`] is a lenient object walker for it: a
//! [`Members`](object::Members) type per object, and readers for a member's value that
//! drop a value of the wrong type. [`Format::decode`] runs it over the same reader as the
//! declared formats, in one pass. The `custom_format` example in the repository builds an
//! OAuth 2.0 (RFC 6749) format from these items alone.

use serde::{Deserializer, Serialize, Serializer};

mod auto;
pub mod declared;
pub(crate) mod details;
pub(crate) mod envelope;
pub(crate) mod extensions;
mod fields;
mod flat;
pub(crate) mod flatten;
pub(crate) mod json;

mod nested;
pub mod object;
mod plain;
pub(crate) mod probe;
mod problem;
mod reason;
#[cfg(test)]
mod sample;
#[cfg(feature = "utoipa")]
pub(crate) mod schema;
pub(crate) mod sink;
pub(crate) mod top_level;

pub use auto::{Auto, Shape};
pub use declared::{Declare, Declared};
pub(crate) use details::{DeclaredValue, DetailsReader, Undecoded};
pub(crate) use envelope::Context;
pub use envelope::{Envelope, Message, NoDetails, RawDetails, RawEnvelope};
pub use fields::Fields;
pub use flat::Flat;
pub use nested::Nested;
pub use plain::Plain;
pub use problem::Problem;
pub use reason::Reason;

/// One wire shape of an error envelope.
///
/// Implement it to speak a vendor's format the built-in ones do not cover, and name the
/// type in `#[api_error(format = path::To::Type)]`.
pub trait Format {
    /// The format's name, for messages.
    const NAME: &'static str;
    /// The `Content-Type` of an encoded body.
    const CONTENT_TYPE: &'static str = "application/json";

    /// Writes `envelope` as this format's body. Optional members that are absent are
    /// omitted, never written as `null`.
    ///
    /// # Errors
    ///
    /// Whatever the serializer reports.
    fn serialize<S, D>(envelope: &Envelope<'_, D>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        D: Serialize + ?Sized;

    /// Reads a body of this format into its raw parts, leniently: unknown members are
    /// ignored and a member of the wrong type is dropped. It fails only when the input is
    /// not an object of this shape at all.
    ///
    /// # Errors
    ///
    /// When the input is not a JSON object of this format's shape.
    fn deserialize<'de, De>(deserializer: De) -> Result<RawEnvelope<'de>, De::Error>
    where
        De: Deserializer<'de>;

    /// Reads a complete body; see [`deserialize`](Format::deserialize).
    ///
    /// # Errors
    ///
    /// When the body is not complete JSON of this format's shape.
    fn decode(body: &[u8]) -> Result<RawEnvelope<'_>, serde_json::Error> {
        let mut raw = RawEnvelope::default();
        Self::decode_with(body, &mut Undecoded, &mut raw)?;
        Ok(raw)
    }

    /// Not a public API: the derive's decoders call it, and a format of your own keeps
    /// the default, which runs [`deserialize`](Format::deserialize).
    ///
    /// Reads a complete body into `raw` (which starts out empty), with `reader` reading
    /// the details where the format hands them over. The envelope is filled where the
    /// caller keeps it, not returned: it is about 240 bytes, and each move would copy it.
    /// After an error, what `raw` holds is unspecified.
    ///
    /// The default runs [`deserialize`](Format::deserialize) once over the crate's own
    /// reader of the body (the one every declared format runs on), which hands `R`
    /// nothing: the details are kept as text and decoded once a variant is chosen. That
    /// reader gives the [`object`] readers every value they drop consumed, so nothing is
    /// read twice. A declared format decodes details in place as it meets them.
    ///
    /// # Errors
    ///
    /// When the body is not complete JSON (the parser's error, with its position), or
    /// not of this format's shape.
    #[doc(hidden)]
    #[inline]
    fn decode_with<'de, R: DetailsReader<'de>>(
        body: &'de [u8],
        reader: &mut R,
        raw: &mut RawEnvelope<'de>,
    ) -> Result<(), serde_json::Error> {
        let _ = reader;
        *raw = json::de::read_body(body, |deserializer| Self::deserialize(deserializer))?;
        Ok(())
    }

    /// Writes `envelope` with the named parts `parts` has (key parts and member fields of
    /// a declared format). The default ignores `parts` and calls
    /// [`serialize`](Format::serialize): only a declared format has places for them.
    ///
    /// # Errors
    ///
    /// Whatever the serializer reports.
    fn serialize_parts<S, D, P>(
        envelope: &Envelope<'_, D>,
        parts: &P,
        serializer: S,
    ) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        D: Serialize + ?Sized,
        P: declared::VariantParts,
    {
        let _ = parts;
        Self::serialize(envelope, serializer)
    }

    /// Appends `envelope`, with `parts`, to `buf` as JSON: what a response's body is. The
    /// default goes through [`serialize_parts`](Format::serialize_parts) with
    /// `serde_json`'s serializer; a declared format writes its member names as bytes it
    /// escaped once.
    ///
    /// # Errors
    ///
    /// When the details or a member field fail to serialize.
    fn write_json<D, P>(
        envelope: &Envelope<'_, D>,
        parts: &P,
        buf: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error>
    where
        D: Serialize + ?Sized,
        P: declared::VariantParts,
    {
        Self::serialize_parts(envelope, parts, &mut serde_json::Serializer::new(buf))
    }

    /// Whether the format's body tells an error from a success by itself (a declared
    /// literal such as Slack's `"ok":false`), so that an error may come with a 2xx status.
    const MARKS_ERRORS: bool = false;

    /// Whether `body`, received with a 2xx status, is this format's error envelope. Only
    /// a format that [`MARKS_ERRORS`](Format::MARKS_ERRORS) says yes, for a body with every
    /// declared literal at its value.
    fn is_error_body(body: &[u8]) -> bool {
        let _ = body;
        false
    }

    /// The schema of this format's envelopes, as `doc` narrows them (one status, its
    /// codes, its details). The default is any JSON object: a format of your own
    /// overrides it to document its shape.
    #[cfg(feature = "utoipa")]
    #[cfg_attr(docsrs, doc(cfg(feature = "utoipa")))]
    fn schema(
        doc: &crate::format::schema::EnvelopeDoc<'_>,
    ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let _ = doc;
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Object)
            .into()
    }
}

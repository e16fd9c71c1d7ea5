//! Where a derived type's envelope goes: through a `serde::Serializer`, or straight into a
//! response body's bytes. The derive writes the choice of variant once, generic over the
//! sink, and `encode` and `write_body` each pass their own. Not a public API.

use serde::{Serialize, Serializer};

use crate::format::declared::VariantParts;
use crate::format::{Context, Envelope, Format};

/// What a derived type writes its envelope to.
pub trait EnvelopeSink {
    /// What writing returns.
    type Out;

    /// Writes `envelope`, with the variant's named `parts`, in format `F`.
    fn write<F, D, P>(self, envelope: &Envelope<'_, D>, parts: &P) -> Self::Out
    where
        F: Format,
        D: Serialize + ?Sized,
        P: VariantParts;
}

/// A `serde::Serializer`, for [`ApiError::encode`](crate::ApiError::encode).
pub struct SerializerSink<S>(pub S);

impl<S: Serializer> EnvelopeSink for SerializerSink<S> {
    type Out = Result<S::Ok, S::Error>;

    #[inline]
    fn write<F, D, P>(self, envelope: &Envelope<'_, D>, parts: &P) -> Self::Out
    where
        F: Format,
        D: Serialize + ?Sized,
        P: VariantParts,
    {
        F::serialize_parts(envelope, parts, self.0)
    }
}

/// A body's bytes, for [`ApiError::write_body`](crate::ApiError::write_body).
pub struct JsonSink<'b>(pub &'b mut Vec<u8>);

impl EnvelopeSink for JsonSink<'_> {
    type Out = Result<(), serde_json::Error>;

    #[inline]
    fn write<F, D, P>(self, envelope: &Envelope<'_, D>, parts: &P) -> Self::Out
    where
        F: Format,
        D: Serialize + ?Sized,
        P: VariantParts,
    {
        F::write_json(envelope, parts, self.0)
    }
}

/// What the derive implements: the envelope of `self`, written to any sink.
pub trait EncodeEnvelope {
    /// Writes `self`'s envelope, with per-response `context`, to `sink`.
    fn encode_into<K: EnvelopeSink>(&self, sink: K, context: &Context<'_>) -> K::Out;
}

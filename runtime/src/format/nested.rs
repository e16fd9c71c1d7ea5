//! The `nested` format (placeholder, being written).

use serde::{Deserializer, Serialize, Serializer};

use crate::envelope::{Envelope, RawEnvelope};
use crate::format::{DecodeKey, Format};

/// The `nested` format.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nested;

impl Format for Nested {
    const NAME: &'static str = "nested";
    const KEY: DecodeKey = DecodeKey::Code;

    fn serialize<S, D>(_envelope: &Envelope<'_, D>, _serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        D: Serialize + ?Sized,
    {
        unimplemented!()
    }

    fn deserialize<'de, De>(_deserializer: De) -> Result<RawEnvelope<'de>, De::Error>
    where
        De: Deserializer<'de>,
    {
        unimplemented!()
    }
}

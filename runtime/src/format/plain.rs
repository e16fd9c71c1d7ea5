//! The `plain` format (placeholder, being written).

use serde::{Deserializer, Serialize, Serializer};

use crate::envelope::{Envelope, RawEnvelope};
use crate::format::{DecodeKey, Format};

/// The `plain` format.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plain;

impl Format for Plain {
    const NAME: &'static str = "plain";
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

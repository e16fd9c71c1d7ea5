//! The `problem` format (placeholder, being written).

use serde::{Deserializer, Serialize, Serializer};

use crate::envelope::{Envelope, RawEnvelope};
use crate::format::{DecodeKey, Format};

/// The `problem` format.
#[derive(Debug, Clone, Copy, Default)]
pub struct Problem;

impl Format for Problem {
    const NAME: &'static str = "problem";
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

//! A format of the user's own, named by path.
use apierror::ApiError;
use apierror::format::{Envelope, Format, RawEnvelope};
use serde::ser::SerializeMap;

struct Legacy;

impl Format for Legacy {
    const NAME: &'static str = "legacy";

    fn serialize<S, D>(envelope: &Envelope<'_, D>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
        D: serde::Serialize + ?Sized,
    {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("err", &envelope.message.to_string())?;
        map.end()
    }

    fn deserialize<'de, De>(deserializer: De) -> Result<RawEnvelope<'de>, De::Error>
    where
        De: serde::Deserializer<'de>,
    {
        serde::de::IgnoredAny::deserialize_ignored(deserializer)?;
        Ok(RawEnvelope::default())
    }
}

trait DeserializeIgnored<'de>: Sized {
    fn deserialize_ignored<De: serde::Deserializer<'de>>(d: De) -> Result<(), De::Error>;
}
impl<'de> DeserializeIgnored<'de> for serde::de::IgnoredAny {
    fn deserialize_ignored<De: serde::Deserializer<'de>>(d: De) -> Result<(), De::Error> {
        <serde::de::IgnoredAny as serde::Deserialize>::deserialize(d).map(|_| ())
    }
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = Legacy)]
enum Error {
    #[error("bad")]
    #[status(400)]
    Bad,
}

fn main() {
    assert_eq!(Error::Bad.to_body(), br#"{"err":"bad"}"#);
}

//! The `{"error":{…}}` wrapper `nested` and `reason` share: one top-level `error` member
//! holding an object whose members each format chooses.

use std::borrow::Cow;

use serde::de::MapAccess;
use serde::ser::SerializeStruct;
use serde::{Deserializer, Serialize, Serializer};

use super::object::{self, MaybeObject, Members};

/// Writes `{"error":<inner>}` as a struct called `name`.
pub(crate) fn serialize<S, T>(
    name: &'static str,
    inner: &T,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize + ?Sized,
{
    let mut body = serializer.serialize_struct(name, 1)?;
    body.serialize_field("error", inner)?;
    body.end()
}

/// Reads the members of the `error` object into `M`; they are `M`'s defaults when the
/// member is absent or not an object. A value that is not an object is an error.
pub(crate) fn deserialize<'de, M, De>(deserializer: De) -> Result<M, De::Error>
where
    M: Members<'de>,
    De: Deserializer<'de>,
{
    let body: Wrapper<M> = object::read_object(deserializer)?;
    Ok(body.0.unwrap_or_default())
}

/// The top-level members: only `error` is read.
#[derive(Default)]
struct Wrapper<M>(Option<M>);

impl<'de, M: Members<'de>> Members<'de> for Wrapper<M> {
    fn member<A: MapAccess<'de>>(
        &mut self,
        name: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if name == "error" {
            if let MaybeObject(Some(error)) = map.next_value()? {
                self.0 = Some(error);
            }
            Ok(())
        } else {
            object::skip(map)
        }
    }
}

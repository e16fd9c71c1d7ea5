//! The shape `plain`, `fields` and `flat` share: one object holding the code (when the
//! format has one), the message and the details, under member names each format chooses.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::de::MapAccess;
use serde::ser::SerializeStruct;
use serde::{Deserializer, Serialize, Serializer};

use super::member;
use super::object::{self, Members};
use crate::format::{DetailsReader, Envelope, RawDetails, RawEnvelope};

/// The member names of a format whose members all sit in the top-level object (`Default`
/// only so that the members read for it can start empty).
pub(crate) trait TopLevel: Default {
    /// The name handed to `serialize_struct`.
    const STRUCT: &'static str;
    /// The member holding the code, written first; `None` when the body carries no code.
    const CODE: Option<&'static str>;
    /// The member holding the message.
    const MESSAGE: &'static str;
    /// The member holding the details, written after the message when present.
    const DETAILS: &'static str;
}

/// Implements [`TopLevel`] and [`Format`](super::Format) for a top-level format from its
/// name, its decode key and its member names.
macro_rules! top_level_format {
    (
        $format:ident {
            name: $name:literal,
            code: $code:expr,
            message: $message:literal,
            details: $details:literal $(,)?
        }
    ) => {
        impl $crate::format::Format for $format {
            const NAME: &'static str = $name;

            #[cfg(feature = "utoipa")]
            fn schema(
                doc: &$crate::openapi::EnvelopeDoc<'_>,
            ) -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                $crate::openapi::envelopes::top_level::<Self>(doc)
            }

            fn serialize<S, D>(
                envelope: &$crate::format::envelope::Envelope<'_, D>,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
                D: ::serde::Serialize + ?Sized,
            {
                $crate::format::top_level::serialize::<Self, _, _>(envelope, serializer)
            }

            fn deserialize<'de, De>(
                deserializer: De,
            ) -> ::core::result::Result<$crate::format::envelope::RawEnvelope<'de>, De::Error>
            where
                De: ::serde::Deserializer<'de>,
            {
                $crate::format::top_level::deserialize::<Self, _, $crate::format::Undecoded>(
                    deserializer,
                )
                .map(|(raw, _)| raw)
            }

            fn deserialize_with<'de, De, R>(
                deserializer: De,
            ) -> ::core::result::Result<($crate::format::envelope::RawEnvelope<'de>, R), De::Error>
            where
                De: ::serde::Deserializer<'de>,
                R: $crate::format::DetailsReader<'de>,
            {
                $crate::format::top_level::deserialize::<Self, _, R>(deserializer)
            }
        }

        impl $crate::format::top_level::TopLevel for $format {
            const STRUCT: &'static str = ::core::stringify!($format);
            const CODE: ::core::option::Option<&'static str> = $code;
            const MESSAGE: &'static str = $message;
            const DETAILS: &'static str = $details;
        }
    };
}
pub(crate) use top_level_format;

/// Writes `envelope` as `T`'s object: code, message, then details unless they are absent.
pub(crate) fn serialize<T, S, D>(
    envelope: &Envelope<'_, D>,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    T: TopLevel,
    S: Serializer,
    D: Serialize + ?Sized,
{
    let details = envelope.present_details();
    let len = member::count(&[T::CODE.is_some(), true, details.is_some()]);
    let mut body = serializer.serialize_struct(T::STRUCT, len)?;
    if let Some(code) = T::CODE {
        body.serialize_field(code, envelope.code)?;
    }
    body.serialize_field(T::MESSAGE, &envelope.message)?;
    if let Some(details) = details {
        body.serialize_field(T::DETAILS, details)?;
    }
    body.end()
}

/// Reads `T`'s object into raw parts, with `R` reading the details; members other than
/// `T`'s are ignored.
pub(crate) fn deserialize<'de, T, De, R>(
    deserializer: De,
) -> Result<(RawEnvelope<'de>, R), De::Error>
where
    T: TopLevel,
    De: Deserializer<'de>,
    R: DetailsReader<'de>,
{
    let body: Body<'de, T, R> = object::read_object(deserializer)?;
    let raw = RawEnvelope {
        code: body.code,
        message: body.message,
        details: body.details,
        ..RawEnvelope::default()
    };
    Ok((raw, body.reader))
}

/// The members `T` reads, and what `R` decoded of the details.
#[derive(Default)]
struct Body<'de, T, R> {
    code: Option<Cow<'de, str>>,
    message: Option<Cow<'de, str>>,
    details: Option<RawDetails<'de>>,
    reader: R,
    format: PhantomData<T>,
}

impl<'de, T: TopLevel, R: DetailsReader<'de>> Members<'de> for Body<'de, T, R> {
    fn member<A: MapAccess<'de>>(
        &mut self,
        name: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if T::CODE == Some(&*name) {
            object::string(map, &mut self.code)
        } else if name == T::MESSAGE {
            object::string(map, &mut self.message)
        } else if name == T::DETAILS {
            object::details_with(
                map,
                self.code.as_deref(),
                &mut self.reader,
                &mut self.details,
            )
        } else {
            object::skip(map)
        }
    }
}

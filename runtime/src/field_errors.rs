//! `FieldErrors`: validation messages per request field, in the order they were added.
//!
//! Layer 0: the ground floor (plain data and header parsing; imports nothing above it).

use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Validation messages keyed by field name, in insertion order.
///
/// This is the `errors` object of the `fields` format
/// (`{"errors":{"price":["must be a number"]}}`) and a common `details` type.
/// Order is kept on the wire in both directions; adding a message to a field that is
/// already present appends to that field's list.
///
/// ```
/// use apierror::FieldErrors;
///
/// let mut errors = FieldErrors::new();
/// errors.add("price", "The price must be a number.");
/// errors.add("status", "The selected status is invalid.");
/// errors.add("price", "The price must be at least 0.");
/// assert_eq!(errors.get("price").unwrap().len(), 2);
/// assert_eq!(
///     serde_json::to_string(&errors).unwrap(),
///     r#"{"price":["The price must be a number.","The price must be at least 0."],"status":["The selected status is invalid."]}"#,
/// );
/// ```
///
/// Adding and looking up cost constant time whatever the number of fields (an index
/// beside the ordered entries is built once a set grows past a few fields), so decoding
/// a body with many field errors costs time linear in its length.
#[derive(Clone, Default)]
pub struct FieldErrors {
    entries: Vec<(String, Vec<String>)>,
    /// Field name → position in `entries`; built once `entries` outgrows [`SCAN_UP_TO`].
    index: Option<HashMap<String, usize>>,
}

/// Up to this many fields a lookup scans the entries; past it, the index answers.
const SCAN_UP_TO: usize = 8;

/// A map of each field to its messages, in order: `{"email": ["is invalid"]}`. The
/// lookup index is left out: it is how the set is kept, not what it holds.
impl fmt::Debug for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.entries
                    .iter()
                    .map(|(field, messages)| (field, messages)),
            )
            .finish()
    }
}

impl PartialEq for FieldErrors {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Eq for FieldErrors {}

impl Hash for FieldErrors {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.entries.hash(state);
    }
}

impl FieldErrors {
    /// An empty set.
    pub const fn new() -> Self {
        FieldErrors {
            entries: Vec::new(),
            index: None,
        }
    }

    /// Appends `message` to `field`'s messages, adding the field at the end if new.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) -> &mut Self {
        self.messages_mut(field.into()).push(message.into());
        self
    }

    /// The position of `field` in the entries, if present.
    fn position(&self, field: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(field).copied(),
            None => self.entries.iter().position(|(name, _)| name == field),
        }
    }

    /// `field`'s messages, the field added at the end (with none) if new.
    fn messages_mut(&mut self, field: String) -> &mut Vec<String> {
        let position = match self.position(&field) {
            Some(position) => position,
            None => self.push(field, Vec::new()),
        };
        &mut self.entries[position].1
    }

    /// Appends `messages` to `field`'s, adding the field at the end if new (taking the
    /// list as it is, without copying it).
    fn extend(&mut self, field: String, messages: Vec<String>) {
        match self.position(&field) {
            Some(position) => self.entries[position].1.extend(messages),
            None => {
                self.push(field, messages);
            }
        }
    }

    /// Adds a field that is not there yet at the end, and returns its position.
    fn push(&mut self, field: String, messages: Vec<String>) -> usize {
        let position = self.entries.len();
        if let Some(index) = &mut self.index {
            index.insert(field.clone(), position);
        }
        self.entries.push((field, messages));
        if self.index.is_none() && self.entries.len() > SCAN_UP_TO {
            self.index = Some(
                self.entries
                    .iter()
                    .enumerate()
                    .map(|(position, (name, _))| (name.clone(), position))
                    .collect(),
            );
        }
        position
    }

    /// Builder form of [`add`](Self::add).
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.add(field, message);
        self
    }

    /// The messages for `field`, if it has any.
    pub fn get(&self, field: &str) -> Option<&[String]> {
        self.position(field)
            .map(|position| self.entries[position].1.as_slice())
    }

    /// Fields and their messages, in insertion order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &[String])> {
        self.entries
            .iter()
            .map(|(name, messages)| (name.as_str(), messages.as_slice()))
    }

    /// How many fields have messages.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no field has a message.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<F: Into<String>, M: Into<String>> FromIterator<(F, M)> for FieldErrors {
    fn from_iter<I: IntoIterator<Item = (F, M)>>(iter: I) -> Self {
        let mut errors = FieldErrors::new();
        for (field, message) in iter {
            errors.add(field, message);
        }
        errors
    }
}

impl<'a> IntoIterator for &'a FieldErrors {
    type Item = (&'a str, &'a [String]);
    type IntoIter = Box<dyn ExactSizeIterator<Item = Self::Item> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// The newtype-struct name `FieldErrors` serialize and deserialize through. JSON never
/// shows it (a newtype struct is its contents), but it lets `problem` recognise field
/// errors and carry them under one `errors` member.
pub(crate) const NEWTYPE_NAME: &str = "apierror::FieldErrors";

impl Serialize for FieldErrors {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(NEWTYPE_NAME, &Entries(&self.entries))
    }
}

/// The entries as a JSON object.
struct Entries<'a>(&'a [(String, Vec<String>)]);

impl Serialize for Entries<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (field, messages) in self.0 {
            map.serialize_entry(field, messages)?;
        }
        map.end()
    }
}

/// Decoding is lenient: a field whose value is a single string counts as one message,
/// non-string messages are skipped, and `null` decodes as no errors.
impl<'de> Deserialize<'de> for FieldErrors {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(NEWTYPE_NAME, FieldErrorsVisitor)
    }
}

struct FieldErrorsVisitor;

impl<'de> Visitor<'de> for FieldErrorsVisitor {
    type Value = FieldErrors;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of field names to lists of messages")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<FieldErrors, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_unit<E: de::Error>(self) -> Result<FieldErrors, E> {
        Ok(FieldErrors::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<FieldErrors, E> {
        Ok(FieldErrors::new())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldErrors, A::Error> {
        let mut errors = FieldErrors::new();
        // A field that appears twice keeps its first place and gets both lists.
        while let Some(field) = map.next_key::<String>()? {
            let Messages(messages) = map.next_value()?;
            errors.extend(field, messages);
        }
        Ok(errors)
    }
}

/// A list of messages, or a single message, with anything else skipped.
struct Messages(Vec<String>);

impl<'de> Deserialize<'de> for Messages {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MessagesVisitor;
        impl<'de> Visitor<'de> for MessagesVisitor {
            type Value = Messages;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a message or a list of messages")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Messages, E> {
                Ok(Messages(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Messages, A::Error> {
                // Most lists hold one or two messages: room for two saves the regrowth.
                let mut messages = Vec::with_capacity(seq.size_hint().unwrap_or(2).min(64));
                while let Some(item) = seq.next_element::<MaybeString>()? {
                    if let Some(message) = item.0 {
                        messages.push(message);
                    }
                }
                Ok(Messages(messages))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Messages, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Messages(Vec::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Messages, E> {
                Ok(Messages(Vec::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Messages, E> {
                Ok(Messages(Vec::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Messages, E> {
                Ok(Messages(Vec::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Messages, E> {
                Ok(Messages(Vec::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Messages, E> {
                Ok(Messages(Vec::new()))
            }
        }
        deserializer.deserialize_any(MessagesVisitor)
    }
}

/// A string, or `None` for a value of any other type (which is consumed and dropped).
struct MaybeString(Option<String>);

impl<'de> Deserialize<'de> for MaybeString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = crate::lenient::LenientStr::deserialize(deserializer)?;
        Ok(MaybeString(value.0.map(std::borrow::Cow::into_owned)))
    }
}

#[cfg(test)]
mod tests {
    use super::FieldErrors;

    #[test]
    fn debug_is_a_map_of_fields_to_messages() {
        let errors = FieldErrors::new()
            .with_field("email", "is invalid")
            .with_field("email", "is taken")
            .with_field("name", "is required");
        assert_eq!(
            format!("{errors:?}"),
            r#"{"email": ["is invalid", "is taken"], "name": ["is required"]}"#
        );
        // Past the scan bound the index exists; it is not part of what is shown.
        let many = (0..10).fold(FieldErrors::new(), |errors, i| {
            errors.with_field(format!("f{i}"), "x")
        });
        let shown = format!("{many:?}");
        assert!(shown.starts_with(r#"{"f0": ["x"], "f1": ["x"]"#), "{shown}");
        assert!(!shown.contains("index"), "{shown}");
    }
}

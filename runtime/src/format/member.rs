//! Envelope members every format writes the same way: the message straight from its
//! `Display`, and the details unless they are `null`.

use std::fmt;

use serde::{Serialize, Serializer};

use super::probe;
use crate::envelope::Envelope;

/// A message written as a JSON string straight from its `Display`, without an
/// intermediate `String`.
#[derive(Clone, Copy)]
pub(crate) struct Message<'a>(pub(crate) &'a dyn fmt::Display);

impl Serialize for Message<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

/// The envelope's details, unless they serialize as `null` (optional members are
/// omitted, never written as `null`).
pub(crate) fn details<'a, D: Serialize + ?Sized>(envelope: &Envelope<'a, D>) -> Option<&'a D> {
    envelope.details.filter(|details| !probe::is_null(*details))
}

/// How many of `members` are present, for `serialize_struct`'s length.
pub(crate) fn count(members: &[bool]) -> usize {
    members.iter().filter(|present| **present).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Context;

    #[test]
    fn message_is_escaped_json() {
        let message = format_args!("a \"quoted\" \\ {}\n", '\u{1}');
        assert_eq!(
            serde_json::to_string(&Message(&message)).unwrap(),
            r#""a \"quoted\" \\ \u0001\n""#
        );
    }

    #[test]
    fn null_details_are_absent() {
        let none: Option<u8> = None;
        let some = Some(3_u8);
        let envelope = |details| Envelope {
            status: http::StatusCode::BAD_REQUEST,
            code: "c",
            message: &"m",
            details,
            context: &Context::EMPTY,
        };
        assert!(details(&envelope(Some(&none))).is_none());
        assert!(details(&envelope(None)).is_none());
        assert_eq!(details(&envelope(Some(&some))), Some(&some));
    }
}

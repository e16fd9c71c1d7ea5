//! Envelope members every format writes the same way: the details unless they are
//! `null`, and the count of present members.

use serde::Serialize;

use super::probe;
use crate::envelope::Envelope;

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
    use crate::envelope::{Context, Message};

    #[test]
    fn message_is_escaped_json_in_both_forms() {
        let message = format_args!("a \"quoted\" \\ {}\n", '\u{1}');
        let expected = r#""a \"quoted\" \\ \u0001\n""#;
        assert_eq!(
            serde_json::to_string(&Message::Display(&message)).unwrap(),
            expected
        );
        let text = message.to_string();
        assert_eq!(
            serde_json::to_string(&Message::Str(&text)).unwrap(),
            expected
        );
    }

    #[test]
    fn null_details_are_absent() {
        let none: Option<u8> = None;
        let some = Some(3_u8);
        let envelope = |details| Envelope {
            status: http::StatusCode::BAD_REQUEST,
            code: "c",
            message: Message::Str("m"),
            details,
            context: &Context::EMPTY,
        };
        assert!(details(&envelope(Some(&none))).is_none());
        assert!(details(&envelope(None)).is_none());
        assert_eq!(details(&envelope(Some(&some))), Some(&some));
    }
}

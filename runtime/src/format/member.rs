//! What every format counts the same way: the members present, for `serialize_struct`.

/// How many of `members` are present, for `serialize_struct`'s length.
#[inline]
pub(crate) fn count(members: &[bool]) -> usize {
    // A sum of flags, which folds to a few additions once inlined.
    members.iter().map(|&present| usize::from(present)).sum()
}

#[cfg(test)]
mod tests {
    use crate::format::envelope::{Context, Envelope, Message};

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
        assert!(envelope(Some(&none)).present_details().is_none());
        assert!(envelope(None).present_details().is_none());
        assert_eq!(envelope(Some(&some)).present_details(), Some(&some));
    }
}

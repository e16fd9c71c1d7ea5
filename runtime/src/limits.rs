//! Layer 0, the ground floor: how much of a response is read and kept. Imports nothing
//! of the crate; [`decode`](crate::decode) re-exports the public bounds.

/// How many bytes of an unrecognised body an [`Unknown`](crate::Unknown) and a
/// [`ResponseMeta`](crate::decode::ResponseMeta) keep (and of its message).
pub const KEPT_BODY_BYTES: usize = 8 * 1024;

/// The largest body a decoder parses; a longer one is treated as unrecognisable and
/// decodes to the `unknown` variant with its start kept.
pub const MAX_DECODED_BODY: usize = 1024 * 1024;

/// How many bytes of a received code, request id or timestamp are kept.
pub const KEPT_TEXT_BYTES: usize = 256;

/// At most this many header fields are kept in
/// [`ResponseMeta::headers`](crate::decode::ResponseMeta::headers).
pub const KEPT_HEADERS: usize = 64;

/// `text`, cut to at most `bound` bytes at a character boundary.
pub(crate) fn kept_text(text: &str, bound: usize) -> String {
    let mut end = text.len().min(bound);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

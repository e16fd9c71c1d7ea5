//! A lenient JSON reader over a body's text: one pass, linear in the body, no recursion
//! on the body's nesting.
//!
//! It reads text the caller checked to be UTF-8 once, and checks JSON's syntax as
//! strictly as `serde_json` does, but it never fails on a value's type or contents: a
//! string that is not text once unescaped (a lone surrogate), a number out of any
//! integer's range and a value nested a thousand levels deep are all read, and a caller
//! that wanted something else drops them. A skipped value is walked with a stack of bits,
//! not the call stack. Every position it slices at is an ASCII byte, so every slice is
//! text.

use std::borrow::Cow;

pub(crate) mod de;

/// The parser's own error for a body the reader rejected: its kind and position, found on
/// the failure path only.
pub(crate) fn malformed(body: &[u8]) -> serde_json::Error {
    match serde_json::from_slice::<Box<serde_json::value::RawValue>>(body) {
        Err(error) => error,
        // Unreachable while the reader is as strict as the parser; not an envelope anyway.
        Ok(_) => serde::de::Error::custom("not an error envelope"),
    }
}

/// Where and why a body stopped being JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Invalid {
    /// The byte offset of the offending byte (the body's length when it ended early).
    pub(crate) at: usize,
    /// Whether the body ended early.
    pub(crate) eof: bool,
}

pub(crate) type Result<T> = std::result::Result<T, Invalid>;

/// A JSON string as it stands in the body: the text between its quotes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Str<'a> {
    inner: &'a str,
    escaped: bool,
}

impl<'a> Str<'a> {
    /// The empty string.
    pub(crate) const EMPTY: Str<'static> = Str {
        inner: "",
        escaped: false,
    };

    /// The string's text, borrowed unless it has escapes; `None` when it does not unescape
    /// to text (a lone surrogate escape).
    pub(crate) fn text(self) -> Option<Cow<'a, str>> {
        if self.escaped {
            unescape(self.inner).map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(self.inner))
        }
    }

    /// The string's text with each escape that is not a character (a lone surrogate)
    /// replaced by U+FFFD.
    pub(crate) fn text_lossy(self) -> Cow<'a, str> {
        if self.escaped {
            // Only an escape can fail, and the lossy reading replaces it.
            Cow::Owned(unescape_with(self.inner, true).unwrap_or_default())
        } else {
            Cow::Borrowed(self.inner)
        }
    }

    /// Whether the string's text is `expected`, without unescaping when it has no escapes.
    #[inline]
    pub(crate) fn is(self, expected: &str) -> bool {
        if self.escaped {
            self.escaped_is(expected)
        } else {
            self.inner == expected
        }
    }

    #[cold]
    fn escaped_is(self, expected: &str) -> bool {
        self.text().is_some_and(|text| text == expected)
    }

    /// The position of the first of `names` (by `name`) that this string's text is: the
    /// lengths compared first, in line, so that most names cost no comparison of bytes.
    #[inline]
    pub(crate) fn find<T>(self, names: &[T], name: impl Fn(&T) -> &str) -> Option<&T> {
        if self.escaped {
            return names.iter().find(|n| self.escaped_is(name(n)));
        }
        let len = self.inner.len();
        names.iter().find(|n| {
            let candidate = name(n);
            candidate.len() == len && candidate.as_bytes() == self.inner.as_bytes()
        })
    }
}

/// The kind of a value, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Literal,
}

/// A cursor over one JSON body.
#[derive(Clone)]
pub(crate) struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    /// The text from `start` to `end`: both at ASCII bytes (or the ends), so never
    /// between the bytes of a character; an error, not a panic, if they were.
    #[inline]
    fn slice(&self, start: usize, end: usize) -> Result<&'a str> {
        self.text.get(start..end).ok_or_else(|| self.invalid())
    }

    fn invalid(&self) -> Invalid {
        Invalid {
            at: self.pos.min(self.bytes.len()),
            eof: self.pos >= self.bytes.len(),
        }
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Result<u8> {
        self.skip_ws();
        self.bytes
            .get(self.pos)
            .copied()
            .ok_or_else(|| self.invalid())
    }

    #[inline]
    fn expect(&mut self, byte: u8) -> Result<()> {
        if self.peek()? == byte {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.invalid())
        }
    }

    /// The kind of the next value.
    #[inline]
    pub(crate) fn kind(&mut self) -> Result<Kind> {
        match self.peek()? {
            b'{' => Ok(Kind::Object),
            b'[' => Ok(Kind::Array),
            b'"' => Ok(Kind::String),
            b'-' | b'0'..=b'9' => Ok(Kind::Number),
            b't' | b'f' | b'n' => Ok(Kind::Literal),
            _ => Err(self.invalid()),
        }
    }

    /// Checks that nothing but whitespace follows.
    pub(crate) fn end(&mut self) -> Result<()> {
        self.skip_ws();
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.invalid())
        }
    }

    /// Reads an object, handing each member's name to `member`, which must consume the
    /// member's value. The next value must be an object.
    pub(crate) fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, Str<'a>) -> Result<()>,
    ) -> Result<()> {
        self.expect(b'{')?;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Ok(());
        }
        loop {
            if self.peek()? != b'"' {
                return Err(self.invalid());
            }
            let name = self.string()?;
            self.expect(b':')?;
            member(self, name)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.invalid()),
            }
        }
    }

    /// Reads an array, calling `element` at each element, which must consume it. The next
    /// value must be an array.
    pub(crate) fn array(
        &mut self,
        mut element: impl FnMut(&mut Self, usize) -> Result<()>,
    ) -> Result<()> {
        self.expect(b'[')?;
        if self.peek()? == b']' {
            self.pos += 1;
            return Ok(());
        }
        let mut index = 0;
        loop {
            element(self, index)?;
            index += 1;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.invalid()),
            }
        }
    }

    /// Reads a string value. The next value must be a string.
    pub(crate) fn string(&mut self) -> Result<Str<'a>> {
        self.expect(b'"')?;
        let start = self.pos;
        let mut escaped = false;
        loop {
            self.pos = plain_run(self.bytes, self.pos);
            let Some(&byte) = self.bytes.get(self.pos) else {
                return Err(self.invalid());
            };
            match byte {
                b'"' => {
                    let inner = self.slice(start, self.pos)?;
                    self.pos += 1;
                    return Ok(Str { inner, escaped });
                }
                b'\\' => {
                    escaped = true;
                    self.pos += 1;
                    match self.bytes.get(self.pos) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 1;
                        }
                        Some(b'u') => {
                            self.pos += 1;
                            for _ in 0..4 {
                                match self.bytes.get(self.pos) {
                                    Some(b) if b.is_ascii_hexdigit() => self.pos += 1,
                                    _ => return Err(self.invalid()),
                                }
                            }
                        }
                        _ => return Err(self.invalid()),
                    }
                }
                0..=0x1f => return Err(self.invalid()),
                _ => self.pos += 1,
            }
        }
    }

    /// Reads a number's text. The next value must be a number.
    fn number(&mut self) -> Result<&'a str> {
        self.skip_ws();
        let start = self.pos;
        let digits = |reader: &mut Self| {
            let from = reader.pos;
            while let Some(b'0'..=b'9') = reader.bytes.get(reader.pos) {
                reader.pos += 1;
            }
            if reader.pos == from {
                Err(reader.invalid())
            } else {
                Ok(())
            }
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => digits(self)?,
            _ => return Err(self.invalid()),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            digits(self)?;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            digits(self)?;
        }
        self.slice(start, self.pos)
    }

    fn literal(&mut self) -> Result<()> {
        self.skip_ws();
        let rest = &self.bytes[self.pos..];
        for word in [&b"true"[..], b"false", b"null"] {
            if rest.starts_with(word) {
                self.pos += word.len();
                return Ok(());
            }
        }
        // Point at the first byte that differs, as a parser would.
        let word: &[u8] = match rest.first() {
            Some(b't') => b"true",
            Some(b'f') => b"false",
            _ => b"null",
        };
        let same = rest.iter().zip(word).take_while(|(a, b)| a == b).count();
        self.pos += same;
        Err(self.invalid())
    }

    /// Skips one value of any kind and depth, with a stack of bits rather than recursion.
    pub(crate) fn skip(&mut self) -> Result<()> {
        // What each open container is: an object (`true`) or an array.
        let mut open = Open::default();
        loop {
            // One value.
            match self.kind()? {
                Kind::Object => {
                    self.pos += 1;
                    if self.peek()? == b'}' {
                        self.pos += 1;
                    } else {
                        open.push(true);
                        self.member_name()?;
                        continue;
                    }
                }
                Kind::Array => {
                    self.pos += 1;
                    if self.peek()? == b']' {
                        self.pos += 1;
                    } else {
                        open.push(false);
                        continue;
                    }
                }
                Kind::String => {
                    self.string()?;
                }
                Kind::Number => {
                    self.number()?;
                }
                Kind::Literal => self.literal()?,
            }
            // After a value: close what ends here, or go on to the next member or element.
            loop {
                let Some(in_object) = open.last() else {
                    return Ok(());
                };
                match (self.peek()?, in_object) {
                    (b',', true) => {
                        self.pos += 1;
                        self.member_name()?;
                        break;
                    }
                    (b',', false) => {
                        self.pos += 1;
                        break;
                    }
                    (b'}', true) | (b']', false) => {
                        self.pos += 1;
                        open.pop();
                    }
                    _ => return Err(self.invalid()),
                }
            }
        }
    }

    /// A member's name and its colon, inside [`skip`](Self::skip).
    fn member_name(&mut self) -> Result<()> {
        if self.peek()? != b'"' {
            return Err(self.invalid());
        }
        self.string()?;
        self.expect(b':')
    }

    /// The next byte after whitespace, if any.
    #[inline]
    pub(crate) fn peek_byte(&mut self) -> Option<u8> {
        self.peek().ok()
    }

    /// Where the reader is, after whitespace: the start of the next value.
    #[inline]
    pub(crate) fn position(&mut self) -> usize {
        self.skip_ws();
        self.pos
    }

    /// The text from `start` to where the reader is.
    #[inline]
    pub(crate) fn since(&self, start: usize) -> Result<&'a str> {
        self.slice(start, self.pos)
    }

    /// Skips one value and returns its text, from its first byte to its last.
    pub(crate) fn span(&mut self) -> Result<&'a str> {
        self.skip_ws();
        let start = self.pos;
        self.skip()?;
        self.since(start)
    }

    /// Reads a value that should be a string: its text, or `None` (the value consumed) for
    /// any other value or a string that is not text.
    pub(crate) fn text(&mut self) -> Result<Option<Cow<'a, str>>> {
        if self.kind()? == Kind::String {
            Ok(self.string()?.text())
        } else {
            self.skip().map(|()| None)
        }
    }

    /// Reads a value that should be an integer in `0..=65535`: `None` (the value consumed)
    /// for anything else.
    pub(crate) fn u16(&mut self) -> Result<Option<u16>> {
        if self.kind()? != Kind::Number {
            return self.skip().map(|()| None);
        }
        let text = self.number()?;
        if text.bytes().all(|b| b.is_ascii_digit()) {
            // At most five digits can fit; parse no more than that.
            Ok(Some(text)
                .filter(|t| t.len() <= 5)
                .and_then(|t| t.parse().ok()))
        } else if text.len() > 1 && text.starts_with('-') && text[1..].bytes().all(|b| b == b'0') {
            // `-0` is zero, as a parser reads it.
            Ok(Some(0))
        } else {
            Ok(None)
        }
    }
}

/// Which bytes end a run of a string's plain bytes: a quote, a backslash, a control
/// character.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// The end of the run of bytes from `from` that a string holds as they are: the position
/// of the first quote, backslash or control character (or the end). Eight bytes at a time,
/// and byte by byte for the last few.
#[inline]
fn plain_run(bytes: &[u8], mut from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `word` is zero.
    let zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    while let Some(chunk) = bytes.get(from..from + 8) {
        let mut eight = [0; 8];
        eight.copy_from_slice(chunk);
        let word = u64::from_le_bytes(eight);
        let special = zero(word ^ (ONES * u64::from(b'"')))
            | zero(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if special != 0 {
            // The lowest flagged byte is a special one (a borrow only ever flags bytes
            // above a true match): the run ends there.
            return from + (special.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while let Some(&byte) = bytes.get(from) {
        if SPECIAL[usize::from(byte)] {
            break;
        }
        from += 1;
    }
    from
}

/// The containers [`Reader::skip`] is inside, innermost last: the first 64 as bits, with
/// no allocation, and any deeper ones in a vector.
#[derive(Default)]
struct Open {
    bits: u64,
    len: usize,
    deeper: Vec<bool>,
}

impl Open {
    fn push(&mut self, object: bool) {
        if self.len < 64 {
            self.bits = (self.bits << 1) | u64::from(object);
        } else {
            self.deeper.push(object);
        }
        self.len += 1;
    }

    fn last(&self) -> Option<bool> {
        match self.len {
            0 => None,
            1..=64 => Some(self.bits & 1 == 1),
            _ => self.deeper.last().copied(),
        }
    }

    fn pop(&mut self) {
        if self.len > 64 {
            self.deeper.pop();
        } else {
            self.bits >>= 1;
        }
        self.len -= 1;
    }
}

/// The text of a string's escaped contents, or `None` when they do not unescape to text.
fn unescape(inner: &str) -> Option<String> {
    unescape_with(inner, false)
}

/// Unescapes a string's inner text; with `lossy`, an escape that is not a character (a
/// lone surrogate) becomes U+FFFD instead of failing.
fn unescape_with(inner: &str, lossy: bool) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    let hex = |digits: &str| -> Option<u32> { u32::from_str_radix(digits.get(..4)?, 16).ok() };
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let escape = rest.as_bytes().get(at + 1).copied()?;
        rest = &rest[at + 2..];
        let ch = match escape {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = hex(rest)?;
                rest = rest.get(4..)?;
                // A high surrogate must be followed by an escaped low one.
                let pair = (0xD800..0xDC00).contains(&first).then(|| {
                    let low = rest.strip_prefix("\\u")?;
                    let second = hex(low).filter(|s| (0xDC00..0xE000).contains(s))?;
                    Some((low.get(4..)?, second))
                });
                let code = match pair {
                    Some(Some((after, second))) => {
                        rest = after;
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    }
                    Some(None) => u32::MAX,
                    None => first,
                };
                match char::from_u32(code) {
                    Some(ch) => ch,
                    None if lossy => char::REPLACEMENT_CHARACTER,
                    None => return None,
                }
            }
            _ => return None,
        };
        out.push(ch);
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_run_ends_at_the_first_special_byte_wherever_it_is() {
        let naive = |bytes: &[u8], from: usize| {
            (from..bytes.len())
                .find(|&i| matches!(bytes[i], b'"' | b'\\' | 0..=0x1f))
                .unwrap_or(bytes.len())
        };
        // Specials at every offset, after bytes that borrow (0x00, 0x01, 0x21, 0x5d, 0xe9).
        for len in 0..20 {
            for at in 0..=len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    for filler in [b'a', 0x21, 0x5d, 0xe9, 0x7f, 0xff] {
                        let mut bytes = vec![filler; len];
                        if at < len {
                            bytes[at] = special;
                        }
                        for from in 0..=len.min(3) {
                            assert_eq!(
                                plain_run(&bytes, from),
                                naive(&bytes, from),
                                "{bytes:?} from {from}"
                            );
                        }
                    }
                }
            }
        }
        // A special byte with another above it: the lower one ends the run.
        let bytes = b"abc\"\x01\\defgh";
        assert_eq!(plain_run(bytes, 0), 3);
    }

    fn skip_all(body: &str) -> Result<usize> {
        let mut reader = Reader::new(body);
        reader.skip()?;
        reader.end()?;
        Ok(reader.pos)
    }

    #[test]
    fn accepts_what_serde_json_accepts_and_rejects_what_it_rejects() {
        let bodies = [
            "{}",
            "[]",
            r#"{"a":[1,-2.5e+3,true,false,null,{"b":"\u00e9\ud83d\ude00"}],"c":{}}"#,
            "  [ 1 , [ ] , { } ]  ",
            "-0",
            "\"\\ud800\"",
            "1e400",
            "{\"a\":1,}",
            "[1,]",
            "01",
            "1.",
            "-",
            "{\"a\" 1}",
            "{1:2}",
            "[1 2]",
            "\"tab\there\"",
            "\"\\x\"",
            "\"\\u12g4\"",
            "tru",
            "nul",
            "{\"a\":1",
            "[",
            "",
            "{} {}",
            "<html>",
        ];
        for body in bodies {
            let ours = skip_all(body).is_ok();
            let theirs = serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok();
            assert_eq!(ours, theirs, "{body}");
        }
    }

    #[test]
    fn skipping_deep_nesting_uses_no_stack() {
        let depth = 200_000;
        let body = format!("{}1{}", "[{\"a\":".repeat(depth), "}]".repeat(depth));
        assert_eq!(skip_all(&body), Ok(body.len()));
    }

    #[test]
    fn strings_that_are_not_text_read_as_none() {
        fn text(body: &str) -> Option<Cow<'_, str>> {
            Reader::new(body).text().unwrap()
        }
        assert_eq!(text(r#""plain""#), Some(Cow::Borrowed("plain")));
        assert_eq!(
            text(r#""a\"b\u00e9\ud83d\ude00""#).as_deref(),
            Some("a\"bé😀")
        );
        assert_eq!(text(r#""\ud800""#), None);
        assert_eq!(text(r#""\udc00\ud800""#), None);
        assert_eq!(text(r#""\ud800\u0041""#), None);
        assert_eq!(text("5"), None);
        assert_eq!(text("{\"a\":[\"\\ud800\"]}"), None);
    }

    #[test]
    fn statuses_read_as_integers_in_range_only() {
        let status = |body: &str| Reader::new(body).u16().unwrap();
        assert_eq!(status("404"), Some(404));
        assert_eq!(status("-0"), Some(0));
        assert_eq!(status("65535"), Some(65535));
        for other in [
            "65536", "-5", "404.0", "4e2", "1e400", "\"404\"", "null", "[404]",
        ] {
            assert_eq!(status(other), None, "{other}");
        }
    }

    #[test]
    fn errors_say_where() {
        let at = |body: &str| skip_all(body).unwrap_err();
        assert_eq!(at("[1,}"), Invalid { at: 3, eof: false });
        assert_eq!(at("{\"a\":"), Invalid { at: 5, eof: true });
        assert_eq!(at("truth"), Invalid { at: 3, eof: false });
        assert_eq!(at("true1"), Invalid { at: 4, eof: false });
        assert_eq!(at("tru"), Invalid { at: 3, eof: true });
    }
}

//! An RFC 8259 grammar check, independent of `serde_json`: the oracle for "this member's
//! value is well-formed JSON". It accepts what the grammar accepts, including what
//! `serde_json` refuses to turn into a typed value (`1e400`, a lone surrogate escape
//! `"\ud800"`), which is exactly where a lenient decoder must not give up.

/// Whether `text` is one JSON value (with optional surrounding whitespace) per
/// RFC 8259, nested at most `max_depth` arrays and objects deep.
pub fn is_json(text: &[u8], max_depth: usize) -> bool {
    let Ok(text) = std::str::from_utf8(text) else {
        return false;
    };
    let mut parser = Parser {
        text: text.as_bytes(),
        at: 0,
        depth: 0,
        max_depth,
    };
    parser.ws();
    if parser.value().is_none() {
        return false;
    }
    parser.ws();
    parser.at == parser.text.len()
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    depth: usize,
    max_depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.text[self.at..].starts_with(word).then(|| {
            self.at += word.len();
        })
    }

    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'{' => self.nested(b'}', true),
            b'[' => self.nested(b']', false),
            b'"' => self.string(),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// An object (`members`) or an array, from its opening bracket to `close`.
    fn nested(&mut self, close: u8, members: bool) -> Option<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return None;
        }
        self.at += 1;
        self.ws();
        if self.eat(close).is_none() {
            loop {
                if members {
                    self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    self.ws();
                }
                self.value()?;
                self.ws();
                if self.eat(b',').is_some() {
                    self.ws();
                    continue;
                }
                self.eat(close)?;
                break;
            }
        }
        self.depth -= 1;
        Some(())
    }

    fn digits(&mut self) -> Option<()> {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        (self.at > start).then_some(())
    }

    fn number(&mut self) -> Option<()> {
        let _ = self.eat(b'-');
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits()?,
            _ => return None,
        }
        if self.eat(b'.').is_some() {
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.digits()?;
        }
        Some(())
    }

    fn string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    self.at += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 1,
                        b'u' => {
                            self.at += 1;
                            for _ in 0..4 {
                                if !self.peek()?.is_ascii_hexdigit() {
                                    return None;
                                }
                                self.at += 1;
                            }
                        }
                        _ => return None,
                    }
                }
                // Control characters must be escaped; the text is already valid UTF-8.
                0x00..=0x1f => return None,
                _ => self.at += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn accepts_the_grammar() {
        for text in [
            "0",
            "-0",
            "1e400",
            "-1.5E+3",
            r#""\ud800""#,
            r#" {"a":[1,{"b":null}],"c":"\u00e9\n"} "#,
            "[]",
            "{}",
            "\"é☃𐍈\"",
        ] {
            assert!(is_json(text.as_bytes(), 8), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_json() {
        for text in [
            "", "01", "1.", ".5", "1e", "+1", "[1,]", "{\"a\"}", "\"\t\"", "\"\\x\"", "nul",
            "[[[]]]", "1 2", "'a'",
        ] {
            assert!(!is_json(text.as_bytes(), 2), "{text}");
        }
    }
}

//! Declared formats: the JSON of `format(json = "…")` read into a tree of members, with
//! its placeholders resolved to the parts of an error, and what is wrong with it.
//!
//! Step 1 of the derive: reading the attributes.
//!
//! A placeholder is a JSON string that is exactly `{name}`, `{name?}` (optional) or
//! `{name:filter}`, or the same without quotes where a value goes. Quotes matter only for
//! the status: `{status}` is a number, `"{status}"` a string, `"{status:grpc}"` gRPC's
//! canonical code name. Every other name is a named part: a key part the variants fill
//! with `key(name = "…")`, or a field bound with `#[api_error(member)]`.

use std::fmt;

/// The error parts a placeholder can name besides the named ones.
pub(crate) const PARTS: &[&str] = &[
    "code",
    "message",
    "details",
    "request_id",
    "timestamp",
    "status",
    "retry_after",
];

/// A parsed declaration.
pub(crate) struct Shape {
    /// The top-level members.
    pub(crate) members: Vec<Member>,
    /// The named parts, in the order they first appear.
    pub(crate) names: Vec<String>,
}

pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) value: Node,
}

pub(crate) enum Node {
    Object(Vec<Member>),
    Array(Vec<Node>),
    Literal(Literal),
    Slot(Slot),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(n) => write!(f, "{n}"),
            Literal::Str(s) => write!(f, "{s:?}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    pub(crate) part: Part,
    pub(crate) optional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Code,
    Message,
    Details,
    RequestId,
    Timestamp,
    Status,
    StatusText,
    StatusName,
    /// The retry hint, in the unit named as in `#[api_error(retry(unit = "…"))]`.
    RetryAfter(&'static str),
    /// By its index in [`Shape::names`].
    Named(usize),
}

impl Shape {
    /// Every slot, at any depth, in order.
    pub(crate) fn slots(&self) -> Vec<&Slot> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a Slot>) {
            match node {
                Node::Object(members) => members.iter().for_each(|m| walk(&m.value, out)),
                Node::Array(elements) => elements.iter().for_each(|e| walk(e, out)),
                Node::Literal(_) => {}
                Node::Slot(slot) => out.push(slot),
            }
        }
        let mut out = Vec::new();
        for member in &self.members {
            walk(&member.value, &mut out);
        }
        out
    }

    /// The slot of `part`, if the declaration has one.
    pub(crate) fn slot(&self, part: &Part) -> Option<&Slot> {
        self.slots().into_iter().find(|slot| slot.part == *part)
    }

    /// The index of a named part.
    pub(crate) fn named(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// How many literal members stand outside arrays: the envelope's discriminators.
    pub(crate) fn discriminators(&self) -> usize {
        fn count(members: &[Member]) -> usize {
            members
                .iter()
                .map(|m| match &m.value {
                    Node::Literal(_) => 1,
                    Node::Object(inner) => count(inner),
                    Node::Array(_) | Node::Slot(_) => 0,
                })
                .sum()
        }
        count(&self.members)
    }

    /// Whether a top-level (outside arrays) literal member is called `name`, and its value.
    pub(crate) fn literal_named(&self, name: &str) -> Option<&Literal> {
        fn find<'a>(members: &'a [Member], name: &str) -> Option<&'a Literal> {
            members.iter().find_map(|m| match &m.value {
                Node::Literal(literal) if m.name == name => Some(literal),
                Node::Object(inner) => find(inner, name),
                Node::Array(elements) => elements.iter().find_map(|e| match e {
                    Node::Object(inner) => find(inner, name),
                    _ => None,
                }),
                _ => None,
            })
        }
        find(&self.members, name)
    }
}

/// The name a field is bound under as a member: its own.
pub(crate) fn member_name(member: &syn::Member) -> String {
    match member {
        syn::Member::Named(name) => crate::case::unraw(name),
        syn::Member::Unnamed(index) => index.index.to_string(),
    }
}

/// Parses a declaration; the error says what is wrong and where (line and column in the
/// declared text).
pub(crate) fn parse(text: &str) -> Result<Shape, String> {
    let mut parser = Parser {
        text,
        pos: 0,
        names: Vec::new(),
        seen: Vec::new(),
    };
    parser.ws();
    if parser.peek() != Some(b'{') {
        return Err(parser.fail("the declaration must be a JSON object"));
    }
    let Node::Object(members) = parser.value()? else {
        unreachable!("a value starting with `{{` that is no placeholder is an object")
    };
    parser.ws();
    if parser.pos < text.len() {
        return Err(parser.fail("unexpected text after the object"));
    }
    Ok(Shape {
        members,
        names: parser.names,
    })
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
    names: Vec<String>,
    /// The placeholders met so far, to refuse a repeat.
    seen: Vec<String>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// `message` with the current line and column.
    fn fail(&self, message: &str) -> String {
        self.fail_at(self.pos, message)
    }

    fn fail_at(&self, pos: usize, message: &str) -> String {
        let before = &self.text[..pos.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{message} (line {line}, column {column})")
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), String> {
        self.ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.fail(&format!("invalid JSON: expected {what}")))
        }
    }

    fn value(&mut self) -> Result<Node, String> {
        self.ws();
        match self.peek() {
            Some(b'{') => {
                let start = self.pos;
                self.pos += 1;
                self.ws();
                match self.peek() {
                    Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                        // An unquoted placeholder: `{status}`.
                        let end = self.text[start..]
                            .find('}')
                            .map(|i| start + i)
                            .ok_or_else(|| self.fail("invalid JSON: an unclosed placeholder"))?;
                        self.pos = end + 1;
                        self.placeholder(&self.text[start + 1..end], start, false)
                    }
                    _ => self.object(),
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut elements = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Node::Array(elements));
                }
                loop {
                    elements.push(self.value()?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        _ => return Err(self.fail("invalid JSON: expected `,` or `]`")),
                    }
                }
                self.check_elements(&elements)?;
                Ok(Node::Array(elements))
            }
            Some(b'"') => {
                let start = self.pos;
                let text = self.string()?;
                match text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                    Some(inner) if is_placeholder(inner) => self.placeholder(inner, start, true),
                    _ if text.contains('{') && text.contains('}') && looks_embedded(&text) => {
                        Err(self.fail_at(
                            start,
                            &format!(
                                "a placeholder must be the whole string: \"{text}\" mixes text and a placeholder"
                            ),
                        ))
                    }
                    _ => Ok(Node::Literal(Literal::Str(text))),
                }
            }
            Some(b't') if self.text[self.pos..].starts_with("true") => {
                self.pos += 4;
                Ok(Node::Literal(Literal::Bool(true)))
            }
            Some(b'f') if self.text[self.pos..].starts_with("false") => {
                self.pos += 5;
                Ok(Node::Literal(Literal::Bool(false)))
            }
            Some(b'n') if self.text[self.pos..].starts_with("null") => {
                self.pos += 4;
                Ok(Node::Literal(Literal::Null))
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
                    self.pos += 1;
                }
                let number = &self.text[start..self.pos];
                number
                    .parse()
                    .map(|n| Node::Literal(Literal::Int(n)))
                    .map_err(|_| {
                        self.fail_at(
                            start,
                            &format!(
                                "a literal number must be an integer that fits i64, not `{number}`"
                            ),
                        )
                    })
            }
            Some(_) => Err(self.fail("invalid JSON: expected a value")),
            None => Err(self.fail("invalid JSON: the text ends where a value belongs")),
        }
    }

    fn object(&mut self) -> Result<Node, String> {
        // After the `{`.
        let mut members: Vec<Member> = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node::Object(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.fail("invalid JSON: expected a member name in quotes"));
            }
            let at = self.pos;
            let name = self.string()?;
            if members.iter().any(|m| m.name == name) {
                return Err(self.fail_at(
                    at,
                    &format!("member `{name}` is declared twice in one object"),
                ));
            }
            self.expect(b':', "`:`")?;
            let value = self.value()?;
            members.push(Member { name, value });
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node::Object(members));
                }
                _ => return Err(self.fail("invalid JSON: expected `,` or `}`")),
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        // At the opening quote.
        let start = self.pos;
        self.pos += 1;
        let rest = &self.text[self.pos..];
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => {
                    let escaped = match chars.next().map(|(_, c)| c) {
                        Some('"') => '"',
                        Some('\\') => '\\',
                        Some('/') => '/',
                        Some('n') => '\n',
                        Some('t') => '\t',
                        Some('r') => '\r',
                        Some('b') => '\u{8}',
                        Some('f') => '\u{c}',
                        Some('u') => {
                            let hex: String = (0..4)
                                .filter_map(|_| chars.next().map(|(_, c)| c))
                                .collect();
                            let Some(c) =
                                u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                            else {
                                self.pos += i;
                                return Err(self.fail(
                                    "invalid JSON: `\\u` takes four hex digits of a character (no surrogates)",
                                ));
                            };
                            c
                        }
                        _ => {
                            self.pos += i;
                            return Err(self.fail("invalid JSON: an unknown escape"));
                        }
                    };
                    out.push(escaped);
                }
                c if u32::from(c) < 0x20 => {
                    self.pos += i;
                    return Err(self.fail("invalid JSON: a control character in a string"));
                }
                c => out.push(c),
            }
        }
        Err(self.fail_at(start, "invalid JSON: an unclosed string"))
    }

    /// Resolves `inner` (between the braces) to a slot.
    fn placeholder(&mut self, inner: &str, at: usize, quoted: bool) -> Result<Node, String> {
        let (body, optional) = match inner.strip_suffix('?') {
            Some(body) => (body, true),
            None => (inner, false),
        };
        let (name, filter) = match body.split_once(':') {
            Some((name, filter)) => (name, Some(filter)),
            None => (body, None),
        };
        if !is_name(name) {
            return Err(self.fail_at(
                at,
                &format!("`{{{inner}}}` is not a placeholder: a name is letters, digits and `_`"),
            ));
        }
        let part = match (name, filter) {
            ("status", None) if quoted => Part::StatusText,
            ("status", None) => Part::Status,
            ("status", Some("grpc")) => Part::StatusName,
            ("retry_after", None) => {
                Part::RetryAfter(if quoted { "retry_after" } else { "seconds" })
            }
            ("retry_after", Some(unit)) => {
                let Some((name, _)) = HINT_UNITS.iter().find(|(n, _)| *n == unit) else {
                    let units: Vec<String> =
                        HINT_UNITS.iter().map(|(n, _)| format!("`{n}`")).collect();
                    return Err(self.fail_at(
                        at,
                        &format!(
                            "unknown filter `{unit}`: the retry hint's unit is one of {}",
                            units.join(", ")
                        ),
                    ));
                };
                Part::RetryAfter(name)
            }
            (_, Some(filter)) => {
                let what = if name == "status" {
                    "the status takes only the filter `grpc`".to_owned()
                } else {
                    format!(
                        "only `status` and `retry_after` take a filter (`{{status:grpc}}`, `{{retry_after:duration}}`), not `{name}`"
                    )
                };
                return Err(self.fail_at(at, &format!("unknown filter `{filter}`: {what}")));
            }
            ("code", None) => Part::Code,
            ("message", None) => Part::Message,
            ("details", None) => Part::Details,
            ("request_id", None) => Part::RequestId,
            ("timestamp", None) => Part::Timestamp,
            (name, None) => {
                let index = self
                    .names
                    .iter()
                    .position(|n| n == name)
                    .unwrap_or_else(|| {
                        self.names.push(name.to_owned());
                        self.names.len() - 1
                    });
                Part::Named(index)
            }
        };
        if !optional && matches!(part, Part::RetryAfter(_)) {
            return Err(self.fail_at(
                at,
                "most errors carry no retry hint: write `{retry_after?}`, so that it is omitted when absent",
            ));
        }
        if optional && matches!(part, Part::Status | Part::StatusText | Part::StatusName) {
            return Err(self.fail_at(
                at,
                "the status is never absent: write `{status}` without `?`",
            ));
        }
        let key = match filter {
            Some(filter) => format!("{name}:{filter}"),
            None if name == "status" && quoted => "\"status\"".to_owned(),
            None => name.to_owned(),
        };
        if self.seen.contains(&key) {
            return Err(self.fail_at(
                at,
                &format!("placeholder `{{{inner}}}` appears twice; each part has one place"),
            ));
        }
        self.seen.push(key);
        Ok(Node::Slot(Slot { part, optional }))
    }

    /// An array of more than one declared element must let a received element be matched
    /// to one: each is an object with a literal member.
    fn check_elements(&self, elements: &[Node]) -> Result<(), String> {
        // Elements without a slot (literals, constant objects) are written as they are
        // and need telling apart from nothing.
        let slotted: Vec<&Node> = elements.iter().filter(|e| has_slot(e)).collect();
        if slotted.len() < 2 {
            return Ok(());
        }
        let told_apart = slotted.iter().all(|e| match e {
            Node::Object(members) => members.iter().any(|m| matches!(m.value, Node::Literal(_))),
            _ => false,
        });
        if told_apart {
            Ok(())
        } else {
            Err(self.fail(
                "an array of several declared elements needs each to be an object with a literal member \
                 (like \"@type\":\"…\") that tells received elements apart",
            ))
        }
    }
}

/// Whether a node holds a slot at any depth.
fn has_slot(node: &Node) -> bool {
    match node {
        Node::Object(members) => members.iter().any(|m| has_slot(&m.value)),
        Node::Array(elements) => elements.iter().any(has_slot),
        Node::Literal(_) => false,
        Node::Slot(_) => true,
    }
}

fn is_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether the text between braces reads as a placeholder (name, `?`, `:filter`).
fn is_placeholder(inner: &str) -> bool {
    !inner.is_empty()
        && inner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'?' | b':'))
}

/// Whether a string holds a placeholder among other text (`"error: {code}"`).
fn looks_embedded(text: &str) -> bool {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        if let Some(close) = after.find('}')
            && is_placeholder(&after[..close])
        {
            return true;
        }
        rest = after;
    }
    false
}

/// The units `#[api_error(retry(unit = "…"))]` knows (as `apierror::retry::HintUnit`).
pub(crate) const HINT_UNITS: [(&str, &str); 6] = [
    ("retry_after", "RetryAfter"),
    ("seconds", "Seconds"),
    ("ms", "Milliseconds"),
    ("unix", "UnixTime"),
    ("duration", "ProtoDuration"),
    ("http_date", "HttpDate"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_slots_literals_and_names() {
        let shape = parse(
            r#"{"ok":false,"error":{"code":{status},"status":"{status:grpc}","text":"{status}",
               "type":"{type}","param":"{param?}","details":[{"@type":"x","reason":"{code}"}]}}"#,
        )
        .unwrap();
        assert_eq!(shape.names, ["type", "param"]);
        let parts: Vec<(Part, bool)> = shape
            .slots()
            .into_iter()
            .map(|s| (s.part.clone(), s.optional))
            .collect();
        assert_eq!(
            parts,
            [
                (Part::Status, false),
                (Part::StatusName, false),
                (Part::StatusText, false),
                (Part::Named(0), false),
                (Part::Named(1), true),
                (Part::Code, false),
            ]
        );
        assert_eq!(shape.discriminators(), 1);
        assert_eq!(
            shape.literal_named("@type"),
            Some(&Literal::Str("x".into()))
        );
    }

    #[test]
    fn says_what_is_wrong_and_where() {
        let cases = [
            (
                r#"{"a":1,}"#,
                "invalid JSON: expected a member name in quotes (line 1, column 8)",
            ),
            (
                "{\"a\":\n  [1 2]}",
                "invalid JSON: expected `,` or `]` (line 2, column 6)",
            ),
            (
                "[1]",
                "the declaration must be a JSON object (line 1, column 1)",
            ),
            (
                r#"{"a":"{code}","b":"{code?}"}"#,
                "placeholder `{code?}` appears twice; each part has one place (line 1, column 19)",
            ),
            (
                r#"{"a":"{status:http}"}"#,
                "unknown filter `http`: the status takes only the filter `grpc` (line 1, column 6)",
            ),
            (
                r#"{"a":"{status?}"}"#,
                "the status is never absent: write `{status}` without `?` (line 1, column 6)",
            ),
            (
                r#"{"a":"error {code}"}"#,
                "a placeholder must be the whole string: \"error {code}\" mixes text and a placeholder (line 1, column 6)",
            ),
            (
                r#"{"a":1.5}"#,
                "a literal number must be an integer that fits i64, not `1.5` (line 1, column 6)",
            ),
            (
                r#"{"a":1,"a":2}"#,
                "member `a` is declared twice in one object (line 1, column 8)",
            ),
            (
                r#"{"a":[{"b":"{code}"},{"c":"{message}"}]}"#,
                "an array of several declared elements needs each to be an object with a literal member (like \"@type\":\"…\") that tells received elements apart (line 1, column 40)",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).err().as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn braces_that_are_no_placeholder_are_text() {
        let shape = parse(r#"{"a":"{ not one }","b":"{}"}"#).unwrap();
        assert!(shape.slots().is_empty());
    }
}

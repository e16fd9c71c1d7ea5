//! Declared formats: an envelope written the way a vendor's documentation shows it, with
//! placeholders where the error's parts go, compiled by the derive into a [`Declaration`]
//! that encodes and decodes it.
//!
//! ```
//! use apierror::ApiError;
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! #[api_error(format(json = r#"{"ok":false,"error":"{code}"}"#))]
//! enum SlackError {
//!     #[error("channel not found")]
//!     #[status(200)]
//!     ChannelNotFound,
//! }
//!
//! assert_eq!(SlackError::ChannelNotFound.to_body(), br#"{"ok":false,"error":"channel_not_found"}"#);
//! ```
//!
//! The derive's reference (the README's "Your vendor's format") lists the placeholders;
//! this module is what the generated code runs. A [`Declaration`] is a tree of members
//! mirroring the declared JSON: objects, arrays, literal values and slots, each slot one
//! [`Part`] of the error.
//!
//! Decoding walks the body once, beside the declaration: a member the declaration names is
//! read as its slot wants (a value of the wrong type is dropped), a literal is compared, and
//! every member the declaration does not name is kept, bounded, as an
//! [`UnboundMember`]. An array of objects told apart by a literal member (Google's
//! `details` and their `@type`) matches each element to the declared element with the same
//! literal. The cost is linear in the body: a value the declaration does not descend into
//! is skipped without recursion, and an array element is read at most twice (once to find
//! its literal, once to read it).

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::flatten::{self, Flattened};
use super::json::{self, Kind, Reader, Str};
use super::{DeclaredValue, DetailsReader, Envelope, RawDetails, RawEnvelope};
use crate::hint::signals::HintText;
use crate::limits::{KEPT_BODY_BYTES, KEPT_TEXT_BYTES};

/// A declared envelope: its name and content type, and its members.
#[derive(Debug)]
pub struct Declaration {
    /// The format's name, for messages.
    pub name: &'static str,
    /// The `Content-Type` of an encoded body.
    pub content_type: &'static str,
    /// The top-level object's members, in the order they are written.
    pub members: &'static [Member],
    /// How many literal members stand outside arrays: a body is this envelope when it has
    /// every one of them with its declared value (see [`RawEnvelope::discriminated`]).
    pub literals: usize,
    /// Whether the details are the top-level object's other members (RFC 9457's extension
    /// members), rather than a `{details}` slot: see [`Extensions`].
    pub extensions: Option<Extensions>,
}

/// Details written as the top-level object's own members, after the declared ones, and
/// read back from every member the declaration does not name (RFC 9457's extension
/// members; what `problem` does).
///
/// [`FieldErrors`](crate::FieldErrors) go under one `errors` member; another map or struct
/// adds its entries, unless one is named like a member in `reserved`; such details, and
/// details that are not an object, go whole under `whole`. Nothing is dropped.
#[derive(Debug, Clone, Copy)]
pub struct Extensions {
    /// The names no extension member may take.
    pub reserved: &'static [&'static str],
    /// The member details that are not an object are written whole under.
    pub whole: &'static str,
}

/// One member of a declared object.
#[derive(Debug)]
pub struct Member {
    /// The member's name.
    pub name: &'static str,
    /// The name as the JSON text it is written as, with its colon: `"code":`.
    pub key: &'static str,
    /// What its value is.
    pub value: Value,
}

/// A [`Member`] whose name needs no escaping, its `key` written for it:
/// `member!("code" => Value::…)`.
macro_rules! member {
    ($name:literal => $value:expr) => {
        $crate::format::declared::Member {
            name: $name,
            key: ::core::concat!("\"", $name, "\":"),
            value: $value,
        }
    };
}
pub(crate) use member;

/// The methods of a [`Format`](super::Format) impl that a declaration answers: writing
/// (through a serializer and into a body's bytes) and reading. `$declaration` is an
/// expression of type `&Declaration` (or `Declaration`).
macro_rules! declared_methods {
    ($declaration:expr) => {
        fn serialize<S, D>(
            envelope: &$crate::format::Envelope<'_, D>,
            serializer: S,
        ) -> ::core::result::Result<S::Ok, S::Error>
        where
            S: ::serde::Serializer,
            D: ::serde::Serialize + ?Sized,
        {
            $declaration.encode(
                envelope,
                &$crate::format::declared::EnvelopeOnly,
                serializer,
            )
        }

        fn serialize_parts<S, D, P>(
            envelope: &$crate::format::Envelope<'_, D>,
            parts: &P,
            serializer: S,
        ) -> ::core::result::Result<S::Ok, S::Error>
        where
            S: ::serde::Serializer,
            D: ::serde::Serialize + ?Sized,
            P: $crate::format::declared::VariantParts,
        {
            $declaration.encode(envelope, parts, serializer)
        }

        #[inline]
        fn write_json<D, P>(
            envelope: &$crate::format::Envelope<'_, D>,
            parts: &P,
            buf: &mut ::std::vec::Vec<u8>,
        ) -> ::core::result::Result<(), ::serde_json::Error>
        where
            D: ::serde::Serialize + ?Sized,
            P: $crate::format::declared::VariantParts,
        {
            $declaration.write_json(envelope, parts, buf)
        }

        fn deserialize<'de, De>(
            deserializer: De,
        ) -> ::core::result::Result<$crate::format::RawEnvelope<'de>, De::Error>
        where
            De: ::serde::Deserializer<'de>,
        {
            $declaration.deserialize(deserializer)
        }

        #[inline]
        fn decode_with<'de, R: $crate::format::details::DetailsReader<'de>>(
            body: &'de [u8],
            reader: &mut R,
            raw: &mut $crate::format::RawEnvelope<'de>,
        ) -> ::core::result::Result<(), ::serde_json::Error> {
            $declaration.decode_with(body, reader, raw)
        }
    };
}
pub(crate) use declared_methods;

/// `{part}`: a slot that is always written.
pub(crate) const fn part(part: Part) -> Value {
    Value::Slot(Slot {
        part,
        optional: false,
    })
}

/// `{part?}`: a slot written when the error has the part.
pub(crate) const fn optional(part: Part) -> Value {
    Value::Slot(Slot {
        part,
        optional: true,
    })
}

/// A declared value.
#[derive(Debug)]
pub enum Value {
    /// An object with these members.
    Object(&'static [Member]),
    /// An array of these elements: each is written when it holds a part that is present,
    /// and a received element is read as the first declared one whose literal members it
    /// has (or that has none).
    Array(&'static [Value]),
    /// A value written as it is, and compared when read.
    Literal(Literal),
    /// One part of the error.
    Slot(Slot),
}

/// A literal JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Literal {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    Str(&'static str),
}

/// A placeholder: which part goes there, and whether it may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// The part.
    pub part: Part,
    /// `{name?}`: omitted when the error has no value for it (else it is always written).
    pub optional: bool,
}

/// The parts of an error a placeholder names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Part {
    /// `{code}`: the machine-readable code, a string.
    Code,
    /// `{message}`: the public message, a string.
    Message,
    /// `{details}`: the details, any JSON value.
    Details,
    /// `{request_id}`: the request id from the [`Context`](crate::Context), a string.
    RequestId,
    /// `{timestamp}`: the timestamp from the [`Context`](crate::Context), a string.
    Timestamp,
    /// `{status}` unquoted: the status as a number (`"code":429`).
    Status,
    /// `"{status}"`: the status as a string (`"status":"422"`).
    StatusText,
    /// `"{status:grpc}"`: the status as gRPC's canonical code name
    /// (`"status":"RESOURCE_EXHAUSTED"`; see [`grpc_name`]).
    StatusName,
    /// RFC 9457's `type`: the [`Context`](crate::Context)'s problem type, else
    /// `about:blank`. Not read back.
    ProblemType,
    /// RFC 9457's `title`: the status's reason phrase. Not read back.
    Title,
    /// RFC 9457's `instance`, from the [`Context`](crate::Context). Not read back.
    Instance,
    /// `{retry_after}` (seconds, a number), `"{retry_after}"` (as `Retry-After`) or
    /// `{retry_after:unit}`: the retry hint, in its unit. Read into
    /// [`RawEnvelope::retry_after`]; written from the variant's `retry_after` field.
    RetryAfter(crate::hint::signals::HintUnit),
    /// Any other name: a part of the variant's key (`key(type = "card_error")`) or a
    /// field of the variant bound as a member, by its index in the declaration's names.
    Named(u8),
}

/// The parts a variant has beyond its [`Envelope`]: named parts (key values and fields
/// bound as members), and whether it writes an optional code. The derive implements it
/// for each enum; [`EnvelopeOnly`] has none.
pub trait VariantParts {
    /// Whether the variant has a value for `part`. Asked for [`Part::Code`] only when the
    /// code is optional, and for [`Part::Named`] parts.
    fn has(&self, part: Part) -> bool;

    /// Writes the variant's value for a named `part` it [`has`](Self::has).
    ///
    /// # Errors
    ///
    /// Whatever the serializer or the field reports.
    fn write<S: Serializer>(&self, part: Part, serializer: S) -> Result<S::Ok, S::Error>;
}

/// The parts of an envelope alone: its code, and no named parts.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvelopeOnly;

impl VariantParts for EnvelopeOnly {
    fn has(&self, part: Part) -> bool {
        part == Part::Code
    }

    fn write<S: Serializer>(&self, _: Part, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

/// gRPC's canonical code name for an HTTP status, by google.rpc.Code's mapping: 400
/// `INVALID_ARGUMENT`, 401 `UNAUTHENTICATED`, 403 `PERMISSION_DENIED`, 404 `NOT_FOUND`,
/// 409 `ABORTED`, 429 `RESOURCE_EXHAUSTED`, 499 `CANCELLED`, 500 `INTERNAL`, 501
/// `UNIMPLEMENTED`, 503 `UNAVAILABLE`, 504 `DEADLINE_EXCEEDED`; any other 4xx
/// `FAILED_PRECONDITION`, any other 5xx `INTERNAL`, anything else `UNKNOWN`.
pub fn grpc_name(status: u16) -> &'static str {
    crate::GrpcCode::for_u16(status).as_str()
}

/// The HTTP status a gRPC canonical code name stands for: the inverse of [`grpc_name`],
/// and for the names it never writes, google.rpc.Code's mapping (`ALREADY_EXISTS` 409,
/// `OUT_OF_RANGE` 400, `DATA_LOSS` and `UNKNOWN` 500). `None` for other text.
pub fn grpc_status(name: &str) -> Option<u16> {
    // google.rpc.Code's HTTP mapping puts FAILED_PRECONDITION at 400, as a vendor's
    // body means it; `GrpcCode::status` gives 412, so that a 412 variant crosses gRPC
    // and back.
    // The canonical spelling only, and never OK: a body's status is an error's.
    let code = crate::GrpcCode::from_name(name)
        .filter(|code| code.as_str() == name && *code != crate::GrpcCode::Ok)?;
    match code {
        crate::GrpcCode::FailedPrecondition => Some(400),
        code => Some(code.status().as_u16()),
    }
}

// ---------------------------------------------------------------------------------------
// Encoding

impl Declaration {
    /// Writes `envelope` in this declaration's shape, with the named parts `parts` has.
    /// Optional parts that are absent are omitted, never written as `null`.
    ///
    /// # Errors
    ///
    /// Whatever the serializer, the details or a named part reports.
    pub fn encode<S, D, P>(
        &self,
        envelope: &Envelope<'_, D>,
        parts: &P,
        serializer: S,
    ) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        D: Serialize + ?Sized,
        P: VariantParts,
    {
        let writer = Writer {
            envelope,
            parts,
            details: envelope.present_details(),
        };
        ObjectOut {
            members: self.members,
            writer: &writer,
            extensions: self.extensions,
        }
        .serialize(serializer)
    }
}

/// What the writers share: the envelope, its present details and the variant's parts.
struct Writer<'w, 'e, D: ?Sized, P> {
    envelope: &'w Envelope<'e, D>,
    parts: &'w P,
    details: Option<&'e D>,
}

impl<D: Serialize + ?Sized, P: VariantParts> Writer<'_, '_, D, P> {
    /// Whether a value is written: always, but for a slot with nothing to write.
    fn writes(&self, value: &Value) -> bool {
        match value {
            Value::Object(_) | Value::Array(_) | Value::Literal(_) => true,
            Value::Slot(slot) => self.has(*slot),
        }
    }

    /// Whether an array element is written: when it holds a slot that is present, or no
    /// slot at all.
    fn writes_element(&self, value: &Value) -> bool {
        let mut slots = 0;
        let mut present = false;
        visit_slots(value, &mut |slot| {
            slots += 1;
            present |= self.has(slot);
        });
        slots == 0 || present
    }

    fn has(&self, slot: Slot) -> bool {
        let context = self.envelope.context;
        match slot.part {
            Part::Code => !slot.optional || self.parts.has(Part::Code),
            Part::Message
            | Part::Status
            | Part::StatusText
            | Part::StatusName
            | Part::ProblemType
            | Part::Title => true,
            Part::Instance => context.instance.is_some(),
            Part::Details => self.details.is_some(),
            Part::RequestId => context.request_id.is_some(),
            Part::Timestamp => context.timestamp.is_some(),
            Part::RetryAfter(_) => self.envelope.retry_after.is_some(),
            Part::Named(_) => self.parts.has(slot.part),
        }
    }
}

/// Calls `each` with every slot in `value`, at any depth.
fn visit_slots(value: &Value, each: &mut impl FnMut(Slot)) {
    match value {
        Value::Object(members) => {
            for member in *members {
                visit_slots(&member.value, each);
            }
        }
        Value::Array(elements) => {
            for element in *elements {
                visit_slots(element, each);
            }
        }
        Value::Literal(_) => {}
        Value::Slot(slot) => each(*slot),
    }
}

struct ObjectOut<'a, 'w, 'e, D: ?Sized, P> {
    members: &'static [Member],
    writer: &'a Writer<'w, 'e, D, P>,
    /// At the top level, where the details go when they are extension members.
    extensions: Option<Extensions>,
}

impl<D: Serialize + ?Sized, P: VariantParts> Serialize for ObjectOut<'_, '_, '_, D, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let writer = self.writer;
        // Extension members are counted only as they are written.
        let len = self.extensions.is_none().then(|| {
            self.members
                .iter()
                .filter(|m| writer.writes(&m.value))
                .count()
        });
        let mut map = serializer.serialize_map(len)?;
        for member in self.members {
            if writer.writes(&member.value) {
                map.serialize_entry(
                    member.name,
                    &ValueOut {
                        value: &member.value,
                        writer,
                    },
                )?;
            }
        }
        if let (Some(extensions), Some(details)) = (self.extensions, writer.details)
            && flatten::flatten(details, &mut map, extensions.reserved)? == Flattened::NotAnObject
        {
            map.serialize_entry(extensions.whole, details)?;
        }
        map.end()
    }
}

struct ValueOut<'a, 'w, 'e, D: ?Sized, P> {
    value: &'static Value,
    writer: &'a Writer<'w, 'e, D, P>,
}

impl<D: Serialize + ?Sized, P: VariantParts> Serialize for ValueOut<'_, '_, '_, D, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let writer = self.writer;
        let envelope = writer.envelope;
        match self.value {
            Value::Object(members) => ObjectOut {
                members,
                writer,
                extensions: None,
            }
            .serialize(serializer),
            Value::Array(elements) => {
                let len = elements.iter().filter(|e| writer.writes_element(e)).count();
                let mut seq = serializer.serialize_seq(Some(len))?;
                for value in *elements {
                    if writer.writes_element(value) {
                        seq.serialize_element(&ValueOut { value, writer })?;
                    }
                }
                seq.end()
            }
            Value::Literal(literal) => match *literal {
                Literal::Null => serializer.serialize_unit(),
                Literal::Bool(b) => serializer.serialize_bool(b),
                Literal::Int(n) => serializer.serialize_i64(n),
                Literal::Str(text) => serializer.serialize_str(text),
            },
            Value::Slot(slot) => match slot.part {
                Part::Code => serializer.serialize_str(envelope.code),
                Part::Message => envelope.message.serialize(serializer),
                Part::Details => match writer.details {
                    Some(details) => details.serialize(serializer),
                    None => serializer.serialize_unit(),
                },
                Part::RequestId => envelope.context.request_id.serialize(serializer),
                Part::Timestamp => envelope.context.timestamp.serialize(serializer),
                Part::Status => serializer.serialize_u16(envelope.status.as_u16()),
                Part::StatusText => serializer.serialize_str(envelope.status.as_str()),
                Part::StatusName => serializer.serialize_str(grpc_name(envelope.status.as_u16())),
                Part::ProblemType => {
                    serializer.serialize_str(envelope.context.problem_type.unwrap_or("about:blank"))
                }
                Part::Title => {
                    serializer.serialize_str(crate::status::reason_phrase(envelope.status))
                }
                Part::Instance => envelope.context.instance.serialize(serializer),
                Part::RetryAfter(unit) => envelope
                    .retry_after
                    .map(|delay| HintText(delay, unit))
                    .serialize(serializer),
                Part::Named(_) => writer.parts.write(slot.part, serializer),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------
// Writing JSON bytes

impl Declaration {
    /// Appends `envelope` in this declaration's shape to `buf` as JSON, with the named
    /// parts `parts` has: what [`encode`](Self::encode) writes through `serde_json`, with
    /// member names written as they are (escaped only when they need it).
    ///
    /// # Errors
    ///
    /// Whatever the details or a named part report.
    pub fn write_json<D, P>(
        &self,
        envelope: &Envelope<'_, D>,
        parts: &P,
        buf: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error>
    where
        D: Serialize + ?Sized,
        P: VariantParts,
    {
        let writer = Writer {
            envelope,
            parts,
            details: envelope.present_details(),
        };
        let Some(extensions) = self.extensions else {
            return writer.object(self.members, buf);
        };
        buf.push(b'{');
        let wrote = writer.members(self.members, buf)?;
        // The details' entries are written by a serializer's map, which opens its own
        // object: its brace becomes the comma after the declared members (or goes), and
        // its closing brace closes the whole.
        let start = buf.len();
        {
            let mut json = serde_json::Serializer::new(&mut *buf);
            let mut map = json.serialize_map(None)?;
            if let Some(details) = writer.details
                && flatten::flatten(details, &mut map, extensions.reserved)?
                    == Flattened::NotAnObject
            {
                map.serialize_entry(extensions.whole, details)?;
            }
            SerializeMap::end(map)?;
        }
        if &buf[start..] == b"{}" {
            buf.truncate(start);
            buf.push(b'}');
        } else if wrote {
            buf[start] = b',';
        } else {
            buf.remove(start);
        }
        Ok(())
    }
}

impl<D: Serialize + ?Sized, P: VariantParts> Writer<'_, '_, D, P> {
    fn object(
        &self,
        members: &'static [Member],
        buf: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        buf.push(b'{');
        self.members(members, buf)?;
        buf.push(b'}');
        Ok(())
    }

    /// Writes the members that have a value, comma-separated; whether it wrote any.
    fn members(
        &self,
        members: &'static [Member],
        buf: &mut Vec<u8>,
    ) -> Result<bool, serde_json::Error> {
        let mut first = true;
        for member in members {
            if !self.writes(&member.value) {
                continue;
            }
            if !first {
                buf.push(b',');
            }
            first = false;
            buf.extend_from_slice(member.key.as_bytes());
            self.value(&member.value, buf)?;
        }
        Ok(!first)
    }

    fn value(&self, value: &'static Value, buf: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        let envelope = self.envelope;
        match value {
            Value::Object(members) => self.object(members, buf),
            Value::Array(elements) => {
                buf.push(b'[');
                let mut first = true;
                for element in *elements {
                    if self.writes_element(element) {
                        if !first {
                            buf.push(b',');
                        }
                        first = false;
                        self.value(element, buf)?;
                    }
                }
                buf.push(b']');
                Ok(())
            }
            Value::Literal(literal) => match *literal {
                Literal::Null | Literal::Bool(_) => {
                    let text: &[u8] = match *literal {
                        Literal::Bool(true) => b"true",
                        Literal::Bool(false) => b"false",
                        _ => b"null",
                    };
                    buf.extend_from_slice(text);
                    Ok(())
                }
                Literal::Int(n) => serde_json::to_writer(buf, &n),
                Literal::Str(text) => serde_json::to_writer(buf, text),
            },
            Value::Slot(slot) => {
                let mut json = serde_json::Serializer::new(buf);
                match slot.part {
                    Part::Code => serde_json::to_writer(json.into_inner(), envelope.code),
                    Part::Message => envelope.message.serialize(&mut json),
                    Part::Details => match self.details {
                        Some(details) => details.serialize(&mut json),
                        None => Ok(()),
                    },
                    Part::RequestId => envelope.context.request_id.serialize(&mut json),
                    Part::Timestamp => envelope.context.timestamp.serialize(&mut json),
                    Part::Status => {
                        json.into_inner()
                            .extend_from_slice(envelope.status.as_str().as_bytes());
                        Ok(())
                    }
                    Part::StatusText => {
                        serde_json::to_writer(json.into_inner(), envelope.status.as_str())
                    }
                    Part::StatusName => serde_json::to_writer(
                        json.into_inner(),
                        grpc_name(envelope.status.as_u16()),
                    ),
                    Part::ProblemType => serde_json::to_writer(
                        json.into_inner(),
                        envelope.context.problem_type.unwrap_or("about:blank"),
                    ),
                    Part::Title => serde_json::to_writer(
                        json.into_inner(),
                        crate::status::reason_phrase(envelope.status),
                    ),
                    Part::Instance => envelope.context.instance.serialize(&mut json),
                    Part::RetryAfter(unit) => envelope
                        .retry_after
                        .map(|delay| HintText(delay, unit))
                        .serialize(&mut json),
                    Part::Named(_) => self.parts.write(slot.part, &mut json),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Decoding

/// A member of a received body that the declaration does not bind (or whose value was
/// not of the type its slot reads), kept so that nothing the vendor sent is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnboundMember<'a> {
    /// Where it was, as a JSON Pointer (RFC 6901): `/error/request_log_url`.
    pub pointer: String,
    /// Its value's JSON text, as received.
    pub value: Cow<'a, str>,
}

/// At most this many unbound members are kept from one body.
pub const MAX_UNBOUND_MEMBERS: usize = 32;

/// The named parts a body had, as JSON text borrowed from it, by the part's index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawParts<'a>(Vec<(u8, Cow<'a, str>)>);

impl<'a> RawParts<'a> {
    /// The JSON text of named part `index`, as received.
    pub fn get(&self, index: u8) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(i, _)| *i == index)
            .map(|(_, text)| &**text)
    }

    /// The text of named part `index` when it is a string.
    pub fn text(&self, index: u8) -> Option<Cow<'_, str>> {
        let mut reader = Reader::new(self.get(index)?);
        reader.text().ok().flatten()
    }

    /// Whether the body had no named parts.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The same parts, owning their text.
    pub fn into_owned(self) -> RawParts<'static> {
        RawParts(
            self.0
                .into_iter()
                .map(|(index, text)| (index, Cow::Owned(text.into_owned())))
                .collect(),
        )
    }

    fn set(&mut self, index: u8, text: &'a str) {
        if self.0.capacity() == 0 {
            // Room for a vendor's usual handful at once, rather than growing twice.
            self.0.reserve(8);
        }
        self.0.push((index, Cow::Borrowed(text)));
    }
}

/// Where a value stands in the body, for an unbound member's pointer: built only when one
/// is kept.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Member(&'p Path<'p>, Str<'p>),
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Member(parent, name) => {
                parent.write(out);
                out.push('/');
                let name = name.text();
                let name = name.as_deref().unwrap_or("\u{fffd}");
                out.push_str(&name.replace('~', "~0").replace('/', "~1"));
            }
            Path::Index(parent, index) => {
                parent.write(out);
                let _ = write!(out, "/{index}");
            }
        }
    }
}

/// What a decoder hands details to, to decode them in place.
trait DetailsHook<'a> {
    /// Reads the value `reader` stands at for `code`: `Ok(true)` when decoded (and the
    /// reader moved past it).
    fn read(
        &mut self,
        code: &str,
        part: Option<&str>,
        reader: &mut Reader<'a>,
    ) -> Result<bool, serde_json::Error>;
    /// Forgets what was decoded.
    fn clear(&mut self);
    /// The code to read details for while the body has named none.
    fn presumed(&self) -> Option<&'static str>;
}

impl<'a, R: DetailsReader<'a>> DetailsHook<'a> for R {
    fn read(
        &mut self,
        code: &str,
        part: Option<&str>,
        reader: &mut Reader<'a>,
    ) -> Result<bool, serde_json::Error> {
        self.read_declared(code, part, &mut DeclaredValue(reader))
    }

    fn clear(&mut self) {
        DetailsReader::clear(self);
    }

    fn presumed(&self) -> Option<&'static str> {
        DetailsReader::presumed(self)
    }
}

/// An extension member: its name and its value's JSON text.
type ExtensionMember<'a> = (Cow<'a, str>, Cow<'a, str>);

/// What reading a body gathers.
struct Gathered<'a, 'h> {
    raw: &'h mut RawEnvelope<'a>,
    /// The extension members read so far, when the declaration has them.
    extensions: Vec<ExtensionMember<'a>>,
    /// The extension member the hook decoded in place, if one was.
    in_place: Option<ExtensionMember<'a>>,
    hook: &'h mut dyn DetailsHook<'a>,
    kept_bytes: usize,
    literals_met: usize,
    literal_contradicted: bool,
}

impl<'a> Gathered<'a, '_> {
    fn unbound(&mut self, path: &Path<'_>, value: &'a str) {
        let kept = &mut self.raw.unbound;
        if kept.len() >= MAX_UNBOUND_MEMBERS || self.kept_bytes + value.len() > KEPT_BODY_BYTES {
            self.raw.unbound_truncated = true;
            return;
        }
        let mut pointer = String::new();
        path.write(&mut pointer);
        if pointer.len() > KEPT_TEXT_BYTES {
            self.raw.unbound_truncated = true;
            return;
        }
        self.kept_bytes += value.len() + pointer.len();
        kept.push(UnboundMember {
            pointer,
            value: Cow::Borrowed(value),
        });
    }
}

impl Declaration {
    /// Reads a body of this shape, leniently: members may come in any order, a member of
    /// the wrong type is dropped (and kept as unbound), unknown members are kept as
    /// unbound, and a literal with another value marks the body as not this envelope
    /// ([`RawEnvelope::discriminated`]).
    ///
    /// # Errors
    ///
    /// When the body is not JSON, or not an object.
    pub fn decode<'a>(&self, body: &'a [u8]) -> Result<RawEnvelope<'a>, serde_json::Error> {
        let mut raw = RawEnvelope::default();
        self.decode_with(body, &mut super::Undecoded, &mut raw)?;
        Ok(raw)
    }

    /// [`decode`](Self::decode), handing the details to `reader` to decode in place when
    /// the code comes before them. What `reader` decoded is forgotten when the body's code
    /// ends up other than the one the details were decoded for, or the details member is
    /// repeated and the later one is not decoded: it is read from the kept text then.
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode).
    #[doc(hidden)]
    pub fn decode_with<'a, R: DetailsReader<'a>>(
        &self,
        body: &'a [u8],
        reader: &mut R,
        raw: &mut RawEnvelope<'a>,
    ) -> Result<(), serde_json::Error> {
        let (mut extensions, in_place) = self.read(body, reader, raw)?;
        if !reader.fits(raw) {
            reader.clear();
            // The member decoded in place is needed as text after all.
            extensions.extend(in_place);
        }
        if !extensions.is_empty() {
            super::object::keep_last_of_repeats(&mut extensions);
            raw.details = Some(RawDetails::Members(extensions));
        }
        Ok(())
    }

    /// Reads a body into `raw`, and returns its extension members (when the declaration
    /// has them) and the one extension member the hook decoded in place, which is left out
    /// of them while what it decoded stands.
    #[allow(clippy::type_complexity)]
    fn read<'a>(
        &self,
        body: &'a [u8],
        hook: &mut dyn DetailsHook<'a>,
        raw: &mut RawEnvelope<'a>,
    ) -> Result<(Vec<ExtensionMember<'a>>, Option<ExtensionMember<'a>>), serde_json::Error> {
        let mut gathered = Gathered {
            hook,
            extensions: Vec::new(),
            in_place: None,
            raw,
            kept_bytes: 0,
            literals_met: 0,
            literal_contradicted: false,
        };
        // JSON is UTF-8: a body that is not is no envelope, whatever member holds the bad
        // bytes (one pass, and every string read after is text or an escape problem).
        let Ok(text) = std::str::from_utf8(body) else {
            return Err(json::malformed(body));
        };
        let mut reader = Reader::new(text);
        let read = match reader.kind() {
            Ok(Kind::Object) => {
                read_top(&mut reader, self, &mut gathered).and_then(|()| reader.end())
            }
            Ok(_) => return Err(serde::de::Error::custom("an error envelope is an object")),
            Err(invalid) => Err(invalid),
        };
        if read.is_err() {
            return Err(json::malformed(body));
        }
        if self.literals > 0 {
            gathered.raw.discriminated =
                Some(!gathered.literal_contradicted && gathered.literals_met == self.literals);
        }
        Ok((gathered.extensions, gathered.in_place))
    }
}

/// Reads the top-level object: as [`read_object`], and where the declaration has
/// [`Extensions`], every member it does not name as one of the details' members.
fn read_top<'a>(
    reader: &mut Reader<'a>,
    declaration: &Declaration,
    out: &mut Gathered<'a, '_>,
) -> json::Result<()> {
    if declaration.extensions.is_none() {
        return read_object(reader, declaration.members, &Path::Root, true, out);
    }
    reader.object(|reader, name| {
        let path = Path::Member(&Path::Root, name);
        if let Some(member) = name.find(declaration.members, |m| m.name) {
            read_value(reader, &member.value, &path, true, out)
        } else {
            read_extension(reader, name, &path, out)
        }
    })
}

/// Reads one extension member: in place when the code came first and the details type is
/// read from this member (`errors` for field errors), and kept as a member either way.
fn read_extension<'a>(
    reader: &mut Reader<'a>,
    name: Str<'a>,
    path: &Path<'_>,
    out: &mut Gathered<'a, '_>,
) -> json::Result<()> {
    let start = reader.position();
    let Some(text) = name.text() else {
        // A name that is not text names no member of any type.
        let span = reader.span()?;
        out.unbound(path, span);
        return Ok(());
    };
    let mut decoded = false;
    if let Some(code) = out.raw.code.as_deref().or_else(|| out.hook.presumed())
        && reader.peek_byte() != Some(b'n')
    {
        let mut attempt = reader.clone();
        if let Ok(true) = out.hook.read(code, Some(&text), &mut attempt) {
            *reader = attempt;
            decoded = true;
        }
    }
    if !decoded {
        reader.skip()?;
    }
    let span = reader.since(start)?;
    if decoded {
        // A repeat decoded again replaces the earlier one.
        out.in_place = Some((text, Cow::Borrowed(span)));
    } else {
        // A repeat of the member decoded in place that is not decoded replaces what was:
        // both go back to text, and the later one wins there.
        if out.in_place.as_ref().is_some_and(|(name, _)| *name == text) {
            out.hook.clear();
            out.extensions.extend(out.in_place.take());
        }
        out.extensions.push((text, Cow::Borrowed(span)));
    }
    Ok(())
}

fn read_object<'a>(
    reader: &mut Reader<'a>,
    members: &'static [Member],
    path: &Path<'_>,
    counts_literals: bool,
    out: &mut Gathered<'a, '_>,
) -> json::Result<()> {
    reader.object(|reader, name| {
        let path = Path::Member(path, name);
        if let Some(member) = name.find(members, |m| m.name) {
            read_value(reader, &member.value, &path, counts_literals, out)
        } else {
            let span = reader.span()?;
            out.unbound(&path, span);
            Ok(())
        }
    })
}

fn read_value<'a>(
    reader: &mut Reader<'a>,
    value: &'static Value,
    path: &Path<'_>,
    counts_literals: bool,
    out: &mut Gathered<'a, '_>,
) -> json::Result<()> {
    let kind = reader.kind()?;
    match value {
        Value::Object(members) if kind == Kind::Object => {
            read_object(reader, members, path, counts_literals, out)
        }
        Value::Array(elements) if kind == Kind::Array => reader
            .array(|reader, index| read_element(reader, elements, &Path::Index(path, index), out)),
        Value::Literal(literal) => {
            let span = reader.span()?;
            if counts_literals {
                if literal_is(*literal, span) {
                    out.literals_met += 1;
                } else {
                    out.literal_contradicted = true;
                }
            }
            Ok(())
        }
        Value::Slot(slot) => read_slot(reader, slot.part, path, out),
        // A value of another type than declared: kept, not read.
        Value::Object(_) | Value::Array(_) => {
            let span = reader.span()?;
            out.unbound(path, span);
            Ok(())
        }
    }
}

/// Reads one array element as the first declared element it matches; an element that
/// matches none is kept as unbound.
///
/// An object element is read once: its members' names and value texts are noted as the
/// element is chosen, and the chosen declaration then reads only the values it binds, from
/// their text, in the order received (as reading the object again would, without reading
/// its names, its literals or the values it keeps unread).
fn read_element<'a>(
    reader: &mut Reader<'a>,
    elements: &'static [Value],
    path: &Path<'_>,
    out: &mut Gathered<'a, '_>,
) -> json::Result<()> {
    let start = reader.position();
    let mut noted = Noted::default();
    let chosen = choose_element(reader, elements, &mut noted)?;
    let span = reader.since(start)?;
    match chosen {
        Some(Value::Object(members)) if noted.object => {
            for &(name, text) in noted.iter() {
                let path = Path::Member(path, name);
                match name.find(members, |m| m.name) {
                    // A named part is its text: no need to read it again.
                    Some(Member {
                        value:
                            Value::Slot(Slot {
                                part: Part::Named(index),
                                ..
                            }),
                        ..
                    }) => out.raw.parts.set(*index, text),
                    Some(member) => {
                        read_value(&mut Reader::new(text), &member.value, &path, false, out)?;
                    }
                    None => out.unbound(&path, text),
                }
            }
            Ok(())
        }
        Some(element) => read_value(&mut Reader::new(span), element, path, false, out),
        None => {
            out.unbound(path, span);
            Ok(())
        }
    }
}

/// The members of an object element as received: each name with its value's text. The
/// first eight are kept in place, any more in a vector.
struct Noted<'a> {
    /// Whether the element was an object (and so its members were noted).
    object: bool,
    inline: [(Str<'a>, &'a str); 8],
    len: usize,
    more: Vec<(Str<'a>, &'a str)>,
}

impl Default for Noted<'_> {
    fn default() -> Self {
        Noted {
            object: false,
            inline: [(Str::EMPTY, ""); 8],
            len: 0,
            more: Vec::new(),
        }
    }
}

impl<'a> Noted<'a> {
    fn push(&mut self, member: (Str<'a>, &'a str)) {
        if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = member;
            self.len += 1;
        } else {
            self.more.push(member);
        }
    }

    fn iter(&self) -> impl Iterator<Item = &(Str<'a>, &'a str)> {
        self.inline[..self.len].iter().chain(&self.more)
    }
}

/// Reads past one received element and returns the first declared element it is: for
/// an object, one whose every literal member it has, with its value; for anything else,
/// a declared value of its own kind. One pass over the element, whatever the number of
/// declared elements; an object's members are noted in `noted`.
fn choose_element<'a>(
    reader: &mut Reader<'a>,
    elements: &'static [Value],
    noted: &mut Noted<'a>,
) -> json::Result<Option<&'static Value>> {
    let start = reader.position();
    let kind = reader.kind()?;
    if kind != Kind::Object {
        reader.skip()?;
        let span = reader.since(start)?;
        return Ok(elements.iter().find(|element| match element {
            Value::Object(_) => false,
            Value::Array(_) => kind == Kind::Array,
            Value::Literal(literal) => literal_is(*literal, span),
            Value::Slot(_) => true,
        }));
    }
    noted.object = true;
    // Per declared element: how many of its literal members the received one has with
    // their value, and whether one has another value.
    let mut inline = [(0_usize, false); 8];
    let mut spilled;
    let tally: &mut [(usize, bool)] = if elements.len() <= inline.len() {
        &mut inline[..elements.len()]
    } else {
        spilled = vec![(0, false); elements.len()];
        &mut spilled
    };
    reader.object(|reader, name| {
        // A string value is read as one where it stands (its text is what literals are
        // compared with); any other is skipped. Either way its text is noted.
        let start = reader.position();
        let string = if reader.peek_byte() == Some(b'"') {
            Some(reader.string()?)
        } else {
            reader.skip()?;
            None
        };
        let value = reader.since(start)?;
        noted.push((name, value));
        for (element, (met, contradicted)) in elements.iter().zip(tally.iter_mut()) {
            let Value::Object(members) = element else {
                continue;
            };
            for member in *members {
                if let Value::Literal(literal) = member.value
                    && name.is(member.name)
                {
                    let is = match literal {
                        Literal::Str(text) => string.is_some_and(|s| s.is(text)),
                        _ => literal_is(literal, value),
                    };
                    if is {
                        *met += 1;
                    } else {
                        *contradicted = true;
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(elements
        .iter()
        .zip(tally.iter())
        .find(|(element, (met, contradicted))| match element {
            Value::Object(members) => {
                let wanted = members
                    .iter()
                    .filter(|m| matches!(m.value, Value::Literal(_)))
                    .count();
                !contradicted && *met >= wanted
            }
            _ => false,
        })
        .map(|(element, _)| element))
}

/// Whether a received value's text is `literal`.
fn literal_is(literal: Literal, span: &str) -> bool {
    match literal {
        Literal::Null => span == "null",
        Literal::Bool(true) => span == "true",
        Literal::Bool(false) => span == "false",
        Literal::Int(n) => span.parse().ok() == Some(n),
        Literal::Str(text) => string_of(span).is_some_and(|s| s.is(text)),
    }
}

/// The string a value's text is, if it is one.
fn string_of(span: &str) -> Option<Str<'_>> {
    let mut reader = Reader::new(span);
    if reader.kind() == Ok(Kind::String) {
        reader.string().ok()
    } else {
        None
    }
}

fn read_slot<'a>(
    reader: &mut Reader<'a>,
    part: Part,
    path: &Path<'_>,
    out: &mut Gathered<'a, '_>,
) -> json::Result<()> {
    let raw = &mut *out.raw;
    let start = reader.position();
    let kind = reader.kind()?;
    // Text parts read a string where it stands; any other value is kept as unbound.
    let text_slot = match part {
        Part::Code => Some(&mut raw.code),
        Part::Message => Some(&mut raw.message),
        Part::RequestId => Some(&mut raw.request_id),
        Part::Timestamp => Some(&mut raw.timestamp),
        _ => None,
    };
    if let Some(slot) = text_slot {
        if kind == Kind::String
            && let Some(text) = reader.string()?.text()
        {
            *slot = Some(text);
            return Ok(());
        }
        if kind != Kind::String {
            reader.skip()?;
        }
        let span = reader.since(start)?;
        if span != "null" {
            out.unbound(path, span);
        }
        return Ok(());
    }
    if part == Part::Details {
        return read_details(reader, out);
    }
    let span = reader.span()?;
    let mut value = Reader::new(span);
    let read = match part {
        Part::Status => set(&mut raw.status, value.u16()?),
        Part::StatusText => set(
            &mut raw.status,
            value
                .text()?
                .filter(|t| (1..=5).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|t| t.parse().ok()),
        ),
        Part::StatusName => set(
            &mut raw.status,
            value.text()?.as_deref().and_then(grpc_status),
        ),
        Part::Details => unreachable!("read by read_details"),
        // Written from the status and the context; nothing to read back.
        Part::ProblemType | Part::Title | Part::Instance => true,
        Part::Named(index) => {
            raw.parts.set(index, span);
            true
        }
        // A string's text or a number's, in the declared unit.
        Part::RetryAfter(unit) => {
            let text = match value.kind()? {
                Kind::String => value.text()?,
                Kind::Number => Some(Cow::Borrowed(span)),
                _ => None,
            };
            set(
                &mut raw.retry_after,
                text.as_deref().and_then(|text| unit.parse(text)),
            )
        }
        Part::Code | Part::Message | Part::RequestId | Part::Timestamp => false,
    };
    if !read && span != "null" {
        out.unbound(path, span);
    }
    Ok(())
}

/// Reads a details value: in place when the code came first and the hook decodes it, and
/// kept as text either way (so that it can be decoded again if the code changes).
fn read_details<'a>(reader: &mut Reader<'a>, out: &mut Gathered<'a, '_>) -> json::Result<()> {
    let start = reader.position();
    let mut decoded = false;
    if let Some(code) = out.raw.code.as_deref().or_else(|| out.hook.presumed())
        && reader.peek_byte() != Some(b'n')
    {
        let mut attempt = reader.clone();
        if let Ok(true) = out.hook.read(code, None, &mut attempt) {
            *reader = attempt;
            decoded = true;
        }
    }
    if !decoded {
        // Whatever an earlier details member decoded is replaced by this one's text.
        out.hook.clear();
        reader.skip()?;
    }
    let span = reader.since(start)?;
    if span != "null" {
        out.raw.details = Some(RawDetails::Text(Cow::Borrowed(span)));
    }
    Ok(())
}

/// Sets `slot` to `value` when there is one; whether there was.
fn set<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    match value {
        Some(value) => {
            *slot = Some(value);
            true
        }
        None => false,
    }
}

// ---------------------------------------------------------------------------------------
// The format type

/// A type whose format is declared: the derive implements it for an enum with
/// `#[api_error(format(json = "…"))]`.
pub trait Declare {
    /// The declared envelope.
    const DECLARATION: &'static Declaration;
}

/// The [`Format`](super::Format) of a type `T` that [`Declare`]s its envelope: what the
/// derive names as the `ApiError::Format` of an enum with a declared format.
pub struct Declared<T: ?Sized>(std::marker::PhantomData<T>);

impl<T: ?Sized> std::fmt::Debug for Declared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Declared")
    }
}

impl<T: Declare + ?Sized> super::Format for Declared<T> {
    const NAME: &'static str = T::DECLARATION.name;
    const CONTENT_TYPE: &'static str = T::DECLARATION.content_type;
    const MARKS_ERRORS: bool = T::DECLARATION.literals > 0;

    fn is_error_body(body: &[u8]) -> bool {
        Self::MARKS_ERRORS
            && body.len() <= crate::limits::MAX_DECODED_BODY
            && T::DECLARATION
                .decode(body)
                .is_ok_and(|raw| raw.discriminated == Some(true))
    }

    declared_methods!(T::DECLARATION);
}

impl Declaration {
    /// What a format's [`deserialize`](super::Format::deserialize) does with a
    /// declaration: reads the body's JSON text from `deserializer` (one of `serde_json`'s:
    /// `from_str`, `from_slice`, `from_reader`) and decodes it.
    ///
    /// # Errors
    ///
    /// When the deserializer is not `serde_json`'s, or the text is not an object.
    pub fn deserialize<'de, De>(&self, deserializer: De) -> Result<RawEnvelope<'de>, De::Error>
    where
        De: serde::Deserializer<'de>,
    {
        let text =
            <Box<serde_json::value::RawValue> as serde::Deserialize>::deserialize(deserializer)?;
        self.decode(text.get().as_bytes())
            .map(RawEnvelope::into_owned)
            .map_err(serde::de::Error::custom)
    }
}

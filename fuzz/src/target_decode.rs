//! The `decode` target: any status, headers and body, decoded into every format's enum
//! (and its twin without an `unknown` variant), through every entry point.
//!
//! Byte layout:
//!
//! ```text
//! [0..2]  status, u16 big-endian (any value; one StatusCode rejects is only fed to
//!         the formats' own decoders)
//! [2]     control: low nibble = header count (0..=15), high nibble = body mode
//! ...     headers: per header [name index into HEADER_NAMES][len][len bytes of value]
//! ...     the body, by mode:
//!           0, 5..=15  the rest, as is
//!           1          spliced: [shape][slot][variant], then the rest is one member's
//!                      value inside a well-formed envelope (see `splice`)
//!           2          the rest, padded with spaces past KEPT_BODY_BYTES
//!           3          the rest, padded with spaces past MAX_DECODED_BODY
//!           4          many members: [count u16 % 129][shape], then up to 16 bytes
//!                      that name them
//! ```
//!
//! So `\x01\x90\x00` followed by any fixture body is a 400 with no headers and that body.

use apierror::format::{Auto, Fields, Flat, Nested, Plain, Problem, Reason};
use apierror::http::{HeaderMap, StatusCode};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use apierror::decode::{KEPT_BODY_BYTES, KEPT_TEXT_BYTES, MAX_DECODED_BODY};
use apierror::format::{Format, RawEnvelope};
use apierror::{ApiError, Decoded, FieldErrors};

use super::input::{self, Bytes};
use super::json;
use super::known_bugs::{KnownBug, tolerated};
use super::oracles;
use super::subjects::{self, Fmt, Subject};

/// The prefix that makes a body a `decode` input: status 400, no headers, mode 0.
pub const SEED_PREFIX: [u8; 3] = [0x01, 0x90, 0x00];

/// What a spliced or generated body must decode to, in the formats it is written in.
struct Oracle {
    /// The shape the body is written in.
    shape: Fmt,
    expected: Expected,
    /// The spliced value is well-formed JSON that `serde_json` will not read as a value.
    parser_rejects: bool,
}

enum Expected {
    BadRequest,
    Unauthorized(String),
    Validation(FieldErrors),
}

impl Oracle {
    /// Whether the enums of `fmt` are held to this oracle: those of the shape, and
    /// `Auto` for the shapes that carry a code.
    fn applies_to(&self, fmt: Fmt) -> bool {
        fmt == self.shape || (fmt == Fmt::Auto && self.shape.has_code())
    }

    fn value<E: Subject>(&self) -> E {
        match &self.expected {
            Expected::BadRequest => E::bad_request(),
            Expected::Unauthorized(message) => E::unauthorized(message.clone()),
            Expected::Validation(fields) => E::validation(fields.clone(), "m".to_owned()),
        }
    }
}

/// The target.
pub fn run(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let raw_status = bytes.u16();
    let control = bytes.u8();
    let headers = input::headers(&mut bytes, usize::from(control & 0x0f));
    let (status, body, oracle) = match control >> 4 {
        1 => splice(&mut bytes),
        2 => (raw_status, padded(bytes.rest(), KEPT_BODY_BYTES), None),
        3 => (raw_status, padded(bytes.rest(), MAX_DECODED_BODY), None),
        4 => {
            let (body, oracle) = many_members(&mut bytes);
            (422, body, oracle)
        }
        _ => (raw_status, bytes.rest().to_vec(), None),
    };
    formats(&body);
    let Ok(status) = StatusCode::from_u16(status) else {
        return;
    };
    let oracle = oracle.as_ref();
    check::<subjects::plain::E>(status, &headers, &body, oracle);
    check::<subjects::nested::E>(status, &headers, &body, oracle);
    check::<subjects::fields::E>(status, &headers, &body, oracle);
    check::<subjects::reason::E>(status, &headers, &body, oracle);
    check::<subjects::flat::E>(status, &headers, &body, oracle);
    check::<subjects::problem::E>(status, &headers, &body, oracle);
    check::<subjects::auto::E>(status, &headers, &body, oracle);
}

/// `start` followed by spaces, `KEPT_BODY_BYTES`-or-more long: `limit` plus one plus
/// up to 255 more.
fn padded(start: &[u8], limit: usize) -> Vec<u8> {
    let extra = start.first().map_or(0, |b| usize::from(*b));
    let mut body = start.to_vec();
    body.resize(body.len().max(limit + 1 + extra), b' ');
    body
}

/// Every built-in format's own decoder, and `Auto`'s detection agreeing with its
/// decoding.
fn formats(body: &[u8]) {
    if body.len() > MAX_DECODED_BODY {
        // Never parsed by a decoder; only the enums' handling of it is checked.
        return;
    }
    for result in [
        Plain::decode(body),
        Nested::decode(body),
        Fields::decode(body),
        Reason::decode(body),
        Flat::decode(body),
        Problem::decode(body),
    ] {
        if let Err(error) = result {
            let _ = (
                error.classify(),
                error.line(),
                error.column(),
                error.to_string(),
            );
        }
    }
    let auto = Auto::decode(body);
    match Auto::detect(body) {
        Some(shape) => {
            let _ = (shape.name(), shape.to_string());
            let direct = match shape.decode(body) {
                Ok(direct) => direct,
                Err(_)
                    if std::str::from_utf8(body).is_err()
                        && tolerated(KnownBug::AutoDetectAcceptsInvalidUtf8) =>
                {
                    return;
                }
                Err(e) => panic!("detected {shape} but it does not decode: {e}"),
            };
            let auto = auto.unwrap_or_else(|e| panic!("detected {shape} but Auto fails: {e}"));
            assert_eq!(
                format!("{auto:?}"),
                format!("{direct:?}"),
                "Auto reads a {shape} body as {shape} does"
            );
        }
        None => assert!(auto.is_err(), "no shape detected, yet Auto decodes"),
    }
}

/// The clock HTTP-date `Retry-After` values are measured from (2015-10-21 07:28:00
/// UTC, the RFC's example date), so that every decode of one input is the same.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::new(1_445_412_480, 0)
}

/// Everything one enum promises about decoding this response (one list of checks).
#[allow(clippy::too_many_lines)]
fn check<E: Subject>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    oracle: Option<&Oracle>,
) {
    let fmt = E::FMT;
    // Checked at the fixed `now()`; the system clock's decode (the same computation
    // unless a Retry-After is measured) only has to succeed.
    let decoded = E::from_response_at(status, headers, body, now())
        .expect("an enum with an unknown variant decodes every response");
    // Details decoded in place give what reading every value as text first gives.
    let text_first = E::__decode(&apierror::__private::DecodeInput::read_at::<E::Format>(
        status,
        headers,
        body,
        now(),
    ))
    .expect("decodes");
    assert_eq!(decoded, text_first, "in place and from text agree");
    let measured = headers.contains_key(apierror::http::header::RETRY_AFTER);
    if measured {
        let _ = E::from_response(status, headers, body).expect("decodes");
        let _ = Decoded::<E>::from_response(status, headers, body).expect("decodes");
    }
    let raw = read_raw::<E>(body);

    if let Some(unknown) = decoded.unknown() {
        assert_eq!(
            unknown.status(),
            status,
            "the unknown variant keeps the status"
        );
        assert!(unknown.body().len() <= KEPT_BODY_BYTES);
        assert_eq!(unknown.body(), &body[..body.len().min(KEPT_BODY_BYTES)]);
        assert_eq!(unknown.body_truncated(), body.len() > KEPT_BODY_BYTES);
        let said = |text: Option<&str>, bound| text.map(|text| oracles::kept(text, bound));
        let raw_code = raw.as_ref().and_then(|raw| raw.code.as_deref());
        let raw_message = raw.as_ref().and_then(|raw| raw.message.as_deref());
        assert_eq!(
            unknown.raw_code().map(str::to_owned),
            said(raw_code, KEPT_TEXT_BYTES),
            "kept code"
        );
        assert_eq!(
            unknown.raw_message().map(str::to_owned),
            said(raw_message, KEPT_BODY_BYTES),
            "kept message"
        );
        let _ = (unknown.to_string(), unknown.body_text(), unknown.retry());
    } else {
        let raw = raw
            .as_ref()
            .expect("a declared variant comes from a body of the format");
        // A body with a code is decoded by it; `Auto`, like a custom format, decodes a
        // codeless body by status.
        if fmt.has_code() && (fmt != Fmt::Auto || raw.code.is_some()) {
            assert_eq!(raw.code.as_deref(), Some(decoded.code()), "decoded by code");
        } else {
            assert_eq!(decoded.status(), status, "decoded by status");
        }
        if let Some(declared) = decoded.shared_code_status()
            && declared != status.as_u16()
            && !tolerated(KnownBug::SharedCodeUndeclaredStatus)
        {
            panic!(
                "code {:?} is shared between statuses; a {} decoded to the {declared} variant {decoded:?}",
                decoded.code(),
                status.as_u16()
            );
        }
        reencode(&decoded);
    }

    // The twin without an unknown variant decodes the same, or fails with what the
    // unknown variant would have held.
    match (
        decoded.unknown(),
        E::Strict::from_response_at(status, headers, body, now()),
    ) {
        (Some(unknown), Err(error)) => {
            assert_eq!(error.unknown(), unknown);
            assert_eq!(error.status(), Some(status));
            let _ = (error.to_string(), error.kind().to_string());
        }
        (None, Ok(strict)) => {
            assert_eq!(
                strict.to_body(),
                decoded.to_body(),
                "{strict:?} vs {decoded:?}"
            );
            assert_eq!(strict.status(), decoded.status());
            assert_eq!(strict.retry_after(), decoded.retry_after());
        }
        (_, strict) => panic!("{decoded:?} but the twin decodes to {strict:?}"),
    }

    // `Decoded` decodes the same and reads the metadata; its Display is the message
    // the body carried, if any.
    let with_meta = Decoded::<E>::from_response_at(status, headers, body, now()).expect("decodes");
    oracles::check_meta(&with_meta.meta, status, headers, body, raw.as_ref());
    assert_eq!(with_meta.error, decoded);
    let shown = with_meta.to_string();
    // (An empty message is no message: the error's own `Display` stands in for it.)
    match &with_meta.meta.message {
        Some(message) if !message.is_empty() => assert_eq!(&shown, message),
        _ => assert_eq!(shown, decoded.to_string()),
    }

    // A body alone, for the formats whose body names the error (bodies a response
    // decoder would not parse are left out: they only cost time here).
    if body.len() <= MAX_DECODED_BODY
        && let Some(alone) = E::from_body(body)
    {
        match (alone, &raw) {
            (Ok(value), Some(raw)) => match value.unknown() {
                Some(unknown) => assert_eq!(Some(unknown.status().as_u16()), raw.status),
                // A body alone names its variant by its code, or, when it has none (a
                // codeless body under `Auto`), by the status it states.
                None => match raw.code.as_deref() {
                    Some(code) => assert_eq!(code, value.code()),
                    None => assert_eq!(raw.status, Some(value.status().as_u16())),
                },
            },
            (Ok(value), None) => panic!("{value:?} from a body that is not an envelope"),
            (Err(_), _) => {}
        }
    }

    if let Some(oracle) = oracle
        && oracle.applies_to(fmt)
    {
        let expected = oracle.value::<E>();
        if decoded != expected
            && !(oracle.parser_rejects && tolerated(KnownBug::ParserRejectedMemberSinksEnvelope))
        {
            panic!(
                "{fmt:?}: a well-formed {:?} envelope decoded to {}, not {}; body {}",
                oracle.shape,
                short(&format!("{decoded:?}")),
                short(&format!("{expected:?}")),
                short(&String::from_utf8_lossy(body)),
            );
        }
    }
}

/// What `E`'s format reads of `body`, as the decoder would (bodies past
/// `MAX_DECODED_BODY` are not read).
fn read_raw<E: ApiError>(body: &[u8]) -> Option<RawEnvelope<'_>> {
    if body.len() > MAX_DECODED_BODY {
        return None;
    }
    <E::Format as Format>::decode(body).ok()
}

/// A decoded declared variant, encoded again, decodes to itself (up to what the wire
/// cannot carry).
fn reencode<E: Subject>(value: &E) {
    if value.affected_by().is_some_and(tolerated) {
        return;
    }
    let response = value.to_response();
    let again =
        E::from_response(response.status(), response.headers(), response.body()).expect("decodes");
    let expected = value.expected(response.body());
    assert_eq!(
        again,
        expected,
        "re-encoded as {}",
        String::from_utf8_lossy(response.body())
    );
}

/// Members a spliced value may take the place of, per shape (never one that changes
/// which shape `Auto` detects).
fn extras(shape: Fmt) -> &'static [&'static str] {
    match shape {
        Fmt::Plain | Fmt::Flat | Fmt::Reason => &["details", "code", "zzz"],
        Fmt::Fields => &["errors", "code", "zzz"],
        Fmt::Nested => &["details", "request_id", "timestamp", "zzz"],
        Fmt::Problem | Fmt::Auto => &[
            "title",
            "instance",
            "request_id",
            "timestamp",
            "status",
            "type",
            "zzz",
        ],
    }
}

/// A well-formed envelope of `shape` for `code` at `status`, whose message is the
/// JSON text `message`, with one more member `extra` if given.
fn envelope(
    shape: Fmt,
    code: &str,
    status: u16,
    message: &[u8],
    extra: Option<(&str, &[u8])>,
) -> Vec<u8> {
    let (open, close) = match shape {
        Fmt::Plain => (r#"{"error":"#.to_owned(), "}"),
        Fmt::Fields => (r#"{"message":"#.to_owned(), "}"),
        Fmt::Nested => (format!(r#"{{"error":{{"code":"{code}","message":"#), "}}"),
        Fmt::Reason => (
            format!(r#"{{"error":{{"code":{status},"reason":"{code}","message":"#),
            "}}",
        ),
        Fmt::Flat => (format!(r#"{{"error":"{code}","message":"#), "}"),
        Fmt::Problem | Fmt::Auto => (
            format!(r#"{{"type":"about:blank","status":{status},"code":"{code}","detail":"#),
            "}",
        ),
    };
    let mut body = open.into_bytes();
    body.extend_from_slice(message);
    if let Some((name, value)) = extra {
        body.extend_from_slice(format!(r#","{name}":"#).as_bytes());
        body.extend_from_slice(value);
    }
    body.extend_from_slice(close.as_bytes());
    body
}

/// Mode 1: `[shape][slot][variant]` then a value `V`, spliced into a well-formed
/// envelope of that shape as the message (slot 0) or as another member. When `V` is
/// one well-formed JSON value, the envelope is well-formed: lenient decoding must then
/// give the variant the envelope names (a mistyped member is dropped, never fatal).
fn splice(bytes: &mut Bytes<'_>) -> (u16, Vec<u8>, Option<Oracle>) {
    let shape = bytes.pick(&Fmt::ALL[..6]);
    let slot = bytes.u8();
    let unauthorized = bytes.bool();
    let value = bytes.rest();
    let extras = extras(shape);
    let extra = match usize::from(slot) % (extras.len() + 1) {
        0 => None,
        n => Some((extras[n - 1], value)),
    };
    let message: &[u8] = if extra.is_some() { b"\"m\"" } else { value };
    let (code, status) = if unauthorized {
        ("unauthorized", 401)
    } else {
        ("bad_request", 400)
    };
    let body = envelope(shape, code, status, message, extra);
    let expected = if unauthorized {
        Expected::Unauthorized(serde_json::from_slice::<String>(message).unwrap_or_default())
    } else {
        Expected::BadRequest
    };
    // Without one well-formed value the envelope is not well-formed: nothing to expect.
    let oracle = json::is_json(value, 64).then(|| Oracle {
        shape,
        expected,
        parser_rejects: serde_json::from_slice::<serde_json::Value>(value).is_err(),
    });
    (status, body, oracle)
}

/// Mode 4: `[count u16][shape]`, then a name stem of up to 16 bytes: a 422 `validation` envelope with
/// `count` (below 129) field errors `"<stem>_<i>":["x"]` (as `errors`, `details`, or `problem`
/// extension members). While the quadratic decode is a known bug, `count` is kept
/// below 65.
fn many_members(bytes: &mut Bytes<'_>) -> (Vec<u8>, Option<Oracle>) {
    let count = usize::from(bytes.u16());
    let count = if tolerated(KnownBug::QuadraticDecode) {
        count % 65
    } else {
        count % 129
    };
    let shape = bytes.pick(&[Fmt::Fields, Fmt::Nested, Fmt::Problem]);
    // At most 16 bytes: the point is the count of members, not their length.
    let stem = String::from_utf8_lossy(bytes.take(16)).into_owned();
    let mut fields = FieldErrors::new();
    let mut members = Vec::new();
    for i in 0..count {
        let name = format!("{stem}_{i}");
        members.push(format!(
            r#"{}:["x"]"#,
            serde_json::to_string(&name).expect("a string encodes")
        ));
        fields.add(name, "x");
    }
    let members = members.join(",");
    let body = match shape {
        Fmt::Fields => format!(r#"{{"message":"m","errors":{{{members}}}}}"#),
        Fmt::Nested => {
            format!(r#"{{"error":{{"code":"validation","message":"m","details":{{{members}}}}}}}"#)
        }
        _ => {
            let sep = if members.is_empty() { "" } else { "," };
            format!(
                r#"{{"type":"about:blank","status":422,"code":"validation","detail":"m"{sep}{members}}}"#
            )
        }
    };
    // A long stem can take the body past what is decoded at all.
    let oracle = (body.len() <= MAX_DECODED_BODY).then_some(Oracle {
        shape,
        expected: Expected::Validation(fields),
        parser_rejects: false,
    });
    (body.into_bytes(), oracle)
}

/// `text`, cut to a length a panic message can show.
fn short(text: &str) -> &str {
    let mut end = text.len().min(2_000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

//! The `roundtrip` target: any value of a format's enum, encoded as a server would,
//! decodes back to itself (up to what the wire cannot carry; see `Subject::expected`).
//!
//! Byte layout:
//!
//! ```text
//! [0]   format: index into Fmt::ALL (plain, nested, fields, reason, flat, problem, auto)
//! [1]   context flags: bit 0 request_id, 1 timestamp, 2 problem_type, 3 instance
//! ...   one [len][bytes] string per flag set, in that order
//! ...   the value: [variant % 12] then its fields (see `subjects::build`): strings are
//!       [len][bytes] (invalid UTF-8 replaced), field errors [count % 8] then per field
//!       [name: index into a table of member names, or a string][messages % 3 + 1]...
//! ```
//!
//! So `[format][0][variant]` followed by any bytes is a value whose strings are cut
//! from those bytes (a fixture body, say).

use apierror::decode::KEPT_TEXT_BYTES;
use apierror::format::Format;
use apierror::http::header;
use apierror::retry::RetryAfter;
use apierror::{Context, Decoded};

use super::input::Bytes;
use super::known_bugs::{KnownBug, tolerated};
use super::oracles;
use super::subjects::{self, Fmt, SECRET_MARK, Subject, wire_delay};

/// Per-response context strings, owned.
struct OwnedContext([Option<String>; 4]);

impl OwnedContext {
    fn read(bytes: &mut Bytes<'_>) -> Self {
        let flags = bytes.u8();
        let mut parts: [Option<String>; 4] = Default::default();
        for (bit, part) in parts.iter_mut().enumerate() {
            if flags & (1 << bit) != 0 {
                *part = Some(bytes.string());
            }
        }
        OwnedContext(parts)
    }

    fn get(&self) -> Context<'_> {
        let [request_id, timestamp, problem_type, instance] = &self.0;
        let mut context = Context::new();
        context.request_id = request_id.as_deref();
        context.timestamp = timestamp.as_deref();
        context.problem_type = problem_type.as_deref();
        context.instance = instance.as_deref();
        context
    }

    fn mentions(&self, text: &str) -> bool {
        self.0.iter().flatten().any(|part| part.contains(text))
    }
}

/// The target.
pub fn run(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let fmt = bytes.pick(&Fmt::ALL);
    let context = OwnedContext::read(&mut bytes);
    match fmt {
        Fmt::Plain => roundtrip::<subjects::plain::E>(&mut bytes, &context),
        Fmt::Nested => roundtrip::<subjects::nested::E>(&mut bytes, &context),
        Fmt::Fields => roundtrip::<subjects::fields::E>(&mut bytes, &context),
        Fmt::Reason => roundtrip::<subjects::reason::E>(&mut bytes, &context),
        Fmt::Flat => roundtrip::<subjects::flat::E>(&mut bytes, &context),
        Fmt::Problem => roundtrip::<subjects::problem::E>(&mut bytes, &context),
        Fmt::Auto => roundtrip::<subjects::auto::E>(&mut bytes, &context),
    }
}

fn roundtrip<E: Subject + serde::Serialize>(bytes: &mut Bytes<'_>, context: &OwnedContext) {
    let fmt = E::FMT;
    let Some(value) = E::build(bytes) else {
        return;
    };
    let bug = value.affected_by();
    if bug == Some(KnownBug::RetryAfterOverflow) && tolerated(KnownBug::RetryAfterOverflow) {
        // Encoding this value panics with overflow checks on.
        return;
    }

    // Encoding: the response is the body `to_body_with` writes, the status, the
    // format's content type, and a Retry-After exactly when the value has a delay.
    // A status that carries no content (1xx, 204, 205, 304: an `Unknown` can have one)
    // is answered with neither body nor content type.
    let response = value.to_response_with(&context.get());
    let (parts, body) = response.into_parts();
    assert_eq!(parts.status, value.status());
    let status = value.status();
    let bodyless = status.is_informational() || matches!(status.as_u16(), 204 | 205 | 304);
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .map(http::HeaderValue::as_bytes);
    if bodyless {
        assert!(body.is_empty(), "a {status} answered with a body");
        assert_eq!(content_type, None);
        return;
    }
    assert_eq!(body, value.to_body_with(&context.get()));
    assert_eq!(
        content_type,
        Some(<E::Format as Format>::CONTENT_TYPE.as_bytes())
    );
    assert_eq!(
        parts.headers.contains_key(header::RETRY_AFTER),
        value.retry_after().is_some()
    );
    if context.0.iter().all(Option::is_none) {
        assert_eq!(serde_json::to_vec(&value).expect("serializes"), body);
    }
    if value.is_encode_only() && !context.mentions(SECRET_MARK) {
        let body_text = String::from_utf8_lossy(&body);
        assert!(
            !body_text.contains(SECRET_MARK),
            "a 5xx's Display reached the body: {body_text}"
        );
    }

    // Decoding it back.
    let decoded = E::from_response(parts.status, &parts.headers, &body).expect("decodes");
    let expected = value.expected(&body);
    assert!(
        decoded == expected || bug.is_some_and(tolerated),
        "{fmt:?}: {value:?} was sent as {} and read back as {decoded:?}, not {expected:?}",
        String::from_utf8_lossy(&body)
    );

    // With metadata: the same error, the hint, and the request id the body carries.
    let with_meta =
        Decoded::<E>::from_response(parts.status, &parts.headers, &body).expect("decodes");
    assert_eq!(with_meta.error, decoded);
    let raw = <E::Format as Format>::decode(&body).expect("an encoded body decodes");
    oracles::check_meta(
        &with_meta.meta,
        parts.status,
        &parts.headers,
        &body,
        Some(&raw),
    );
    let carries_id = matches!(fmt, Fmt::Nested | Fmt::Problem | Fmt::Auto);
    let sent_id = context.get().request_id.filter(|_| carries_id);
    assert_eq!(
        with_meta.meta.request_id,
        sent_id.map(|id| oracles::kept(id, KEPT_TEXT_BYTES)),
        "the request id the body carries"
    );
    assert_eq!(
        with_meta.meta.retry_after,
        value
            .retry_after()
            .map(|delay| RetryAfter::Delay(wire_delay(delay)))
    );

    // From the body alone (`Deserialize`): the same, but for the delay, which travels
    // in a header; an unknown error needs a status, which only some bodies state.
    if bug.is_none()
        && let Some(alone) = E::from_body(&body)
    {
        let states_status = matches!(fmt, Fmt::Reason | Fmt::Problem | Fmt::Auto);
        match alone {
            Ok(alone) => assert_eq!(alone.to_body(), expected.to_body(), "{alone:?}"),
            Err(error) => assert!(
                expected.unknown().is_some() && !states_status,
                "{expected:?} from its body alone: {error}"
            ),
        }
    }
}

//! Decoding is total: whatever a server or a proxy sends, a client gets a variant (or a
//! typed `DecodeError`) with the status and the start of the body kept, never a panic.

use apierror::decode::{DecodeErrorKind, KEPT_BODY_BYTES, MAX_DECODED_BODY};
use apierror::format::Format;
use apierror::format::{Auto, Fields, Flat, Nested, Plain, Problem, Reason};
use apierror::{ApiError, FieldErrors, Unknown};
use proptest::prelude::*;

use super::formats_seeds::decode;

/// Flextell-like errors, with a catch-all.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum Lenient {
    #[error("The bearer token is expired or malformed.")]
    #[status(401)]
    InvalidToken,
    #[error("{message}")]
    #[status(422)]
    ValidationError {
        #[api_error(message)]
        message: String,
        #[api_error(details)]
        fields: FieldErrors,
    },
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

/// The same errors, without a catch-all.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum Strict {
    #[error("The bearer token is expired or malformed.")]
    #[status(401)]
    InvalidToken,
    #[error("{message}")]
    #[status(422)]
    ValidationError {
        #[api_error(message)]
        message: String,
        #[api_error(details)]
        fields: FieldErrors,
    },
}

/// What a row decodes to.
#[derive(Debug)]
enum Expect {
    /// `InvalidToken`.
    InvalidToken,
    /// `ValidationError` with this message and these fields.
    Validation(&'static str, FieldErrors),
    /// No variant, for this reason; the code and message the body had, if any.
    Unrecognised(Kind, Option<&'static str>, Option<&'static str>),
}

/// A `DecodeErrorKind` without the parser's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    TooLarge,
    Malformed,
    Unrecognized,
}

fn kind(kind: &DecodeErrorKind) -> Kind {
    match kind {
        DecodeErrorKind::Empty => Kind::Empty,
        DecodeErrorKind::TooLarge => Kind::TooLarge,
        DecodeErrorKind::Malformed(_) => Kind::Malformed,
        DecodeErrorKind::Unrecognized => Kind::Unrecognized,
        other => panic!("unexpected kind {other:?}"),
    }
}

const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";

/// A row: its name, the status, the body, what it decodes to.
type Row = (&'static str, u16, Vec<u8>, Expect);

fn rows() -> Vec<Row> {
    let mut rows = not_envelopes();
    rows.extend(deep_and_long());
    rows.extend(odd_envelopes());
    rows
}

/// Bodies that are not an envelope at all.
fn not_envelopes() -> Vec<Row> {
    use Expect::Unrecognised;
    vec![
        (
            "unknown code",
            418,
            br#"{"error":"teapot","message":"short and stout"}"#.to_vec(),
            Unrecognised(Kind::Unrecognized, Some("teapot"), Some("short and stout")),
        ),
        (
            "empty body",
            502,
            Vec::new(),
            Unrecognised(Kind::Empty, None, None),
        ),
        (
            "whitespace body",
            503,
            b" \r\n\t ".to_vec(),
            Unrecognised(Kind::Empty, None, None),
        ),
        (
            "truncated JSON",
            401,
            br#"{"error":"invalid_token","mess"#.to_vec(),
            Unrecognised(Kind::Malformed, None, None),
        ),
        (
            "nginx 502 page",
            502,
            NGINX_502.as_bytes().to_vec(),
            Unrecognised(Kind::Malformed, None, None),
        ),
        (
            "invalid UTF-8",
            401,
            b"\xff\xfe{\"error\":1}".to_vec(),
            Unrecognised(Kind::Malformed, None, None),
        ),
        (
            "invalid UTF-8 in a string",
            401,
            b"{\"error\":\"invalid_token\",\"message\":\"\xc3\x28\"}".to_vec(),
            Unrecognised(Kind::Malformed, None, None),
        ),
        (
            "top-level array",
            401,
            br#"[{"error":"invalid_token"}]"#.to_vec(),
            Unrecognised(Kind::Malformed, None, None),
        ),
        (
            "top-level string",
            401,
            br#""invalid_token""#.to_vec(),
            Unrecognised(Kind::Malformed, None, None),
        ),
        (
            "top-level number",
            401,
            b"401".to_vec(),
            Unrecognised(Kind::Malformed, None, None),
        ),
        (
            "top-level null",
            401,
            b"null".to_vec(),
            Unrecognised(Kind::Malformed, None, None),
        ),
    ]
}

/// Bodies too deep or too long to parse.
fn deep_and_long() -> Vec<Row> {
    use Expect::Unrecognised;
    let deep = |prefix: &str, n: usize| {
        let mut body = prefix.as_bytes().to_vec();
        body.resize(body.len() + n, b'[');
        body
    };
    let mut huge = br#"{"error":"invalid_token","message":""#.to_vec();
    huge.resize(3 * 1024 * 1024, b'a');
    huge.extend_from_slice(br#""}"#);
    vec![
        (
            "10 000 [",
            400,
            deep("", 10_000),
            Unrecognised(Kind::Malformed, None, None),
        ),
        (
            "10 000 [ in a member",
            400,
            deep(r#"{"error":"#, 10_000),
            Unrecognised(Kind::Malformed, None, None),
        ),
        (
            "10 000 [ in details",
            400,
            deep(r#"{"error":"validation_error","details":"#, 10_000),
            Unrecognised(Kind::Malformed, None, None),
        ),
        (
            "3 MiB body",
            401,
            huge,
            Unrecognised(Kind::TooLarge, None, None),
        ),
        (
            "trailing garbage",
            401,
            br#"{"error":"invalid_token"} {"#.to_vec(),
            Unrecognised(Kind::Malformed, None, None),
        ),
    ]
}

/// Envelopes with odd members.
fn odd_envelopes() -> Vec<Row> {
    use Expect::{InvalidToken, Unrecognised, Validation};
    vec![
        (
            "no code",
            401,
            br#"{"message":"The bearer token is expired or malformed."}"#.to_vec(),
            Unrecognised(Kind::Unrecognized, None, Some("The bearer token is expired or malformed.")),
        ),
        (
            "mistyped message",
            401,
            br#"{"error":"invalid_token","message":["expired"]}"#.to_vec(),
            InvalidToken,
        ),
        (
            "mistyped message received by a message field",
            422,
            br#"{"error":"validation_error","message":{"text":"bad"}}"#.to_vec(),
            Validation("", FieldErrors::new()),
        ),
        (
            "mistyped details",
            422,
            br#"{"error":"validation_error","message":"bad","details":"email"}"#.to_vec(),
            Validation("bad", FieldErrors::new()),
        ),
        (
            "null details",
            422,
            br#"{"error":"validation_error","message":"bad","details":null}"#.to_vec(),
            Validation("bad", FieldErrors::new()),
        ),
        (
            "mistyped code",
            401,
            br#"{"error":401,"message":"expired"}"#.to_vec(),
            Unrecognised(Kind::Unrecognized, None, Some("expired")),
        ),
        (
            "members out of order",
            422,
            br#"{"details":{"email":["is invalid"]},"message":"bad","error":"validation_error"}"#.to_vec(),
            Validation("bad", FieldErrors::new().with_field("email", "is invalid")),
        ),
        (
            "extra members",
            401,
            br#"{"data":null,"error":"invalid_token","status":401,"meta":{"error":"x","list":[1,{"a":[]}]},"message":"m"}"#
                .to_vec(),
            InvalidToken,
        ),
        (
            "pretty-printed with escapes",
            422,
            b"{\n  \"error\" : \"validation_\\u0065rror\",\n  \"message\" : \"tab\\tquote\\\"\"\n}\n".to_vec(),
            Validation("tab\tquote\"", FieldErrors::new()),
        ),
    ]
}

fn kept(body: &[u8]) -> &[u8] {
    &body[..body.len().min(KEPT_BODY_BYTES)]
}

#[test]
fn an_enum_with_a_catch_all_always_decodes() {
    for (name, status, body, expect) in rows() {
        let decoded: Lenient = decode(status, &body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(decoded.status().as_u16(), status, "{name}");
        match (expect, decoded) {
            (Expect::InvalidToken, Lenient::InvalidToken) => {}
            (
                Expect::Validation(message, fields),
                Lenient::ValidationError {
                    message: m,
                    fields: f,
                },
            ) => {
                assert_eq!((m.as_str(), f), (message, fields), "{name}");
            }
            (Expect::Unrecognised(_, code, message), Lenient::Other(unknown)) => {
                assert_eq!(unknown.status().as_u16(), status, "{name}");
                assert_eq!(unknown.raw_code(), code, "{name}");
                assert_eq!(unknown.raw_message(), message, "{name}");
                assert_eq!(unknown.body(), kept(&body), "{name}");
                assert_eq!(
                    unknown.body_truncated(),
                    body.len() > KEPT_BODY_BYTES,
                    "{name}"
                );
            }
            (expect, decoded) => panic!("{name}: expected {expect:?}, got {decoded:?}"),
        }
    }
}

#[test]
fn an_enum_without_a_catch_all_reports_why() {
    for (name, status, body, expect) in rows() {
        let decoded: Result<Strict, _> = decode(status, &body);
        match (expect, decoded) {
            (Expect::InvalidToken, Ok(Strict::InvalidToken)) => {}
            (
                Expect::Validation(message, fields),
                Ok(Strict::ValidationError {
                    message: m,
                    fields: f,
                }),
            ) => {
                assert_eq!((m.as_str(), f), (message, fields), "{name}");
            }
            (Expect::Unrecognised(why, code, message), Err(error)) => {
                assert_eq!(kind(error.kind()), why, "{name}: {error}");
                let response = error.unknown();
                assert_eq!(response.status().as_u16(), status, "{name}");
                assert_eq!(response.raw_code(), code, "{name}");
                assert_eq!(response.raw_message(), message, "{name}");
                assert_eq!(response.body(), kept(&body), "{name}");
            }
            (expect, decoded) => panic!("{name}: expected {expect:?}, got {decoded:?}"),
        }
    }
}

#[test]
fn the_size_bound_is_the_documented_one() {
    let mut body = br#"{"error":"invalid_token","message":""#.to_vec();
    body.resize(MAX_DECODED_BODY - 2, b'a');
    body.extend_from_slice(br#""}"#);
    assert_eq!(body.len(), MAX_DECODED_BODY);
    let decoded: Lenient = decode(401, &body).unwrap();
    assert!(matches!(decoded, Lenient::InvalidToken), "{decoded:?}");

    body.insert(1, b' ');
    let decoded: Lenient = decode(401, &body).unwrap();
    let Lenient::Other(unknown) = decoded else {
        panic!("expected Other, got {decoded:?}");
    };
    assert_eq!(unknown.body().len(), KEPT_BODY_BYTES);
    assert!(unknown.body_truncated());
}

/// Bodies made of JSON tokens the formats look for, in any order.
const JSON_TOKENS: &str = r#"(\{|\}|\[|\]|"error"|"message"|"details"|"errors"|"code"|"reason"|"status"|"type"|"detail"|"x"|"\\u00e9"|"\\"|:|,|-?[0-9]{1,6}|1e400|null|true| ){0,40}"#;

proptest! {
    #[test]
    fn no_body_makes_decoding_fail_or_panic(
        body in prop_oneof![prop::collection::vec(any::<u8>(), 0..64), JSON_TOKENS.prop_map(String::into_bytes)],
        status in 400_u16..600,
    ) {
        let decoded: Lenient = decode(status, &body).expect("a catch-all always decodes");
        prop_assert_eq!(decoded.status().as_u16(), status);
        for (name, result) in [
            ("plain", Plain::decode(&body).map(drop)),
            ("nested", Nested::decode(&body).map(drop)),
            ("fields", Fields::decode(&body).map(drop)),
            ("reason", Reason::decode(&body).map(drop)),
            ("flat", Flat::decode(&body).map(drop)),
            ("problem", Problem::decode(&body).map(drop)),
            ("auto", Auto::decode(&body).map(drop)),
        ] {
            // Whatever it is, it is an answer: a body the parser accepts is an object.
            if result.is_ok() {
                prop_assert_eq!(body.iter().find(|b| !b.is_ascii_whitespace()), Some(&b'{'), "{}", name);
            }
        }
        if let Some(shape) = Auto::detect(&body) {
            prop_assert!(shape.decode(&body).is_ok());
        }
    }
}

//! The `declared` target: any status and body, decoded by enums whose formats are
//! declared in the attribute (key parts, member fields, literals that recognise the
//! envelope, an array whose elements are told apart by `@type`, the status as a number
//! and as gRPC's name).
//!
//! Input: two bytes of status (big-endian, taken modulo 500, plus 100), then the body.
//!
//! Asserts, besides "no panic": `Decoded` decodes to the same error as `from_response`;
//! the unknown variant keeps the status; a known variant, encoded and decoded again, is
//! the same variant with the same members; `write_body` and `Serialize` write the same
//! bytes.

use apierror::http::{HeaderMap, StatusCode};
use apierror::{ApiError, Decoded, Unknown};

/// Stripe's shape: keyed by `type` and an optional `code`, with member fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ApiError)]
#[api_error(format(
    json = r#"{"error":{"code":"{code?}","decline_code":"{decline_code?}","message":"{message}","param":"{param?}","type":"{type}"}}"#
))]
pub enum Keyed {
    #[error("{message}")]
    #[status(402)]
    #[api_error(key(type = "card_error", code = "card_declined"))]
    Declined {
        #[api_error(message)]
        message: String,
        #[api_error(member)]
        decline_code: Option<String>,
        #[api_error(member)]
        param: Option<String>,
    },
    #[error("{message}")]
    #[status(400)]
    #[api_error(key(type = "invalid_request_error"))]
    Invalid {
        #[api_error(message)]
        message: String,
        #[api_error(member)]
        param: Option<String>,
    },
    #[error("{0}")]
    #[api_error(unknown)]
    Other(Unknown),
}

/// Slack's shape: a literal that marks the body as an error, sent with 200.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"ok":false,"error":"{code}"}"#))]
pub enum Marked {
    #[error("channel not found")]
    #[status(200)]
    ChannelNotFound,
    #[error("rate limited")]
    #[status(429)]
    Ratelimited,
    #[error("{0}")]
    #[api_error(unknown)]
    Other(Unknown),
}

/// Google's shape: the key in an array element chosen by `@type`, the status twice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ApiError)]
#[api_error(
    rename_all = "SCREAMING_SNAKE_CASE",
    format(
        json = r#"{"error":{"code":{status},"message":"{message}","status":"{status:grpc}","details":[
        {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"{code?}","metadata":{metadata?}},
        {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"{retry_delay?}"},
        {"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":{details?}}]}}"#
    )
)]
pub enum Arrayed {
    #[error("{message}")]
    #[status(429)]
    #[code("RATE_LIMIT_EXCEEDED")]
    Quota {
        #[api_error(message)]
        message: String,
        #[api_error(member)]
        metadata: Option<std::collections::BTreeMap<String, String>>,
        #[api_error(member)]
        retry_delay: Option<String>,
    },
    #[error("{message}")]
    #[status(400)]
    Invalid {
        #[api_error(message)]
        message: String,
        #[api_error(details)]
        violations: Vec<serde_json::Value>,
    },
    #[error("{0}")]
    #[api_error(unknown)]
    Other(Unknown),
}

/// What the checks need of each enum.
trait Subject: ApiError + serde::Serialize + PartialEq + std::fmt::Debug {
    fn unknown(&self) -> Option<&Unknown>;
}

macro_rules! subject {
    ($($ty:ident),*) => {$(
        impl Subject for $ty {
            fn unknown(&self) -> Option<&Unknown> {
                match self {
                    $ty::Other(unknown) => Some(unknown),
                    _ => None,
                }
            }
        }
    )*};
}
subject!(Keyed, Marked, Arrayed);

/// Runs the target on one input.
pub fn run(data: &[u8]) {
    let Some((head, body)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = StatusCode::from_u16(100 + u16::from_be_bytes(*head) % 500).expect("100..=599");
    check::<Keyed>(status, body);
    check::<Marked>(status, body);
    check::<Arrayed>(status, body);
}

fn check<E: Subject>(status: StatusCode, body: &[u8]) {
    let headers = HeaderMap::new();
    let error = E::from_response(status, &headers, body).expect("an unknown variant");
    let decoded = Decoded::<E>::from_response(status, &headers, body).expect("an unknown variant");
    assert_eq!(decoded.error, error, "Decoded and from_response differ");
    assert_eq!(decoded.meta.status, status);
    if let Some(unknown) = error.unknown() {
        assert_eq!(
            unknown.status(),
            status,
            "the unknown variant keeps the status"
        );
        return;
    }
    // A known variant encodes, and decodes back to itself.
    let written = error.to_body();
    let serialized = serde_json::to_vec(&error).expect("serializes");
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&serialized),
        "write_body and Serialize differ"
    );
    let again = E::from_response(error.status(), &headers, &written).expect("decodes");
    assert_eq!(
        again,
        error,
        "{} decodes to another value",
        String::from_utf8_lossy(&written)
    );
}

//! Formats declared in the attribute: the vendors' documented bodies encoded byte for
//! byte from their variants and decoded back, with every member kept.

use std::fmt::Write as _;
use std::time::Duration;

use apierror::http::{HeaderMap, StatusCode};
use apierror::{ApiError, Decoded};
use apierror_examples::vendors::github::{GitHubError, ValidationError};
use apierror_examples::vendors::google::{FieldViolation, GoogleError};
use apierror_examples::vendors::slack::SlackError;
use apierror_examples::vendors::stripe::StripeError;

use crate::formats_seeds::compact;

fn decoded<E: ApiError>(status: u16, headers: &HeaderMap, body: &str) -> Decoded<E> {
    let status = StatusCode::from_u16(status).unwrap();
    Decoded::<E>::from_response(status, headers, body.as_bytes()).unwrap()
}

#[test]
fn slack_errors_are_sent_with_200_and_read_back() {
    for (error, body) in [
        (
            SlackError::ChannelNotFound,
            r#"{"ok":false,"error":"channel_not_found"}"#,
        ),
        (
            SlackError::InvalidAuth,
            r#"{"ok":false,"error":"invalid_auth"}"#,
        ),
    ] {
        assert_eq!(error.status(), 200);
        assert_eq!(compact(&error), body);
        let back = decoded::<SlackError>(200, &HeaderMap::new(), body);
        assert_eq!(back.error.code(), error.code());
        assert!(back.meta.unbound.is_empty(), "{:?}", back.meta.unbound);
    }
}

#[test]
fn slack_rate_limit_carries_retry_after_both_ways() {
    let error = SlackError::Ratelimited {
        retry_after: Duration::from_secs(30),
    };
    let response = error.to_response();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "30");
    assert_eq!(response.body(), br#"{"ok":false,"error":"ratelimited"}"#);
    let back = decoded::<SlackError>(
        429,
        response.headers(),
        r#"{"ok":false,"error":"ratelimited"}"#,
    );
    assert!(
        matches!(back.error, SlackError::Ratelimited { retry_after } if retry_after == Duration::from_secs(30)),
        "{:?}",
        back.error
    );
}

#[test]
fn github_bodies_are_written_byte_for_byte() {
    let validation = GitHubError::ValidationFailed {
        errors: vec![ValidationError {
            resource: "Issue".into(),
            field: "title".into(),
            code: "missing_field".into(),
        }],
        documentation_url: Some(
            "https://docs.github.com/rest/issues/issues#create-an-issue".into(),
        ),
    };
    let not_found = GitHubError::NotFound {
        documentation_url: Some("https://docs.github.com/rest".into()),
    };
    let forbidden = GitHubError::Forbidden {
        message: "API rate limit exceeded for 203.0.113.7.".into(),
        documentation_url: Some(
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api".into(),
        ),
    };
    let bodies = [
        (
            &validation,
            422,
            r#"{"message":"Validation Failed","errors":[{"resource":"Issue","field":"title","code":"missing_field"}],"documentation_url":"https://docs.github.com/rest/issues/issues#create-an-issue","status":"422"}"#,
        ),
        (
            &not_found,
            404,
            r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}"#,
        ),
        (
            &forbidden,
            403,
            r#"{"message":"API rate limit exceeded for 203.0.113.7.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api","status":"403"}"#,
        ),
    ];
    for (error, status, body) in bodies {
        assert_eq!(compact(error), body);
        let back = decoded::<GitHubError>(status, &HeaderMap::new(), body);
        assert_eq!(
            compact(&back.error),
            body,
            "decoded back to {:?}",
            back.error
        );
        assert_eq!(back.meta.status, status);
    }
}

#[test]
fn github_status_in_the_body_is_read() {
    let body = r#"{"message":"Not Found","status":"404"}"#;
    let error: GitHubError = serde_json::from_str(body).unwrap();
    assert!(
        matches!(
            error,
            GitHubError::NotFound {
                documentation_url: None
            }
        ),
        "{error:?}"
    );
}

#[test]
fn members_the_declaration_does_not_bind_are_kept() {
    let body = r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404","request_id":"ABCD:1234","meta":{"a":[1,2]}}"#;
    let back = decoded::<GitHubError>(404, &HeaderMap::new(), body);
    let unbound: Vec<(&str, &str)> = back
        .meta
        .unbound
        .iter()
        .map(|(pointer, value)| (pointer.as_str(), value.as_str()))
        .collect();
    assert_eq!(
        unbound,
        [
            ("/request_id", r#""ABCD:1234""#),
            ("/meta", r#"{"a":[1,2]}"#)
        ]
    );
}

#[test]
fn stripe_bodies_are_written_byte_for_byte_and_read_back_with_every_member() {
    let bodies = [
        (
            402,
            r#"{"error":{"code":"card_declined","decline_code":"insufficient_funds","doc_url":"https://stripe.com/docs/error-codes/card-declined","message":"Your card was declined.","param":"number","request_log_url":"https://dashboard.stripe.com/logs/req_x","type":"card_error"}}"#,
            "card_declined",
        ),
        (
            404,
            r#"{"error":{"code":"resource_missing","doc_url":"https://stripe.com/docs/error-codes/resource-missing","message":"No such customer: 'cus_123'","param":"id","type":"invalid_request_error"}}"#,
            "resource_missing",
        ),
        (
            400,
            r#"{"error":{"message":"Invalid integer: abc","param":"amount","type":"invalid_request_error"}}"#,
            "invalid_request",
        ),
        (
            409,
            r#"{"error":{"message":"Keys for idempotent requests can only be used with the same parameters they were first used with.","type":"idempotency_error"}}"#,
            "idempotency_error",
        ),
        (
            429,
            r#"{"error":{"code":"rate_limit","message":"Too many requests hit the API too quickly.","type":"invalid_request_error"}}"#,
            "rate_limit",
        ),
        (
            500,
            r#"{"error":{"message":"An unknown error occurred","type":"api_error"}}"#,
            "api_error",
        ),
    ];
    for (status, body, code) in bodies {
        let back = decoded::<StripeError>(status, &HeaderMap::new(), body);
        assert_eq!(back.error.code(), code, "{body}");
        assert_eq!(back.error.status(), status);
        assert_eq!(compact(&back.error), body);
        assert!(back.meta.unbound.is_empty(), "{:?}", back.meta.unbound);
    }
}

#[test]
fn stripe_the_most_specific_key_wins() {
    // A code no variant names, under a type one variant has alone: that variant.
    let body = r#"{"error":{"code":"parameter_missing","message":"Missing required param: amount.","param":"amount","type":"invalid_request_error"}}"#;
    let back = decoded::<StripeError>(400, &HeaderMap::new(), body);
    assert!(
        matches!(back.error, StripeError::InvalidRequest { .. }),
        "{:?}",
        back.error
    );
    assert_eq!(back.meta.code.as_deref(), Some("parameter_missing"));
    // The same code under another type: not the variant keyed on both.
    let body = r#"{"error":{"code":"resource_missing","message":"m","type":"card_error"}}"#;
    let back = decoded::<StripeError>(404, &HeaderMap::new(), body);
    assert!(
        matches!(back.error, StripeError::Other(_)),
        "{:?}",
        back.error
    );
}

#[test]
fn google_bodies_are_written_byte_for_byte_and_read_back() {
    let quota = r#"{"error":{"code":429,"message":"Quota exceeded for quota metric 'Read requests'.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com","metadata":{"service":"pubsub.googleapis.com"}},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30s"}]}}"#;
    let back = decoded::<GoogleError>(429, &HeaderMap::new(), quota);
    let GoogleError::RateLimitExceeded {
        metadata,
        retry_delay,
        domain,
        ..
    } = &back.error
    else {
        panic!("{:?}", back.error)
    };
    assert_eq!(domain.as_deref(), Some("googleapis.com"));
    assert_eq!(*retry_delay, Some(Duration::from_secs(30)));
    assert_eq!(
        metadata.as_ref().unwrap()["service"],
        "pubsub.googleapis.com"
    );
    assert_eq!(compact(&back.error), quota);

    let invalid = r#"{"error":{"code":400,"message":"Invalid resource name.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"name","description":"must not be empty"}]}]}}"#;
    let back = decoded::<GoogleError>(400, &HeaderMap::new(), invalid);
    let GoogleError::InvalidArgument { violations, .. } = &back.error else {
        panic!("{:?}", back.error)
    };
    assert_eq!(
        violations,
        &[FieldViolation {
            field: "name".into(),
            description: "must not be empty".into()
        }]
    );
    assert_eq!(compact(&back.error), invalid);
    assert!(back.meta.unbound.is_empty(), "{:?}", back.meta.unbound);
}

#[test]
fn google_elements_it_does_not_know_are_kept() {
    let body = r#"{"error":{"code":429,"message":"m","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.Help","links":[]},{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","extra":1}]}}"#;
    let back = decoded::<GoogleError>(429, &HeaderMap::new(), body);
    assert!(
        matches!(back.error, GoogleError::RateLimitExceeded { .. }),
        "{:?}",
        back.error
    );
    let pointers: Vec<&str> = back.meta.unbound.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(pointers, ["/error/details/0", "/error/details/1/extra"]);
}

#[test]
fn a_google_element_is_read_as_its_members_came() {
    // Members in another order than declared, a repeated one (the later wins), members
    // the declaration does not bind (kept, in order), and more than eight members.
    let extra = (0..9).fold(String::new(), |mut out, i| {
        let _ = write!(out, r#","x{i}":{{"n":[{i}]}}"#);
        out
    });
    let body = format!(
        r#"{{"error":{{"code":429,"message":"m","status":"RESOURCE_EXHAUSTED","details":[{{"domain":"first.example","metadata":{{"a":"1"}},"reason":"RATE_LIMIT_EXCEEDED","@type":"type.googleapis.com/google.rpc.ErrorInfo","domain":"googleapis.com"{extra}}},{{"retryDelay":"30s","@type":"type.googleapis.com/google.rpc.RetryInfo"}}]}}}}"#
    );
    let back = decoded::<GoogleError>(429, &HeaderMap::new(), &body);
    let GoogleError::RateLimitExceeded {
        domain,
        metadata,
        retry_delay,
        ..
    } = &back.error
    else {
        panic!("{:?}", back.error);
    };
    assert_eq!(domain.as_deref(), Some("googleapis.com"));
    assert_eq!(
        metadata
            .as_ref()
            .and_then(|m| m.get("a"))
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(*retry_delay, Some(Duration::from_secs(30)));
    let unbound: Vec<(&str, &str)> = back
        .meta
        .unbound
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let expected: Vec<(String, String)> = (0..9)
        .map(|i| {
            (
                format!("/error/details/0/x{i}"),
                format!(r#"{{"n":[{i}]}}"#),
            )
        })
        .collect();
    let expected: Vec<(&str, &str)> = expected
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    assert_eq!(unbound, expected);
    // A repeated discriminator that contradicts the first: the element is no ErrorInfo.
    let body = r#"{"error":{"code":429,"message":"m","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","@type":"type.googleapis.com/google.rpc.Help"}]}}"#;
    let back = decoded::<GoogleError>(429, &HeaderMap::new(), body);
    assert!(
        !matches!(back.error, GoogleError::RateLimitExceeded { .. }),
        "{:?}",
        back.error
    );
    let pointers: Vec<&str> = back.meta.unbound.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(pointers, ["/error/details/0"]);
}

/// The body `write_body` writes, and what `Serialize` writes.
fn both<E: ApiError + serde::Serialize>(error: &E) -> (Vec<u8>, String) {
    (error.to_body(), compact(error))
}

/// A declaration whose member names need escaping, and a message that does.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(
    json = r#"{"we\"ird\\name\n":{"code":"{code}","t\u00e9xt":"{message}","n":{status},"s":"{status:grpc}","list":[1,"two",null,true]}}"#
))]
enum Awkward {
    #[error("a \"quoted\"\n message\u{1}")]
    #[status(409)]
    Conflict,
}

#[test]
fn the_body_writer_and_the_serializer_write_the_same_bytes() {
    let body = String::from_utf8(Awkward::Conflict.to_body()).unwrap();
    assert_eq!(
        body,
        r#"{"we\"ird\\name\n":{"code":"conflict","téxt":"a \"quoted\"\n message\u0001","n":409,"s":"ABORTED","list":[1,"two",null,true]}}"#
    );
    assert_eq!(compact(&Awkward::Conflict), body);
    let back = decoded::<Awkward>(409, &HeaderMap::new(), &body);
    assert!(matches!(back.error, Awkward::Conflict));
    assert!(back.meta.unbound.is_empty(), "{:?}", back.meta.unbound);
    // Every vendor's bodies, both ways.
    let errors = [
        both(&SlackError::Ratelimited {
            retry_after: Duration::from_secs(3),
        }),
        both(&GitHubError::NotFound {
            documentation_url: Some("u".into()),
        }),
        both(&StripeError::InvalidRequest {
            message: "m".into(),
            param: None,
        }),
        both(&GoogleError::InvalidArgument {
            message: "m".into(),
            violations: vec![FieldViolation {
                field: "f".into(),
                description: "d".into(),
            }],
        }),
    ];
    for (written, serialized) in errors {
        assert_eq!(String::from_utf8(written).unwrap(), serialized);
    }
}

//! The error catalogue written from the enum: seed 004's published status table, the
//! const check a crate holds its enum to, and the renderers.

use apierror::catalogue::{self, ErrorSpec, maps};
use apierror::{ApiError, Retry};
use apierror_examples::vendors::flextell::FlextellError;

// Seed 004's table, checked when this file compiles.
const _: () = assert!(maps(FlextellError::CATALOGUE, 401, "invalid_token"));
const _: () = assert!(maps(FlextellError::CATALOGUE, 429, "rate_limit_exceeded"));
const _: () = assert!(!maps(FlextellError::CATALOGUE, 403, "invalid_token"));

/// Seed 004's "HTTP status codes" table: status, then the advice the vendor gives.
fn published() -> Vec<(u16, Retry)> {
    include_str!("../fixtures/004_status_table.txt")
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let status = line[..3].parse().unwrap();
            let advice = if line.contains("exponential backoff") {
                Retry::Backoff
            } else if line.contains("Retry-After") {
                Retry::Throttled
            } else if line.contains("Refresh your access token") {
                Retry::Reauthenticate
            } else {
                Retry::Never
            };
            (status, advice)
        })
        .collect()
}

#[test]
fn seed_004s_catalogue_is_its_published_table() {
    let ours: Vec<(u16, Retry)> = FlextellError::CATALOGUE
        .iter()
        .map(|spec| (spec.status, spec.retry))
        .collect();
    assert_eq!(ours, published());
    assert_eq!(
        catalogue::markdown(FlextellError::CATALOGUE),
        "\
| status | gRPC | code | meaning | what to do |
|---|---|---|---|---|
| 400 | `INVALID_ARGUMENT` | `invalid_request` | Invalid body or query parameters. | fix the request; do not retry |
| 401 | `UNAUTHENTICATED` | `invalid_token` | The bearer token is missing, invalid or expired: refresh it and retry. | refresh the credentials, then retry once |
| 403 | `PERMISSION_DENIED` | `insufficient_scope` | The token lacks a scope: re-authorize. | fix the request; do not retry |
| 404 | `NOT_FOUND` | `not_found` | No such resource. | fix the request; do not retry |
| 409 | `ABORTED` | `conflict` | Already exists, or conflicts with the current state. | fix the request; do not retry |
| 422 | `FAILED_PRECONDITION` | `validation_error` | Well-formed but invalid. | fix the request; do not retry |
| 429 | `RESOURCE_EXHAUSTED` | `rate_limit_exceeded` | Over the rate limit: wait for `Retry-After`. | retry after the server's `Retry-After` |
| 500 | `INTERNAL` | `internal_error` | Unexpected server-side error: retry with backoff. | retry with exponential backoff |
| 503 | `UNAVAILABLE` | `service_unavailable` | Temporarily unavailable: retry with backoff. | retry with exponential backoff |
"
    );
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
#[allow(dead_code)]
enum Service {
    /// A field failed validation.
    #[error("{field} is invalid")]
    #[status(422)]
    #[api_error(message = "field {field} is invalid")]
    Invalid { field: String },
    #[error("slow down")]
    #[status(429)]
    Slow {
        #[api_error(retry_after)]
        wait: u64,
    },
    #[error("database down: {0}")]
    #[status(500)]
    Internal(#[source] std::io::Error),
    #[error("{text}")]
    #[status(409)]
    #[retryable]
    Busy {
        #[api_error(message)]
        text: String,
    },
    #[api_error(unknown)]
    #[error("{0}")]
    Other(apierror::Unknown),
}

#[test]
fn each_entry_says_what_the_declaration_says() {
    let specs: &[ErrorSpec] = Service::CATALOGUE;
    assert_eq!(specs.len(), 4, "every variant but unknown, in order");
    let [invalid, slow, internal, busy] = specs else {
        unreachable!()
    };
    assert_eq!(
        (invalid.name, invalid.status, invalid.code),
        ("Invalid", 422, "invalid")
    );
    assert_eq!(invalid.message, Some("field {field} is invalid"));
    assert_eq!(invalid.doc, "A field failed validation.");
    assert!(!invalid.decodes, "a field without a role is not sent");
    assert!(slow.sends_retry_after && slow.decodes);
    assert_eq!(slow.retry, Retry::Throttled);
    assert!(internal.masked);
    assert_eq!(internal.message, Some("database down: {0}"));
    assert_eq!(
        internal.public_message().as_deref(),
        Some("Internal Server Error")
    );
    assert_eq!(internal.retry, Retry::Backoff);
    assert_eq!(
        busy.message, None,
        "a message field is only known at run time"
    );
    assert_eq!(busy.retry, Retry::Backoff, "#[retryable] on a 409");

    let json: serde_json::Value = serde_json::from_str(&catalogue::json(specs)).unwrap();
    assert_eq!(json[2]["message"], "Internal Server Error");
    assert_eq!(json[1]["retry"], "throttled");
    assert_eq!(json[0]["doc"], "A field failed validation.");
}

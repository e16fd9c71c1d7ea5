//! `#[derive(ApiError)]`: every attribute's and every default's effect on `status()`,
//! `code()`, `message()` and `retry()`.

use std::borrow::Cow;
use std::time::Duration;

use apierror::{ApiError, FieldErrors, Retry, Unknown};
use http::StatusCode;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
enum ServiceError {
    #[error("malformed request")]
    #[status(400)]
    InvalidRequest,

    #[error("validation failed")]
    #[status(422)]
    ValidationError {
        #[api_error(details)]
        fields: FieldErrors,
    },

    #[error("too many requests")]
    #[status(429)]
    RateLimitExceeded,

    #[error("database unreachable: {0}")]
    #[status(500)]
    Internal(#[source] std::io::Error),

    #[error("upstream said: {0}")]
    #[status(502)]
    #[api_error(expose)]
    BadGateway(String),

    #[error("analytics data is loading")]
    #[status(501)]
    #[retryable]
    AnalyticsDataLoading,

    #[error("token expired")]
    #[status(401)]
    #[code("invalid_token")]
    #[retryable(reauthenticate)]
    InvalidToken,

    #[error("conflict")]
    #[status(409)]
    #[retryable]
    Conflict,

    #[error("teapot")]
    #[status(418)]
    #[retryable(unchecked)]
    Teapot,

    #[error("service unavailable")]
    #[status(503)]
    #[retryable(false)]
    Maintenance,

    #[error("quota")]
    #[status(429)]
    #[code("quota")]
    #[retryable]
    Quota,

    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[test]
fn status_comes_from_the_variant() {
    assert_eq!(
        ServiceError::InvalidRequest.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(ServiceError::RateLimitExceeded.status(), 429);
    assert_eq!(ServiceError::AnalyticsDataLoading.status(), 501);
}

#[test]
fn codes_default_to_the_variant_name_through_rename_all() {
    assert_eq!(ServiceError::InvalidRequest.code(), "INVALID_REQUEST");
    assert_eq!(
        ServiceError::RateLimitExceeded.code(),
        "RATE_LIMIT_EXCEEDED"
    );
    assert_eq!(
        ServiceError::AnalyticsDataLoading.code(),
        "ANALYTICS_DATA_LOADING"
    );
}

#[test]
fn explicit_code_overrides_rename_all() {
    assert_eq!(ServiceError::InvalidToken.code(), "invalid_token");
}

#[test]
fn message_is_display_for_4xx() {
    // A placeholder-free #[error("…")] is the Display itself: borrowed, never formatted.
    assert_eq!(ServiceError::InvalidRequest.message(), "malformed request");
    assert!(matches!(
        ServiceError::InvalidRequest.message(),
        Cow::Borrowed(_)
    ));
    // A Display that formats fields is formatted.
    let formatted = ServiceError::BadGateway("timeout".into());
    assert_eq!(formatted.message(), "upstream said: timeout");
    assert!(matches!(formatted.message(), Cow::Owned(_)));
}

#[test]
fn a_hand_written_display_is_the_message() {
    #[derive(Debug, ApiError)]
    #[status(404)]
    #[api_error(format = "flat")]
    struct Missing {
        id: u32,
    }
    impl std::fmt::Display for Missing {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "no item {}", self.id)
        }
    }
    let error = Missing { id: 9 };
    assert_eq!(error.message(), "no item 9");
    assert_eq!(
        error.to_body(),
        br#"{"error":"missing","message":"no item 9"}"#
    );
}

#[test]
fn message_of_a_5xx_is_masked_to_the_reason_phrase() {
    let error = ServiceError::Internal(std::io::Error::other("password=hunter2"));
    assert_eq!(error.message(), "Internal Server Error");
    assert!(matches!(error.message(), Cow::Borrowed(_)));
    assert_eq!(error.to_string(), "database unreachable: password=hunter2");
    assert_eq!(
        ServiceError::AnalyticsDataLoading.message(),
        "Not Implemented"
    );
    assert_eq!(ServiceError::Maintenance.message(), "Service Unavailable");
}

#[test]
fn expose_sends_the_display_of_a_5xx() {
    let error = ServiceError::BadGateway("upstream timeout".into());
    assert_eq!(error.message(), "upstream said: upstream timeout");
}

#[test]
fn retry_class_defaults_from_the_status_table() {
    assert_eq!(ServiceError::InvalidRequest.retry(), Retry::Never);
    assert_eq!(ServiceError::RateLimitExceeded.retry(), Retry::Throttled);
    assert_eq!(
        ServiceError::Internal(std::io::Error::other("x")).retry(),
        Retry::Backoff
    );
    assert_eq!(
        ServiceError::BadGateway(String::new()).retry(),
        Retry::Backoff
    );
    assert!(!ServiceError::InvalidRequest.retry().is_retryable());
}

#[test]
fn retryable_forms_override_the_class() {
    assert_eq!(ServiceError::AnalyticsDataLoading.retry(), Retry::Backoff);
    assert_eq!(ServiceError::InvalidToken.retry(), Retry::Reauthenticate);
    assert_eq!(ServiceError::Conflict.retry(), Retry::Backoff);
    assert_eq!(ServiceError::Teapot.retry(), Retry::Backoff);
    assert_eq!(ServiceError::Maintenance.retry(), Retry::Never);
    assert_eq!(ServiceError::Quota.retry(), Retry::Throttled);
}

#[test]
fn unknown_variant_reports_what_the_response_said() {
    let unknown = ServiceError::Other(
        Unknown::new(StatusCode::IM_A_TEAPOT)
            .with_code("brewing")
            .with_message("short and stout"),
    );
    assert_eq!(unknown.status(), 418);
    assert_eq!(unknown.code(), "brewing");
    assert_eq!(unknown.message(), "short and stout");
    assert_eq!(unknown.retry(), Retry::Never);
    let bare = ServiceError::Other(Unknown::new(StatusCode::BAD_GATEWAY));
    assert_eq!(bare.code(), "unknown");
    assert_eq!(bare.message(), "Bad Gateway");
    assert_eq!(bare.retry(), Retry::Backoff);
}

#[derive(Debug, ApiError)]
#[api_error(format = "flat")]
enum Templates {
    #[status(422)]
    #[api_error(message = "field {field} is invalid: {reason}")]
    Invalid { field: String, reason: String },

    #[status(404)]
    #[api_error(message = "no {0} with id {1}")]
    NotFound(&'static str, u64),

    #[status(400)]
    #[api_error(message = "plain text with {{braces}}")]
    Literal,

    #[status(500)]
    #[api_error(message = "disk {0:?} is full")]
    DiskFull(String),

    #[status(403)]
    Forbidden {
        #[api_error(message)]
        message: String,
    },
}

#[test]
fn message_templates_interpolate_named_fields() {
    let error = Templates::Invalid {
        field: "email".into(),
        reason: "not an address".into(),
    };
    assert_eq!(error.message(), "field email is invalid: not an address");
}

#[test]
fn message_templates_interpolate_positional_fields() {
    assert_eq!(
        Templates::NotFound("user", 7).message(),
        "no user with id 7"
    );
}

#[test]
fn literal_templates_are_borrowed_and_unescaped() {
    assert_eq!(Templates::Literal.message(), "plain text with {braces}");
    assert!(matches!(Templates::Literal.message(), Cow::Borrowed(_)));
}

#[test]
fn an_explicit_template_is_public_even_on_a_5xx() {
    assert_eq!(
        Templates::DiskFull("/var".into()).message(),
        r#"disk "/var" is full"#
    );
}

#[test]
fn message_field_is_the_public_message() {
    let error = Templates::Forbidden {
        message: "no scope".into(),
    };
    assert_eq!(error.message(), "no scope");
    assert!(matches!(error.message(), Cow::Borrowed(_)));
}

#[test]
fn default_rename_is_snake_case() {
    assert_eq!(Templates::NotFound("x", 1).code(), "not_found");
    assert_eq!(Templates::DiskFull(String::new()).code(), "disk_full");
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "problem", rename_all = "kebab-case")]
#[status(500)]
enum WithDefaultStatus {
    #[error("boom")]
    SomethingBroke,
    #[error("gone")]
    #[status(410)]
    GoneForGood,
}

#[test]
fn container_status_is_the_default() {
    assert_eq!(WithDefaultStatus::SomethingBroke.status(), 500);
    assert_eq!(WithDefaultStatus::GoneForGood.status(), 410);
    assert_eq!(WithDefaultStatus::SomethingBroke.code(), "something-broke");
}

#[test]
fn every_rename_all_spelling_applies() {
    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "flat", rename_all = "camelCase")]
    enum Camel {
        #[error("x")]
        #[status(400)]
        BadThing,
    }
    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "flat", rename_all = "PascalCase")]
    enum Pascal {
        #[error("x")]
        #[status(400)]
        BadThing,
    }
    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "flat", rename_all = "SCREAMING-KEBAB-CASE")]
    enum ScreamingKebab {
        #[error("x")]
        #[status(400)]
        BadThing,
    }
    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "flat", rename_all = "lowercase")]
    enum Lower {
        #[error("x")]
        #[status(400)]
        BadThing,
    }
    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "flat", rename_all = "UPPERCASE")]
    enum Upper {
        #[error("x")]
        #[status(400)]
        BadThing,
    }
    assert_eq!(Camel::BadThing.code(), "badThing");
    assert_eq!(Pascal::BadThing.code(), "BadThing");
    assert_eq!(ScreamingKebab::BadThing.code(), "BAD-THING");
    assert_eq!(Lower::BadThing.code(), "badthing");
    assert_eq!(Upper::BadThing.code(), "BADTHING");
}

/// One error kind as a struct.
#[derive(Debug, thiserror::Error, ApiError)]
#[error("payment required for {plan}")]
#[status(402)]
#[code("payment_required")]
#[api_error(format = "flat")]
struct PaymentRequired {
    plan: String,
}

#[test]
fn structs_are_one_error_kind() {
    let error = PaymentRequired { plan: "pro".into() };
    assert_eq!(error.status(), 402);
    assert_eq!(error.code(), "payment_required");
    assert_eq!(error.message(), "payment required for pro");
    assert_eq!(error.retry(), Retry::Never);
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("maintenance (internal detail)")]
#[status(503)]
#[api_error(format = "nested", message = "maintenance until {until}")]
struct Maintenance {
    until: String,
}

#[test]
fn struct_message_template_and_default_code() {
    let error = Maintenance {
        until: "noon".into(),
    };
    assert_eq!(error.message(), "maintenance until noon");
    assert_eq!(error.code(), "maintenance");
    assert_eq!(error.retry(), Retry::Backoff);
}

/// Generic details; the bound is added only for the generic field.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Generic<D, S: std::fmt::Debug> {
    #[error("invalid")]
    #[status(422)]
    Invalid {
        #[api_error(details)]
        details: D,
    },
    #[error("failed: {0:?}")]
    #[status(500)]
    Failed(#[source] std::io::Error, S),
}

#[test]
fn generic_types_get_bounds_only_where_fields_use_them() {
    #[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq)]
    struct Limits {
        max: u32,
    }
    // `S = NotSerializable` compiles: S is only in an encode-only field.
    #[derive(Debug)]
    struct NotSerializable;
    let error: Generic<Limits, NotSerializable> = Generic::Invalid {
        details: Limits { max: 3 },
    };
    assert_eq!(error.status(), 422);
    assert_eq!(error.code(), "invalid");
    let failed: Generic<Limits, NotSerializable> =
        Generic::Failed(std::io::Error::other("x"), NotSerializable);
    assert_eq!(failed.message(), "Internal Server Error");
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum Throttle {
    #[error("slow down")]
    #[status(429)]
    SlowDown {
        #[api_error(retry_after)]
        wait: Duration,
    },
    #[error("later")]
    #[status(503)]
    Later {
        #[api_error(retry_after)]
        seconds: Option<u64>,
    },
    #[error("no")]
    #[status(400)]
    No,
}

#[test]
fn retry_after_fields_give_the_delay() {
    let error = Throttle::SlowDown {
        wait: Duration::from_millis(1500),
    };
    assert_eq!(error.retry_after(), Some(Duration::from_millis(1500)));
    assert_eq!(
        error.to_response().headers()["retry-after"],
        "2",
        "rounded up to whole seconds"
    );
    assert_eq!(
        Throttle::Later { seconds: Some(30) }.retry_after(),
        Some(Duration::from_secs(30))
    );
    assert_eq!(Throttle::Later { seconds: None }.retry_after(), None);
    assert_eq!(Throttle::No.retry_after(), None);
    assert!(
        !Throttle::No
            .to_response()
            .headers()
            .contains_key("retry-after")
    );
}

#[test]
fn default_fields_are_rebuilt_and_retry_after_comes_from_the_header() {
    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "flat")]
    enum Rebuilt {
        #[error("slow down")]
        #[status(429)]
        SlowDown {
            #[api_error(retry_after)]
            wait: Duration,
            #[api_error(default)]
            attempts: u32,
        },
    }
    let mut headers = http::HeaderMap::new();
    headers.insert("retry-after", "7".parse().unwrap());
    let decoded = Rebuilt::from_response(
        StatusCode::TOO_MANY_REQUESTS,
        &headers,
        br#"{"error":"slow_down","message":"slow down"}"#,
    )
    .unwrap();
    let Rebuilt::SlowDown { wait, attempts } = decoded;
    assert_eq!(wait, Duration::from_secs(7));
    assert_eq!(attempts, 0);
}

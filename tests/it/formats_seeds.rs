//! The five seed vendors' error references, byte for byte, against the enums
//! `apierror_examples::vendors` declares as each vendor would: every sample body the
//! references print is what the enum encodes, and decodes back to the variant it documents.

use apierror::http::{HeaderMap, StatusCode};
use apierror::{ApiError, Context, DecodeError, Decoded, FieldErrors, Retry};

/// `json` without the whitespace outside string literals: the bytes a compact encoder
/// writes for a body a reference printed with its own spacing.
pub(crate) fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// Decodes a response with this status and body and no headers.
pub(crate) fn decode<E: ApiError>(status: u16, body: &[u8]) -> Result<E, DecodeError> {
    let status = StatusCode::from_u16(status).expect("a valid status");
    E::from_response(status, &HeaderMap::new(), body)
}

/// The compact encoding of `error`.
pub(crate) fn compact<E: ApiError + serde::Serialize>(error: &E) -> String {
    serde_json::to_string(error).expect("encodes")
}

/// The pretty encoding of `error`, as the references print bodies.
fn pretty<E: ApiError + serde::Serialize>(error: &E) -> String {
    serde_json::to_string_pretty(error).expect("encodes")
}

/// Asserts status, code, retry class and public message.
#[track_caller]
fn assert_mapping<E: ApiError>(error: &E, status: u16, code: &str, retry: Retry, message: &str) {
    assert_eq!(error.status().as_u16(), status, "status of {code}");
    assert_eq!(error.code(), code, "code at {status}");
    assert_eq!(error.retry(), retry, "retry class of {code}");
    assert_eq!(error.message(), message, "message of {code}");
}

#[test]
fn minify_keeps_string_contents() {
    assert_eq!(
        minify("{\n  \"a b\": [ \"c\\\" d\" , 1 ]\r\n}"),
        r#"{"a b":["c\" d",1]}"#
    );
}

mod seed_000_everflow {
    use super::*;
    use apierror_examples::vendors::everflow::EverflowError;

    const ERROR_BODY: &str = include_str!("../fixtures/000_error_body.json");
    const INVALID_PARAMETERS: &str = include_str!("../fixtures/000_invalid_parameters.json");

    #[test]
    fn encodes_the_sample_bodies() {
        let error = EverflowError::BadRequest {
            message: "descriptive error message".into(),
        };
        assert_eq!(pretty(&error), ERROR_BODY);
        let error = EverflowError::BadRequest {
            message: "Invalid parameters.".into(),
        };
        assert_eq!(compact(&error), minify(INVALID_PARAMETERS));
        assert_eq!(compact(&error), r#"{"error":"Invalid parameters."}"#);
    }

    #[test]
    fn the_status_table() {
        let m = || "m".to_owned();
        let rows = [
            (
                EverflowError::BadRequest { message: m() },
                400,
                "bad_request",
                Retry::Never,
            ),
            (
                EverflowError::Unauthorized { message: m() },
                401,
                "unauthorized",
                Retry::Never,
            ),
            (
                EverflowError::Forbidden { message: m() },
                403,
                "forbidden",
                Retry::Never,
            ),
            (
                EverflowError::NotFound { message: m() },
                404,
                "not_found",
                Retry::Never,
            ),
            (
                EverflowError::TooManyRequests { message: m() },
                429,
                "too_many_requests",
                Retry::Throttled,
            ),
            (
                EverflowError::InternalServerError { message: m() },
                500,
                "internal_server_error",
                Retry::Backoff,
            ),
        ];
        for (error, status, code, retry) in rows {
            assert_mapping(&error, status, code, retry, "m");
            assert_eq!(compact(&error), r#"{"error":"m"}"#);
        }
    }

    #[test]
    fn decodes_the_sample_bodies_by_status() {
        let error: EverflowError = decode(400, INVALID_PARAMETERS.as_bytes()).unwrap();
        assert!(
            matches!(&error, EverflowError::BadRequest { message } if message == "Invalid parameters."),
            "{error:?}"
        );
        for status in [400, 401, 403, 404, 429, 500] {
            let error: EverflowError = decode(status, ERROR_BODY.as_bytes()).unwrap();
            assert_eq!(error.status().as_u16(), status);
            assert_eq!(error.message(), "descriptive error message");
            assert!(!matches!(error, EverflowError::Other(_)), "{error:?}");
        }
        let error: EverflowError = decode(429, ERROR_BODY.as_bytes()).unwrap();
        assert!(
            matches!(error, EverflowError::TooManyRequests { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn an_undocumented_status_is_unknown_with_its_message() {
        let error: EverflowError = decode(502, ERROR_BODY.as_bytes()).unwrap();
        let EverflowError::Other(unknown) = &error else {
            panic!("expected Other, got {error:?}");
        };
        assert_eq!(unknown.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(unknown.raw_message(), Some("descriptive error message"));
        assert_eq!(unknown.raw_code(), None);
        assert_eq!(error.retry(), Retry::Backoff);
    }
}

mod seed_001_nested {
    use super::*;
    use apierror_examples::vendors::nested_api::ServiceError;

    const CONTEXT: Context<'static> = Context::new()
        .with_request_id("req_7Hq2xK9")
        .with_timestamp("2024-01-15T10:30:00Z");

    fn validation_details() -> FieldErrors {
        FieldErrors::new()
            .with_field("email", "must be a valid email address")
            .with_field("age", "must be at least 18")
    }

    /// Every row of the reference's table: the error, status, code, retryable, and the
    /// public message (5xx masked to the reason phrase unless exposed).
    fn table() -> Vec<(ServiceError, u16, &'static str, Retry, &'static str)> {
        use ServiceError as E;
        vec![
            (
                E::InvalidRequest,
                400,
                "INVALID_REQUEST",
                Retry::Never,
                "Malformed request syntax",
            ),
            (
                E::Unauthorized,
                401,
                "UNAUTHORIZED",
                Retry::Never,
                "Invalid or missing API key",
            ),
            (
                E::Forbidden,
                403,
                "FORBIDDEN",
                Retry::Never,
                "Insufficient permissions",
            ),
            (
                E::NotFound,
                404,
                "NOT_FOUND",
                Retry::Never,
                "Resource does not exist",
            ),
            (
                E::Conflict,
                409,
                "CONFLICT",
                Retry::Never,
                "Resource state conflict",
            ),
            (
                E::ValidationError {
                    details: validation_details(),
                },
                422,
                "VALIDATION_ERROR",
                Retry::Never,
                "Request validation failed",
            ),
            (
                E::RateLimitExceeded,
                429,
                "RATE_LIMIT_EXCEEDED",
                Retry::Throttled,
                "Too many requests",
            ),
            (
                E::InternalError,
                500,
                "INTERNAL_ERROR",
                Retry::Backoff,
                "Internal Server Error",
            ),
            (
                E::BadGateway,
                502,
                "BAD_GATEWAY",
                Retry::Backoff,
                "Bad Gateway",
            ),
            (
                E::ServiceUnavailable,
                503,
                "SERVICE_UNAVAILABLE",
                Retry::Backoff,
                "Temporary service outage",
            ),
            (
                E::Timeout,
                504,
                "TIMEOUT",
                Retry::Backoff,
                "Gateway Timeout",
            ),
        ]
    }

    #[test]
    fn the_status_table() {
        for (error, status, code, retry, message) in table() {
            assert_mapping(&error, status, code, retry, message);
        }
    }

    #[test]
    fn encodes_every_row_with_request_id_and_timestamp() {
        for (error, _, code, _, message) in table() {
            let details = match &error {
                ServiceError::ValidationError { .. } => {
                    r#","details":{"email":["must be a valid email address"],"age":["must be at least 18"]}"#
                }
                _ => "",
            };
            let expected = format!(
                r#"{{"error":{{"code":"{code}","message":"{message}"{details},"request_id":"req_7Hq2xK9","timestamp":"2024-01-15T10:30:00Z"}}}}"#
            );
            let body = error.to_body_with(&CONTEXT);
            assert_eq!(String::from_utf8(body).unwrap(), expected);
        }
    }

    #[test]
    fn encodes_without_context() {
        assert_eq!(
            compact(&ServiceError::RateLimitExceeded),
            r#"{"error":{"code":"RATE_LIMIT_EXCEEDED","message":"Too many requests"}}"#
        );
        assert_eq!(
            compact(&ServiceError::InternalError),
            r#"{"error":{"code":"INTERNAL_ERROR","message":"Internal Server Error"}}"#
        );
    }

    #[test]
    fn decodes_every_row_by_code() {
        for (error, status, code, retry, message) in table() {
            let body = error.to_body_with(&CONTEXT);
            let decoded: ServiceError = decode(status, &body).unwrap();
            assert_mapping(&decoded, status, code, retry, message);
            assert!(!matches!(decoded, ServiceError::Other(_)), "{decoded:?}");
        }
        let body = br#"{"error":{"code":"VALIDATION_ERROR","message":"Request validation failed","details":{"email":["must be a valid email address"],"age":["must be at least 18"]},"request_id":"req_7Hq2xK9","timestamp":"2024-01-15T10:30:00Z"}}"#;
        let decoded: ServiceError = decode(422, body).unwrap();
        let ServiceError::ValidationError { details } = decoded else {
            panic!("expected ValidationError, got {decoded:?}");
        };
        assert_eq!(details, validation_details());
    }

    #[test]
    fn keeps_the_request_id_for_support() {
        let body = ServiceError::NotFound.to_body_with(&CONTEXT);
        let decoded =
            Decoded::<ServiceError>::from_response(StatusCode::NOT_FOUND, &HeaderMap::new(), &body)
                .unwrap();
        assert!(matches!(decoded.error, ServiceError::NotFound));
        assert_eq!(decoded.meta.request_id.as_deref(), Some("req_7Hq2xK9"));
    }

    #[test]
    fn an_unknown_code_keeps_code_and_message() {
        let body = br#"{"error":{"code":"QUOTA_EXCEEDED","message":"Monthly quota exceeded","request_id":"req_1"}}"#;
        let decoded: ServiceError = decode(403, body).unwrap();
        let ServiceError::Other(unknown) = &decoded else {
            panic!("expected Other, got {decoded:?}");
        };
        assert_eq!(unknown.status(), StatusCode::FORBIDDEN);
        assert_eq!(unknown.raw_code(), Some("QUOTA_EXCEEDED"));
        assert_eq!(unknown.raw_message(), Some("Monthly quota exceeded"));
        assert_eq!(decoded.code(), "QUOTA_EXCEEDED");
        assert_eq!(decoded.retry(), Retry::Never);
    }
}

mod seed_002_elasticfunnels {
    use super::*;
    use apierror_examples::vendors::elasticfunnels::ElasticFunnelsError;

    const ERROR_FORMAT: &str = include_str!("../fixtures/002_error_format.json");
    const INVALID_API_KEY: &str = include_str!("../fixtures/002_invalid_api_key.json");
    const NO_BRAND_ACCESS: &str = include_str!("../fixtures/002_no_brand_access.json");
    const VALIDATION_MISSING: &str = include_str!("../fixtures/002_validation_missing.json");
    const VALIDATION_INVALID_VALUES: &str =
        include_str!("../fixtures/002_validation_invalid_values.json");
    const INSUFFICIENT_PERMISSIONS: &str =
        include_str!("../fixtures/002_insufficient_permissions.json");
    const RESOURCE_NOT_FOUND: &str = include_str!("../fixtures/002_resource_not_found.json");
    const TOO_MANY_REQUESTS: &str = include_str!("../fixtures/002_too_many_requests.json");

    fn missing() -> FieldErrors {
        FieldErrors::new()
            .with_field("name", "The name field is required.")
            .with_field("price", "The price field is required.")
    }

    fn invalid_values() -> FieldErrors {
        FieldErrors::new()
            .with_field("price", "The price must be a number.")
            .with_field("price", "The price must be at least 0.")
            .with_field("status", "The selected status is invalid.")
    }

    #[test]
    fn encodes_the_sample_bodies() {
        use ElasticFunnelsError as E;
        let samples = [
            (
                E::BadRequest {
                    message: "Error message describing what went wrong".into(),
                    errors: Some(
                        FieldErrors::new()
                            .with_field("field_name", "Specific validation error for this field"),
                    ),
                },
                ERROR_FORMAT,
            ),
            (
                E::Unauthorized {
                    message: "Invalid API key".into(),
                },
                INVALID_API_KEY,
            ),
            (E::NoBrandAccess, NO_BRAND_ACCESS),
            (
                E::ValidationFailed { errors: missing() },
                VALIDATION_MISSING,
            ),
            (
                E::ValidationFailed {
                    errors: invalid_values(),
                },
                VALIDATION_INVALID_VALUES,
            ),
            (E::Forbidden, INSUFFICIENT_PERMISSIONS),
            (E::NotFound, RESOURCE_NOT_FOUND),
            (E::TooManyRequests, TOO_MANY_REQUESTS),
        ];
        for (error, fixture) in samples {
            assert_eq!(pretty(&error), fixture);
        }
        let error = E::BadRequest {
            message: "Missing fields".into(),
            errors: None,
        };
        assert_eq!(compact(&error), r#"{"message":"Missing fields"}"#);
    }

    #[test]
    fn the_status_table() {
        use ElasticFunnelsError as E;
        let rows = [
            (
                E::Forbidden,
                403,
                "forbidden",
                Retry::Never,
                "You don't have permission to perform this action.",
            ),
            (
                E::NotFound,
                404,
                "not_found",
                Retry::Never,
                "Resource not found",
            ),
            (
                E::TooManyRequests,
                429,
                "too_many_requests",
                Retry::Throttled,
                "Too many requests. Please slow down.",
            ),
            (
                E::InternalServerError,
                500,
                "internal_server_error",
                Retry::Backoff,
                "Internal Server Error",
            ),
            (
                E::ServiceUnavailable,
                503,
                "service_unavailable",
                Retry::Backoff,
                "Service Unavailable",
            ),
            (
                E::NoBrandAccess,
                401,
                "no_brand_access",
                Retry::Never,
                "Invalid API key or brand access denied",
            ),
        ];
        for (error, status, code, retry, message) in rows {
            assert_mapping(&error, status, code, retry, message);
        }
        let error = E::ValidationFailed { errors: missing() };
        assert_mapping(
            &error,
            422,
            "validation_failed",
            Retry::Never,
            "The given data was invalid.",
        );
        let error = E::BadRequest {
            message: "m".into(),
            errors: None,
        };
        assert_mapping(&error, 400, "bad_request", Retry::Never, "m");
    }

    #[test]
    fn decodes_the_sample_bodies_by_status() {
        use ElasticFunnelsError as E;
        let error: E = decode(400, ERROR_FORMAT.as_bytes()).unwrap();
        let E::BadRequest { message, errors } = error else {
            panic!("expected BadRequest, got {error:?}");
        };
        assert_eq!(message, "Error message describing what went wrong");
        assert_eq!(
            errors,
            Some(
                FieldErrors::new()
                    .with_field("field_name", "Specific validation error for this field")
            )
        );

        for (fixture, expected) in [
            (INVALID_API_KEY, "Invalid API key"),
            (NO_BRAND_ACCESS, "Invalid API key or brand access denied"),
        ] {
            let error: E = decode(401, fixture.as_bytes()).unwrap();
            assert!(
                matches!(&error, E::Unauthorized { message } if message == expected),
                "{error:?}"
            );
        }

        for (fixture, expected) in [
            (VALIDATION_MISSING, missing()),
            (VALIDATION_INVALID_VALUES, invalid_values()),
        ] {
            let error: E = decode(422, fixture.as_bytes()).unwrap();
            assert!(
                matches!(&error, E::ValidationFailed { errors } if *errors == expected),
                "{error:?}"
            );
        }

        let error: E = decode(403, INSUFFICIENT_PERMISSIONS.as_bytes()).unwrap();
        assert!(matches!(error, E::Forbidden), "{error:?}");
        let error: E = decode(404, RESOURCE_NOT_FOUND.as_bytes()).unwrap();
        assert!(matches!(error, E::NotFound), "{error:?}");
        let error: E = decode(429, TOO_MANY_REQUESTS.as_bytes()).unwrap();
        assert!(matches!(error, E::TooManyRequests), "{error:?}");
        assert_eq!(error.retry(), Retry::Throttled);
    }

    #[test]
    fn a_400_without_errors_decodes_with_none() {
        let error: ElasticFunnelsError = decode(400, br#"{"message":"Bad input"}"#).unwrap();
        assert!(
            matches!(&error, ElasticFunnelsError::BadRequest { message, errors: None } if message == "Bad input"),
            "{error:?}"
        );
    }
}

mod seed_003_flow {
    use super::*;
    use apierror_examples::vendors::flow::FlowError;

    const INVALID_ARGUMENT: &str = include_str!("../fixtures/003_invalid_argument.json");

    #[test]
    fn encodes_the_sample_body() {
        assert_eq!(
            compact(&FlowError::InvalidArgument),
            minify(INVALID_ARGUMENT)
        );
        assert_eq!(
            compact(&FlowError::InvalidArgument),
            r#"{"error":{"code":400,"reason":"invalid_argument","message":"The value for one of the fields in the request body was invalid."}}"#
        );
    }

    #[test]
    fn decodes_the_sample_body() {
        let error: FlowError = decode(400, INVALID_ARGUMENT.as_bytes()).unwrap();
        assert!(matches!(error, FlowError::InvalidArgument), "{error:?}");
    }

    #[test]
    fn a_reason_under_two_statuses_is_told_apart_by_status() {
        let required = |status: u16| {
            format!(r#"{{"error":{{"code":{status},"reason":"required","message":"m"}}}}"#)
        };
        let error: FlowError = decode(400, required(400).as_bytes()).unwrap();
        assert!(matches!(error, FlowError::MissingProperty), "{error:?}");
        let error: FlowError = decode(401, required(401).as_bytes()).unwrap();
        assert!(
            matches!(error, FlowError::AuthenticationRequired),
            "{error:?}"
        );

        assert_eq!(FlowError::MissingProperty.code(), "required");
        assert_eq!(FlowError::AuthenticationRequired.code(), "required");
        assert_eq!(
            compact(&FlowError::AuthenticationRequired),
            r#"{"error":{"code":401,"reason":"required","message":"This method requires bearer authentication, but none has been provided."}}"#
        );
    }

    #[test]
    fn a_reason_under_a_status_it_is_not_declared_for_is_unknown() {
        // `required` is declared under 400 and 401 only; `invalid_argument` under 400.
        for (status, reason) in [(404, "required"), (403, "invalid_argument")] {
            let body =
                format!(r#"{{"error":{{"code":{status},"reason":"{reason}","message":"m"}}}}"#);
            let error: FlowError = decode(status, body.as_bytes()).unwrap();
            let FlowError::Other(unknown) = &error else {
                panic!("{status} {reason}: {error:?}");
            };
            assert_eq!(error.status(), status);
            assert_eq!(unknown.code(), reason);
            // A body alone says its status too, and is matched the same way.
            let alone: FlowError = serde_json::from_str(&body).unwrap();
            assert!(matches!(alone, FlowError::Other(_)), "{alone:?}");
        }
    }

    #[test]
    fn every_reason_round_trips_with_its_status_and_retry_class() {
        use FlowError as E;
        let rows = [
            (E::NotModified, 304, "not_modified", Retry::Never),
            (E::BadRequest, 400, "bad_request", Retry::Never),
            (E::InvalidParameter, 400, "invalid_parameter", Retry::Never),
            (E::ParseError, 400, "parse_error", Retry::Never),
            (E::InvalidArgument, 400, "invalid_argument", Retry::Never),
            (E::MissingProperty, 400, "required", Retry::Never),
            (
                E::ApiVersionMismatch,
                400,
                "api_version_mismatch",
                Retry::Never,
            ),
            (
                E::SequenceNumberFormatError,
                400,
                "sequence_number_format_error",
                Retry::Never,
            ),
            (E::AuthError, 401, "auth_error", Retry::Never),
            (
                E::InvalidBearerToken,
                401,
                "invalid_bearer_token",
                Retry::Never,
            ),
            (E::AuthenticationRequired, 401, "required", Retry::Never),
            (
                E::SessionExpired,
                401,
                "session_expired",
                Retry::Reauthenticate,
            ),
            (E::Forbidden, 403, "forbidden", Retry::Never),
            (E::AccountDisabled, 403, "account_disabled", Retry::Never),
            (E::NotFound, 404, "not_found", Retry::Never),
            (E::MethodNotAllowed, 405, "method_not_allowed", Retry::Never),
            (E::Conflict, 409, "conflict", Retry::Never),
            (
                E::OutdatedSequenceNumber,
                409,
                "outdated_sequence_number",
                Retry::Never,
            ),
            (E::ResourceExists, 409, "resource_exists", Retry::Never),
            (E::PayloadTooLarge, 413, "payload_too_large", Retry::Never),
            (
                E::UnsupportedMediaType,
                415,
                "unsupported_media_type",
                Retry::Never,
            ),
            (
                E::RateLimitExceeded,
                429,
                "rate_limit_exceeded",
                Retry::Throttled,
            ),
            (E::InternalError, 500, "internal_error", Retry::Backoff),
            (
                E::NotImplementedYet,
                501,
                "not_implemented_yet",
                Retry::Never,
            ),
            (
                E::AnalyticsDataLoading,
                501,
                "analytics_data_loading",
                Retry::Backoff,
            ),
        ];
        for (error, status, code, retry) in rows {
            let message = error.message().into_owned();
            assert_mapping(&error, status, code, retry, &message);
            let body = compact(&error);
            assert!(
                body.starts_with(&format!(
                    r#"{{"error":{{"code":{status},"reason":"{code}","#
                )),
                "{body}"
            );
            let decoded: FlowError = decode(status, body.as_bytes()).unwrap();
            assert_mapping(&decoded, status, code, retry, &message);
        }
        assert_eq!(E::InternalError.message(), "Internal Server Error");
        assert_eq!(
            E::AnalyticsDataLoading.message(),
            "Analytics data is loading and currently not available."
        );
    }
}

mod seed_004_flextell {
    use super::*;
    use apierror_examples::vendors::flextell::FlextellError;

    const ERROR_FORMAT: &str = include_str!("../fixtures/004_error_format.json");
    const INVALID_TOKEN: &str = include_str!("../fixtures/004_invalid_token.json");
    const VALIDATION_ERROR: &str = include_str!("../fixtures/004_validation_error.json");
    const RATE_LIMIT_EXCEEDED: &str = include_str!("../fixtures/004_rate_limit_exceeded.json");

    const EMAIL: &str = "The 'email' field must be a valid email address.";
    const RATE: &str = "You have exceeded the allowed request rate. Please retry after 30 seconds.";

    #[test]
    fn encodes_the_sample_bodies() {
        assert_eq!(pretty(&FlextellError::InvalidToken), ERROR_FORMAT);
        assert_eq!(pretty(&FlextellError::InvalidToken), INVALID_TOKEN);
        let error = FlextellError::ValidationError {
            message: EMAIL.into(),
        };
        assert_eq!(pretty(&error), VALIDATION_ERROR);
        let error = FlextellError::RateLimitExceeded {
            message: RATE.into(),
        };
        assert_eq!(pretty(&error), RATE_LIMIT_EXCEEDED);
    }

    #[test]
    fn decodes_the_sample_bodies() {
        let error: FlextellError = decode(401, INVALID_TOKEN.as_bytes()).unwrap();
        assert!(matches!(error, FlextellError::InvalidToken), "{error:?}");
        assert_eq!(error.retry(), Retry::Reauthenticate);

        let error: FlextellError = decode(422, VALIDATION_ERROR.as_bytes()).unwrap();
        assert!(
            matches!(&error, FlextellError::ValidationError { message } if message == EMAIL),
            "{error:?}"
        );

        let error: FlextellError = decode(429, RATE_LIMIT_EXCEEDED.as_bytes()).unwrap();
        assert!(
            matches!(&error, FlextellError::RateLimitExceeded { message } if message == RATE),
            "{error:?}"
        );
        assert_eq!(error.retry(), Retry::Throttled);
    }

    #[test]
    fn a_body_alone_decodes_with_serde() {
        let error: FlextellError = serde_json::from_str(INVALID_TOKEN).unwrap();
        assert!(matches!(error, FlextellError::InvalidToken), "{error:?}");
    }

    #[test]
    fn the_status_table() {
        use FlextellError as E;
        let m = || "m".to_owned();
        let rows = [
            (
                E::InvalidRequest { message: m() },
                400,
                "invalid_request",
                Retry::Never,
            ),
            (E::InvalidToken, 401, "invalid_token", Retry::Reauthenticate),
            (
                E::InsufficientScope,
                403,
                "insufficient_scope",
                Retry::Never,
            ),
            (E::NotFound, 404, "not_found", Retry::Never),
            (E::Conflict { message: m() }, 409, "conflict", Retry::Never),
            (
                E::ValidationError { message: m() },
                422,
                "validation_error",
                Retry::Never,
            ),
            (
                E::RateLimitExceeded { message: m() },
                429,
                "rate_limit_exceeded",
                Retry::Throttled,
            ),
            (E::InternalError, 500, "internal_error", Retry::Backoff),
            (
                E::ServiceUnavailable,
                503,
                "service_unavailable",
                Retry::Backoff,
            ),
        ];
        for (error, status, code, retry) in rows {
            let message = error.message().into_owned();
            assert_mapping(&error, status, code, retry, &message);
            let decoded: E = decode(status, compact(&error).as_bytes()).unwrap();
            assert_mapping(&decoded, status, code, retry, &message);
        }
        assert_eq!(E::InternalError.message(), "Internal Server Error");
    }
}

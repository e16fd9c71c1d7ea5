//! The integration end to end in memory, with a hand-written `ApiError` and format.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, UNIX_EPOCH};

use ::axum::Router;
use ::axum::body::{Body, to_bytes};
use ::axum::extract::{Path, Query};
use ::axum::response::{IntoResponse, Response};
use ::axum::routing::get;
use http::{HeaderMap, Request, StatusCode, header};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use tower::ServiceExt;

use super::{Extract, FromRejection, Rejection, RequestContextLayer, RequestId};
use crate::api_error::ApiError;
use crate::decode::DecodeError;
use crate::field_errors::FieldErrors;
use crate::format::Format;
use crate::format::envelope::{Context, Envelope, RawEnvelope};
use crate::retry_class::Retry;
use crate::server::respond::probe::{Probe, ViaError as _};

/// `{"code":…,"message":…,"details":…,"request_id":…,"timestamp":…}`.
struct Flatish;

impl Format for Flatish {
    const NAME: &'static str = "flatish";
    const CONTENT_TYPE: &'static str = "application/vnd.test+json";

    fn serialize<S, D>(envelope: &Envelope<'_, D>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        D: Serialize + ?Sized,
    {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", envelope.code)?;
        map.serialize_entry("message", &envelope.message.to_string())?;
        if let Some(details) = envelope.details {
            map.serialize_entry("details", details)?;
        }
        if let Some(id) = envelope.context.request_id {
            map.serialize_entry("request_id", id)?;
        }
        if let Some(timestamp) = envelope.context.timestamp {
            map.serialize_entry("timestamp", timestamp)?;
        }
        map.end()
    }

    fn deserialize<'de, De>(deserializer: De) -> Result<RawEnvelope<'de>, De::Error>
    where
        De: Deserializer<'de>,
    {
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(RawEnvelope::default())
    }
}

#[derive(Debug)]
enum TestError {
    Invalid(FieldErrors),
    Slow(Duration),
    Internal(std::io::Error),
}

/// What `thiserror` would generate (the runtime has no `thiserror`).
impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TestError::Invalid(_) => f.write_str("validation failed"),
            TestError::Slow(_) => f.write_str("slow down"),
            TestError::Internal(source) => write!(f, "db down: {source}"),
        }
    }
}

impl std::error::Error for TestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TestError::Internal(source) => Some(source),
            _ => None,
        }
    }
}

impl ApiError for TestError {
    type Format = Flatish;

    fn status(&self) -> StatusCode {
        match self {
            TestError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            TestError::Slow(_) => StatusCode::TOO_MANY_REQUESTS,
            TestError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &str {
        match self {
            TestError::Invalid(_) => "invalid",
            TestError::Slow(_) => "slow",
            TestError::Internal(_) => "internal",
        }
    }

    fn message(&self) -> Cow<'_, str> {
        match self {
            TestError::Internal(_) => Cow::Borrowed("Internal Server Error"),
            other => Cow::Owned(other.to_string()),
        }
    }

    fn retry(&self) -> Retry {
        Retry::for_status(self.status())
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            TestError::Slow(delay) => Some(*delay),
            _ => None,
        }
    }

    fn encode<S: Serializer>(
        &self,
        serializer: S,
        context: &Context<'_>,
    ) -> Result<S::Ok, S::Error> {
        let message = self.message();
        let details = match self {
            TestError::Invalid(fields) => Some(fields),
            _ => None,
        };
        let envelope = Envelope {
            status: self.status(),
            code: self.code(),
            message: crate::format::envelope::Message::Str(&message),
            details,
            context,
            retry_after: None,
        };
        Flatish::serialize(&envelope, serializer)
    }

    fn from_response_at(
        status: StatusCode,
        _: &http::HeaderMap,
        body: &[u8],
        _: std::time::SystemTime,
    ) -> Result<Self, DecodeError> {
        let unknown = crate::Unknown::new(status).with_body(body);
        Err(DecodeError::new(
            crate::decode::DecodeErrorKind::Unrecognized,
            unknown,
        ))
    }
}

/// What `__impl_integrations!` expands to with the probe.
impl IntoResponse for TestError {
    #[allow(clippy::needless_borrow, reason = "the borrow selects the impl")]
    fn into_response(self) -> Response {
        let as_error = (&Probe(&self)).as_error();
        super::response::into_response_with_source(&self, as_error)
    }
}

impl FromRejection for TestError {
    fn from_rejection(rejection: Rejection) -> Self {
        TestError::Invalid(rejection.into_fields())
    }
}

/// Runs a future to completion on this thread.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = TaskContext::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        thread::park();
    }
}

fn app() -> Router {
    Router::new()
        .route("/invalid", get(|| async { TestError::Invalid(FieldErrors::new().with_field("a", "b")) }))
        .route("/slow", get(|| async { TestError::Slow(Duration::from_millis(1500)) }))
        .route(
            "/internal",
            get(|| async { TestError::Internal(std::io::Error::other("password=hunter2")) }),
        )
        .route(
            "/items/{id}",
            get(
                |Extract(Path(id), _): Extract<Path<u32>, TestError>,
                 Extract(Query(page), _): Extract<Query<HashMap<String, u32>>, TestError>| async move {
                    format!("{id}:{}", page["limit"])
                },
            ),
        )
        .route("/id", get(|id: RequestId| async move { id.to_string() }))
        .route(
            "/current",
            get(|| async { RequestId::current().map(|id| id.to_string()).unwrap_or_default() }),
        )
        .layer(
            RequestContextLayer::new()
                .with_clock(crate::retry::ManualClock::starting_at(
                    UNIX_EPOCH + Duration::from_millis(1_705_314_600_250),
                ))
                .with_request_ids(|| RequestId::parse("generated").unwrap()),
        )
}

fn call(router: Router, uri: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = block_on(router.oneshot(request.body(Body::empty()).unwrap())).unwrap();
    let (parts, body) = response.into_parts();
    let body = block_on(to_bytes(body, 1 << 20)).unwrap();
    (
        parts.status,
        parts.headers,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

#[test]
fn errors_carry_the_request_id_and_timestamp() {
    let (status, headers, body) = call(app(), "/invalid", &[("x-request-id", "req-1")]);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(headers[header::CONTENT_TYPE], "application/vnd.test+json");
    assert_eq!(headers["x-request-id"], "req-1");
    assert_eq!(
        body,
        r#"{"code":"invalid","message":"validation failed","details":{"a":["b"]},"request_id":"req-1","timestamp":"2024-01-15T10:30:00.250Z"}"#
    );
}

#[test]
fn unusable_request_ids_are_replaced() {
    let (_, headers, body) = call(app(), "/invalid", &[("x-request-id", "two words")]);
    assert_eq!(headers["x-request-id"], "generated");
    assert!(body.contains(r#""request_id":"generated""#), "{body}");

    let (_, headers, body) = call(app(), "/id", &[]);
    assert_eq!(headers["x-request-id"], "generated");
    assert_eq!(body, "generated");

    let (_, _, body) = call(app(), "/current", &[("x-request-id", "req-5")]);
    assert_eq!(body, "req-5");
    assert_eq!(RequestId::current(), None);
}

#[test]
fn delays_become_retry_after_in_whole_seconds() {
    let (status, headers, _) = call(app(), "/slow", &[]);
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers[header::RETRY_AFTER], "2");
}

#[test]
fn server_errors_are_masked() {
    let (status, headers, body) = call(app(), "/internal", &[("x-request-id", "req-2")]);
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        body,
        r#"{"code":"internal","message":"Internal Server Error","request_id":"req-2","timestamp":"2024-01-15T10:30:00.250Z"}"#
    );
    for (name, value) in &headers {
        assert!(
            !String::from_utf8_lossy(value.as_bytes()).contains("hunter2"),
            "{name}"
        );
    }
}

#[test]
fn rejections_become_the_application_error() {
    let (status, _, body) = call(app(), "/items/7?limit=3", &[]);
    assert_eq!((status, body.as_str()), (StatusCode::OK, "7:3"));

    let (status, headers, body) = call(app(), "/items/x?limit=3", &[("x-request-id", "r")]);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(headers["x-request-id"], "r");
    assert_eq!(
        body,
        r#"{"code":"invalid","message":"validation failed","details":{"path":["Cannot parse `x` to a `u32`"]},"request_id":"r","timestamp":"2024-01-15T10:30:00.250Z"}"#
    );

    let (_, _, body) = call(app(), "/items/7?limit=-1", &[("x-request-id", "r")]);
    assert!(
        body.contains(r#""details":{"limit":["invalid digit found in string"]}"#),
        "{body}"
    );
}

#[test]
fn outside_the_layer_errors_have_no_context() {
    let response = TestError::Slow(Duration::from_secs(3)).into_response();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().get("x-request-id").is_none());
    let body = block_on(to_bytes(response.into_body(), 1 << 20)).unwrap();
    assert_eq!(&body[..], br#"{"code":"slow","message":"slow down"}"#);
}

/// Events recorded by a minimal `tracing` subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<(tracing::Level, String)>>>);

impl tracing::Subscriber for Captured {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Fields(String);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                let _ = write!(self.0, "{}={value:?} ", field.name());
            }
        }
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.0
            .lock()
            .unwrap()
            .push((*event.metadata().level(), fields.0));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn server_errors_are_logged_with_their_source_and_request_id() {
    let captured = Captured::default();
    // tracing caches each callsite's interest process-wide, computed on the thread that
    // first reaches it while a single dispatcher is registered: a sibling test without a
    // subscriber would cache "never". With two live dispatchers the cache is the union.
    let _anchor = tracing::Dispatch::new(captured.clone());
    tracing::subscriber::with_default(captured.clone(), || {
        call(app(), "/internal", &[("x-request-id", "req-3")]);
        call(app(), "/invalid", &[("x-request-id", "req-4")]);
    });
    let events = captured.0.lock().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let (level, fields) = &events[0];
    assert_eq!(*level, tracing::Level::ERROR);
    assert_eq!(
        fields,
        "message=request failed with a server error request_id=\"req-3\" \
         http.response.status_code=500 error.type=\"internal\" \
         error=\"db down: password=hunter2\" "
    );
}

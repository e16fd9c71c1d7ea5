//! The axum integration over real HTTP: a server on `127.0.0.1:0`, a reqwest client, and
//! the exact status, headers and body bytes of every variant and every extractor
//! rejection, in the `nested` and `problem` formats; 5xx masking down to the last byte,
//! for an internal error and for a panicking handler.

use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use apierror::axum::RequestContextLayer;
use apierror::retry::ManualClock;
use axum::Router;

/// Declares one service's error enum in format `$format`, its rejection mapping, and its
/// routes.
macro_rules! service {
    ($format:tt) => {
        use std::io;
        use std::time::Duration;

        use apierror::axum::{CatchPanicLayer, Extract, FromRejection, Rejection};
        use apierror::{ApiError, FieldErrors};
        use axum::extract::{Path, Query};
        use axum::http::StatusCode;
        use axum::routing::{get, post};
        use axum::{Json, Router};
        use serde::Deserialize;

        #[derive(Debug, thiserror::Error, ApiError)]
        #[api_error(format = $format, rename_all = "SCREAMING_SNAKE_CASE")]
        pub(crate) enum AppError {
            #[error("malformed request")]
            #[status(400)]
            InvalidRequest,

            #[error("no such widget")]
            #[status(404)]
            NotFound,

            #[error("this path does not take that method")]
            #[status(405)]
            MethodNotAllowed,

            #[error("validation failed")]
            #[status(422)]
            ValidationError {
                #[api_error(details)]
                fields: FieldErrors,
            },

            #[error("too many requests")]
            #[status(429)]
            RateLimitExceeded {
                #[api_error(retry_after)]
                retry_after: Duration,
            },

            #[error("database unreachable: {0}")]
            #[status(500)]
            Internal(#[source] io::Error),

            #[error("down for maintenance until {until}")]
            #[status(503)]
            #[api_error(expose)]
            Maintenance { until: String },
        }

        impl FromRejection for AppError {
            fn from_rejection(rejection: Rejection) -> Self {
                if rejection.status().is_server_error() {
                    return AppError::Internal(io::Error::other(rejection.to_string()));
                }
                AppError::ValidationError {
                    fields: rejection.into_fields(),
                }
            }
        }

        #[derive(Deserialize)]
        struct NewWidget {
            name: String,
            size: u8,
        }

        #[derive(Deserialize)]
        struct Page {
            limit: u32,
        }

        /// Every variant by name.
        async fn error(
            Extract(Path(name), _): Extract<Path<String>, AppError>,
        ) -> Result<(), AppError> {
            Err(match name.as_str() {
                "invalid_request" => AppError::InvalidRequest,
                "not_found" => AppError::NotFound,
                "method_not_allowed" => AppError::MethodNotAllowed,
                "validation_error" => AppError::ValidationError {
                    fields: FieldErrors::new()
                        .with_field("name", "must not be empty")
                        .with_field("size", "must be at most 10")
                        .with_field("name", "must be ASCII"),
                },
                "rate_limit_exceeded" => AppError::RateLimitExceeded {
                    retry_after: Duration::from_millis(2500),
                },
                "internal" => AppError::Internal(io::Error::other(super::SECRET)),
                "maintenance" => AppError::Maintenance {
                    until: "10:00 UTC".to_owned(),
                },
                _ => AppError::NotFound,
            })
        }

        async fn create(
            Extract(Json(widget), _): Extract<Json<NewWidget>, AppError>,
        ) -> Result<(StatusCode, String), AppError> {
            if widget.name.is_empty() {
                let fields = FieldErrors::new().with_field("name", "must not be empty");
                return Err(AppError::ValidationError { fields });
            }
            Ok((
                StatusCode::CREATED,
                format!("{} ({})", widget.name, widget.size),
            ))
        }

        async fn list(Extract(Query(page), _): Extract<Query<Page>, AppError>) -> String {
            format!("first {} widgets", page.limit)
        }

        async fn show(
            Extract(Path(id), _): Extract<Path<u32>, AppError>,
        ) -> Result<String, AppError> {
            if id == 1 {
                Ok("widget 1".to_owned())
            } else {
                Err(AppError::NotFound)
            }
        }

        /// A bug: it panics, with a secret in the message.
        async fn panics() -> &'static str {
            panic!("invariant broken near {}", super::SECRET)
        }

        /// The service's routes, without the request-context layer.
        pub(crate) fn routes() -> Router {
            Router::new()
                .route("/errors/{name}", get(error))
                .route("/widgets", get(list).post(create))
                .route("/widgets/{id}", get(show))
                .route("/misrouted", post(show))
                .fallback(|| async { AppError::NotFound })
                .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
                .route("/panics", get(panics))
                .layer(CatchPanicLayer::new(|| {
                    AppError::Internal(io::Error::other("a handler panicked"))
                }))
        }
    };
}

mod nested {
    service!("nested");
}

mod problem {
    service!("problem");
}

/// What the internal error's source says; it must never reach a client.
const SECRET: &str = "postgres://admin:hunter2@db.internal:5432";

/// The instant every timestamp in these tests reads.
const NOW: &str = "2024-01-15T10:30:00.250Z";

/// A clock standing at [`NOW`].
fn now() -> ManualClock {
    ManualClock::starting_at(UNIX_EPOCH + Duration::from_millis(1_705_314_600_250))
}

/// Serves `routes` behind the request-context layer on a free local port; returns the
/// base URL.
async fn serve(routes: Router) -> String {
    serve_with(routes, RequestContextLayer::new().with_clock(now())).await
}

async fn serve_with(routes: Router, layer: RequestContextLayer) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, routes.layer(layer)).await });
    format!("http://{address}")
}

/// One response as the client saw it: status, headers in order (without `date`, which
/// changes), and body.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn seen(status: u16, headers: &[(&str, &str)], body: &str) -> Seen {
    Seen {
        status,
        headers: headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
        body: body.to_owned(),
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn send(request: reqwest::RequestBuilder, request_id: &str) -> Seen {
    let response = request
        .header("x-request-id", request_id)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .filter(|(name, _)| *name != "date")
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    // The exact bytes, which must be UTF-8; no charset decoding.
    let body = String::from_utf8(response.bytes().await.unwrap().to_vec()).unwrap();
    Seen {
        status,
        headers,
        body,
    }
}

async fn get(base: &str, path: &str, request_id: &str) -> Seen {
    send(client().get(format!("{base}{path}")), request_id).await
}

async fn post_json(base: &str, path: &str, body: &str, request_id: &str) -> Seen {
    let request = client()
        .post(format!("{base}{path}"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    send(request, request_id).await
}

fn length(body: &str) -> String {
    body.len().to_string()
}

/// Checks one error response: `status`, the format's headers (plus `extra` before
/// `x-request-id`), and exactly `body`.
fn check(
    seen: &Seen,
    status: u16,
    content_type: &str,
    extra: &[(&str, &str)],
    id: &str,
    body: &str,
) {
    let length = length(body);
    let mut headers = vec![("content-type", content_type)];
    headers.extend_from_slice(extra);
    headers.extend([("x-request-id", id), ("content-length", length.as_str())]);
    assert_eq!(*seen, self::seen(status, &headers, body), "{}", seen.body);
}

/// A variant's route name, status, headers between `content-type` and `x-request-id`,
/// and body.
type Case = (
    &'static str,
    u16,
    &'static [(&'static str, &'static str)],
    String,
);

#[tokio::test]
async fn nested_variants_over_http() {
    let base = serve(nested::routes()).await;
    let json = "application/json";
    let cases: [Case; 7] = [
        (
            "invalid_request",
            400,
            &[],
            format!(
                r#"{{"error":{{"code":"INVALID_REQUEST","message":"malformed request","request_id":"n-invalid_request","timestamp":"{NOW}"}}}}"#
            ),
        ),
        (
            "not_found",
            404,
            &[],
            format!(
                r#"{{"error":{{"code":"NOT_FOUND","message":"no such widget","request_id":"n-not_found","timestamp":"{NOW}"}}}}"#
            ),
        ),
        (
            "method_not_allowed",
            405,
            &[],
            format!(
                r#"{{"error":{{"code":"METHOD_NOT_ALLOWED","message":"this path does not take that method","request_id":"n-method_not_allowed","timestamp":"{NOW}"}}}}"#
            ),
        ),
        (
            "validation_error",
            422,
            &[],
            format!(
                r#"{{"error":{{"code":"VALIDATION_ERROR","message":"validation failed","details":{{"name":["must not be empty","must be ASCII"],"size":["must be at most 10"]}},"request_id":"n-validation_error","timestamp":"{NOW}"}}}}"#
            ),
        ),
        (
            "rate_limit_exceeded",
            429,
            &[("retry-after", "3")],
            format!(
                r#"{{"error":{{"code":"RATE_LIMIT_EXCEEDED","message":"too many requests","request_id":"n-rate_limit_exceeded","timestamp":"{NOW}"}}}}"#
            ),
        ),
        (
            "internal",
            500,
            &[],
            format!(
                r#"{{"error":{{"code":"INTERNAL","message":"Internal Server Error","request_id":"n-internal","timestamp":"{NOW}"}}}}"#
            ),
        ),
        (
            "maintenance",
            503,
            &[],
            format!(
                r#"{{"error":{{"code":"MAINTENANCE","message":"down for maintenance until 10:00 UTC","request_id":"n-maintenance","timestamp":"{NOW}"}}}}"#
            ),
        ),
    ];
    for (name, status, extra, body) in cases {
        let id = format!("n-{name}");
        let seen = get(&base, &format!("/errors/{name}"), &id).await;
        check(&seen, status, json, extra, &id, &body);
    }
}

#[tokio::test]
async fn problem_variants_over_http() {
    let base = serve(problem::routes()).await;
    let problem = "application/problem+json";
    let cases: [Case; 7] = [
        (
            "invalid_request",
            400,
            &[],
            format!(
                r#"{{"type":"about:blank","title":"Bad Request","status":400,"detail":"malformed request","code":"INVALID_REQUEST","request_id":"p-invalid_request","timestamp":"{NOW}"}}"#
            ),
        ),
        (
            "not_found",
            404,
            &[],
            format!(
                r#"{{"type":"about:blank","title":"Not Found","status":404,"detail":"no such widget","code":"NOT_FOUND","request_id":"p-not_found","timestamp":"{NOW}"}}"#
            ),
        ),
        (
            "method_not_allowed",
            405,
            &[],
            format!(
                r#"{{"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"this path does not take that method","code":"METHOD_NOT_ALLOWED","request_id":"p-method_not_allowed","timestamp":"{NOW}"}}"#
            ),
        ),
        (
            "validation_error",
            422,
            &[],
            format!(
                r#"{{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"validation failed","code":"VALIDATION_ERROR","request_id":"p-validation_error","timestamp":"{NOW}","errors":{{"name":["must not be empty","must be ASCII"],"size":["must be at most 10"]}}}}"#
            ),
        ),
        (
            "rate_limit_exceeded",
            429,
            &[("retry-after", "3")],
            format!(
                r#"{{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"too many requests","code":"RATE_LIMIT_EXCEEDED","request_id":"p-rate_limit_exceeded","timestamp":"{NOW}"}}"#
            ),
        ),
        (
            "internal",
            500,
            &[],
            format!(
                r#"{{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Internal Server Error","code":"INTERNAL","request_id":"p-internal","timestamp":"{NOW}"}}"#
            ),
        ),
        (
            "maintenance",
            503,
            &[],
            format!(
                r#"{{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"down for maintenance until 10:00 UTC","code":"MAINTENANCE","request_id":"p-maintenance","timestamp":"{NOW}"}}"#
            ),
        ),
    ];
    for (name, status, extra, body) in cases {
        let id = format!("p-{name}");
        let seen = get(&base, &format!("/errors/{name}"), &id).await;
        check(&seen, status, problem, extra, &id, &body);
    }
}

/// Requests every extractor refuses, and the field errors each one becomes.
fn rejections() -> [(&'static str, Request, &'static str); 9] {
    [
        (
            "json-syntax",
            Request::Post("/widgets", r#"{"name":"bolt","#),
            r#"{"body":["EOF while parsing a value at line 1 column 15"]}"#,
        ),
        (
            "json-type",
            Request::Post("/widgets", r#"{"name":7,"size":1}"#),
            r#"{"name":["invalid type: integer `7`, expected a string"]}"#,
        ),
        (
            "json-range",
            Request::Post("/widgets", r#"{"name":"bolt","size":300}"#),
            r#"{"size":["invalid value: integer `300`, expected u8"]}"#,
        ),
        (
            "json-missing",
            Request::Post("/widgets", r#"{"name":"bolt"}"#),
            r#"{"size":["missing field `size`"]}"#,
        ),
        (
            "json-content-type",
            Request::PostText("/widgets", r#"{"name":"bolt","size":1}"#),
            r#"{"body":["Expected request with `Content-Type: application/json`"]}"#,
        ),
        (
            "query-type",
            Request::Get("/widgets?limit=lots"),
            r#"{"limit":["invalid digit found in string"]}"#,
        ),
        (
            "query-missing",
            Request::Get("/widgets"),
            r#"{"limit":["missing field `limit`"]}"#,
        ),
        (
            "path-type",
            Request::Get("/widgets/bolt"),
            r#"{"path":["Cannot parse `bolt` to a `u32`"]}"#,
        ),
        (
            "path-range",
            Request::Get("/widgets/99999999999"),
            r#"{"path":["Cannot parse `99999999999` to a `u32`"]}"#,
        ),
    ]
}

/// A request to send.
enum Request {
    Get(&'static str),
    Post(&'static str, &'static str),
    PostText(&'static str, &'static str),
}

async fn send_request(base: &str, request: &Request, id: &str) -> Seen {
    match request {
        Request::Get(path) => get(base, path, id).await,
        Request::Post(path, body) => post_json(base, path, body, id).await,
        Request::PostText(path, body) => {
            let request = client()
                .post(format!("{base}{path}"))
                .header("content-type", "text/plain")
                .body(*body);
            send(request, id).await
        }
    }
}

#[tokio::test]
async fn nested_rejections_over_http() {
    let base = serve(nested::routes()).await;
    for (name, request, fields) in rejections() {
        let id = format!("n-{name}");
        let seen = send_request(&base, &request, &id).await;
        let body = format!(
            r#"{{"error":{{"code":"VALIDATION_ERROR","message":"validation failed","details":{fields},"request_id":"{id}","timestamp":"{NOW}"}}}}"#
        );
        check(&seen, 422, "application/json", &[], &id, &body);
    }
}

#[tokio::test]
async fn problem_rejections_over_http() {
    let base = serve(problem::routes()).await;
    for (name, request, fields) in rejections() {
        let id = format!("p-{name}");
        let seen = send_request(&base, &request, &id).await;
        let body = format!(
            r#"{{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"validation failed","code":"VALIDATION_ERROR","request_id":"{id}","timestamp":"{NOW}","errors":{fields}}}"#
        );
        check(&seen, 422, "application/problem+json", &[], &id, &body);
    }
}

#[tokio::test]
async fn successes_and_the_fallbacks_keep_the_request_id() {
    let base = serve(nested::routes()).await;

    let seen = post_json(&base, "/widgets", r#"{"name":"bolt","size":3}"#, "ok-1").await;
    let expected = seen_text(201, "ok-1", "bolt (3)");
    assert_eq!(seen, expected);

    let seen = get(&base, "/widgets?limit=5", "ok-2").await;
    assert_eq!(seen, seen_text(200, "ok-2", "first 5 widgets"));

    let body = format!(
        r#"{{"error":{{"code":"NOT_FOUND","message":"no such widget","request_id":"ok-3","timestamp":"{NOW}"}}}}"#
    );
    let seen = get(&base, "/no/such/route", "ok-3").await;
    check(&seen, 404, "application/json", &[], "ok-3", &body);

    // A known path with a method it does not take: the envelope, and axum's `Allow`.
    let body = format!(
        r#"{{"error":{{"code":"METHOD_NOT_ALLOWED","message":"this path does not take that method","request_id":"ok-5","timestamp":"{NOW}"}}}}"#
    );
    let seen = send(client().delete(format!("{base}/widgets")), "ok-5").await;
    let length = length(&body);
    let headers = [
        ("content-type", "application/json"),
        ("x-request-id", "ok-5"),
        ("allow", "GET,HEAD,POST"),
        ("content-length", &length),
    ];
    assert_eq!(seen, self::seen(405, &headers, &body));

    // A handler whose `Path` type does not fit its route is a server bug: masked 500.
    let body = format!(
        r#"{{"error":{{"code":"INTERNAL","message":"Internal Server Error","request_id":"ok-4","timestamp":"{NOW}"}}}}"#
    );
    let seen = send(client().post(format!("{base}/misrouted")), "ok-4").await;
    check(&seen, 500, "application/json", &[], "ok-4", &body);
}

fn seen_text(status: u16, id: &str, body: &str) -> Seen {
    let length = length(body);
    seen(
        status,
        &[
            ("content-type", "text/plain; charset=utf-8"),
            ("x-request-id", id),
            ("content-length", &length),
        ],
        body,
    )
}

#[tokio::test]
async fn request_ids_are_generated_when_missing_or_unusable() {
    let base = serve_with(nested::routes(), RequestContextLayer::new()).await;
    for header in [None, Some("has spaces"), Some(&*"x".repeat(129))] {
        let mut request = client().get(format!("{base}/errors/not_found"));
        if let Some(value) = header {
            request = request.header("x-request-id", value);
        }
        let response = request.send().await.unwrap();
        let id = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(body["error"]["request_id"], id.as_str());
        let timestamp = body["error"]["timestamp"].as_str().unwrap();
        assert_eq!(timestamp.len(), NOW.len(), "{timestamp}");
        assert!(timestamp.ends_with('Z'), "{timestamp}");
    }
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Every byte of the response to a raw HTTP/1.1 request: status line, headers, body.
///
/// A blocking socket on a blocking-pool thread, so the server keeps running on the
/// test's runtime meanwhile.
async fn raw_exchange(base: &str, request: String) -> Vec<u8> {
    let address = base.strip_prefix("http://").unwrap().to_owned();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        // A bound on a broken server, not a wait: the response comes at once.
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        response
    })
    .await
    .unwrap()
}

/// The `tracing` events of this thread, captured while it lives.
pub(crate) struct CapturedLogs {
    buffer: LogBuffer,
    _anchor: tracing::Dispatch,
    _guard: tracing::dispatcher::DefaultGuard,
}

impl CapturedLogs {
    pub(crate) fn text(&self) -> String {
        self.buffer.text()
    }
}

pub(crate) fn capture_logs() -> CapturedLogs {
    let buffer = LogBuffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let dispatch = tracing::Dispatch::new(subscriber);
    // tracing caches each callsite's interest process-wide, computed on whichever
    // thread first reaches it while one dispatcher is registered; a sibling test without
    // a subscriber would cache "never". With two live dispatchers it is their union.
    let anchor = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let guard = tracing::dispatcher::set_default(&dispatch);
    CapturedLogs {
        buffer,
        _anchor: anchor,
        _guard: guard,
    }
}

/// Sends `GET path` with request id `id` over a raw socket, checks that the answer is a
/// 500 echoing the id with none of `secrets` in any byte, and returns it as text.
async fn masked_500(base: &str, path: &str, id: &str, secrets: &[&str]) -> String {
    let response = raw_exchange(
        base,
        format!(
            "GET {path} HTTP/1.1\r\nhost: localhost\r\nx-request-id: {id}\r\nconnection: close\r\n\r\n"
        ),
    )
    .await;
    let text = String::from_utf8(response).unwrap();
    assert!(
        text.starts_with("HTTP/1.1 500 Internal Server Error\r\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("\r\nx-request-id: {id}\r\n")),
        "{text}"
    );
    for needle in secrets {
        assert!(
            !text.contains(needle),
            "{needle:?} reached the client:\n{text}"
        );
    }
    text
}

#[tokio::test]
async fn internal_errors_mask_their_source_and_log_it() {
    let logs = capture_logs();

    for (routes, name) in [(nested::routes(), "nested"), (problem::routes(), "problem")] {
        let base = serve(routes).await;
        let id = format!("mask-{name}");
        let secrets = [SECRET, "hunter2", "postgres", "database unreachable"];
        masked_500(&base, "/errors/internal", &id, &secrets).await;

        let log = logs.text();
        let line = log
            .lines()
            .find(|line| line.contains(&format!("request_id=\"{id}\"")))
            .unwrap_or_else(|| panic!("no log line for {id}:\n{log}"));
        assert!(line.contains(" ERROR "), "{line}");
        assert!(line.contains("http.response.status_code=500"), "{line}");
        assert!(line.contains("error.type=\"INTERNAL\""), "{line}");
        assert!(
            line.contains(&format!("error=\"database unreachable: {SECRET}\"")),
            "{line}"
        );
    }
}

#[tokio::test]
async fn panicking_handlers_answer_in_the_envelope_and_log_the_panic() {
    let logs = capture_logs();

    let nested_body = format!(
        r#"{{"error":{{"code":"INTERNAL","message":"Internal Server Error","request_id":"panic-nested","timestamp":"{NOW}"}}}}"#
    );
    let problem_body = format!(
        r#"{{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Internal Server Error","code":"INTERNAL","request_id":"panic-problem","timestamp":"{NOW}"}}"#
    );
    let services = [
        (nested::routes(), "nested", "application/json", nested_body),
        (
            problem::routes(),
            "problem",
            "application/problem+json",
            problem_body,
        ),
    ];
    for (routes, name, content_type, body) in services {
        let base = serve(routes).await;
        let id = format!("panic-{name}");
        let secrets = [SECRET, "hunter2", "invariant broken"];
        let text = masked_500(&base, "/panics", &id, &secrets).await;
        assert!(
            text.contains(&format!("\r\ncontent-type: {content_type}\r\n")),
            "{text}"
        );
        assert!(text.ends_with(&format!("\r\n\r\n{body}")), "{text}");

        let log = logs.text();
        let line = log
            .lines()
            .find(|line| line.contains("request handler panicked") && line.contains(&id))
            .unwrap_or_else(|| panic!("no panic log line for {id}:\n{log}"));
        assert!(line.contains(" ERROR "), "{line}");
        assert!(line.contains(&format!("request_id=\"{id}\"")), "{line}");
        assert!(
            line.contains(&format!("panic=\"invariant broken near {SECRET}\"")),
            "{line}"
        );

        // The same server goes on answering.
        let after = format!("after-{id}");
        let seen = get(&base, "/widgets/1", &after).await;
        assert_eq!(seen, seen_text(200, &after, "widget 1"));
    }
}

/// Seed 003 (FLOW) declares `not_modified`: a 304 answers with no body and no headers
/// of one (RFC 9110 §15.4.5), over a real socket, while its neighbours keep theirs.
#[tokio::test]
async fn a_304_variant_answers_without_a_body() {
    use apierror::ApiError;
    use axum::routing::get;

    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "reason")]
    enum FlowError {
        #[error("not modified")]
        #[status(304)]
        NotModified,
        #[error("no such lead")]
        #[status(404)]
        NotFound,
    }

    assert!(FlowError::NotModified.to_response().body().is_empty());
    let routes = Router::new()
        .route("/cached", get(|| async { FlowError::NotModified }))
        .route("/missing", get(|| async { FlowError::NotFound }));
    let base = serve(routes).await;
    let request =
        |path: &str| format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let cached = String::from_utf8(raw_exchange(&base, request("/cached")).await).unwrap();
    let (head, body) = cached.split_once("\r\n\r\n").unwrap();
    assert!(
        head.starts_with("HTTP/1.1 304 Not Modified\r\n"),
        "{cached}"
    );
    let head = head.to_ascii_lowercase();
    assert!(!head.contains("content-type"), "{cached}");
    assert!(
        !head.contains("content-length") || head.contains("content-length: 0"),
        "{cached}"
    );
    assert_eq!(body, "", "{cached}");

    let missing = String::from_utf8(raw_exchange(&base, request("/missing")).await).unwrap();
    assert!(
        missing.starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{missing}"
    );
    assert!(
        missing
            .ends_with(r#"{"error":{"code":404,"reason":"not_found","message":"no such lead"}}"#),
        "{missing}"
    );
    assert!(
        missing
            .to_ascii_lowercase()
            .contains("content-type: application/json")
    );
}

/// Each variant is logged at its own level (`#[api_error(log = "…")]`), a 5xx without
/// one at the layer's, and a 4xx without one not at all; the line carries
/// OpenTelemetry's names.
#[tokio::test]
async fn errors_are_logged_at_their_variants_level_or_the_layers() {
    use apierror::{ApiError, LogLevel};
    use axum::routing::get;

    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "nested")]
    enum Levels {
        #[error("maintenance")]
        #[status(503)]
        #[api_error(log = "warn")]
        Maintenance,
        #[error("analytics data is loading")]
        #[status(501)]
        #[api_error(expose)]
        #[retryable]
        Loading,
        #[error("quiet")]
        #[status(500)]
        #[api_error(log = "off")]
        Quiet,
        #[error("gone")]
        #[status(410)]
        #[api_error(log = "info")]
        Gone,
        #[error("missing")]
        #[status(404)]
        Missing,
    }

    let logs = capture_logs();
    let routes = Router::new()
        .route("/maintenance", get(|| async { Levels::Maintenance }))
        .route("/loading", get(|| async { Levels::Loading }))
        .route("/quiet", get(|| async { Levels::Quiet }))
        .route("/gone", get(|| async { Levels::Gone }))
        .route("/missing", get(|| async { Levels::Missing }));
    let base = serve_with(
        routes,
        RequestContextLayer::new().with_log_level(LogLevel::Info),
    )
    .await;
    for path in ["maintenance", "loading", "quiet", "gone", "missing"] {
        let request = format!(
            "GET /{path} HTTP/1.1\r\nhost: localhost\r\nx-request-id: level-{path}\r\nconnection: close\r\n\r\n"
        );
        raw_exchange(&base, request).await;
    }
    let log = logs.text();
    let line = |path: &str| {
        log.lines()
            .find(|line| line.contains(&format!("request_id=\"level-{path}\"")))
            .map(str::to_owned)
    };
    let maintenance = line("maintenance").expect("the 503 is logged");
    assert!(maintenance.contains(" WARN "), "{maintenance}");
    assert!(
        maintenance.contains("http.response.status_code=503"),
        "{maintenance}"
    );
    assert!(
        maintenance.contains("error.type=\"maintenance\""),
        "{maintenance}"
    );
    let loading = line("loading").expect("the 501 is logged");
    assert!(loading.contains(" INFO "), "the layer's level: {loading}");
    let gone = line("gone").expect("the 410 asked to be logged");
    assert!(gone.contains(" INFO "), "{gone}");
    assert_eq!(line("quiet"), None, "log = \"off\"");
    assert_eq!(line("missing"), None, "a 4xx without a level");
}

/// Over a real socket: a JSON body over the route's limit is a 413 rejection of kind
/// `BodyTooLarge` (not a validation error), and a form maps like a JSON body.
#[tokio::test]
async fn rejections_say_their_kind_and_forms_map_like_json() {
    use apierror::axum::{Extract, FromRejection, Rejection, RejectionKind};
    use apierror::{ApiError, FieldErrors};
    use axum::extract::DefaultBodyLimit;
    use axum::routing::post;
    use axum::{Form, Json};

    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "nested")]
    enum AppError {
        #[error("validation failed")]
        #[status(422)]
        Invalid {
            #[api_error(details)]
            fields: FieldErrors,
        },
        #[error("the body is too large")]
        #[status(413)]
        TooLarge,
        #[error("unsupported media type")]
        #[status(415)]
        UnsupportedMediaType,
    }

    impl FromRejection for AppError {
        fn from_rejection(rejection: Rejection) -> Self {
            match rejection.kind() {
                RejectionKind::BodyTooLarge => AppError::TooLarge,
                RejectionKind::UnsupportedMediaType => AppError::UnsupportedMediaType,
                _ => AppError::Invalid {
                    fields: rejection.into_fields(),
                },
            }
        }
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Signup {
        email: String,
        age: u8,
    }

    async fn json(Extract(Json(_), _): Extract<Json<Signup>, AppError>) -> &'static str {
        "ok"
    }
    async fn form(Extract(Form(_), _): Extract<Form<Signup>, AppError>) -> &'static str {
        "ok"
    }
    let routes = Router::new()
        .route("/json", post(json))
        .route("/form", post(form))
        .layer(DefaultBodyLimit::max(64));
    let base = serve(routes).await;
    let post_raw = |path: &str, content_type: &str, body: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let big = format!(r#"{{"email":"{}","age":1}}"#, "a".repeat(100));
    let text =
        String::from_utf8(raw_exchange(&base, post_raw("/json", "application/json", &big)).await)
            .unwrap();
    assert!(text.starts_with("HTTP/1.1 413 "), "{text}");
    assert!(text.contains(r#""code":"too_large""#), "{text}");

    let text = String::from_utf8(
        raw_exchange(
            &base,
            post_raw(
                "/form",
                "application/x-www-form-urlencoded",
                "email=a%40b&age=300",
            ),
        )
        .await,
    )
    .unwrap();
    assert!(text.starts_with("HTTP/1.1 422 "), "{text}");
    assert!(
        text.contains(r#""details":{"age":["number too large to fit in target type"]}"#),
        "{text}"
    );

    let text =
        String::from_utf8(raw_exchange(&base, post_raw("/form", "text/plain", "email=a")).await)
            .unwrap();
    assert!(text.starts_with("HTTP/1.1 415 "), "{text}");
}

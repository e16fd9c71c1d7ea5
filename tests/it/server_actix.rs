//! The actix-web integration over real HTTP: an actix-web server on `127.0.0.1:0`, raw
//! HTTP/1.1 on a socket, and the exact status line, headers and body of every variant,
//! every extractor error, a 304, a masked 5xx (logged, never sent) and a panicking
//! handler; and the same OpenAPI document for an actix handler as for an axum one.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, UNIX_EPOCH};

use actix_web::{App, HttpServer, web};
use apierror::actix_web::{CatchPanic, RequestContext, RequestId};
use apierror::retry::ManualClock;
use apierror::server::{FromRejection, Rejection, RejectionKind};
use apierror::{ApiError, FieldErrors};
use serde::Deserialize;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
enum AppError {
    #[error("not modified")]
    #[status(304)]
    NotModified,

    #[error("no such widget")]
    #[status(404)]
    NotFound,

    #[error("too large")]
    #[status(413)]
    TooLarge,

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
    Internal(#[source] std::io::Error),
}

impl FromRejection for AppError {
    fn from_rejection(rejection: Rejection) -> Self {
        match rejection.kind() {
            RejectionKind::BodyTooLarge => AppError::TooLarge,
            RejectionKind::ServerMisconfigured => {
                AppError::Internal(std::io::Error::other(rejection.to_string()))
            }
            _ => AppError::ValidationError {
                fields: rejection.into_fields(),
            },
        }
    }
}

/// What the internal error's source says; it must never reach a client.
const SECRET: &str = "postgres://admin:hunter2@db.internal:5432";

/// The instant every timestamp in these tests reads.
const NOW: &str = "2024-01-15T10:30:00.250Z";

/// A clock standing at [`NOW`].
fn now() -> ManualClock {
    ManualClock::starting_at(UNIX_EPOCH + Duration::from_millis(1_705_314_600_250))
}

#[derive(Deserialize)]
struct NewWidget {
    #[allow(dead_code)]
    name: String,
    size: u8,
}

#[derive(Deserialize)]
struct Page {
    limit: u32,
}

async fn error(name: web::Path<String>) -> Result<String, AppError> {
    Err(match name.as_str() {
        "not_modified" => AppError::NotModified,
        "validation_error" => AppError::ValidationError {
            fields: FieldErrors::new()
                .with_field("name", "must not be empty")
                .with_field("size", "must be at most 10"),
        },
        "rate_limit_exceeded" => AppError::RateLimitExceeded {
            retry_after: Duration::from_millis(2500),
        },
        "internal" => AppError::Internal(std::io::Error::other(SECRET)),
        _ => AppError::NotFound,
    })
}

/// Documented for OpenAPI like an axum handler: the enum is its error responses.
#[utoipa::path(post, path = "/widgets", responses((status = 201, description = "created"), AppError))]
async fn create(widget: web::Json<NewWidget>) -> Result<String, AppError> {
    Ok(format!("size {}", widget.size))
}

async fn list(page: web::Query<Page>) -> String {
    format!("first {}", page.limit)
}

async fn show(id: web::Path<u32>) -> Result<String, AppError> {
    if *id == 1 {
        Ok("widget 1".to_owned())
    } else {
        Err(AppError::NotFound)
    }
}

async fn whoami(id: RequestId) -> String {
    format!("you are {id}")
}

async fn panics() -> &'static str {
    panic!("invariant broken near {SECRET}")
}

/// Serves the app on a free loopback port from a thread of its own (actix-web runs its
/// own runtime); returns the address.
fn serve() -> String {
    static ADDRESS: OnceLock<String> = OnceLock::new();
    ADDRESS
        .get_or_init(|| {
            logs();
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let address = listener.local_addr().unwrap().to_string();
            std::thread::spawn(move || {
                actix_web::rt::System::new().block_on(async move {
                    HttpServer::new(|| {
                        App::new()
                            .configure(apierror::actix_web::extractors::<AppError>)
                            .app_data(apierror::actix_web::json_config::<AppError>().limit(64))
                            .route("/errors/{name}", web::get().to(error))
                            .route("/widgets", web::post().to(create))
                            .route("/widgets", web::get().to(list))
                            .route("/widgets/{id}", web::get().to(show))
                            .route("/whoami", web::get().to(whoami))
                            .route("/panics", web::get().to(panics))
                            .wrap(CatchPanic::new(|| {
                                AppError::Internal(std::io::Error::other("a handler panicked"))
                            }))
                            .wrap(RequestContext::new().with_clock(now()))
                    })
                    .workers(1)
                    .listen(listener)
                    .unwrap()
                    .run()
                    .await
                    .unwrap();
                });
            });
            address
        })
        .clone()
}

/// Every log line the process writes, from every thread (the server's are not the
/// test's).
fn logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    Arc::clone(LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = Arc::clone(&buffer);
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || Writer(Arc::clone(&writer)))
            .with_ansi(false)
            .finish();
        // Other tests set their own subscriber per thread; this one is everyone else's.
        let _ = tracing::subscriber::set_global_default(subscriber);
        buffer
    }))
}

struct Writer(Arc<Mutex<Vec<u8>>>);

impl Write for Writer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The log line that mentions `needle`, waiting a moment for the server's thread.
fn log_line(needle: &str) -> String {
    for _ in 0..100 {
        let text = String::from_utf8(logs().lock().unwrap().clone()).unwrap();
        if let Some(line) = text.lines().find(|line| line.contains(needle)) {
            return line.to_owned();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no log line with {needle}");
}

/// The response to a raw HTTP/1.1 request: head (status line and headers, without
/// `date`) and body.
fn exchange(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (String, String) {
    let mut stream = std::net::TcpStream::connect(serve()).unwrap();
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(request, "{name}: {value}\r\n");
    }
    if !body.is_empty() || method == "POST" {
        let _ = write!(request, "content-length: {}\r\n", body.len());
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8(response).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let head: Vec<&str> = head
        .split("\r\n")
        .filter(|line| !line.starts_with("date:"))
        .collect();
    (head.join("\n"), body.to_owned())
}

fn get(path: &str, id: &str) -> (String, String) {
    exchange("GET", path, &[("x-request-id", id)], "")
}

/// The head a JSON error response to a `connection: close` request has: status line,
/// length, type, extra headers, the request id.
fn head(status: &str, body: &str, extra: &[&str], id: &str) -> String {
    let mut lines = vec![
        format!("HTTP/1.1 {status}"),
        "connection: close".to_owned(),
        format!("content-length: {}", body.len()),
    ];
    lines.extend(extra.iter().map(|line| (*line).to_owned()));
    lines.push("content-type: application/json".to_owned());
    lines.push(format!("x-request-id: {id}"));
    lines.join("\n")
}

/// `head`'s lines, in any order (actix-web writes headers in its map's order).
fn sorted(head: &str) -> Vec<String> {
    let mut lines: Vec<String> = head.lines().map(str::to_owned).collect();
    lines[1..].sort();
    lines
}

#[test]
fn variants_answer_with_their_envelope_over_http() {
    let cases = [
        (
            "validation_error",
            "422 Unprocessable Entity",
            &[][..],
            format!(
                r#"{{"error":{{"code":"VALIDATION_ERROR","message":"validation failed","details":{{"name":["must not be empty"],"size":["must be at most 10"]}},"request_id":"a-validation_error","timestamp":"{NOW}"}}}}"#
            ),
        ),
        (
            "rate_limit_exceeded",
            "429 Too Many Requests",
            &["retry-after: 3"][..],
            format!(
                r#"{{"error":{{"code":"RATE_LIMIT_EXCEEDED","message":"too many requests","request_id":"a-rate_limit_exceeded","timestamp":"{NOW}"}}}}"#
            ),
        ),
        (
            "not_found",
            "404 Not Found",
            &[][..],
            format!(
                r#"{{"error":{{"code":"NOT_FOUND","message":"no such widget","request_id":"a-not_found","timestamp":"{NOW}"}}}}"#
            ),
        ),
    ];
    for (name, status, extra, body) in cases {
        let id = format!("a-{name}");
        let (seen_head, seen_body) = get(&format!("/errors/{name}"), &id);
        assert_eq!(seen_body, body);
        assert_eq!(sorted(&seen_head), sorted(&head(status, &body, extra, &id)));
    }
}

#[test]
fn a_304_has_no_body_and_a_success_keeps_its_own() {
    let (seen_head, body) = get("/errors/not_modified", "a-304");
    assert_eq!(body, "");
    assert!(
        seen_head.starts_with("HTTP/1.1 304 Not Modified"),
        "{seen_head}"
    );
    assert!(!seen_head.contains("content-type"), "{seen_head}");
    assert!(!seen_head.contains("content-length"), "{seen_head}");
    assert!(seen_head.contains("x-request-id: a-304"), "{seen_head}");

    let (seen_head, body) = get("/widgets/1", "a-ok");
    assert!(seen_head.starts_with("HTTP/1.1 200 OK"), "{seen_head}");
    assert!(seen_head.contains("x-request-id: a-ok"), "{seen_head}");
    assert_eq!(body, "widget 1");
}

#[test]
fn request_ids_are_taken_generated_and_extracted() {
    let (seen_head, body) = get("/whoami", "client-7");
    assert_eq!(body, "you are client-7");
    assert!(seen_head.contains("x-request-id: client-7"));
    // Unusable ids are replaced by a fresh one, echoed and in the body.
    let (seen_head, body) = exchange("GET", "/whoami", &[("x-request-id", "has space")], "");
    let id = body.strip_prefix("you are ").unwrap();
    assert_eq!(id.len(), 32);
    assert!(seen_head.contains(&format!("x-request-id: {id}")));
}

#[test]
fn extractor_errors_answer_in_the_envelope() {
    let json = [
        ("content-type", "application/json"),
        ("x-request-id", "e-json"),
    ];
    // A missing field: 422 with the field named.
    let (seen_head, body) = exchange("POST", "/widgets", &json, r#"{"size":3}"#);
    assert!(seen_head.starts_with("HTTP/1.1 422"), "{seen_head}");
    assert_eq!(
        body,
        format!(
            r#"{{"error":{{"code":"VALIDATION_ERROR","message":"validation failed","details":{{"name":["missing field `name`"]}},"request_id":"e-json","timestamp":"{NOW}"}}}}"#
        )
    );
    // Malformed JSON: under `body`.
    let (_, body) = exchange("POST", "/widgets", &json, r#"{"size":"#);
    assert!(body.contains(r#""details":{"body":["#), "{body}");
    // A wrong content type.
    let (_, body) = exchange("POST", "/widgets", &[("content-type", "text/plain")], "{}");
    assert!(
        body.contains(r#""details":{"body":["Content type error"]}"#),
        "{body}"
    );
    // Over the route's limit (64 bytes): the variant the kind picks.
    let big = format!(r#"{{"name":"{}","size":1}}"#, "x".repeat(100));
    let (seen_head, body) = exchange("POST", "/widgets", &json, &big);
    assert!(seen_head.starts_with("HTTP/1.1 413"), "{seen_head}");
    assert!(body.contains(r#""code":"TOO_LARGE""#), "{body}");
    // A query parameter that does not parse, and a path parameter.
    let (seen_head, body) = get("/widgets?limit=lots", "e-query");
    assert!(seen_head.starts_with("HTTP/1.1 422"), "{seen_head}");
    assert!(
        body.contains(r#""details":{"query":["invalid digit found in string"]}"#),
        "{body}"
    );
    let (_, body) = get("/widgets/abc", "e-path");
    assert!(body.contains(r#""details":{"path":["#), "{body}");
    // A good query passes.
    let (_, body) = get("/widgets?limit=5", "e-ok");
    assert_eq!(body, "first 5");
}

#[test]
fn a_5xx_masks_its_source_and_logs_it() {
    let (seen_head, body) = get("/errors/internal", "m-500");
    assert!(
        seen_head.starts_with("HTTP/1.1 500 Internal Server Error"),
        "{seen_head}"
    );
    assert_eq!(
        body,
        format!(
            r#"{{"error":{{"code":"INTERNAL","message":"Internal Server Error","request_id":"m-500","timestamp":"{NOW}"}}}}"#
        )
    );
    for secret in [SECRET, "hunter2", "database unreachable"] {
        assert!(!seen_head.contains(secret) && !body.contains(secret));
    }
    let line = log_line(r#"request_id="m-500""#);
    assert!(line.contains("ERROR"), "{line}");
    assert!(line.contains("http.response.status_code=500"), "{line}");
    assert!(line.contains(r#"error.type="INTERNAL""#), "{line}");
    assert!(line.contains(SECRET), "{line}");
}

#[test]
fn a_panicking_handler_answers_with_the_500_variant() {
    let (seen_head, body) = get("/panics", "p-1");
    assert!(
        seen_head.starts_with("HTTP/1.1 500 Internal Server Error"),
        "{seen_head}"
    );
    assert!(seen_head.contains("x-request-id: p-1"), "{seen_head}");
    assert_eq!(
        body,
        format!(
            r#"{{"error":{{"code":"INTERNAL","message":"Internal Server Error","request_id":"p-1","timestamp":"{NOW}"}}}}"#
        )
    );
    assert!(!body.contains(SECRET));
    let line = log_line(r#"request_id="p-1""#);
    assert!(line.contains("request handler panicked"), "{line}");
    assert!(
        line.contains(SECRET),
        "the panic's message is logged: {line}"
    );
    // The server goes on.
    assert_eq!(get("/widgets/1", "p-2").1, "widget 1");
}

#[test]
fn an_actix_handler_is_documented_as_an_axum_one() {
    use utoipa::OpenApi;

    #[derive(OpenApi)]
    #[openapi(paths(create))]
    struct Doc;

    let doc = serde_json::to_value(Doc::openapi()).unwrap();
    let responses = &doc["paths"]["/widgets"]["post"]["responses"];
    let statuses: Vec<&String> = responses.as_object().unwrap().keys().collect();
    assert_eq!(statuses, ["201", "304", "404", "413", "422", "429", "500"]);
    assert!(responses["304"].get("content").is_none());
    assert!(responses["429"]["headers"].get("Retry-After").is_some());
}

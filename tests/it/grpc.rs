//! One enum for HTTP and gRPC: a real tonic server and client on loopback (the service
//! and its prost messages written by hand, so the build needs no `protoc`). Every variant
//! shape crosses the wire and comes back; a 5xx is masked and logged; field errors are
//! `BadRequest` violations; an `UNAVAILABLE` is retried by the driver.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use apierror::retry::{Idempotency, Jitter, RetryDriver, RetryPolicy, SplitMix64, StopReason};
use apierror::{ApiError, Decoded, FieldErrors, GrpcCode, Retry, Unknown};
use http::uri::PathAndQuery;
use tonic::body::Body;
use tonic::server::NamedService;
use tonic::transport::{Channel, Server};
use tonic::{Code, Request, Response, Status};
use tonic_prost::ProstCodec;
use tonic_types::StatusExt as _;

/// What the client asks: the name of the error the server answers with.
#[derive(Clone, PartialEq, prost::Message)]
struct Ask {
    #[prost(string, tag = "1")]
    name: String,
}

/// What the server answers when it succeeds.
#[derive(Clone, PartialEq, prost::Message)]
struct Answer {
    #[prost(string, tag = "1")]
    text: String,
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(
    format = "nested",
    rename_all = "SCREAMING_SNAKE_CASE",
    domain = "widgets.example.com"
)]
enum AppError {
    #[error("no such widget")]
    #[status(404)]
    NotFound,

    #[error("widget {name} exists already")]
    #[status(409)]
    #[api_error(grpc = "already_exists")]
    Exists {
        #[api_error(default)]
        name: String,
    },

    #[error("validation failed")]
    #[status(422)]
    #[api_error(grpc = "invalid_argument")]
    ValidationError {
        #[api_error(details)]
        fields: FieldErrors,
    },

    #[error("quota {quota} exhausted")]
    #[status(429)]
    QuotaExhausted {
        #[api_error(default)]
        quota: String,
        #[api_error(retry_after)]
        retry_after: Duration,
    },

    #[error("{message}")]
    #[status(400)]
    Rejected {
        #[api_error(message)]
        message: String,
    },

    #[error("database unreachable: {0}")]
    #[status(500)]
    Internal(#[source] std::io::Error),

    #[error("busy")]
    #[status(503)]
    Busy,

    #[error("locked")]
    #[status(423)]
    Locked {
        #[api_error(details)]
        lock: Lock,
    },

    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

/// Details that are not field errors: they cross as JSON in `ErrorInfo`'s metadata.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Lock {
    holder: String,
    until: u64,
}

const SECRET: &str = "postgres://admin:hunter2@db.internal:5432";

fn error_named(name: &str) -> AppError {
    match name {
        "exists" => AppError::Exists {
            name: "bolt".to_owned(),
        },
        "validation" => AppError::ValidationError {
            fields: FieldErrors::new()
                .with_field("name", "must not be empty")
                .with_field("size", "must be at most 10")
                .with_field("name", "must be ASCII"),
        },
        "quota" => AppError::QuotaExhausted {
            quota: "reads".to_owned(),
            retry_after: Duration::from_secs(7),
        },
        "rejected" => AppError::Rejected {
            message: "no widgets on Sundays".to_owned(),
        },
        "internal" => AppError::Internal(std::io::Error::other(SECRET)),
        "busy" => AppError::Busy,
        "locked" => AppError::Locked {
            lock: Lock {
                holder: "ci".to_owned(),
                until: 1_700_000_000,
            },
        },
        _ => AppError::NotFound,
    }
}

/// The handler: `?` turns the application's error into a `Status`.
fn handle(ask: &Ask, calls: &AtomicUsize) -> Result<Answer, AppError> {
    let call = calls.fetch_add(1, Ordering::SeqCst);
    if ask.name == "flaky" {
        // Busy twice, then fine.
        return if call < 2 {
            Err(AppError::Busy)
        } else {
            Ok(Answer {
                text: "done".to_owned(),
            })
        };
    }
    if ask.name == "ok" {
        return Ok(Answer {
            text: "fine".to_owned(),
        });
    }
    Err(error_named(&ask.name))
}

/// The service, as tonic's generated code would write it, for one unary method.
#[derive(Clone, Default)]
struct Widgets {
    calls: Arc<AtomicUsize>,
}

impl NamedService for Widgets {
    const NAME: &'static str = "test.Widgets";
}

impl tower::Service<http::Request<Body>> for Widgets {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, Infallible>> + Send>,
    >;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let calls = Arc::clone(&self.calls);
        Box::pin(async move {
            let method = tower::service_fn(move |request: Request<Ask>| {
                let calls = Arc::clone(&calls);
                async move {
                    handle(request.get_ref(), &calls)
                        .map(Response::new)
                        .map_err(Status::from)
                }
            });
            let mut grpc = tonic::server::Grpc::new(ProstCodec::<Answer, Ask>::default());
            Ok(grpc.unary(method, request).await)
        })
    }
}

/// Serves the service on a free loopback port; returns a client channel to it.
async fn serve() -> (Channel, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let widgets = Widgets::default();
    let calls = Arc::clone(&widgets.calls);
    tokio::spawn(async move {
        Server::builder()
            .layer(apierror::server::RequestContextLayer::new())
            .add_service(widgets)
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener))
            .await
    });
    let channel = Channel::from_shared(format!("http://{address}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    (channel, calls)
}

/// Calls the method with `name`.
async fn ask(channel: &Channel, name: &str) -> Result<Answer, Status> {
    let mut grpc = tonic::client::Grpc::new(channel.clone());
    grpc.ready().await.unwrap();
    grpc.unary(
        Request::new(Ask {
            name: name.to_owned(),
        }),
        PathAndQuery::from_static("/test.Widgets/Ask"),
        ProstCodec::<Ask, Answer>::default(),
    )
    .await
    .map(Response::into_inner)
}

#[tokio::test]
async fn every_variant_shape_crosses_grpc_and_comes_back() {
    let (channel, _) = serve().await;
    assert_eq!(ask(&channel, "ok").await.unwrap().text, "fine");

    // A unit variant, by the status's code.
    let status = ask(&channel, "not_found").await.unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(status.message(), "no such widget");
    let info = status.get_error_details();
    let info = info.error_info().unwrap();
    assert_eq!(info.reason, "NOT_FOUND");
    assert_eq!(info.domain, "widgets.example.com");
    assert!(matches!(
        apierror::tonic::from_status::<AppError>(&status).unwrap(),
        AppError::NotFound
    ));

    // The code the variant names; a message from a template.
    let status = ask(&channel, "exists").await.unwrap_err();
    assert_eq!(status.code(), Code::AlreadyExists);
    assert_eq!(status.message(), "widget bolt exists already");
    // Its field is in its message only (not sent, rebuilt with `Default`), as over HTTP;
    // the message as received is in the metadata.
    let decoded = Decoded::<AppError>::from_status(&status).unwrap();
    assert!(
        matches!(&decoded.error, AppError::Exists { name } if name.is_empty()),
        "{:?}",
        decoded.error
    );
    assert_eq!(
        decoded.meta.message.as_deref(),
        Some("widget bolt exists already")
    );
    assert_eq!(decoded.meta.status.as_u16(), 409);

    // A message field.
    let status = ask(&channel, "rejected").await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let AppError::Rejected { message } = apierror::tonic::from_status::<AppError>(&status).unwrap()
    else {
        panic!("not rejected");
    };
    assert_eq!(message, "no widgets on Sundays");

    // Details of another type: JSON in ErrorInfo's metadata, and back.
    let status = ask(&channel, "locked").await.unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    let details = status.get_error_details();
    assert_eq!(
        details.error_info().unwrap().metadata["details"],
        r#"{"holder":"ci","until":1700000000}"#
    );
    let AppError::Locked { lock } = apierror::tonic::from_status::<AppError>(&status).unwrap()
    else {
        panic!("not locked");
    };
    assert_eq!(lock.until, 1_700_000_000);

    // A retry hint: RetryInfo, and back.
    let status = ask(&channel, "quota").await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted);
    assert_eq!(
        apierror::tonic::retry_delay(&status),
        Some(Duration::from_secs(7))
    );
    let decoded = Decoded::<AppError>::from_status(&status).unwrap();
    assert!(
        matches!(
            decoded.error,
            AppError::QuotaExhausted { retry_after, .. } if retry_after == Duration::from_secs(7)
        ),
        "{:?}",
        decoded.error
    );
    assert_eq!(decoded.error.retry(), Retry::Throttled);
}

#[tokio::test]
async fn field_errors_are_bad_request_violations_both_ways() {
    let (channel, _) = serve().await;
    let status = ask(&channel, "validation").await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let details = status.get_error_details();
    let violations: Vec<(&str, &str)> = details
        .bad_request()
        .unwrap()
        .field_violations
        .iter()
        .map(|v| (v.field.as_str(), v.description.as_str()))
        .collect();
    assert_eq!(
        violations,
        [
            ("name", "must not be empty"),
            ("name", "must be ASCII"),
            ("size", "must be at most 10"),
        ]
    );
    let AppError::ValidationError { fields } =
        apierror::tonic::from_status::<AppError>(&status).unwrap()
    else {
        panic!("not a validation error");
    };
    assert_eq!(
        fields,
        FieldErrors::new()
            .with_field("name", "must not be empty")
            .with_field("name", "must be ASCII")
            .with_field("size", "must be at most 10")
    );
}

#[tokio::test]
async fn a_5xx_is_masked_on_the_wire_and_logged_with_rpc_names() {
    let logs = crate::server_e2e::capture_logs();
    let (channel, _) = serve().await;
    let status = ask(&channel, "internal").await.unwrap_err();
    assert_eq!(status.code(), Code::Internal);
    assert_eq!(status.message(), "Internal Server Error");
    let request_id = status
        .get_error_details()
        .request_info()
        .map(|info| info.request_id.clone())
        .unwrap();
    assert_eq!(request_id.len(), 32, "a generated id: {request_id}");
    let wire = format!("{status:?}");
    assert!(!wire.contains("hunter2"), "{wire}");
    // The server runs on this test's runtime, so its log line is captured here.
    let text = logs.text();
    let line = text
        .lines()
        .find(|line| line.contains("rpc failed"))
        .unwrap_or_else(|| panic!("no log line in:\n{text}"));
    for needle in [
        "rpc.system=\"grpc\"",
        "rpc.grpc.status_code=13",
        "error.type=\"INTERNAL\"",
        SECRET,
        &request_id,
    ] {
        assert!(line.contains(needle), "{needle} in {line}");
    }
}

#[tokio::test]
async fn what_the_enum_does_not_know_is_kept_in_unknown() {
    // A status from another service: a code, a message, an ErrorInfo with details.
    let mut details = tonic_types::ErrorDetails::new();
    details.set_error_info(
        "SHELF_FULL",
        "shelves.example.com",
        [("details".to_owned(), r#"{"shelf":7}"#.to_owned())]
            .into_iter()
            .collect::<std::collections::HashMap<_, _>>(),
    );
    let status = Status::with_error_details(Code::FailedPrecondition, "the shelf is full", details);
    let decoded = Decoded::<AppError>::from_status(&status).unwrap();
    let AppError::Other(unknown) = &decoded.error else {
        panic!("not unknown: {:?}", decoded.error);
    };
    assert_eq!(unknown.code(), "SHELF_FULL");
    assert_eq!(unknown.message(), "the shelf is full");
    assert_eq!(unknown.status().as_u16(), 412);
    assert_eq!(unknown.body(), br#"{"shelf":7}"#);
    assert_eq!(decoded.meta.message.as_deref(), Some("the shelf is full"));
    // A status without ErrorInfo: the variant its code belongs to alone.
    let busy = Status::unavailable("try later");
    assert!(matches!(
        apierror::tonic::from_status::<AppError>(&busy).unwrap(),
        AppError::Busy
    ));
    // Two variants are INVALID_ARGUMENT (422 by override, 400 by status), none the
    // decode default: neither is guessed.
    let ambiguous = Status::invalid_argument("bad");
    assert!(matches!(
        apierror::tonic::from_status::<AppError>(&ambiguous).unwrap(),
        AppError::Other(_)
    ));
    // A code no variant has: its code's name and status.
    let bare = Status::new(Code::PermissionDenied, "no");
    let AppError::Other(unknown) = apierror::tonic::from_status::<AppError>(&bare).unwrap() else {
        panic!("not unknown");
    };
    assert_eq!(unknown.status().as_u16(), 403);
    assert_eq!(unknown.code(), "permission_denied");
}

#[tokio::test(start_paused = true)]
async fn grpc_failures_classify_and_the_driver_retries_an_unavailable() {
    use apierror::retry::Classify;

    let unavailable = Status::unavailable("down");
    assert_eq!(unavailable.failure().unwrap().class, Retry::Backoff);
    assert_eq!(
        Status::deadline_exceeded("slow").failure().unwrap().class,
        Retry::Backoff
    );
    assert_eq!(
        Status::not_found("x").failure().unwrap().class,
        Retry::Never
    );
    let quota = Status::from(error_named("quota"));
    let failure = quota.failure().unwrap();
    assert_eq!(failure.class, Retry::Throttled);
    assert!(failure.retry_after.is_some());

    let (channel, calls) = serve().await;
    let start = tokio::time::Instant::now();
    let driver = RetryDriver::tokio(RetryPolicy::new().with_jitter(Jitter::None))
        .with_rng(SplitMix64::new(2));
    let answer = driver
        .run(Idempotency::Idempotent, |_| {
            let channel = channel.clone();
            async move {
                ask(&channel, "flaky")
                    .await
                    .map_err(|status| Decoded::<AppError>::from_status(&status).unwrap())
            }
        })
        .await
        .unwrap();
    assert_eq!(answer.text, "done");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    // The policy's 1 s and 2 s, on the paused clock.
    assert_eq!(start.elapsed().as_secs(), 3);

    // A variant that never retries stops at once.
    let stopped = driver
        .run(Idempotency::Idempotent, |_| {
            let channel = channel.clone();
            async move { ask(&channel, "validation").await }
        })
        .await
        .unwrap_err();
    assert_eq!(stopped.reason(), StopReason::NotRetryable);
}

#[test]
fn the_catalogue_carries_each_variants_grpc_code() {
    let codes: Vec<(u16, GrpcCode)> = AppError::CATALOGUE
        .iter()
        .map(|spec| (spec.status, spec.grpc))
        .collect();
    assert_eq!(
        codes,
        [
            (404, GrpcCode::NotFound),
            (409, GrpcCode::AlreadyExists),
            (422, GrpcCode::InvalidArgument),
            (429, GrpcCode::ResourceExhausted),
            (400, GrpcCode::InvalidArgument),
            (500, GrpcCode::Internal),
            (503, GrpcCode::Unavailable),
            (423, GrpcCode::FailedPrecondition),
        ]
    );
    let table = apierror::catalogue::markdown(AppError::CATALOGUE);
    assert!(
        table.contains("| 409 | `ALREADY_EXISTS` | `EXISTS` |"),
        "{table}"
    );
}

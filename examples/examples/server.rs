//! A small widget service whose every failure is one `ApiError` enum: validation, a
//! rate limit that answers 429 with `Retry-After`, a masked internal error, and axum's
//! own rejections in the same envelope.
//!
//! ```text
//! cargo run --example server                    # a free port on 127.0.0.1
//! cargo run --example server -- 127.0.0.1:3000  # a fixed address
//! ```
//!
//! It prints its address and serves until Ctrl-C; error logs go to stderr. Creating
//! widgets is limited to 4 attempts a minute. Try:
//!
//! ```text
//! curl -i 'localhost:3000/widgets?limit=lots'
//! curl -i localhost:3000/widgets -H 'content-type: application/json' -d '{"name":"bolt","size":2}'
//! curl -i localhost:3000/widgets -H 'content-type: application/json' -d '{"name":"","size":99}'
//! curl -i localhost:3000/widgets/42 -H 'x-request-id: support-ticket-7'
//! curl -i localhost:3000/health
//! curl -i -X DELETE localhost:3000/widgets
//! curl -s localhost:3000/openapi.json
//! ```
//!
//! `/openapi.json` is the service's OpenAPI 3.1 document: every operation lists
//! `AppError`'s responses, written by its derive (feature `utoipa`).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use apierror::axum::{
    CatchPanicLayer, Extract, FromRejection, Rejection, RejectionKind, RequestContextLayer,
};
use apierror::{ApiError, FieldErrors};
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// Everything that can go wrong, declared once: status, code, message, retry class.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
enum AppError {
    /// No widget has that id, or no route that path.
    #[error("no such widget")]
    #[status(404)]
    NotFound,

    /// The path exists but not for this method; axum adds the `Allow` header.
    #[error("this path does not take that method")]
    #[status(405)]
    MethodNotAllowed,

    /// Fields failed validation; axum's rejections end up here too.
    #[error("validation failed")]
    #[status(422)]
    ValidationError {
        /// Which fields, and why.
        #[api_error(details)]
        fields: FieldErrors,
    },

    /// The body is longer than the route accepts.
    #[error("the request body is too large")]
    #[status(413)]
    PayloadTooLarge,

    /// Over the creation quota; `Retry-After` says when to come back.
    #[error("too many widgets created, slow down")]
    #[status(429)]
    RateLimitExceeded {
        /// When the quota refills.
        #[api_error(retry_after)]
        retry_after: Duration,
    },

    /// The database is down. Clients see "Internal Server Error"; the log sees why.
    #[error("database unreachable: {0}")]
    #[status(500)]
    Internal(#[source] std::io::Error),
}

/// Extractor rejections by kind: a body over the limit is a 413, a route and extractor
/// that disagree are a bug (500), and everything else (bad JSON, a bad query or path) is
/// a validation error.
impl FromRejection for AppError {
    fn from_rejection(rejection: Rejection) -> Self {
        match rejection.kind() {
            RejectionKind::BodyTooLarge => AppError::PayloadTooLarge,
            RejectionKind::ServerMisconfigured => {
                AppError::Internal(std::io::Error::other(rejection.to_string()))
            }
            _ => AppError::ValidationError {
                fields: rejection.into_fields(),
            },
        }
    }
}

/// A widget.
#[derive(Debug, Clone, Serialize, ToSchema)]
struct Widget {
    id: u32,
    name: String,
    size: u8,
}

/// The body of `POST /widgets`.
#[derive(Debug, Deserialize, ToSchema)]
struct NewWidget {
    /// 1 to 32 characters.
    name: String,
    /// 1 to 10.
    size: u8,
}

/// The query of `GET /widgets`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct Page {
    /// How many widgets, 1 to 100.
    limit: u32,
}

/// At most `limit` requests per `window`, for everyone together.
#[derive(Debug)]
struct RateLimiter {
    limit: u32,
    window: Duration,
    state: Mutex<(Instant, u32)>,
}

impl RateLimiter {
    fn new(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            state: Mutex::new((Instant::now(), 0)),
        }
    }

    /// Counts one request, or says how long until the window refills.
    fn check(&self, now: Instant) -> Result<(), Duration> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (started, count) = &mut *state;
        let elapsed = now.saturating_duration_since(*started);
        if elapsed >= self.window {
            (*started, *count) = (now, 0);
        }
        if *count >= self.limit {
            return Err(self.window.saturating_sub(elapsed));
        }
        *count += 1;
        Ok(())
    }
}

/// The service's state.
#[derive(Debug, Clone)]
struct AppState {
    widgets: Arc<Mutex<BTreeMap<u32, Widget>>>,
    creations: Arc<RateLimiter>,
}

/// `GET /widgets?limit=N`: the first `N` widgets, `1 <= N <= 100`.
#[utoipa::path(
    get,
    path = "/widgets",
    params(Page),
    responses((status = 200, description = "The first `limit` widgets", body = Vec<Widget>), AppError),
)]
async fn list(
    State(state): State<AppState>,
    Extract(Query(page), _): Extract<Query<Page>, AppError>,
) -> Result<Json<Vec<Widget>>, AppError> {
    if !(1..=100).contains(&page.limit) {
        let fields = FieldErrors::new().with_field("limit", "must be between 1 and 100");
        return Err(AppError::ValidationError { fields });
    }
    let widgets = state.widgets.lock().unwrap_or_else(PoisonError::into_inner);
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    Ok(Json(widgets.values().take(limit).cloned().collect()))
}

/// `POST /widgets`: creates a widget (rate limited).
#[utoipa::path(
    post,
    path = "/widgets",
    request_body = NewWidget,
    responses((status = 201, description = "The new widget", body = Widget), AppError),
)]
async fn create(
    State(state): State<AppState>,
    Extract(Json(new), _): Extract<Json<NewWidget>, AppError>,
) -> Result<(StatusCode, Json<Widget>), AppError> {
    let mut fields = FieldErrors::new();
    if new.name.trim().is_empty() {
        fields.add("name", "must not be empty");
    }
    if new.name.chars().count() > 32 {
        fields.add("name", "must be at most 32 characters");
    }
    if !(1..=10).contains(&new.size) {
        fields.add("size", "must be between 1 and 10");
    }
    if !fields.is_empty() {
        return Err(AppError::ValidationError { fields });
    }
    let mut widgets = state.widgets.lock().unwrap_or_else(PoisonError::into_inner);
    let id = widgets.keys().next_back().map_or(1, |last| last + 1);
    let widget = Widget {
        id,
        name: new.name,
        size: new.size,
    };
    widgets.insert(id, widget.clone());
    Ok((StatusCode::CREATED, Json(widget)))
}

/// `GET /widgets/{id}`.
#[utoipa::path(
    get,
    path = "/widgets/{id}",
    params(("id" = u32, Path, description = "The widget's id")),
    responses((status = 200, description = "The widget", body = Widget), AppError),
)]
async fn show(
    State(state): State<AppState>,
    Extract(Path(id), _): Extract<Path<u32>, AppError>,
) -> Result<Json<Widget>, AppError> {
    let widgets = state.widgets.lock().unwrap_or_else(PoisonError::into_inner);
    widgets
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// `GET /health`: the database check, which always fails here.
#[utoipa::path(
    get,
    path = "/health",
    responses((status = 200, description = "Healthy", body = String), AppError),
)]
async fn health() -> Result<&'static str, AppError> {
    let refused = std::io::Error::new(
        std::io::ErrorKind::ConnectionRefused,
        "connect to postgres://widgets:s3cr3t@10.0.0.7:5432 refused",
    );
    Err(AppError::Internal(refused))
}

/// The OpenAPI document: the operations above, their errors from `AppError`'s derive.
#[derive(OpenApi)]
#[openapi(
    info(title = "widgets", description = "A small widget service."),
    paths(list, create, show, health)
)]
struct ApiDoc;

/// `GET /openapi.json`.
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Lets `POST` requests through only while the creation quota lasts.
async fn rate_limit(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    if request.method() == axum::http::Method::POST {
        state
            .creations
            .check(Instant::now())
            .map_err(|retry_after| AppError::RateLimitExceeded { retry_after })?;
    }
    Ok(next.run(request).await)
}

/// The whole service.
fn app() -> Router {
    let state = AppState {
        widgets: Arc::new(Mutex::new(BTreeMap::from([(
            1,
            Widget {
                id: 1,
                name: "sprocket".to_owned(),
                size: 3,
            },
        )]))),
        creations: Arc::new(RateLimiter::new(4, Duration::from_secs(60))),
    };
    Router::new()
        .route("/widgets", get(list).post(create))
        .route("/widgets/{id}", get(show))
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route_layer(middleware::from_fn_with_state(state.clone(), rate_limit))
        .fallback(|| async { AppError::NotFound })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .with_state(state)
        // A bug that panics answers 500 in the envelope, not with a dropped connection.
        .layer(CatchPanicLayer::new(|| {
            AppError::Internal(std::io::Error::other("a handler panicked"))
        }))
        .layer(RequestContextLayer::new())
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let address = std::env::args()
        .nth(1)
        .map_or(Ok(SocketAddr::from(([127, 0, 0, 1], 0))), |arg| arg.parse())
        .map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(address).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app())
        .with_graceful_shutdown(async {
            // If Ctrl-C cannot be listened for, serve until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
}

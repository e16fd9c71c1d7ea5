//! The widget service of `cargo run --example server`, as a library so that tests run
//! the same service: every failure is one `ApiError` enum, and `/openapi.json` documents
//! it.

use std::collections::BTreeMap;
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
pub enum AppError {
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
pub struct Widget {
    /// Its id.
    pub id: u32,
    /// Its name.
    pub name: String,
    /// Its size.
    pub size: u8,
}

/// The body of `POST /widgets`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewWidget {
    /// 1 to 32 characters.
    pub name: String,
    /// 1 to 10.
    pub size: u8,
}

/// The query of `GET /widgets`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// How many widgets, 1 to 100.
    pub limit: u32,
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
pub struct ApiDoc;

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
pub fn app() -> Router {
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

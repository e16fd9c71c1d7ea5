//! actix-web's extractor errors as [`Rejection`]s, and the extractor configurations that
//! answer them in the application's envelope.

use std::error::Error as _;

use ::actix_web::error::{
    JsonPayloadError, PathError, PayloadError, QueryPayloadError, UrlencodedError,
};
use ::actix_web::web::{FormConfig, JsonConfig, PathConfig, QueryConfig, ServiceConfig};
use ::actix_web::{Error, ResponseError};
use http::StatusCode;

use crate::server::{FromRejection, Rejection, RejectionKind, RequestPart};

impl From<JsonPayloadError> for Rejection {
    /// A body over the limit is 413, a wrong `Content-Type` 415, JSON that does not
    /// deserialize 422 (its field named where serde names it: ``missing field `email` ``)
    /// and malformed JSON 400, as on axum.
    fn from(error: JsonPayloadError) -> Self {
        let text = error.to_string();
        match &error {
            JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
                Rejection::whole(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    RequestPart::Body,
                    &text,
                    None,
                )
            }
            JsonPayloadError::ContentType => Rejection::whole(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                RequestPart::Body,
                &text,
                None,
            ),
            JsonPayloadError::Deserialize(json) => deserialize(json, &text),
            JsonPayloadError::Payload(payload) => of_payload(payload, &text),
            _ => Rejection::whole(
                StatusCode::INTERNAL_SERVER_ERROR,
                RequestPart::Body,
                &text,
                error.source(),
            ),
        }
    }
}

/// A `serde_json` error reading a body: located when it is about the data, else the
/// body's syntax.
fn deserialize(json: &serde_json::Error, text: &str) -> Rejection {
    match json.classify() {
        serde_json::error::Category::Data => Rejection::located(
            StatusCode::UNPROCESSABLE_ENTITY,
            RequestPart::Body,
            text,
            Some(json),
        ),
        serde_json::error::Category::Io => Rejection::whole_of(
            RejectionKind::BodyUnreadable,
            StatusCode::BAD_REQUEST,
            RequestPart::Body,
            text,
            Some(json),
        ),
        _ => Rejection::whole_of(
            RejectionKind::Syntax,
            StatusCode::BAD_REQUEST,
            RequestPart::Body,
            text,
            Some(json),
        ),
    }
}

/// A body that could not be read: 413 when it went past a limit.
fn of_payload(payload: &PayloadError, text: &str) -> Rejection {
    if matches!(payload, PayloadError::Overflow) {
        Rejection::whole(
            StatusCode::PAYLOAD_TOO_LARGE,
            RequestPart::Body,
            text,
            Some(payload),
        )
    } else {
        Rejection::whole_of(
            RejectionKind::BodyUnreadable,
            StatusCode::BAD_REQUEST,
            RequestPart::Body,
            text,
            Some(payload),
        )
    }
}

impl From<QueryPayloadError> for Rejection {
    /// 400, the parameter named where serde names it.
    fn from(error: QueryPayloadError) -> Self {
        let text = error.to_string();
        Rejection::located(
            StatusCode::BAD_REQUEST,
            RequestPart::Query,
            &text,
            error.source(),
        )
    }
}

impl From<PathError> for Rejection {
    /// 400: a path parameter that does not parse as its type.
    fn from(error: PathError) -> Self {
        let text = error.to_string();
        Rejection::located(
            StatusCode::BAD_REQUEST,
            RequestPart::Path,
            &text,
            error.source(),
        )
    }
}

impl From<UrlencodedError> for Rejection {
    /// Like a JSON body's: 413 over the limit, 415 for a wrong `Content-Type`, 422 for a
    /// form that does not deserialize; 411 without a length.
    fn from(error: UrlencodedError) -> Self {
        let text = error.to_string();
        let (status, kind) = match &error {
            UrlencodedError::Overflow { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, RejectionKind::BodyTooLarge)
            }
            UrlencodedError::ContentType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                RejectionKind::UnsupportedMediaType,
            ),
            UrlencodedError::UnknownLength => (StatusCode::LENGTH_REQUIRED, RejectionKind::Other),
            UrlencodedError::Parse(_) => {
                return Rejection::located(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    RequestPart::Body,
                    &text,
                    error.source(),
                );
            }
            UrlencodedError::Payload(payload) => return of_payload(payload, &text),
            UrlencodedError::Serialize(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                RejectionKind::ServerMisconfigured,
            ),
            _ => (StatusCode::BAD_REQUEST, RejectionKind::BodyUnreadable),
        };
        Rejection::whole_of(kind, status, RequestPart::Body, &text, error.source())
    }
}

/// The actix-web error for `rejection`: the application's, through [`FromRejection`].
pub fn rejection_error<E>(rejection: Rejection) -> Error
where
    E: FromRejection + ResponseError + 'static,
{
    E::from_rejection(rejection).into()
}

/// `web::Json`'s configuration answering its errors with `E`.
pub fn json_config<E>() -> JsonConfig
where
    E: FromRejection + ResponseError + 'static,
{
    JsonConfig::default().error_handler(|error, _| rejection_error::<E>(error.into()))
}

/// `web::Query`'s configuration answering its errors with `E`.
pub fn query_config<E>() -> QueryConfig
where
    E: FromRejection + ResponseError + 'static,
{
    QueryConfig::default().error_handler(|error, _| rejection_error::<E>(error.into()))
}

/// `web::Path`'s configuration answering its errors with `E`.
pub fn path_config<E>() -> PathConfig
where
    E: FromRejection + ResponseError + 'static,
{
    PathConfig::default().error_handler(|error, _| rejection_error::<E>(error.into()))
}

/// `web::Form`'s configuration answering its errors with `E`.
pub fn form_config<E>() -> FormConfig
where
    E: FromRejection + ResponseError + 'static,
{
    FormConfig::default().error_handler(|error, _| rejection_error::<E>(error.into()))
}

/// Registers the four configurations, so that every `Json`, `Query`, `Path` and `Form`
/// extractor of the app (or scope) answers with `E`: `App::new().configure(extractors::<AppError>)`.
/// To set a limit as well, register the one configuration yourself
/// (`app_data(json_config::<AppError>().limit(4096))`).
pub fn extractors<E>(config: &mut ServiceConfig)
where
    E: FromRejection + ResponseError + 'static,
{
    config
        .app_data(json_config::<E>())
        .app_data(query_config::<E>())
        .app_data(path_config::<E>())
        .app_data(form_config::<E>());
}

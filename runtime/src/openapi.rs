//! OpenAPI documents from the declaration (feature `utoipa`, utoipa 6).
//!
//! Layer 5: built on the trait (retry, client, server, OpenAPI).
//!
//! A derived enum implements [`utoipa::IntoResponses`], so it goes in a path's
//! `responses(...)` as it is:
//!
//! ```
//! use apierror::ApiError;
//! use utoipa::IntoResponses;
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! #[api_error(format = "flat")]
//! enum ApiErr {
//!     /// No widget has that id.
//!     #[error("no such widget")]
//!     #[status(404)]
//!     NotFound,
//!     /// Over the quota; `Retry-After` says when to come back.
//!     #[error("slow down")]
//!     #[status(429)]
//!     RateLimited {
//!         #[api_error(retry_after)]
//!         retry_after: std::time::Duration,
//!     },
//! }
//!
//! let responses = ApiErr::responses();
//! let json = serde_json::to_value(&responses).unwrap();
//! // One response per status, described by the variants' doc comments…
//! assert_eq!(json["404"]["description"], "No widget has that id.");
//! // …with each variant's body as a named example, exactly as the server sends it…
//! assert_eq!(
//!     json["404"]["content"]["application/json"]["examples"]["NotFound"]["value"],
//!     serde_json::json!({"error": "not_found", "message": "no such widget"}),
//! );
//! // …the codes a status can carry, the Retry-After header, and the retry class.
//! let schema = &json["429"]["content"]["application/json"]["schema"];
//! assert_eq!(schema["properties"]["error"]["enum"], serde_json::json!(["rate_limited"]));
//! assert!(json["429"]["headers"]["Retry-After"].is_object());
//! assert_eq!(json["429"]["x-retry"], "throttled");
//! ```
//!
//! Each response has:
//!
//! - a description: the variant's doc comment, or a list of `code`: doc lines when
//!   several variants share the status;
//! - the format's content type (`application/problem+json` for `problem` and `auto`);
//! - the format's envelope schema ([`Format::schema`]), with the codes (the `reason`
//!   format's reasons) possible under that status enumerated, and the details' schema
//!   when the details type implements [`utoipa::ToSchema`];
//! - one example per variant, named after it, whose value is the body the server sends
//!   ([`example`]): a masked 5xx shows the masked body. A message template shows its
//!   `{placeholders}`, and details and the per-response members (request id,
//!   timestamp) are left out, since their values exist only at run time;
//! - a `Retry-After` header (delay-seconds) when a variant under the status sends one;
//! - an `x-retry` extension with the retry class (`never`, `backoff`, `throttled`,
//!   `reauthenticate`): a string when every variant under the status has the same
//!   class, else an object from code to class.
//!
//! An enum with an `#[api_error(unknown)]` variant also documents a `default` response:
//! any other status, in the same envelope with any code.
//!
//! [`FieldErrors`](crate::FieldErrors), [`Unknown`] and each built-in
//! format (`PlainEnvelope`, `NestedEnvelope`, …) implement [`utoipa::ToSchema`].
//!
//! A hand-written [`ApiError`](crate::ApiError) impl gets the same responses from
//! [`responses`] with its catalogue.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use http::StatusCode;
use utoipa::openapi::example::Example;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::header::Header;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Content, RefOr, Response};
use utoipa::{PartialSchema, ToSchema};

use crate::catalogue::ErrorSpec;
use crate::format::{
    Auto, Context, Envelope, Fields, Flat, Format, Message, Nested, Plain, Problem, Reason,
};
use crate::retry_class::Retry;
use crate::unknown::Unknown;

pub(crate) mod probe;

pub use crate::format::schema::{DetailsDoc, EnvelopeDoc};

/// The body the server sends for `spec`, encoded with `F` as a JSON value: the public
/// message (the status's reason phrase when masked, or when the message is known only
/// at run time), without details or per-response members.
pub fn example<F: Format>(spec: &ErrorSpec) -> serde_json::Value {
    let status = StatusCode::from_u16(spec.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = spec
        .public_message()
        .unwrap_or(Cow::Borrowed(crate::status::reason_phrase(status)));
    let envelope = Envelope::new(status, spec.code, Message::Str(&message), &Context::EMPTY);
    // A format that cannot write its own envelope into a JSON value shows `null`.
    F::serialize(&envelope, serde_json::value::Serializer).unwrap_or_default()
}

/// One response per status in `catalogue`, as the derive's `IntoResponses` gives them.
/// `details[i]` describes `catalogue[i]`'s details (missing entries have none).
pub fn responses<F: Format>(
    catalogue: &[ErrorSpec],
    details: &[DetailsDoc],
) -> BTreeMap<String, RefOr<Response>> {
    let mut statuses: Vec<u16> = catalogue.iter().map(|spec| spec.status).collect();
    statuses.sort_unstable();
    statuses.dedup();
    statuses
        .into_iter()
        .map(|status| {
            let group: Vec<(&ErrorSpec, &DetailsDoc)> = catalogue
                .iter()
                .zip(details.iter().chain(std::iter::repeat(&DetailsDoc::None)))
                .filter(|(spec, _)| spec.status == status)
                .collect();
            (status.to_string(), RefOr::T(response::<F>(status, &group)))
        })
        .collect()
}

/// The `default` response: any other status, in `F`'s envelope with any code.
pub fn default_response<F: Format>() -> Response {
    let content = Content::new(Some(F::schema(&EnvelopeDoc::ANY)));
    let mut response = Response::new(
        "Any other error, in the same envelope: a status or code this API does not declare.",
    );
    response
        .content
        .insert(F::CONTENT_TYPE.to_owned(), content.into());
    response
}

/// The response for one status and its variants.
fn response<F: Format>(status: u16, group: &[(&ErrorSpec, &DetailsDoc)]) -> Response {
    let status_code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut codes: Vec<&str> = group.iter().map(|(spec, _)| spec.code).collect();
    codes.dedup();
    let details = DetailsDoc::merge(group.iter().map(|(_, details)| *details));
    let schema = F::schema(&EnvelopeDoc::new(status_code, &codes, &details));
    let examples = group.iter().map(|(spec, _)| {
        let example = Example::builder()
            .summary(spec.code)
            .description(spec.doc)
            .value(Some(example::<F>(spec)))
            .build();
        (spec.name, example)
    });
    let mut response = Response::new(description(status_code, group));
    // 1xx, 204, 205 and 304 answer without a body (see `ApiError::to_response`).
    let bodyless = status_code.is_informational() || matches!(status, 204 | 205 | 304);
    if !bodyless {
        let content = Content::builder()
            .schema(Some(schema))
            .examples_from_iter(examples)
            .build();
        response
            .content
            .insert(F::CONTENT_TYPE.to_owned(), content.into());
    }
    if let Some(header) = retry_after_header(group) {
        response
            .headers
            .insert("Retry-After".to_owned(), header.into());
    }
    response.extensions = Some(Extensions::builder().add("x-retry", retry(group)).build());
    response
}

/// One variant's doc comment; `code`: doc lines for several.
fn description(status: StatusCode, group: &[(&ErrorSpec, &DetailsDoc)]) -> String {
    let said = |spec: &ErrorSpec| -> String {
        if !spec.doc.is_empty() {
            return spec.doc.to_owned();
        }
        spec.public_message().map_or_else(
            || crate::status::reason_phrase(status).to_owned(),
            Cow::into_owned,
        )
    };
    if let [(spec, _)] = group {
        return said(spec);
    }
    let mut text = String::from("One of:\n");
    for (spec, _) in group {
        let _ = write!(text, "\n- `{}`: {}", spec.code, said(spec));
    }
    text
}

/// `Retry-After` (delay-seconds) when a variant in `group` sends it.
fn retry_after_header(group: &[(&ErrorSpec, &DetailsDoc)]) -> Option<Header> {
    let senders: Vec<String> = group
        .iter()
        .filter(|(spec, _)| spec.sends_retry_after)
        .map(|(spec, _)| format!("`{}`", spec.code))
        .collect();
    if senders.is_empty() {
        return None;
    }
    let schema = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(0));
    let description = format!(
        "Seconds to wait before retrying (sent with {}).",
        senders.join(", ")
    );
    Some(
        Header::builder()
            .schema(Some(schema))
            .description(Some(description))
            .build(),
    )
}

/// The `x-retry` value: the class when all variants agree, else code to class.
fn retry(group: &[(&ErrorSpec, &DetailsDoc)]) -> serde_json::Value {
    let first = group.first().map_or(Retry::Never, |(spec, _)| spec.retry);
    if group.iter().all(|(spec, _)| spec.retry == first) {
        return first.as_str().into();
    }
    group
        .iter()
        .map(|(spec, _)| (spec.code.to_owned(), spec.retry.as_str().into()))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

impl PartialSchema for Unknown {
    /// Any JSON: an error the API does not declare may have any body, and a client keeps
    /// its status, code, message and the start of the body whatever its shape.
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::AnyValue)
            .description(Some(
                "An error response this API does not declare: any status, any body.",
            ))
            .into()
    }
}

impl ToSchema for Unknown {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("UnknownError")
    }
}

/// `ToSchema` for a built-in format: its envelope for any status and code.
macro_rules! envelope_schema {
    ($($format:ident => $name:literal),* $(,)?) => {$(
        impl PartialSchema for $format {
            fn schema() -> RefOr<Schema> {
                <$format as Format>::schema(&EnvelopeDoc::ANY)
            }
        }

        /// The envelope for any status and code.
        impl ToSchema for $format {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    )*};
}

envelope_schema! {
    Plain => "PlainEnvelope",
    Nested => "NestedEnvelope",
    Fields => "FieldsEnvelope",
    Reason => "ReasonEnvelope",
    Flat => "FlatEnvelope",
    Problem => "ProblemEnvelope",
    Auto => "AutoEnvelope",
}

//! The built-in formats' envelope schemas, and their `ToSchema` impls.
//!
//! Each schema says what the format's `serialize` writes: the members it always writes
//! are required, the optional ones (details, request id, timestamp, instance) are
//! properties, and other members are allowed, as lenient decoding allows them.

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AllOfBuilder, ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::{PartialSchema, ToSchema};

use super::{DetailsDoc, EnvelopeDoc};
use crate::field_errors::FieldErrors;
use crate::format::flatten::FIELD_ERRORS_MEMBER;
use crate::format::top_level::TopLevel;
use crate::format::{Auto, Fields, Flat, Format, Nested, Plain, Problem, Reason};
use crate::unknown::Unknown;

/// Any JSON value.
fn any() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::AnyValue)
}

/// A string.
fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// A string, one of `codes` (any string when there are none).
fn code(codes: &[&str]) -> ObjectBuilder {
    if codes.is_empty() {
        string()
    } else {
        string().enum_values(Some(codes.iter().copied()))
    }
}

/// The HTTP status as an integer: the one of `doc`, or any error status.
fn status(doc: &EnvelopeDoc<'_>) -> ObjectBuilder {
    let integer = ObjectBuilder::new().schema_type(Type::Integer);
    match doc.status {
        Some(status) => integer.enum_values(Some([status.as_u16()])),
        None => integer.minimum(Some(400)).maximum(Some(599)),
    }
}

/// The schema of [`FieldErrors`]: field name to its messages.
pub(crate) fn field_errors() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some("Field name to the messages of its failed checks."))
        .additional_properties(Some(ArrayBuilder::new().items(string())))
        .into()
}

/// `object` with a `name` member holding the details, when there are any.
fn with_details(object: ObjectBuilder, name: &str, details: &DetailsDoc) -> ObjectBuilder {
    match details {
        DetailsDoc::None => object,
        DetailsDoc::Opaque => object.property(name, any()),
        DetailsDoc::FieldErrors => object.property(name, field_errors()),
        DetailsDoc::Schema(schema) => object.property(name, (**schema).clone()),
    }
}

/// An object with request id and timestamp properties, as [`Context`](crate::Context)
/// adds them.
fn traced(object: ObjectBuilder) -> ObjectBuilder {
    object
        .property("request_id", string())
        .property("timestamp", string())
}

/// `plain`, `fields` and `flat`: one object with the code (when the format has one), the
/// message and the details.
pub(crate) fn top_level<T: TopLevel>(doc: &EnvelopeDoc<'_>) -> RefOr<Schema> {
    let mut object = ObjectBuilder::new().schema_type(Type::Object);
    if let Some(member) = T::CODE {
        object = object.property(member, code(doc.codes)).required(member);
    }
    object = object.property(T::MESSAGE, string()).required(T::MESSAGE);
    with_details(object, T::DETAILS, doc.details).into()
}

/// `{"error": inner}`.
fn wrapped(inner: ObjectBuilder) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("error", inner)
        .required("error")
        .into()
}

/// `nested`: `{"error":{"code","message","details","request_id","timestamp"}}`.
pub(crate) fn nested(doc: &EnvelopeDoc<'_>) -> RefOr<Schema> {
    let inner = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("code", code(doc.codes))
        .required("code")
        .property("message", string())
        .required("message");
    wrapped(traced(with_details(inner, "details", doc.details)))
}

/// `reason`: `{"error":{"code":<status>,"reason","message","details"}}`.
pub(crate) fn reason(doc: &EnvelopeDoc<'_>) -> RefOr<Schema> {
    let inner = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("code", status(doc))
        .required("code")
        .property("reason", code(doc.codes))
        .required("reason")
        .property("message", string())
        .required("message");
    wrapped(with_details(inner, "details", doc.details))
}

/// `problem`: RFC 9457 members, then `code`, the context's members, and the details as
/// extension members ([`FieldErrors`] under `errors`).
pub(crate) fn problem(doc: &EnvelopeDoc<'_>) -> RefOr<Schema> {
    let title = match doc.status {
        Some(status) => string().enum_values(Some([crate::status::reason_phrase(status)])),
        None => string(),
    };
    let mut base = ObjectBuilder::new().schema_type(Type::Object);
    for (member, schema) in [
        ("type", string().default(Some("about:blank".into()))),
        ("title", title),
        ("status", status(doc)),
        ("detail", string()),
        ("code", code(doc.codes)),
    ] {
        base = base.property(member, schema).required(member);
    }
    let base = traced(base.property("instance", string()));
    match doc.details {
        DetailsDoc::None | DetailsDoc::Opaque => base.into(),
        DetailsDoc::FieldErrors => base.property(FIELD_ERRORS_MEMBER, field_errors()).into(),
        // The details' own members sit beside the standard ones.
        DetailsDoc::Schema(details) => AllOfBuilder::new()
            .item(base)
            .item((**details).clone())
            .into(),
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

impl PartialSchema for FieldErrors {
    fn schema() -> RefOr<Schema> {
        field_errors()
    }
}

impl ToSchema for FieldErrors {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("FieldErrors")
    }
}

impl PartialSchema for Unknown {
    /// Any JSON: an error the API does not declare may have any body, and a client keeps
    /// its status, code, message and the start of the body whatever its shape.
    fn schema() -> RefOr<Schema> {
        any()
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

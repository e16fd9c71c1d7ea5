//! The format layer's OpenAPI part (feature `utoipa`): what an envelope schema
//! describes ([`EnvelopeDoc`], [`DetailsDoc`], re-exported by
//! [`openapi`](crate::openapi)), the built-in formats' envelope schemas, and their
//! `ToSchema` impls. [`Format::schema`] reaches these, and nothing above the formats.
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

use crate::field_errors::FieldErrors;
use crate::format::flatten::FIELD_ERRORS_MEMBER;
use http::StatusCode;
use utoipa::openapi::schema::AnyOfBuilder;

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
/// `members` are the code's (if the format has one), the message's and the details'.
pub(crate) fn top_level(
    doc: &EnvelopeDoc<'_>,
    (code_member, message, details): (Option<&str>, &str, &str),
) -> RefOr<Schema> {
    let mut object = ObjectBuilder::new().schema_type(Type::Object);
    if let Some(member) = code_member {
        object = object.property(member, code(doc.codes)).required(member);
    }
    object = object.property(message, string()).required(message);
    with_details(object, details, doc.details).into()
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

/// What a variant's details look like, for its envelope's schema.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum DetailsDoc {
    /// The variant has no details.
    #[default]
    None,
    /// The variant has details whose type has no schema: any JSON value.
    Opaque,
    /// The details are [`FieldErrors`](crate::FieldErrors) (which `problem` writes under
    /// one `errors` member).
    FieldErrors,
    /// The details' schema, from its type's [`utoipa::ToSchema`].
    Schema(Box<RefOr<Schema>>),
}

impl DetailsDoc {
    /// One description for details that any of `docs` may have: the same kind when
    /// all agree, any of their schemas when each has one, else any JSON value.
    pub(crate) fn merge<'a>(docs: impl IntoIterator<Item = &'a DetailsDoc>) -> DetailsDoc {
        let mut present: Vec<&DetailsDoc> = Vec::new();
        for doc in docs {
            if *doc != DetailsDoc::None && !present.contains(&doc) {
                present.push(doc);
            }
        }
        match present.as_slice() {
            [] => DetailsDoc::None,
            [one] => (*one).clone(),
            many if many.contains(&&DetailsDoc::Opaque) => DetailsDoc::Opaque,
            many => {
                let any_of = many.iter().fold(AnyOfBuilder::new(), |any_of, doc| {
                    any_of.item(match doc {
                        DetailsDoc::Schema(schema) => (**schema).clone(),
                        _ => field_errors(),
                    })
                });
                DetailsDoc::Schema(Box::new(any_of.into()))
            }
        }
    }
}

/// What an envelope schema describes: the envelopes of one status, or of any.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct EnvelopeDoc<'a> {
    /// The status the envelopes answer with; `None` for any status.
    pub status: Option<StatusCode>,
    /// The codes possible (enumerated in the schema); empty for any code.
    pub codes: &'a [&'a str],
    /// The details.
    pub details: &'a DetailsDoc,
}

impl<'a> EnvelopeDoc<'a> {
    /// Any status, any code, details of any shape: a format's general schema.
    pub const ANY: EnvelopeDoc<'static> = EnvelopeDoc {
        status: None,
        codes: &[],
        details: &DetailsDoc::Opaque,
    };

    /// The envelopes of `status`, with these codes and details.
    pub const fn new(status: StatusCode, codes: &'a [&'a str], details: &'a DetailsDoc) -> Self {
        EnvelopeDoc {
            status: Some(status),
            codes,
            details,
        }
    }
}

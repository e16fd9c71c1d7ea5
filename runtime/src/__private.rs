//! Items the derive's generated code names; not a public API. It only re-exports: each
//! item lives beside what it serves, and public code never calls through here.
//!
//! Layer 7: what the generated code names (the top).

pub use core;
pub use serde;
pub use serde_json;
pub use std::borrow::Cow;
pub use std::format;
pub use std::string::{String, ToString};
pub use std::time::{Duration as StdDuration, SystemTime};
pub use std::vec::Vec;

pub use http::{HeaderMap, HeaderValue, StatusCode};

pub use crate::api_error::ApiError;
pub use crate::catalogue::ErrorSpec;
pub use crate::client::registry::register_probe;
pub use crate::decode::in_place::InPlaceDetails;
pub use crate::decode::input::DecodeInput;
pub use crate::decode::{DecodeError, DecodeErrorKind, ResponseMeta};
pub use crate::decoded::deserialize_body;
pub use crate::decoded::{decode_in_place, decode_in_place_with_meta};
pub use crate::format::declared::{
    Declaration, EnvelopeOnly, Literal as DeclaredLiteral, Member as DeclaredMember,
    Part as DeclaredPart, Slot as DeclaredSlot, Value as DeclaredValue, VariantParts,
};
pub use crate::format::envelope::Context;
pub use crate::format::sink::{EncodeEnvelope, EnvelopeSink, JsonSink, SerializerSink};
pub use crate::format::{
    Declare, Declared, Envelope, Fields, Flat, Format, Message, Nested, NoDetails, Plain, Problem,
    Reason,
};
pub use crate::grpc_code::GrpcCode;
pub use crate::hint::retry_after::header_value as retry_after_value;
pub use crate::log_level::LogLevel;
pub use crate::retry::{Failure, HintUnit, RetrySignals};
pub use crate::retry_class::Retry;
pub use crate::roles::{
    DefaultField, Details, DetailsField, DetailsProbe, DisplayMessage, MemberField, MessageField,
    RetryAfterField, ViaDetails, ViaMissing,
};
pub use crate::status::{reason_phrase, status};
pub use crate::unknown::Unknown;

pub use crate::__impl_actix_web as impl_actix_web;
pub use crate::__impl_axum as impl_axum;
pub use crate::__impl_integrations as impl_integrations;
pub use crate::__impl_tonic as impl_tonic;
pub use crate::__impl_utoipa as impl_utoipa;

/// What the `axum` arm of `impl_integrations!` calls.
#[cfg(feature = "axum")]
pub mod axum {
    pub use ::axum::response::{IntoResponse, Response};

    pub use crate::axum::response::{into_response, into_response_with_source};
    pub use crate::server::respond::probe::{Probe, ViaError, ViaNone};

    /// The traits that `(&Probe(&value)).as_error()` dispatches through; generated code
    /// glob-imports this module.
    pub mod probe {
        pub use crate::server::respond::probe::{ViaError, ViaNone};
    }
}

/// What the `actix-web` arm of `impl_integrations!` calls.
#[cfg(feature = "actix-web")]
pub mod actix_web {
    pub use ::actix_web::http::StatusCode;
    pub use ::actix_web::{HttpResponse, ResponseError};

    pub use crate::actix_web::{error_response, status_code};
}

/// Whether a derived type is a `std::error::Error` (see `server::respond::probe`): the
/// value and the traits `(&Probe(&value)).as_error()` dispatches through, for a glob
/// import.
#[cfg(any(feature = "axum", feature = "actix-web", feature = "tonic"))]
pub mod axum_probe {
    pub use crate::server::respond::probe::{Probe, ViaError, ViaNone};
}

/// What the `tonic` arm of `impl_integrations!` calls.
#[cfg(feature = "tonic")]
pub mod tonic {
    pub use ::tonic::Status;

    pub use crate::tonic::into_status;
}

/// What the `utoipa` arm of `impl_integrations!` calls.
#[cfg(feature = "utoipa")]
pub mod utoipa {
    pub use ::utoipa::IntoResponses;

    pub use crate::__details_doc as details;
    pub use crate::openapi::probe::SchemaProbe;
    pub use crate::openapi::{DetailsDoc, default_response, responses};

    /// What `IntoResponses::responses` returns.
    pub type Responses = std::collections::BTreeMap<
        std::string::String,
        ::utoipa::openapi::RefOr<::utoipa::openapi::response::Response>,
    >;

    /// The traits that `(&&&SchemaProbe::<T>::new()).doc()` dispatches through;
    /// generated code glob-imports this module.
    pub mod probe {
        pub use crate::openapi::probe::{ViaFieldErrors, ViaOpaque, ViaSchema};
    }
}

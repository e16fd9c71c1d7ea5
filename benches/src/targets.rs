//! The cases the performance targets name, shared by the `targets` bench (time) and the
//! `instructions` binary (instruction counts under callgrind).
//!
//! Three bodies, each written by `apierror` with a per-response [`Context`] (request id
//! and timestamp), with the realistic field errors:
//!
//! - `nested`: `{"error":{"code","message","details","request_id","timestamp"}}`;
//! - `problem`: RFC 9457 members, `code`, the context's members and `errors`;
//! - `flat`: `{"error":"<code>","message","details"}` (the format writes no context).
//!
//! The baseline for each is hand-written `#[derive(Serialize, Deserialize)]` structs over
//! the same members, borrowing `&str` where the body allows it, with `FieldErrors` as the
//! details on both sides; encoding writes the same bytes (the `targets` tests assert it).
//! Decoding goes through `from_response` with an empty `HeaderMap` (the client's path)
//! and through `Decoded::from_response`.

// Every case panics on a body it cannot handle: the bodies are fixed, and a bench that
// measured a failure would measure the wrong thing.
#![allow(clippy::missing_panics_doc)]

use std::borrow::Cow;
use std::hint::black_box;

use apierror::{ApiError, Context, Decoded, FieldErrors};
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};

use crate::fixtures::{FlatError, NestedError, ProblemError, STATUS, Sample, field_errors};

/// The per-response members a server adds.
pub const CONTEXT: Context<'static> = Context::new()
    .with_request_id("req_8f2c4d1e")
    .with_timestamp("2024-05-01T12:00:00.000Z");

/// One of the three bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// `nested`, with details, request id and timestamp.
    Nested,
    /// `problem`, with a `code` member.
    Problem,
    /// `flat`.
    Flat,
}

impl Body {
    /// All three.
    pub const ALL: [Body; 3] = [Body::Nested, Body::Problem, Body::Flat];

    /// The format's name.
    pub const fn name(self) -> &'static str {
        match self {
            Body::Nested => "nested",
            Body::Problem => "problem",
            Body::Flat => "flat",
        }
    }

    /// The bytes `apierror` writes for the validation error.
    pub fn bytes(self) -> Vec<u8> {
        let fields = field_errors();
        match self {
            Body::Nested => NestedError::validation(fields).to_body_with(&CONTEXT),
            Body::Problem => ProblemError::validation(fields).to_body_with(&CONTEXT),
            Body::Flat => FlatError::validation(fields).to_body_with(&CONTEXT),
        }
    }
}

/// `nested`, both ways.
#[derive(Debug, Serialize, Deserialize)]
pub struct NestedBody<'a> {
    /// The `error` object.
    #[serde(borrow)]
    pub error: NestedInner<'a>,
}

/// `nested`'s `error` object.
#[derive(Debug, Serialize, Deserialize)]
pub struct NestedInner<'a> {
    /// The code.
    #[serde(borrow)]
    pub code: Cow<'a, str>,
    /// The message.
    #[serde(borrow)]
    pub message: Cow<'a, str>,
    /// The details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<FieldErrors>,
    /// The request id.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<Cow<'a, str>>,
    /// The timestamp.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Cow<'a, str>>,
}

/// `problem`, both ways.
#[derive(Debug, Serialize, Deserialize)]
pub struct ProblemBody<'a> {
    /// `type`.
    #[serde(rename = "type", borrow)]
    pub kind: Cow<'a, str>,
    /// `title`.
    #[serde(borrow)]
    pub title: Cow<'a, str>,
    /// `status`.
    pub status: u16,
    /// `detail`.
    #[serde(borrow)]
    pub detail: Cow<'a, str>,
    /// `code`.
    #[serde(borrow)]
    pub code: Cow<'a, str>,
    /// The request id.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<Cow<'a, str>>,
    /// The timestamp.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Cow<'a, str>>,
    /// The field errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<FieldErrors>,
}

/// `flat`, both ways.
#[derive(Debug, Serialize, Deserialize)]
pub struct FlatBody<'a> {
    /// The code.
    #[serde(borrow)]
    pub error: Cow<'a, str>,
    /// The message.
    #[serde(borrow)]
    pub message: Cow<'a, str>,
    /// The details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<FieldErrors>,
}

/// The values both sides encode, built once outside any timed loop.
#[derive(Debug)]
pub struct Encoders {
    fields: FieldErrors,
    nested: NestedError,
    problem: ProblemError,
    flat: FlatError,
}

impl Default for Encoders {
    fn default() -> Self {
        Encoders {
            fields: field_errors(),
            nested: NestedError::validation(field_errors()),
            problem: ProblemError::validation(field_errors()),
            flat: FlatError::validation(field_errors()),
        }
    }
}

impl Encoders {
    /// Writes `body` with `apierror`, the per-response context included.
    pub fn apierror(&self, body: Body, buf: &mut Vec<u8>) {
        let written = match body {
            Body::Nested => black_box(&self.nested).write_body(buf, &CONTEXT),
            Body::Problem => black_box(&self.problem).write_body(buf, &CONTEXT),
            Body::Flat => black_box(&self.flat).write_body(buf, &CONTEXT),
        };
        written.unwrap();
    }

    /// Writes `body` with the hand-written structs.
    pub fn serde(&self, body: Body, buf: &mut Vec<u8>) {
        let written = match body {
            Body::Nested => serde_json::to_writer(buf, &nested_out(&self.fields)),
            Body::Problem => serde_json::to_writer(buf, &problem_out(&self.fields)),
            Body::Flat => serde_json::to_writer(buf, &flat_out(&self.fields)),
        };
        written.unwrap();
    }
}

/// `nested` as a hand-written server writes it: borrowed members.
#[derive(Serialize)]
struct NestedOut<'a> {
    error: NestedInnerOut<'a>,
}

#[derive(Serialize)]
struct NestedInnerOut<'a> {
    code: &'a str,
    message: &'a str,
    details: &'a FieldErrors,
    request_id: &'a str,
    timestamp: &'a str,
}

fn nested_out(fields: &FieldErrors) -> NestedOut<'_> {
    NestedOut {
        error: NestedInnerOut {
            code: black_box("validation_error"),
            message: black_box("validation failed"),
            details: fields,
            request_id: black_box("req_8f2c4d1e"),
            timestamp: black_box("2024-05-01T12:00:00.000Z"),
        },
    }
}

#[derive(Serialize)]
struct ProblemOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: &'a str,
    code: &'a str,
    request_id: &'a str,
    timestamp: &'a str,
    errors: &'a FieldErrors,
}

fn problem_out(fields: &FieldErrors) -> ProblemOut<'_> {
    ProblemOut {
        kind: black_box("about:blank"),
        title: black_box("Unprocessable Entity"),
        status: black_box(STATUS.as_u16()),
        detail: black_box("validation failed"),
        code: black_box("validation_error"),
        request_id: black_box("req_8f2c4d1e"),
        timestamp: black_box("2024-05-01T12:00:00.000Z"),
        errors: fields,
    }
}

#[derive(Serialize)]
struct FlatOut<'a> {
    error: &'a str,
    message: &'a str,
    details: &'a FieldErrors,
}

fn flat_out(fields: &FieldErrors) -> FlatOut<'_> {
    FlatOut {
        error: black_box("validation_error"),
        message: black_box("validation failed"),
        details: fields,
    }
}

/// Reads `bytes` (of `body`) with the hand-written structs; returns whether it had
/// details, so that nothing is optimised away.
pub fn decode_serde(body: Body, bytes: &[u8]) -> bool {
    match body {
        Body::Nested => serde_json::from_slice::<NestedBody<'_>>(bytes)
            .unwrap()
            .error
            .details
            .is_some(),
        Body::Problem => serde_json::from_slice::<ProblemBody<'_>>(bytes)
            .unwrap()
            .errors
            .is_some(),
        Body::Flat => serde_json::from_slice::<FlatBody<'_>>(bytes)
            .unwrap()
            .details
            .is_some(),
    }
}

/// Reads `bytes` with `E::from_response` and an empty `HeaderMap`.
pub fn decode_apierror(body: Body, headers: &HeaderMap, bytes: &[u8]) -> bool {
    match body {
        Body::Nested => from_response::<NestedError>(headers, bytes),
        Body::Problem => from_response::<ProblemError>(headers, bytes),
        Body::Flat => from_response::<FlatError>(headers, bytes),
    }
}

fn from_response<E: Sample>(headers: &HeaderMap, bytes: &[u8]) -> bool {
    E::from_response(STATUS, headers, bytes)
        .unwrap()
        .details()
        .is_some()
}

/// Reads `bytes` with `Decoded::<E>::from_response` (the error and what the response
/// said beside it).
pub fn decode_decoded(body: Body, headers: &HeaderMap, bytes: &[u8]) -> bool {
    match body {
        Body::Nested => decoded::<NestedError>(headers, bytes),
        Body::Problem => decoded::<ProblemError>(headers, bytes),
        Body::Flat => decoded::<FlatError>(headers, bytes),
    }
}

fn decoded<E: Sample>(headers: &HeaderMap, bytes: &[u8]) -> bool {
    let decoded = Decoded::<E>::from_response(StatusCode::UNPROCESSABLE_ENTITY, headers, bytes);
    decoded.unwrap().error.details().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_baseline_writes_the_bytes_apierror_writes() {
        let encoders = Encoders::default();
        for body in Body::ALL {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            encoders.apierror(body, &mut ours);
            encoders.serde(body, &mut theirs);
            assert_eq!(
                String::from_utf8(theirs).unwrap(),
                String::from_utf8(ours.clone()).unwrap(),
                "{}",
                body.name()
            );
            assert_eq!(ours, body.bytes());
        }
    }

    #[test]
    fn every_decoder_reads_the_details() {
        let headers = HeaderMap::new();
        for body in Body::ALL {
            let bytes = body.bytes();
            assert!(decode_serde(body, &bytes), "{}", body.name());
            assert!(decode_apierror(body, &headers, &bytes), "{}", body.name());
            assert!(decode_decoded(body, &headers, &bytes), "{}", body.name());
        }
    }
}

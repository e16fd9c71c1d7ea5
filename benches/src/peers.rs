//! The validation error built with the peer crates, and an `apierror` format that writes
//! `error-envelope`'s shape so the two can be compared byte for byte.
//!
//! | peer | shape | compared with |
//! |---|---|---|
//! | `http-api-problem` 0.60 | RFC 9457; `status` before `title`, extension members in `HashMap` order | `problem`, encode and decode |
//! | `problem_details` 0.11 | RFC 9457; `status` before `title`, typed extensions | `problem`, encode and decode |
//! | `error-envelope` 0.3 | `{"code","message","details","retryable"}`, serialize only | [`EnvelopeError`], encode |

use std::borrow::Cow;

use apierror::format::{Envelope, Format, RawDetails, RawEnvelope};
use apierror::{ApiError, FieldErrors, Retry, Unknown};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::fixtures::{CODE, MESSAGE, STATUS};

/// The validation error as an `http_api_problem::HttpApiProblem`.
pub fn http_api_problem(fields: &FieldErrors) -> http_api_problem::HttpApiProblem {
    let mut problem = http_api_problem::HttpApiProblem::with_title(STATUS)
        .type_url("about:blank")
        .detail(MESSAGE)
        .value("code", &CODE);
    problem.set_value("errors", fields);
    problem
}

/// The extension members of the validation error, for `problem_details`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProblemExtensions {
    /// The machine-readable code.
    pub code: String,
    /// The field errors, under one `errors` member.
    #[serde(rename = "errors")]
    pub fields: FieldErrors,
}

/// The validation error as a `problem_details::ProblemDetails`.
pub fn problem_details(fields: &FieldErrors) -> problem_details::ProblemDetails<ProblemExtensions> {
    problem_details::ProblemDetails::from_status_code(STATUS)
        .with_type(problem_details::ProblemType::default())
        .with_detail(MESSAGE)
        .with_extensions(ProblemExtensions {
            code: CODE.to_owned(),
            fields: fields.clone(),
        })
}

/// The validation error as an `error_envelope::Error`.
///
/// # Panics
///
/// Never: field errors always convert to a `serde_json::Value`.
pub fn error_envelope(fields: &FieldErrors) -> error_envelope::Error {
    let details = serde_json::to_value(fields).expect("field errors are JSON");
    error_envelope::Error::new(
        error_envelope::Code::UnprocessableEntity,
        STATUS.as_u16(),
        MESSAGE,
    )
    .with_details(details)
}

/// `error-envelope`'s shape as an `apierror` [`Format`]:
/// `{"code":"…","message":"…","details":{…},"retryable":false}`, `retryable` from the
/// status's retry class.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvelopeShape;

/// `error-envelope`'s shape, read.
#[derive(Deserialize)]
struct EnvelopeIn<'a> {
    #[serde(borrow, default)]
    code: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    message: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    details: Option<&'a RawValue>,
}

impl Format for EnvelopeShape {
    const NAME: &'static str = "error-envelope";

    fn serialize<S, D>(envelope: &Envelope<'_, D>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        D: Serialize + ?Sized,
    {
        let len = 3 + usize::from(envelope.details.is_some());
        let mut body = serializer.serialize_struct("Error", len)?;
        body.serialize_field("code", envelope.code)?;
        body.serialize_field("message", &envelope.message)?;
        if let Some(details) = envelope.details {
            body.serialize_field("details", details)?;
        }
        let retryable = Retry::for_status(envelope.status).is_retryable();
        body.serialize_field("retryable", &retryable)?;
        body.end()
    }

    fn deserialize<'de, De>(deserializer: De) -> Result<RawEnvelope<'de>, De::Error>
    where
        De: Deserializer<'de>,
    {
        let body = EnvelopeIn::deserialize(deserializer)?;
        let mut raw = RawEnvelope::default();
        raw.code = body.code;
        raw.message = body.message;
        raw.details = body
            .details
            .map(|details| RawDetails::Value(Cow::Borrowed(details)));
        Ok(raw)
    }
}

/// The validation error declared with `apierror` in `error-envelope`'s shape.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = crate::peers::EnvelopeShape, rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EnvelopeError {
    /// 422 with field errors as details.
    #[error("validation failed")]
    #[status(422)]
    UnprocessableEntity {
        /// The field errors.
        #[api_error(details)]
        fields: FieldErrors,
    },

    /// Whatever the enum does not know.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{ProblemError, Sample, field_errors};

    #[test]
    fn envelope_shape_writes_the_bytes_error_envelope_writes() {
        let fields = field_errors();
        let ours = EnvelopeError::UnprocessableEntity {
            fields: fields.clone(),
        }
        .to_body();
        let theirs = serde_json::to_vec(&error_envelope(&fields)).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }

    #[test]
    fn problem_peers_write_the_same_members() {
        let fields = field_errors();
        let ours: serde_json::Value =
            serde_json::from_slice(&ProblemError::validation(fields.clone()).to_body()).unwrap();
        let peers = [
            serde_json::to_value(http_api_problem(&fields)).unwrap(),
            serde_json::to_value(problem_details(&fields)).unwrap(),
        ];
        for peer in peers {
            assert_eq!(ours, peer);
        }
    }

    #[test]
    fn problem_peers_read_our_bytes() {
        let fields = field_errors();
        let body = ProblemError::validation_body();
        let problem: http_api_problem::HttpApiProblem = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem.json_value("code").unwrap(), CODE);
        assert!(problem.json_value("errors").is_some());
        let details: problem_details::ProblemDetails<ProblemExtensions> =
            serde_json::from_slice(&body).unwrap();
        assert_eq!(details.extensions.code, CODE);
        assert_eq!(details.extensions.fields, fields);
    }
}

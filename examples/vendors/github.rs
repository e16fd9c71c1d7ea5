//! GitHub's REST API: `{"message":"…","errors":[…],"documentation_url":"…","status":"422"}`,
//! with no code: the status picks the error, and the status is repeated in the body as a
//! string.

use apierror::{ApiError, Unknown};
use serde::{Deserialize, Serialize};

/// GitHub's errors.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(
    json = r#"{"message":"{message}","errors":{details?},"documentation_url":"{documentation_url?}","status":"{status}"}"#
))]
pub enum GitHubError {
    /// The request's body failed validation: each error names a resource, a field and why.
    #[error("Validation Failed")]
    #[status(422)]
    ValidationFailed {
        /// What failed.
        #[api_error(details)]
        errors: Vec<ValidationError>,
        /// Where the endpoint is documented.
        #[api_error(member)]
        documentation_url: Option<String>,
    },
    /// No such resource, or the token cannot see it.
    #[error("Not Found")]
    #[status(404)]
    NotFound {
        /// Where the API is documented.
        #[api_error(member)]
        documentation_url: Option<String>,
    },
    /// Forbidden, among others by the primary rate limit.
    #[error("{message}")]
    #[status(403)]
    Forbidden {
        /// What GitHub said.
        #[api_error(message)]
        message: String,
        /// Where the limit is documented.
        #[api_error(member)]
        documentation_url: Option<String>,
    },
    /// Any other error.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

/// One of a 422's `errors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// The resource, like `Issue`.
    pub resource: String,
    /// The field.
    pub field: String,
    /// Why, like `missing_field`.
    pub code: String,
}

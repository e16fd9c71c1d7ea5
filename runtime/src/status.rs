//! Statuses as the envelope writes them: the reason phrase of a masked 5xx's message
//! and of a problem's `title`, and the const constructor generated code uses.
//!
//! Layer 0: the ground floor (plain data and header parsing; imports nothing above it).

use http::StatusCode;

/// A status the derive has already checked to be in `100..=599`.
#[inline]
pub const fn status(code: u16) -> StatusCode {
    match StatusCode::from_u16(code) {
        Ok(status) => status,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The canonical reason phrase of a status, or `"Error"` for unassigned codes.
#[inline]
pub fn reason_phrase(status: StatusCode) -> &'static str {
    status.canonical_reason().unwrap_or("Error")
}

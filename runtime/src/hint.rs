//! Layer 0, the ground floor: what a response says about when to try again, read from
//! its headers (`Retry-After`, rate-limit headers, a vendor's declared headers) and from
//! hints in its body, and what a failed attempt is ([`Failure`](crate::retry::Failure)).
//! Imports only the retry class; [`retry`](crate::retry) re-exports the public types.

pub(crate) mod failure;
pub(crate) mod rate_limit;
pub(crate) mod retry_after;
pub(crate) mod signals;

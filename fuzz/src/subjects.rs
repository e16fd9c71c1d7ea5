//! The enums under test: one per format, each with every kind of field, and a twin of
//! each without an `unknown` variant (the `DecodeError` path).
//!
//! | variant | status | fields |
//! |---|---|---|
//! | `BadRequest` | 400 | none (the decode default in `plain` and `fields`) |
//! | `Unauthorized` | 401 | `#[api_error(message)] String` (decode default in `plain`, `fields`) |
//! | `RequiredField` | 400 | none; code `required` in `reason` and `problem`, shared with... |
//! | `RequiredAuth` | 401 | none; ...this one: the status tells them apart |
//! | `Forbidden` | 403 | details `Vec<String>` |
//! | `NotFound` | 404 | details `Option<FieldErrors>` |
//! | `Conflict` | 409 | details: a struct |
//! | `Validation` | 422 | details `FieldErrors`, message `String`, `#[api_error(default)] u32` |
//! | `RateLimited` | 429 | `#[api_error(retry_after)] Duration`, message `String` |
//! | `Internal` | 500 | `#[source] Cause`: encode-only |
//! | `Unavailable` | 503 | `#[api_error(retry_after)] Option<u64>`, `#[api_error(default)] String` |
//! | `Other` | any | `#[api_error(unknown)] Unknown` (not in the `Strict` twins) |

use std::fmt;
use std::time::Duration;

use apierror::http::StatusCode;
use apierror::retry::MAX_RETRY_AFTER;
use apierror::{ApiError, FieldErrors, Unknown};
use serde::{Deserialize, Serialize};

use super::input::Bytes;
use super::known_bugs::KnownBug;

/// The formats, as the targets tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    /// `plain`
    Plain,
    /// `nested`
    Nested,
    /// `fields`
    Fields,
    /// `reason`
    Reason,
    /// `flat`
    Flat,
    /// `problem`
    Problem,
    /// `apierror::format::Auto`
    Auto,
}

impl Fmt {
    /// Every format, in selector order.
    pub const ALL: [Fmt; 7] = [
        Fmt::Plain,
        Fmt::Nested,
        Fmt::Fields,
        Fmt::Reason,
        Fmt::Flat,
        Fmt::Problem,
        Fmt::Auto,
    ];

    /// Whether the body names the error (else the status alone picks the variant).
    pub fn has_code(self) -> bool {
        !matches!(self, Fmt::Plain | Fmt::Fields)
    }

    /// Whether details are written as top-level members (`problem`, and `Auto`, which
    /// encodes `problem`).
    pub fn flattens(self) -> bool {
        matches!(self, Fmt::Problem | Fmt::Auto)
    }

    /// Whether this module's enum shares the code `required` between two statuses.
    pub fn shares_codes(self) -> bool {
        matches!(self, Fmt::Reason | Fmt::Problem)
    }
}

/// The names `problem` writes itself: details entries called so are left out of the
/// body (the runtime's `STANDARD_MEMBERS`).
pub const PROBLEM_MEMBERS: [&str; 8] = [
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "code",
    "request_id",
    "timestamp",
];

/// The struct details of `Conflict`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictDetails {
    /// Which resource.
    pub resource: String,
    /// Its version.
    pub version: u64,
}

/// The source of the encode-only `Internal`: its `Display` is a secret that must never
/// reach a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause(pub String);

/// What every `Cause`'s `Display` starts with.
pub const SECRET_MARK: &str = "SECRET<";

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{SECRET_MARK}{}>", self.0)
    }
}

impl std::error::Error for Cause {}

/// What the targets need of an enum beyond `ApiError`.
pub trait Subject: ApiError + PartialEq + fmt::Debug + fmt::Display + Sized + 'static {
    /// The twin without an `unknown` variant.
    type Strict: ApiError + fmt::Debug;
    /// The format.
    const FMT: Fmt;

    /// The `Unknown` of the `Other` variant.
    fn unknown(&self) -> Option<&Unknown>;

    /// For a variant whose code another variant shares, the status that tells them
    /// apart.
    fn shared_code_status(&self) -> Option<u16>;

    /// One value of each variant a response can decode to.
    fn decodable() -> Vec<Self>;

    /// The `BadRequest` variant and an `Unauthorized` with `message`.
    fn bad_request() -> Self;
    /// See [`bad_request`](Self::bad_request).
    fn unauthorized(message: String) -> Self;
    /// A `Validation` with these fields and message.
    fn validation(fields: FieldErrors, message: String) -> Self;

    /// The value decoded from a body alone (`serde::Deserialize`), for the formats
    /// whose body names the error.
    fn from_body(body: &[u8]) -> Option<Result<Self, String>>;

    /// A value carved from `bytes`, or `None` for one whose encoding legitimately
    /// decodes to something else (see [`build`]).
    fn build(bytes: &mut Bytes<'_>) -> Option<Self>;

    /// What a client decodes from this value's response with body `body`: the value
    /// itself, normalised for what the wire cannot carry (see [`expected`]).
    #[must_use]
    fn expected(&self, body: &[u8]) -> Self;

    /// A known bug that makes decoding this value's response differ from
    /// [`expected`](Self::expected), if any.
    fn affected_by(&self) -> Option<KnownBug>;

    /// Whether this is the encode-only `Internal`.
    fn is_encode_only(&self) -> bool;
}

/// `Retry-After` carries whole seconds, rounded up, and a client caps a hint at
/// [`MAX_RETRY_AFTER`]: what a `retry_after` duration reads back as.
pub fn wire_delay(delay: Duration) -> Duration {
    let seconds = delay
        .as_secs()
        .saturating_add(u64::from(delay.subsec_nanos() > 0));
    Duration::from_secs(seconds).min(MAX_RETRY_AFTER)
}

/// Field errors from bytes: up to 7 fields with 1 to 3 messages each, names often the
/// members envelopes use themselves.
pub fn field_errors(bytes: &mut Bytes<'_>) -> FieldErrors {
    const NAMES: [&str; 16] = [
        "status",
        "type",
        "title",
        "detail",
        "instance",
        "code",
        "errors",
        "details",
        "request_id",
        "timestamp",
        "error",
        "message",
        "reason",
        "",
        "email",
        "price",
    ];
    let mut errors = FieldErrors::new();
    for _ in 0..bytes.u8() % 8 {
        let selector = bytes.u8();
        let name = match NAMES.get(usize::from(selector)) {
            Some(name) => (*name).to_owned(),
            None => bytes.string(),
        };
        for _ in 0..=bytes.u8() % 3 {
            errors.add(name.clone(), bytes.string());
        }
    }
    errors
}

/// Whether `errors` has a field `problem` reserves.
pub fn has_problem_member(errors: &FieldErrors) -> bool {
    errors
        .iter()
        .any(|(name, _)| PROBLEM_MEMBERS.contains(&name))
}

/// The statuses a codeless format decodes to a declared variant.
pub const DECLARED_STATUSES: [u16; 8] = [400, 401, 403, 404, 409, 422, 429, 503];

macro_rules! declare {
    (
        $name:ident, format = [$($format:tt)+],
        codeless_default = [$($dd:tt)*], shared_code = [$($sc:tt)*],
        unknown = [$($unknown:tt)*]
    ) => {
        /// The enum of this format; see the module documentation.
        #[derive(Debug, PartialEq, thiserror::Error, apierror::ApiError)]
        #[api_error(format = $($format)+)]
        pub enum $name {
            /// 400, no fields.
            #[error("malformed request")]
            #[status(400)]
            $($dd)*
            BadRequest,
            /// 401 with a message field.
            #[error("{message}")]
            #[status(401)]
            $($dd)*
            Unauthorized {
                /// The message.
                #[api_error(message)]
                message: String,
            },
            /// 400, sharing its code with `RequiredAuth` where the format allows.
            #[error("a field is required")]
            #[status(400)]
            $($sc)*
            RequiredField,
            /// 401, sharing its code with `RequiredField` where the format allows.
            #[error("credentials are required")]
            #[status(401)]
            $($sc)*
            RequiredAuth,
            /// 403 with a list of reasons.
            #[error("forbidden")]
            #[status(403)]
            Forbidden {
                /// Why.
                #[api_error(details)]
                reasons: Vec<String>,
            },
            /// 404 with optional field errors.
            #[error("not found")]
            #[status(404)]
            NotFound {
                /// Which fields.
                #[api_error(details)]
                fields: Option<FieldErrors>,
            },
            /// 409 with struct details.
            #[error("conflict")]
            #[status(409)]
            Conflict {
                /// What conflicts.
                #[api_error(details)]
                conflict: ConflictDetails,
            },
            /// 422 with field errors, a message and a field that is not sent.
            #[error("{message}")]
            #[status(422)]
            Validation {
                /// The field errors.
                #[api_error(details)]
                fields: FieldErrors,
                /// The message.
                #[api_error(message)]
                message: String,
                /// Not sent; `0` when decoded.
                #[api_error(default)]
                attempt: u32,
            },
            /// 429 with a `Retry-After` duration and a message.
            #[error("{message}")]
            #[status(429)]
            RateLimited {
                /// `Retry-After`.
                #[api_error(retry_after)]
                wait: Duration,
                /// The message.
                #[api_error(message)]
                message: String,
            },
            /// 500, encode-only: its source is not sent.
            #[error("internal: {0}")]
            #[status(500)]
            Internal(#[source] Cause),
            /// 503 with optional `Retry-After` seconds and a field that is not sent.
            #[error("unavailable")]
            #[status(503)]
            Unavailable {
                /// `Retry-After`, in seconds.
                #[api_error(retry_after)]
                retry_after_secs: Option<u64>,
                /// Not sent; empty when decoded.
                #[api_error(default)]
                note: String,
            },
            $($unknown)*
        }
    };
}

/// `serde::Deserialize` from a body alone, where the derive implements it.
macro_rules! from_body {
    (yes, $body:ident) => {
        Some(serde_json::from_slice::<Self>($body).map_err(|e| e.to_string()))
    };
    (no, $body:ident) => {{
        let _ = $body;
        None
    }};
}

macro_rules! subject {
    (
        $module:ident, $fmt:expr, format = [$($format:tt)+],
        codeless_default = [$($dd:tt)*], shared_code = [$($sc:tt)*],
        body_alone = $ba:ident
    ) => {
        /// The enums of one format.
        pub mod $module {
            use super::*;

            declare!(E, format = [$($format)+], codeless_default = [$($dd)*],
                shared_code = [$($sc)*], unknown = [
                    /// Anything else.
                    #[api_error(unknown)]
                    #[error("{0}")]
                    Other(Unknown),
                ]);
            declare!(Strict, format = [$($format)+], codeless_default = [$($dd)*],
                shared_code = [$($sc)*], unknown = []);

            impl Subject for E {
                type Strict = Strict;
                const FMT: Fmt = $fmt;

                fn unknown(&self) -> Option<&Unknown> {
                    match self {
                        E::Other(unknown) => Some(unknown),
                        _ => None,
                    }
                }

                fn shared_code_status(&self) -> Option<u16> {
                    match self {
                        E::RequiredField | E::RequiredAuth if Self::FMT.shares_codes() => {
                            Some(self.status().as_u16())
                        }
                        _ => None,
                    }
                }

                fn decodable() -> Vec<Self> {
                    vec![
                        E::BadRequest,
                        E::Unauthorized { message: String::new() },
                        E::RequiredField,
                        E::RequiredAuth,
                        E::Forbidden { reasons: Vec::new() },
                        E::NotFound { fields: None },
                        E::Conflict {
                            conflict: ConflictDetails { resource: String::new(), version: 0 },
                        },
                        E::Validation {
                            fields: FieldErrors::new(),
                            message: String::new(),
                            attempt: 0,
                        },
                        E::RateLimited { wait: Duration::ZERO, message: String::new() },
                        E::Unavailable { retry_after_secs: None, note: String::new() },
                    ]
                }

                fn bad_request() -> Self {
                    E::BadRequest
                }

                fn unauthorized(message: String) -> Self {
                    E::Unauthorized { message }
                }

                fn validation(fields: FieldErrors, message: String) -> Self {
                    E::Validation { fields, message, attempt: 0 }
                }

                fn from_body(body: &[u8]) -> Option<Result<Self, String>> {
                    from_body!($ba, body)
                }

                fn build(bytes: &mut Bytes<'_>) -> Option<Self> {
                    super::build(bytes, |choice| match choice {
                        Choice::BadRequest => E::BadRequest,
                        Choice::Unauthorized(message) => E::Unauthorized { message },
                        Choice::RequiredField => E::RequiredField,
                        Choice::RequiredAuth => E::RequiredAuth,
                        Choice::Forbidden(reasons) => E::Forbidden { reasons },
                        Choice::NotFound(fields) => E::NotFound { fields },
                        Choice::Conflict(conflict) => E::Conflict { conflict },
                        Choice::Validation(fields, message, attempt) => {
                            E::Validation { fields, message, attempt }
                        }
                        Choice::RateLimited(wait, message) => E::RateLimited { wait, message },
                        Choice::Internal(cause) => E::Internal(cause),
                        Choice::Unavailable(retry_after_secs, note) => {
                            E::Unavailable { retry_after_secs, note }
                        }
                        Choice::Other(unknown) => E::Other(unknown),
                    })
                }

                fn expected(&self, body: &[u8]) -> Self {
                    let fmt = Self::FMT;
                    match self {
                        E::BadRequest => E::BadRequest,
                        E::Unauthorized { message } => E::Unauthorized { message: message.clone() },
                        E::RequiredField => E::RequiredField,
                        E::RequiredAuth => E::RequiredAuth,
                        E::Forbidden { reasons } => E::Forbidden { reasons: reasons.clone() },
                        E::NotFound { fields } => E::NotFound { fields: fields.clone() },
                        E::Conflict { conflict } => E::Conflict { conflict: conflict.clone() },
                        E::Validation { fields, message, attempt: _ } => E::Validation {
                            fields: fields.clone(),
                            message: message.clone(),
                            attempt: 0,
                        },
                        E::RateLimited { wait, message } => E::RateLimited {
                            wait: wire_delay(*wait),
                            message: message.clone(),
                        },
                        E::Internal(_) => E::Other(encode_only(fmt, body)),
                        E::Unavailable { retry_after_secs, note: _ } => E::Unavailable {
                            retry_after_secs: retry_after_secs
                                .map(|s| wire_delay(Duration::from_secs(s)).as_secs()),
                            note: String::new(),
                        },
                        E::Other(unknown) => E::Other(unknown_read_back(fmt, unknown, body)),
                    }
                }

                fn affected_by(&self) -> Option<KnownBug> {
                    let fmt = Self::FMT;
                    match self {
                        E::Validation { fields, .. } | E::NotFound { fields: Some(fields) }
                            if fmt.flattens() && has_problem_member(fields) =>
                        {
                            Some(KnownBug::ProblemDropsReservedFieldNames)
                        }
                        E::NotFound { fields: Some(_) } if fmt.flattens() => {
                            Some(KnownBug::ProblemOptionDetailsNone)
                        }
                        E::RateLimited { wait, .. }
                            if wait.as_secs() == u64::MAX && wait.subsec_nanos() > 0 =>
                        {
                            Some(KnownBug::RetryAfterOverflow)
                        }
                        _ => None,
                    }
                }

                fn is_encode_only(&self) -> bool {
                    matches!(self, E::Internal(_))
                }
            }
        }
    };
}

/// A variant and its field values, before they are put into a module's enum.
#[allow(missing_docs)]
pub enum Choice {
    BadRequest,
    Unauthorized(String),
    RequiredField,
    RequiredAuth,
    Forbidden(Vec<String>),
    NotFound(Option<FieldErrors>),
    Conflict(ConflictDetails),
    Validation(FieldErrors, String, u32),
    RateLimited(Duration, String),
    Internal(Cause),
    Unavailable(Option<u64>, String),
    Other(Unknown),
}

/// A value of `E` from bytes: a variant selector byte, then its fields.
///
/// `None` for values whose response legitimately decodes to something else, so that
/// the round trip can demand equality:
///
/// - in `plain` and `fields` (no code on the wire), `RequiredField` and `RequiredAuth`:
///   the status alone picks the variant, and they share theirs with the decode
///   defaults `BadRequest` and `Unauthorized`;
/// - an `Other` whose status (codeless formats) or code (the others) a declared
///   variant has, or whose status `StatusCode` rejects: that is the declared variant.
///
/// Everything else round-trips up to [`expected`]'s normalisation.
pub fn build<E: Subject>(bytes: &mut Bytes<'_>, make: impl FnOnce(Choice) -> E) -> Option<E> {
    let fmt = E::FMT;
    let choice = match bytes.u8() % 12 {
        0 => Choice::BadRequest,
        1 => Choice::Unauthorized(bytes.string()),
        2 | 3 if !fmt.has_code() => return None,
        2 => Choice::RequiredField,
        3 => Choice::RequiredAuth,
        4 => Choice::Forbidden((0..bytes.u8() % 5).map(|_| bytes.string()).collect()),
        5 => Choice::NotFound(bytes.bool().then(|| field_errors(bytes))),
        6 => Choice::Conflict(ConflictDetails {
            resource: bytes.string(),
            version: bytes.u64(),
        }),
        7 => {
            let fields = field_errors(bytes);
            Choice::Validation(fields, bytes.string(), bytes.u32())
        }
        8 => {
            let wait = bytes.duration();
            Choice::RateLimited(wait, bytes.string())
        }
        9 => Choice::Internal(Cause(bytes.string())),
        10 => {
            let secs = bytes.bool().then(|| bytes.u64());
            Choice::Unavailable(secs, bytes.string())
        }
        _ => {
            let status = StatusCode::from_u16(bytes.u16()).ok()?;
            let mut unknown = Unknown::new(status);
            if bytes.bool() {
                unknown = unknown.with_code(bytes.string());
            }
            if bytes.bool() {
                unknown = unknown.with_message(bytes.string());
            }
            let declared = if fmt.has_code() {
                let code = unknown.code();
                E::decodable().iter().any(|v| v.code() == code)
            } else {
                DECLARED_STATUSES.contains(&status.as_u16())
            };
            if declared {
                return None;
            }
            Choice::Other(unknown)
        }
    };
    Some(make(choice))
}

/// What an encode-only 500 reads back as: an `Unknown` with the masked message, and
/// the code where the format carries one.
pub fn encode_only(fmt: Fmt, body: &[u8]) -> Unknown {
    let unknown = Unknown::new(StatusCode::INTERNAL_SERVER_ERROR)
        .with_message("Internal Server Error")
        .with_body(body);
    if fmt.has_code() {
        unknown.with_code("internal")
    } else {
        unknown
    }
}

/// What an `Unknown` reads back as: its status, its code where the format carries one
/// (`"unknown"` when it had none, as `code()` says), its message (the reason phrase when
/// it had none), and the body.
pub fn unknown_read_back(fmt: Fmt, unknown: &Unknown, body: &[u8]) -> Unknown {
    let read = Unknown::new(unknown.status())
        .with_message(unknown.message().into_owned())
        .with_body(body);
    if fmt.has_code() {
        read.with_code(unknown.code())
    } else {
        read
    }
}

subject!(plain, Fmt::Plain, format = ["plain"],
    codeless_default = [#[api_error(decode_default)]], shared_code = [], body_alone = no);
subject!(
    nested,
    Fmt::Nested,
    format = ["nested"],
    codeless_default = [],
    shared_code = [],
    body_alone = yes
);
subject!(fields, Fmt::Fields, format = ["fields"],
    codeless_default = [#[api_error(decode_default)]], shared_code = [], body_alone = no);
subject!(reason, Fmt::Reason, format = ["reason"],
    codeless_default = [], shared_code = [#[code("required")]], body_alone = yes);
subject!(
    flat,
    Fmt::Flat,
    format = ["flat"],
    codeless_default = [],
    shared_code = [],
    body_alone = yes
);
subject!(problem, Fmt::Problem, format = ["problem"],
    codeless_default = [], shared_code = [#[code("required")]], body_alone = yes);
subject!(
    auto,
    Fmt::Auto,
    format = [apierror::format::Auto],
    codeless_default = [],
    shared_code = [],
    body_alone = yes
);

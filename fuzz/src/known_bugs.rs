//! Bugs known to be in `runtime/` and being fixed: the checks they trip are skipped
//! while the bug is listed in [`KNOWN_BUGS`], and enforced once it is removed.
//!
//! To enforce them anyway (to see a target find one), set `APIERROR_FUZZ_STRICT` to
//! `all` or to a comma-separated list of [`KnownBug`] names, e.g.
//! `APIERROR_FUZZ_STRICT=ProblemOptionDetailsNone cargo +nightly fuzz run roundtrip`.

use std::cell::Cell;
use std::sync::OnceLock;

/// A bug the targets know about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KnownBug {
    /// `problem` (and `Auto`) leave field errors named like a standard member
    /// (`type`, `title`, `status`, `detail`, `instance`, `code`, and also `request_id`,
    /// `timestamp`) out of the body, so the round trip loses them.
    ProblemDropsReservedFieldNames,
    /// `Option<FieldErrors>` details always decode to `None` in `problem` and `Auto`.
    ProblemOptionDetailsNone,
    /// In `reason` (and `problem`), a code two variants share, received under a status
    /// neither declares, decodes to the first of them instead of the unknown variant.
    SharedCodeUndeclaredStatus,
    /// A known member whose value is well-formed JSON that `serde_json` will not read
    /// as a value (`1e400`, `"\ud800"`) sinks the whole envelope to the unknown variant.
    ParserRejectedMemberSinksEnvelope,
    /// The `Retry-After` of a `retry_after` field of `Duration::MAX` overflows (a panic
    /// with overflow checks, `Retry-After: 0` without).
    RetryAfterOverflow,
    /// A rate-limit reset is not clamped (to [`MAX_RETRY_AFTER`](apierror::retry::MAX_RETRY_AFTER)).
    RateLimitResetUnclamped,
    /// Decoding is quadratic in the number of field errors or `problem` extension
    /// members. While listed, the targets keep such bodies small.
    QuadraticDecode,
    /// Found by the `decode` target (not on the original list): `Auto::detect` names a
    /// shape for a body whose skipped member holds invalid UTF-8 (`{"message":"\xb2"}`
    /// is "fields"), while that shape's decoder, and so `Auto::decode`, rejects the body.
    AutoDetectAcceptsInvalidUtf8,
}

/// The known bugs whose checks are skipped. **Remove an entry when its fix lands**: the
/// stable test `fuzz_corpus` then enforces the check, and fails while a listed bug no
/// longer reproduces, to ask for exactly that.
pub const KNOWN_BUGS: &[KnownBug] = &[];

/// Every known bug, listed or not.
pub const ALL_KNOWN_BUGS: [KnownBug; 8] = [
    KnownBug::ProblemDropsReservedFieldNames,
    KnownBug::ProblemOptionDetailsNone,
    KnownBug::SharedCodeUndeclaredStatus,
    KnownBug::ParserRejectedMemberSinksEnvelope,
    KnownBug::RetryAfterOverflow,
    KnownBug::RateLimitResetUnclamped,
    KnownBug::QuadraticDecode,
    KnownBug::AutoDetectAcceptsInvalidUtf8,
];

thread_local! {
    /// A per-thread override of the environment (for the stable test).
    static ENFORCED: Cell<Option<&'static [KnownBug]>> = const { Cell::new(None) };
}

/// Enforces `bugs` on this thread even while they are listed (`None`: back to the
/// environment).
pub fn enforce_on_this_thread(bugs: Option<&'static [KnownBug]>) {
    ENFORCED.with(|cell| cell.set(bugs));
}

/// The bugs `APIERROR_FUZZ_STRICT` enforces.
fn enforced_by_environment() -> &'static [KnownBug] {
    static FROM_ENV: OnceLock<Vec<KnownBug>> = OnceLock::new();
    FROM_ENV.get_or_init(|| {
        let Ok(value) = std::env::var("APIERROR_FUZZ_STRICT") else {
            return Vec::new();
        };
        ALL_KNOWN_BUGS
            .into_iter()
            .filter(|bug| {
                value.split(',').any(|name| {
                    let name = name.trim();
                    name == "all" || name == format!("{bug:?}")
                })
            })
            .collect()
    })
}

/// Whether a check that `bug` trips is skipped: the bug is listed and not enforced.
pub fn tolerated(bug: KnownBug) -> bool {
    if !KNOWN_BUGS.contains(&bug) {
        return false;
    }
    let enforced = ENFORCED
        .with(Cell::get)
        .unwrap_or_else(enforced_by_environment);
    !enforced.contains(&bug)
}

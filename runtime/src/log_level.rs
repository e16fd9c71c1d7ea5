//! `LogLevel`: how loudly a server logs an error it answers with.
//!
//! Layer 0: the ground floor (plain data and header parsing; imports nothing above it).

/// The level a server logs an error at when it answers with it (`tracing`, through the
/// `axum` integration): set per variant with `#[api_error(log = "warn")]`, or for every
/// 5xx with [`RequestContextLayer::with_log_level`](crate::axum::RequestContextLayer)
/// when the `axum` feature is on. 5xx are logged at [`Error`](LogLevel::Error) unless
/// told otherwise; other statuses only when their variant sets a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LogLevel {
    /// Not logged.
    Off,
    /// `tracing::Level::DEBUG`.
    Debug,
    /// `tracing::Level::INFO`.
    Info,
    /// `tracing::Level::WARN`: an expected outage (a 503 during maintenance).
    Warn,
    /// `tracing::Level::ERROR`, the default for a 5xx.
    Error,
}

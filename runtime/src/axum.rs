//! axum integration (being written).

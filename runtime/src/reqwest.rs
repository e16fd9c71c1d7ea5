//! reqwest integration (being written).

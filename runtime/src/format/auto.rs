//! Recognising which built-in shape a body has (placeholder, being written).

/// Which built-in shape a body has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `plain`
    Plain,
}

/// The format that recognises the shape of a body.
#[derive(Debug, Clone, Copy, Default)]
pub struct Auto;

//! A seventh wire format, built from `apierror::format`'s public items: OAuth 2.0's
//! error response (RFC 6749 §5.2). The format and its enum are in `examples/oauth2.rs`;
//! this prints each variant on the wire and vendor bodies decoded back.
//!
//! ```text
//! cargo run --example custom_format
//! ```
//!
//! Its output is checked against `custom_format.stdout` beside it, by the test suite and
//! by CI.

fn main() {
    let mut out = String::new();
    apierror_examples::oauth2::demo(&mut out).expect("writing to a String cannot fail");
    print!("{out}");
}

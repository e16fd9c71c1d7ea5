//! Every built-in format name.
use apierror::ApiError;

macro_rules! error_in {
    ($name:ident, $format:literal) => {
        #[derive(Debug, thiserror::Error, ApiError)]
        #[api_error(format = $format)]
        enum $name {
            #[error("bad")]
            #[status(400)]
            Bad,
            #[error("gone")]
            #[status(410)]
            Gone,
        }
    };
}

error_in!(Plain, "plain");
error_in!(Nested, "nested");
error_in!(Fields, "fields");
error_in!(Reason, "reason");
error_in!(Flat, "flat");
error_in!(Problem, "problem");

fn main() {
    let _ = (Plain::Bad.to_body(), Nested::Bad.to_body(), Fields::Bad.to_body());
    let _ = (Reason::Gone.to_body(), Flat::Gone.to_body(), Problem::Gone.to_body());
}

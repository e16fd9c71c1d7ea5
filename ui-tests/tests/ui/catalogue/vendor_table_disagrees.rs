use apierror::ApiError;
use apierror::catalogue::maps;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum VendorError {
    #[error("expired token")]
    #[status(403)]
    InvalidToken,
}

// The vendor's table says `invalid_token` is a 401: the build fails until the enum agrees.
const _: () = assert!(
    maps(VendorError::CATALOGUE, 401, "invalid_token"),
    "the vendor's table maps 401 to invalid_token"
);

fn main() {}

//! `#[derive(ApiError)]` (being written).

use proc_macro::TokenStream;

/// Derives `apierror::ApiError` (being written).
#[proc_macro_derive(ApiError, attributes(api_error, status, code, retryable))]
pub fn derive_api_error(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

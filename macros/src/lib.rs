//! `#[derive(ApiError)]`: parse → validate → expand, with a fallback impl after errors.
//!
//! This crate is an implementation detail of `apierror`; depend on `apierror` instead.

mod ast;
mod attr;
mod case;
mod declared;
mod expand;
mod fallback;
mod template;
mod valid;

use proc_macro::TokenStream;

/// Derives `apierror::ApiError`, `serde::Serialize` (the envelope body) and, for formats
/// whose body names the error, `serde::Deserialize`. See the `apierror` crate docs.
#[proc_macro_derive(ApiError, attributes(api_error, status, code, retryable))]
pub fn derive_api_error(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}

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
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::DeriveInput;

/// Derives `apierror::ApiError`, `serde::Serialize` (the envelope body) and, for formats
/// whose body names the error, `serde::Deserialize`. See the `apierror` crate docs.
#[proc_macro_derive(ApiError, attributes(api_error, status, code, retryable))]
pub fn derive_api_error(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive(&input).into()
}

/// The whole derive: parse, check, then expand, or report every error with stub impls.
fn derive(input: &DeriveInput) -> TokenStream2 {
    let mut errors = darling::Error::accumulator();
    valid::check_shape(input, &mut errors);
    let parsed = match &input.data {
        syn::Data::Union(_) => None,
        _ => errors.handle(ast::parse(input)),
    };
    if let Some(parsed) = &parsed {
        valid::check(parsed, &mut errors);
    }
    let krate = parsed
        .as_ref()
        .map_or_else(|| quote!(::apierror), |p| p.krate.clone());
    let tokens = match (errors.finish(), parsed) {
        (Ok(()), Some(parsed)) => expand::expand(&parsed),
        (result, parsed) => {
            let mut tokens = result
                .err()
                .map(darling::Error::write_errors)
                .unwrap_or_default();
            tokens.extend(fallback::impls(input, parsed.as_ref(), &krate));
            tokens
        }
    };
    // Nothing the derive defines leaks into the user's module.
    quote! {
        const _: () = {
            #tokens
        };
    }
}

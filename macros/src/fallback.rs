//! Stub impls emitted after errors, so users see their mistakes and nothing else: the
//! same impls success would emit (the integrations' included), so no "`ApiError` is not
//! implemented" or "`Handler` is not implemented" follows at any use site.
//!
//! Step 5 of the derive: the fallback expansion after errors.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::DeriveInput;

use crate::ast::Input;
use crate::expand::impl_params;

pub(crate) fn impls(
    input: &DeriveInput,
    parsed: Option<&Input<'_>>,
    krate: &TokenStream,
) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let params = impl_params(&input.generics);
    let predicates = where_clause
        .iter()
        .flat_map(|w| w.predicates.iter().map(ToTokens::to_token_stream));
    let p = quote!(#krate::__private);
    // Success emits `Deserialize` except for the codeless built-in formats.
    let deserializes = parsed.is_none_or(Input::deserializes);
    let deserialize = deserializes.then(|| {
        quote! {
            #[automatically_derived]
            impl<'__de, #params> #p::serde::Deserialize<'__de> for #ident #ty_generics #where_clause {
                fn deserialize<__D: #p::serde::Deserializer<'__de>>(
                    _: __D,
                ) -> ::core::result::Result<Self, __D::Error> {
                    ::core::unreachable!()
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::ApiError for #ident #ty_generics #where_clause {
            type Format = #p::Problem;
            fn status(&self) -> #p::StatusCode { ::core::unreachable!() }
            fn code(&self) -> &str { ::core::unreachable!() }
            fn message(&self) -> #p::Cow<'_, str> { ::core::unreachable!() }
            fn retry(&self) -> #p::Retry { ::core::unreachable!() }
            fn encode<__S: #p::serde::Serializer>(
                &self,
                _: __S,
                _: &#p::Context<'_>,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                ::core::unreachable!()
            }
            fn from_response_at(
                _: #p::StatusCode,
                _: &#p::HeaderMap,
                _: &[u8],
                _: #p::SystemTime,
            ) -> ::core::result::Result<Self, #p::DecodeError> {
                ::core::unreachable!()
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::serde::Serialize for #ident #ty_generics #where_clause {
            fn serialize<__S: #p::serde::Serializer>(
                &self,
                _: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                ::core::unreachable!()
            }
        }

        #deserialize

        #p::impl_integrations!(
            impl [#params] #ident #ty_generics where [#(#predicates,)*]
            details []
            unknown [false]
        );
    }
}

//! Stub impls emitted after errors, so users see their mistakes and nothing else:
//! no cascade of "`ApiError` is not implemented" at every use site.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

pub(crate) fn impls(input: &DeriveInput, krate: &TokenStream) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let params = &input.generics.params;
    let p = quote!(#krate::__private);
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

        #[automatically_derived]
        impl<'de, #params> #p::serde::Deserialize<'de> for #ident #ty_generics #where_clause {
            fn deserialize<__D: #p::serde::Deserializer<'de>>(
                _: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                ::core::unreachable!()
            }
        }
    }
}

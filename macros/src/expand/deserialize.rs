//! The `Deserialize` impl, where a body alone can pick a variant.

use proc_macro2::TokenStream;
use quote::quote_spanned;

use super::{Context, impl_params};

impl Context<'_> {
    pub(super) fn deserialize_impl(&self) -> TokenStream {
        let local_deserializer = &self.locals.deserializer;
        if !self.input.deserializes() {
            return TokenStream::new();
        }
        let p = &self.p;
        let format = &self.format;
        let ident = self.input.ident;
        let generics = self.input.generics;
        let (_, ty_generics, _) = generics.split_for_impl();
        let params = impl_params(generics);
        let where_clause = &self.where_clause;
        let span = ident.span();
        quote_spanned! {span=>
            #[automatically_derived]
            impl<'__de, #params> #p::serde::Deserialize<'__de> for #ident #ty_generics #where_clause {
                fn deserialize<__D: #p::serde::Deserializer<'__de>>(
                    #local_deserializer: __D,
                ) -> ::core::result::Result<Self, __D::Error> {
                    #p::deserialize_body::<#format, Self, __D>(#local_deserializer)
                }
            }
        }
    }
}

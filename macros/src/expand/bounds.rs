//! The impls' where clause: the declaration's predicates, and a bound for each field
//! whose type mentions a type parameter, for the use the generated code makes of it.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::Context;
use crate::ast::{MessageSource, Role};
use crate::template;

/// The impl's where clause: the declaration's own predicates plus a bound for each field
/// whose type mentions a type parameter, for the use the generated code makes of it.
#[derive(Default)]
pub(super) struct WhereClause(Vec<TokenStream>);

impl WhereClause {
    pub(super) fn predicates(&self) -> TokenStream {
        let predicates = &self.0;
        quote!(#(#predicates,)*)
    }
}

impl ToTokens for WhereClause {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        if !self.0.is_empty() {
            let predicates = self.predicates();
            tokens.extend(quote!(where #predicates));
        }
    }
}

impl Context<'_> {
    pub(super) fn bounds(&self) -> WhereClause {
        let p = &self.p;
        let generics = self.input.generics;
        let mut predicates: Vec<TokenStream> = generics
            .where_clause
            .iter()
            .flat_map(|w| w.predicates.iter().map(ToTokens::to_token_stream))
            .collect();
        if generics.type_params().next().is_none() {
            return WhereClause(predicates);
        }
        let mut uses_display = false;
        for variant in &self.input.variants {
            match &variant.message_source {
                MessageSource::Display => uses_display = true,
                MessageSource::Template(template, _) => {
                    for placeholder in &template.placeholders {
                        let Some(field) = variant
                            .fields
                            .iter()
                            .find(|f| variant.binding_of(&placeholder.arg) == f.binding)
                        else {
                            continue;
                        };
                        if field.generic {
                            let ty = &field.ty;
                            match placeholder.usage {
                                template::Usage::Debug => {
                                    predicates.push(quote!(#ty: ::core::fmt::Debug));
                                }
                                template::Usage::Display => {
                                    predicates.push(quote!(#ty: ::core::fmt::Display));
                                }
                                // A width or precision is a `usize`, whatever the field.
                                template::Usage::Count => {}
                            }
                        }
                    }
                }
                _ => {}
            }
            for field in variant.fields.iter().filter(|f| f.generic) {
                let ty = &field.ty;
                let span = ty.span();
                let p = &self.p;
                let bound = match field.role {
                    Role::Details => quote_spanned!(span=> #ty: #p::DetailsField),
                    Role::Message => quote_spanned!(span=> #ty: #p::MessageField),
                    Role::Default => quote_spanned!(span=> #ty: #p::DefaultField),
                    Role::RetryAfter => quote_spanned!(span=> #ty: #p::RetryAfterField),
                    Role::Member => quote_spanned!(span=> #ty: #p::MemberField),
                    Role::Unknown | Role::Other => continue,
                };
                predicates.push(bound);
            }
        }
        if uses_display {
            predicates.push(quote!(Self: #p::DisplayMessage));
        }
        WhereClause(predicates)
    }
}

//! The `InPlaceDetails` impl: which variants' details are decoded where the format
//! meets them, and the choice of a variant from what the format read.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::Context;
use crate::ast::{Builtin, Input, Role, Variant};

impl<'a> Context<'a> {
    /// The variants whose details decode in place, in slot order: those with details
    /// whose code no other decodable variant has, in a format whose body carries codes.
    pub(super) fn find_slotted(&self) -> Vec<&'a Variant> {
        let decodable = &self.decodable;
        let with_details = decodable
            .iter()
            .filter(|v| v.field(Role::Details).is_some() && sharing(decodable, v) == 1);
        if self.status_keyed {
            // Status alone picks the variant: details are read for the one the
            // response's status picks (see `presume`).
            return with_details
                .filter(|v| {
                    self.picked_by_status(v.status_value())
                        .is_some_and(|picked| std::ptr::eq(picked, **v))
                })
                .copied()
                .collect();
        }
        // In a declared format, only variants whose key has their code: the details are
        // decoded for the code, and the variant must be the one that code picks.
        let keyed = self
            .input
            .shape()
            .map(|shape| crate::valid::declared::Keyed::new(shape, &self.input.variants));
        with_details
            .filter(|v| keyed.as_ref().is_none_or(|keyed| keyed.keys_on_code(v)))
            .copied()
            .collect()
    }

    /// The variant a body with no code or key part is decoded as at `status`: the decode
    /// default among the variants with that status, else the only one.
    pub(super) fn picked_by_status(&self, status: u16) -> Option<&'a Variant> {
        let candidates: Vec<&'a Variant> = self
            .decodable
            .iter()
            .copied()
            .filter(|v| v.status_value() == status)
            .collect();
        candidates
            .iter()
            .find(|v| v.decode_default.is_some())
            .or_else(|| (candidates.len() == 1).then(|| &candidates[0]))
            .copied()
    }

    /// `__slots.1.1.0`: the slot at `index` in the row of slots.
    pub(super) fn slot(&self, index: usize) -> TokenStream {
        let local_slots = &self.locals.slots;
        let rest = (0..index).map(|_| quote!(.1));
        quote!(#local_slots #(#rest)* .0)
    }

    /// `InPlaceDetails::presume`, the code details are read for before the body names
    /// one: where the status alone picks the variant, that variant's.
    pub(super) fn presume(&self, slotted: &[&Variant]) -> Option<TokenStream> {
        if !self.status_keyed || slotted.is_empty() {
            return None;
        }
        let p = &self.p;
        let local_status = &self.locals.status;
        let arms = slotted.iter().map(|variant| {
            let status = variant.status_value();
            let code = &variant.code.value;
            quote!(#status => ::core::option::Option::Some(#code),)
        });
        Some(quote! {
            #[inline]
            fn presume(#local_status: #p::StatusCode) -> ::core::option::Option<&'static str> {
                match #local_status.as_u16() {
                    #(#arms)*
                    _ => ::core::option::Option::None,
                }
            }
        })
    }

    /// The `InPlaceDetails` impl: a slot per variant that decodes its details in place,
    /// the reader that fills them, and the choice of variant that empties them.
    pub(super) fn in_place_impl(&self) -> TokenStream {
        let local_slots = &self.locals.slots;
        let local_code = &self.locals.code;
        let local_part = &self.locals.part;
        let local_map = &self.locals.map;
        let local_value = &self.locals.value;
        let local_raw = &self.locals.raw;
        let local_input = &self.locals.input;
        let local_kind = &self.locals.kind;
        let local_chosen = &self.locals.chosen;
        let p = &self.p;
        let slotted = self.slotted.clone();
        let mut slots = quote!(());
        for variant in slotted.iter().rev() {
            let ty = variant.field(Role::Details).map(|f| &f.ty);
            slots = quote!((::core::option::Option<#ty>, #slots));
        }
        let arms = slotted.iter().enumerate().map(|(index, variant)| {
            let code = &variant.code.value;
            let ty = variant.field(Role::Details).map(|f| &f.ty);
            let span = ty.span();
            let slot = self.slot(index);
            let read = quote_spanned!(span=> <#ty as #p::DetailsField>::read_in_place(#local_part, #local_map));
            quote! {
                #code => match #read? {
                    ::core::option::Option::Some(#local_value) => {
                        #slot = ::core::option::Option::Some(#local_value);
                        ::core::result::Result::Ok(::core::option::Option::Some(#code))
                    }
                    ::core::option::Option::None => ::core::result::Result::Ok(::core::option::Option::None),
                },
            }
        });
        let dispatch = if let Some(shape) = self.input.shape() {
            self.key_dispatch(shape, &slotted)
        } else {
            match self.input.builtin() {
                Some(builtin) if builtin.has_code() => self.code_dispatch(&slotted),
                Some(_) => self.status_dispatch(&slotted),
                // A format the derive does not know (`Auto`, a custom one): the body's code
                // when it has one, else the status.
                None => {
                    let by_code = self.code_dispatch(&slotted);
                    let by_status = self.status_dispatch(&slotted);
                    quote! {
                        if #local_raw.code.is_some() { #by_code } else { #by_status }
                    }
                }
            }
        };
        let fallback = if let Some(v) = self.input.unknown_variant() {
            let path = &v.path;
            let member = v.fields.first().map(|f| f.member.clone());
            quote!(::core::result::Result::Ok(#path { #member: #local_input.fallback(#local_kind)? }))
        } else {
            quote!(::core::result::Result::Err(#local_input.error(#local_kind)))
        };
        let presume = self.presume(&slotted);
        // Unused when no variant has a slot.
        let unused = slotted
            .is_empty()
            .then(|| quote!(let _ = (#local_slots, #local_part, #local_map);));
        quote! {
            type Slots = #slots;

            #[inline]
            fn read_details<'__de, __A: #p::serde::de::MapAccess<'__de>>(
                #local_slots: &mut Self::Slots,
                #local_code: &str,
                #local_part: ::core::option::Option<&str>,
                #local_map: &mut __A,
            ) -> ::core::result::Result<::core::option::Option<&'static str>, __A::Error> {
                #unused
                match #local_code {
                    #(#arms)*
                    _ => ::core::result::Result::Ok(::core::option::Option::None),
                }
            }

            #presume

            fn choose<__Reader>(
                #local_input: &#p::DecodeInput<'_, __Reader>,
                #local_slots: &mut Self::Slots,
            ) -> ::core::result::Result<Self, #p::DecodeError> {
                let _ = &#local_slots;
                let #local_chosen = (|| -> ::core::result::Result<Self, #p::DecodeErrorKind> {
                    let #local_raw = #local_input.raw()?;
                    #dispatch
                })();
                match #local_chosen {
                    ::core::result::Result::Ok(#local_value) => ::core::result::Result::Ok(#local_value),
                    ::core::result::Result::Err(#local_kind) => #fallback,
                }
            }
        }
    }

    /// The expression that builds a decodable variant from `#local_raw` and `#local_input`.
    pub(super) fn build(&self, variant: &Variant, slotted: &[&Variant]) -> TokenStream {
        let local_raw = &self.locals.raw;
        let local_input = &self.locals.input;
        let p = &self.p;
        let path = &variant.path;
        let members = variant.fields.iter().map(|f| {
            let member = &f.member;
            let ty = &f.ty;
            let span = ty.span();
            let value = match f.role {
                Role::Details => {
                    let decode = quote_spanned!(span=> <#ty as #p::DetailsField>::decode_details(#local_raw)?);
                    match slotted.iter().position(|v| v.ident == variant.ident) {
                        Some(index) => {
                            let slot = self.slot(index);
                            let local_in_place = &self.locals.in_place;
                            quote! {
                                match #slot.take() {
                                    ::core::option::Option::Some(#local_in_place) => #local_in_place,
                                    ::core::option::Option::None => #decode,
                                }
                            }
                        }
                        None => decode,
                    }
                }
                Role::Message => {
                    quote_spanned!(span=> <#ty as #p::MessageField>::from_message(#local_raw))
                }
                Role::RetryAfter => quote_spanned!(span=>
                    <#ty as #p::RetryAfterField>::from_retry_after(#local_input.retry_after())
                ),
                Role::Default => quote_spanned!(span=> <#ty as #p::DefaultField>::rebuilt()),
                Role::Member => {
                    let index = self
                        .input
                        .shape()
                        .and_then(|shape| shape.named(&crate::declared::member_name(member)))
                        .and_then(|index| u8::try_from(index).ok())
                        .unwrap_or(u8::MAX);
                    quote_spanned!(span=> <#ty as #p::MemberField>::from_member(#local_raw.parts.get(#index))?)
                }
                Role::Unknown | Role::Other => quote!(::core::default::Default::default()),
            };
            quote!(#member: #value)
        });
        quote!(::core::result::Result::Ok(#path { #(#members,)* }))
    }

    pub(super) fn code_dispatch(&self, slotted: &[&Variant]) -> TokenStream {
        let p = &self.p;
        let local_raw = &self.locals.raw;
        let local_input = &self.locals.input;
        let decodable = &self.decodable;
        // An arm for a code one variant has; for a code several variants share (only
        // formats whose body carries the status allow that), and in formats that key on
        // status and code together, an arm for the code and the status: a code under a
        // status no variant has it under is unrecognised, not another status's variant.
        let keys_on_status = self.input.builtin().is_some_and(Builtin::keys_on_status);
        let mut specific = Vec::new();
        for variant in decodable {
            let code = &variant.code.value;
            let build = self.build(variant, slotted);
            if sharing(decodable, variant) == 1 && !keys_on_status {
                specific.push(quote!((::core::option::Option::Some(#code), _) => #build,));
            } else {
                let status = variant.status_value();
                specific.push(quote!((::core::option::Option::Some(#code), #status) => #build,));
            }
        }
        quote! {
            match (#local_raw.code.as_deref(), #local_input.status_u16()) {
                #(#specific)*
                _ => ::core::result::Result::Err(#p::DecodeErrorKind::Unrecognized),
            }
        }
    }

    pub(super) fn status_dispatch(&self, slotted: &[&Variant]) -> TokenStream {
        let p = &self.p;
        let local_input = &self.locals.input;
        let decodable = &self.decodable;
        let mut statuses: Vec<u16> = decodable.iter().map(|v| v.status_value()).collect();
        statuses.sort_unstable();
        statuses.dedup();
        let arms = statuses.iter().filter_map(|status| {
            // In a format that carries codes, a codeless body at a status several
            // variants share, none of them the decode default, is unrecognised rather
            // than an arbitrary one of them (the codeless formats' check forbids that).
            let chosen = self.picked_by_status(*status)?;
            let build = self.build(chosen, slotted);
            Some(quote!(#status => #build,))
        });
        quote! {
            match #local_input.status_u16() {
                #(#arms)*
                _ => ::core::result::Result::Err(#p::DecodeErrorKind::Unrecognized),
            }
        }
    }
}

fn sharing(decodable: &[&Variant], variant: &Variant) -> usize {
    decodable
        .iter()
        .filter(|other| other.code.value == variant.code.value)
        .count()
}

/// Whether the status alone picks a variant: a built-in format without codes, or a
/// declared one with no code and no other key part.
pub(super) fn status_keyed(input: &Input<'_>) -> bool {
    if let Some(shape) = input.shape() {
        let keyed = crate::valid::declared::Keyed::new(shape, &input.variants);
        !keyed.has_code() && keyed.named().is_empty()
    } else {
        input.builtin().is_some_and(|b| !b.has_code())
    }
}

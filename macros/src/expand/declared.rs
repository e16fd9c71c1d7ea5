//! Code generation for a declared format: the `Declare` impl holding the declaration as
//! a constant, the `VariantParts` impl that writes each variant's key parts and member
//! fields, and the choice of variant by key.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::{Context, mixed, pattern};
use crate::ast::{Declared, Role, Variant};
use crate::declared::{Literal, Member, Node, Part, Shape, member_name};
use crate::valid::declared::Keyed;

/// One key of a variant: the value of each key position it fixes, in the order of
/// [`Keyed::values`], and whether it fixes the status too.
struct Key<'v> {
    variant: &'v Variant,
    values: Vec<Option<String>>,
    status: Option<u16>,
}

impl Key<'_> {
    fn parts(&self) -> usize {
        self.values.iter().flatten().count()
    }
}

/// Each decodable variant's key, most specific first: more fixed parts first, then
/// those that also fix the status. A variant fixes the status when another decodable
/// variant fixes the same parts, or when it fixes none.
fn keys<'v>(keyed: &Keyed<'_>, decodable: &[&'v Variant]) -> Vec<Key<'v>> {
    let values: Vec<Vec<Option<String>>> = decodable.iter().map(|v| keyed.values(v)).collect();
    let mut keys: Vec<Key<'v>> = decodable
        .iter()
        .zip(&values)
        .map(|(variant, own)| {
            let shared = values.iter().filter(|other| *other == own).count() > 1;
            let fixes_none = own.iter().all(Option::is_none);
            Key {
                variant,
                values: own.clone(),
                status: (shared || fixes_none).then(|| variant.status_value()),
            }
        })
        .collect();
    keys.sort_by_key(|key| (std::cmp::Reverse(key.parts()), key.status.is_none()));
    keys
}

impl Context<'_> {
    /// The `Declare` impl: the declaration as a constant.
    pub(super) fn declare_impl(&self, declared: &Declared, shape: &Shape) -> TokenStream {
        let p = self.private();
        let name = self.input.ident.to_string();
        let content_type = declared
            .content_type
            .as_ref()
            .map_or_else(|| "application/json".to_owned(), syn::LitStr::value);
        let members = members(&p, &shape.members);
        let literals = shape.discriminators();
        quote! {
            const DECLARATION: &'static #p::Declaration = &#p::Declaration {
                name: #name,
                content_type: #content_type,
                members: #members,
                literals: #literals,
                extensions: ::core::option::Option::None,
            };
        }
    }

    /// The `VariantParts` impl: which parts each variant has, and how each is written.
    pub(super) fn variant_parts_impl(&self, shape: &Shape) -> TokenStream {
        let p = self.private();
        let local_part = &self.locals.part;
        let local_serializer = &self.locals.serializer;
        let keyed = Keyed::new(shape, &self.input.variants);
        let mut has = Vec::new();
        let mut write = Vec::new();
        for variant in &self.input.variants {
            if variant.is_unknown() {
                continue;
            }
            let code_given = keyed.keys_on_code(variant);
            let pat = pattern(variant, &[], false);
            has.push(quote!((#pat, #p::DeclaredPart::Code) => #code_given,));
            for (name, value) in &variant.key {
                let Some(index) = shape.named(&name.to_string()) else {
                    continue;
                };
                let index = u8::try_from(index).unwrap_or(u8::MAX);
                has.push(quote!((#pat, #p::DeclaredPart::Named(#index)) => true,));
                write.push(quote!((#pat, #p::DeclaredPart::Named(#index)) => #local_serializer.serialize_str(#value),));
            }
            for field in variant.fields.iter().filter(|f| f.role == Role::Member) {
                let Some(index) = shape.named(&member_name(&field.member)) else {
                    continue;
                };
                let index = u8::try_from(index).unwrap_or(u8::MAX);
                let pat = pattern(variant, &[Role::Member], false);
                let binding = &field.binding;
                let ty = &field.ty;
                let span = ty.span();
                let present = quote_spanned!(span=> <#ty as #p::MemberField>::is_present(#binding));
                let written = quote_spanned!(span=> <#ty as #p::MemberField>::write_member(#binding, #local_serializer));
                has.push(quote!((#pat, #p::DeclaredPart::Named(#index)) => #present,));
                write.push(quote!((#pat, #p::DeclaredPart::Named(#index)) => #written,));
            }
        }
        quote! {
            #[inline]
            fn has(&self, #local_part: #p::DeclaredPart) -> bool {
                #[allow(unused_variables)]
                match (self, #local_part) {
                    #(#has)*
                    _ => false,
                }
            }

            fn write<__S: #p::serde::Serializer>(
                &self,
                #local_part: #p::DeclaredPart,
                #local_serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                #[allow(unused_variables)]
                match (self, #local_part) {
                    #(#write)*
                    _ => #local_serializer.serialize_unit(),
                }
            }
        }
    }

    /// The choice of variant by key: one arm per decodable variant, most specific first,
    /// matching the code, the named key parts and, where needed, the status.
    pub(super) fn key_dispatch(&self, shape: &Shape, slotted: &[&Variant]) -> TokenStream {
        let local_raw = &self.locals.raw;
        let local_input = &self.locals.input;
        let p = self.private();
        let keyed = Keyed::new(shape, &self.input.variants);
        let decodable = &self.decodable;
        let mut scrutinee = Vec::new();
        let mut locals = Vec::new();
        if keyed.has_code() {
            scrutinee.push(quote!(#local_raw.code.as_deref()));
        }
        for index in keyed.named() {
            let local = key_local(*index);
            let at = u8::try_from(*index).unwrap_or(u8::MAX);
            locals.push(quote!(let #local = #local_raw.parts.text(#at);));
            scrutinee.push(quote!(#local.as_deref()));
        }
        scrutinee.push(quote!(#local_input.status_u16()));
        let keys = keys(&keyed, decodable);
        let mut arms = Vec::new();
        let mut statuses_taken: Vec<u16> = Vec::new();
        for key in &keys {
            let fixes_none = key.parts() == 0;
            if fixes_none {
                // Several variants that fix nothing share a status: the decode default
                // (the checks require one), or none.
                let status = key.variant.status_value();
                if statuses_taken.contains(&status) {
                    continue;
                }
                let sharing: Vec<&Key<'_>> = keys
                    .iter()
                    .filter(|k| k.parts() == 0 && k.status == Some(status))
                    .collect();
                let chosen = sharing
                    .iter()
                    .find(|k| k.variant.decode_default.is_some())
                    .or_else(|| (sharing.len() == 1).then(|| &sharing[0]));
                statuses_taken.push(status);
                let Some(chosen) = chosen else {
                    continue;
                };
                arms.push(self.key_arm(chosen, slotted));
            } else {
                arms.push(self.key_arm(key, slotted));
            }
        }
        quote! {
            #(#locals)*
            match (#(#scrutinee,)*) {
                #(#arms)*
                _ => ::core::result::Result::Err(#p::DecodeErrorKind::Unrecognized),
            }
        }
    }

    fn key_arm(&self, key: &Key<'_>, slotted: &[&Variant]) -> TokenStream {
        let mut patterns: Vec<TokenStream> = key
            .values
            .iter()
            .map(|value| {
                value.as_ref().map_or_else(
                    || quote!(_),
                    |value| quote!(::core::option::Option::Some(#value)),
                )
            })
            .collect();
        patterns.push(
            key.status
                .map_or_else(|| quote!(_), |status| quote!(#status)),
        );
        let build = self.build(key.variant, slotted);
        quote!((#(#patterns,)*) => #build,)
    }

    pub(crate) fn private(&self) -> TokenStream {
        let p = &self.p;
        quote!(#p)
    }
}

/// The local a key part's received text is bound to.
pub(super) fn key_local(index: usize) -> proc_macro2::Ident {
    mixed(&format!("__key_{index}"))
}

/// `text` as a JSON string, quotes and escapes included.
fn json_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn members(p: &TokenStream, members: &[Member]) -> TokenStream {
    let each = members.iter().map(|member| {
        let name = &member.name;
        let value = node(p, &member.value);
        let key = format!("{}:", json_string(name));
        quote!(#p::DeclaredMember { name: #name, key: #key, value: #value })
    });
    quote!(&[#(#each),*])
}

fn node(p: &TokenStream, node: &Node) -> TokenStream {
    match node {
        Node::Object(inner) => {
            let inner = members(p, inner);
            quote!(#p::DeclaredValue::Object(#inner))
        }
        Node::Array(elements) => {
            let elements = elements.iter().map(|e| self::node(p, e));
            quote!(#p::DeclaredValue::Array(&[#(#elements),*]))
        }
        Node::Literal(literal) => {
            let literal = match literal {
                Literal::Null => quote!(#p::DeclaredLiteral::Null),
                Literal::Bool(b) => quote!(#p::DeclaredLiteral::Bool(#b)),
                Literal::Int(n) => quote!(#p::DeclaredLiteral::Int(#n)),
                Literal::Str(s) => quote!(#p::DeclaredLiteral::Str(#s)),
            };
            quote!(#p::DeclaredValue::Literal(#literal))
        }
        Node::Slot(slot) => {
            let part = match &slot.part {
                Part::Code => quote!(Code),
                Part::Message => quote!(Message),
                Part::Details => quote!(Details),
                Part::RequestId => quote!(RequestId),
                Part::Timestamp => quote!(Timestamp),
                Part::Status => quote!(Status),
                Part::StatusText => quote!(StatusText),
                Part::StatusName => quote!(StatusName),
                Part::RetryAfter(unit) => {
                    let variant = crate::declared::HINT_UNITS
                        .iter()
                        .find(|(n, _)| n == unit)
                        .map_or("Seconds", |(_, v)| *v);
                    let variant = proc_macro2::Ident::new(variant, proc_macro2::Span::call_site());
                    quote!(RetryAfter(#p::HintUnit::#variant))
                }
                Part::Named(index) => {
                    let index = u8::try_from(*index).unwrap_or(u8::MAX);
                    quote!(Named(#index))
                }
            };
            let optional = slot.optional;
            quote!(#p::DeclaredValue::Slot(#p::DeclaredSlot { part: #p::DeclaredPart::#part, optional: #optional }))
        }
    }
}

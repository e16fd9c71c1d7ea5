//! Code generation: the `ApiError`, `Serialize` and `Deserialize` impls for a declaration
//! that passed every check. User errors are never reported here.
//!
//! Step 4 of the derive: the expansion.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};

use crate::ast::{FormatChoice, Input, MessageSource, Role, Variant};
use crate::template;

mod api_error;
mod bounds;
mod declared;
mod deserialize;
mod encode;
mod in_place;

/// The impls of a declaration that passed every check, beside the shields of their
/// locals.
pub(crate) fn expand(parsed: &Input<'_>) -> TokenStream {
    let impls = impls(parsed);
    let shields = shields(parsed);
    quote!(#shields #impls)
}

/// Defines [`Locals`] from one list: the locals the generated code binds, each named
/// `__<name>` at the mixed site.
macro_rules! locals {
    ($($name:ident),* $(,)?) => {
        /// The locals the generated code binds, made once per expansion.
        pub(crate) struct Locals {
            $(pub(crate) $name: Ident,)*
        }

        impl Locals {
            /// Their names, as the generated code spells them.
            pub(crate) const NAMES: &[&str] = &[$(concat!("__", stringify!($name))),*];

            fn new() -> Self {
                Locals {
                    $($name: mixed(concat!("__", stringify!($name))),)*
                }
            }
        }
    };
}

locals!(
    buf,
    sink,
    part,
    raw,
    input,
    kind,
    chosen,
    value,
    serializer,
    context,
    deserializer,
    status,
    headers,
    body,
    now,
    slots,
    code,
    map,
    in_place,
    meta,
    hook,
);

/// A function named after each local and field binding of the generated code, beside
/// the impls: a binding may shadow a function, so a constant of the same name in the
/// user's scope (which a binding may not shadow, whatever its hygiene) is hidden from
/// the impls by these.
fn shields(input: &Input<'_>) -> TokenStream {
    let mut names: Vec<Ident> = Locals::NAMES.iter().map(|name| mixed(name)).collect();
    if let Some(shape) = input.shape() {
        names.extend((0..shape.names.len()).map(declared::key_local));
    }
    for field in input.variants.iter().flat_map(|v| &v.fields) {
        if !names.contains(&field.binding) {
            names.push(field.binding.clone());
        }
    }
    quote! {
        #(
            #[allow(dead_code)]
            fn #names() {}
        )*
    }
}

/// The declaration's generic parameters with their bounds but without defaults, for an
/// impl's parameter list (`impl<'__de, T: Bound>`; a default is not allowed there).
pub(crate) fn impl_params(generics: &syn::Generics) -> TokenStream {
    let params = generics.params.iter().map(|param| match param {
        syn::GenericParam::Type(ty) => {
            let mut ty = ty.clone();
            ty.default = None;
            ty.to_token_stream()
        }
        syn::GenericParam::Const(konst) => {
            let mut konst = konst.clone();
            konst.default = None;
            konst.to_token_stream()
        }
        syn::GenericParam::Lifetime(lifetime) => lifetime.to_token_stream(),
    });
    quote!(#(#params,)*)
}

/// `Path { member: binding, .. }` binding only the fields in `roles` (and any named by
/// the message template when `with_message` is set).
fn pattern(variant: &Variant, roles: &[Role], with_message: bool) -> TokenStream {
    let template_args: Vec<String> = match (with_message, &variant.message_source) {
        (true, MessageSource::Template(t, _)) => {
            t.placeholders.iter().map(|p| p.arg.clone()).collect()
        }
        _ => Vec::new(),
    };
    let bound = variant.fields.iter().filter(|f| {
        let named_by_template = template_args.iter().any(|arg| match &f.member {
            syn::Member::Named(name) => name == arg,
            syn::Member::Unnamed(index) => index.index.to_string() == *arg,
        });
        roles.contains(&f.role) || named_by_template || (with_message && f.role == Role::Message)
    });
    let members = bound.map(|f| {
        let member = &f.member;
        let binding = &f.binding;
        quote!(#member: #binding)
    });
    let path = &variant.path;
    quote!(#path { #(#members,)* .. })
}

fn unknown_binding(variant: &Variant) -> TokenStream {
    let binding = variant.fields.first().map(|f| f.binding.clone());
    quote!(#binding)
}

/// What the integrations need beyond the impl: each catalogue entry's details type, in
/// the catalogue's order, and whether an `unknown` variant stands for everything else.
pub(crate) fn integration_facts(input: &Input<'_>) -> (Vec<TokenStream>, bool) {
    let details = input
        .variants
        .iter()
        .filter(|v| !v.is_unknown())
        .map(|v| {
            let ty = v.field(Role::Details).map(|field| &field.ty);
            quote!([#ty])
        })
        .collect();
    let unknown = input.variants.iter().any(Variant::is_unknown);
    (details, unknown)
}

/// What every expansion reads, computed once per input: the paths, the bounds, the
/// variants a decoder builds and those whose details it decodes in place, and the
/// generated code's locals.
struct Context<'a> {
    input: &'a Input<'a>,
    /// `#p`: every item the generated code names is under it.
    p: TokenStream,
    /// The enum's format type.
    format: TokenStream,
    locals: Locals,
    /// The impls' where clause.
    where_clause: bounds::WhereClause,
    /// The variants a decoder can build, in declaration order.
    decodable: Vec<&'a Variant>,
    /// Whether the status alone picks a variant.
    status_keyed: bool,
    /// The variants whose details decode in place, in slot order.
    slotted: Vec<&'a Variant>,
}

impl<'a> Context<'a> {
    fn new(input: &'a Input<'a>) -> Self {
        let krate = &input.krate;
        let p = quote!(#krate::__private);
        let format = match &input.format {
            FormatChoice::Builtin(builtin) => {
                let name = Ident::new(builtin.type_name(), Span::call_site());
                quote!(#p::#name)
            }
            FormatChoice::Custom(path) => path.to_token_stream(),
            FormatChoice::Declared(_) => quote!(#p::Declared<Self>),
            // Reported by the checks; never expanded.
            FormatChoice::UnknownName(_) => quote!(#p::Problem),
        };
        let mut cx = Context {
            input,
            p,
            format,
            locals: Locals::new(),
            where_clause: bounds::WhereClause::default(),
            decodable: input.variants.iter().filter(|v| v.is_decodable()).collect(),
            status_keyed: in_place::status_keyed(input),
            slotted: Vec::new(),
        };
        cx.where_clause = cx.bounds();
        cx.slotted = cx.find_slotted();
        cx
    }
}

fn impls(input: &Input<'_>) -> TokenStream {
    let codegen = Context::new(input);
    let p = &codegen.p;
    let ident = input.ident;
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    let where_clause = &codegen.where_clause;
    let api_error = codegen.api_error_impl();
    let serialize = codegen.serialize_impl();
    let deserialize = codegen.deserialize_impl();
    let in_place = codegen.in_place_impl();
    let encode_into = codegen.encode_into_impl();
    let params = impl_params(input.generics);
    let predicates = where_clause.predicates();
    let (details, unknown) = integration_facts(input);
    let declared = match (&input.format, input.shape()) {
        (FormatChoice::Declared(declared), Some(shape)) => {
            let declare = codegen.declare_impl(declared, shape);
            let parts = codegen.variant_parts_impl(shape);
            quote! {
                #[automatically_derived]
                impl #impl_generics #p::Declare for #ident #ty_generics #where_clause {
                    #declare
                }

                #[automatically_derived]
                #[allow(clippy::match_same_arms)]
                impl #impl_generics #p::VariantParts for #ident #ty_generics #where_clause {
                    #parts
                }
            }
        }
        _ => TokenStream::new(),
    };
    quote! {
        #declared

        #[automatically_derived]
        #[allow(clippy::match_same_arms, clippy::too_many_lines, clippy::redundant_closure_call, clippy::needless_borrow)]
        impl #impl_generics #p::ApiError for #ident #ty_generics #where_clause {
            #api_error
        }

        #[automatically_derived]
        #[allow(clippy::match_same_arms, clippy::too_many_lines, clippy::redundant_closure_call, clippy::needless_borrow)]
        impl #impl_generics #p::InPlaceDetails for #ident #ty_generics #where_clause {
            #in_place
        }

        #[automatically_derived]
        #[allow(clippy::match_same_arms, clippy::too_many_lines, clippy::needless_borrow)]
        impl #impl_generics #p::EncodeEnvelope for #ident #ty_generics #where_clause {
            #encode_into
        }

        #[automatically_derived]
        impl #impl_generics #p::serde::Serialize for #ident #ty_generics #where_clause {
            #serialize
        }

        #deserialize

        #p::impl_integrations!(
            impl [#params] #ident #ty_generics where [#predicates]
            details [#(#details),*]
            unknown [#unknown]
        );
    }
}

/// A local of the generated code: mixed-site, so it never clashes with, or captures, a
/// name the user's code has in scope (a `const __raw` or a field named `__input`).
fn mixed(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// `name = binding` arguments for a template's placeholders, each named once.
fn template_args(variant: &Variant, template: &template::Template) -> Vec<TokenStream> {
    let mut seen: Vec<Ident> = Vec::new();
    for placeholder in &template.placeholders {
        let binding = variant.binding_of(&placeholder.arg);
        if !seen.contains(&binding) {
            seen.push(binding);
        }
    }
    seen.iter().map(|b| quote!(#b = #b)).collect()
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::Locals;

    /// The expansion names no local outside [`Locals`]: a local named by hand
    /// (`mixed` with a literal) would be missing from the shields, and a `const __x` in the user's
    /// scope would turn its binding into a pattern.
    #[test]
    fn every_local_comes_from_the_list() {
        let sources = [
            include_str!("expand.rs"),
            include_str!("expand/api_error.rs"),
            include_str!("expand/bounds.rs"),
            include_str!("expand/declared.rs"),
            include_str!("expand/deserialize.rs"),
            include_str!("expand/encode.rs"),
            include_str!("expand/in_place.rs"),
        ];
        let needle = concat!("mixed(", "\"__");
        for source in sources {
            for (at, _) in source.match_indices(needle) {
                let name = &source[at + needle.len()..];
                let name = &name[..name.find('"').unwrap()];
                // An upper-case name is an item declared in its own block (a static),
                // which shadows a constant rather than clashing with it.
                assert!(
                    name.chars().any(|c| c.is_ascii_uppercase()),
                    "`__{name}` is named by hand: add it to `locals!`"
                );
            }
        }
        assert!(Locals::NAMES.len() > 10, "the list has the locals");
    }

    /// The names a derive binds besides [`Locals`]: a declared format's key parts and the
    /// fields' bindings (for the enums of the generated case), and the registration static.
    const OTHER_NAMES: &[&str] = &[
        "__key_0",
        "__field_0",
        "__field_fields",
        "__field_param",
        "__REGISTERED",
    ];

    /// How one kind of item is declared with a name.
    type Declare = fn(&str) -> String;

    /// The compile-pass case, from the list: in one module a constant named like each
    /// local, in another a function, in a third a unit struct (a type, and a value that
    /// a binding may not shadow either), each beside the same derives (`shadowed_locals.in`),
    /// which must compile and decode what they encode.
    fn shadowing_case() -> String {
        let names: Vec<&str> = Locals::NAMES.iter().chain(OTHER_NAMES).copied().collect();
        let mut case = String::from(
            "//! Generated by `apierror-macros`' test `the_pass_case_shadows_every_local`, from the\n\
             //! derive's list of locals (`locals!` in `macros/src/expand.rs`): each name the\n\
             //! generated code binds is declared as a constant, a function and a type beside a\n\
             //! derive. Not edited by hand: `APIERROR_BLESS=1 cargo test -p apierror-macros`\n\
             //! writes it again after the list changes.\n\
             #![allow(non_upper_case_globals, non_camel_case_types, non_snake_case, dead_code)]\n",
        );
        let kinds: [(&str, Declare); 3] = [
            ("constants", |name| format!("    const {name}: u8 = 0;\n")),
            ("functions", |name| format!("    fn {name}() {{}}\n")),
            ("types", |name| format!("    struct {name};\n")),
        ];
        for (module, declare) in kinds {
            let _ = write!(case, "\nmod {module} {{\n");
            for name in &names {
                case.push_str(&declare(name));
            }
            case.push_str("\n    include!(\"shadowed_locals.in\");\n}\n");
        }
        case.push_str("\ninclude!(\"shadowed_locals_main.in\");\n");
        case
    }

    /// The checked-in case is the one the list makes.
    #[test]
    fn the_pass_case_shadows_every_local() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../ui-tests/tests/ui/pass/shadowed_locals.rs");
        let expected = shadowing_case();
        if std::env::var_os("APIERROR_BLESS").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let found = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            found == expected,
            "{} is not what the list of locals makes: run `APIERROR_BLESS=1 cargo test -p apierror-macros`",
            path.display()
        );
    }
}

//! Code generation: the `ApiError`, `Serialize` and `Deserialize` impls for a declaration
//! that passed every check. User errors are never reported here.
//!
//! Step 4 of the derive: the expansion.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{DeriveInput, LitStr};

use crate::ast::{self, Builtin, FormatChoice, Input, MessageSource, RetryClass, Role, Variant};
use crate::{fallback, template, valid};

mod declared;

/// The whole derive: parse, check, then expand, or report every error with stub impls.
pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
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
        (Ok(()), Some(parsed)) => {
            let impls = impls(&parsed);
            let shields = shields(&parsed);
            quote!(#shields #impls)
        }
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

/// The locals the generated code binds.
const LOCALS: &[&str] = &[
    "__buf",
    "__sink",
    "__part",
    "__raw",
    "__input",
    "__kind",
    "__chosen",
    "__value",
    "__serializer",
    "__context",
    "__deserializer",
    "__status",
    "__headers",
    "__body",
    "__now",
    "__slots",
    "__code",
    "__map",
    "__in_place",
    "__meta",
    "__hook",
];

/// A function named after each local and field binding of the generated code, beside
/// the impls: a binding may shadow a function, so a constant of the same name in the
/// user's scope (which a binding may not shadow, whatever its hygiene) is hidden from
/// the impls by these.
fn shields(input: &Input<'_>) -> TokenStream {
    let mut names: Vec<Ident> = LOCALS.iter().map(|name| mixed(name)).collect();
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

struct Codegen<'a> {
    input: &'a Input<'a>,
    krate: &'a TokenStream,
    format: TokenStream,
}

fn impls(input: &Input<'_>) -> TokenStream {
    let krate = &input.krate;
    let format = match &input.format {
        FormatChoice::Builtin(builtin) => {
            let name = Ident::new(builtin.type_name(), Span::call_site());
            quote!(#krate::__private::#name)
        }
        FormatChoice::Custom(path) => path.to_token_stream(),
        FormatChoice::Declared(_) => quote!(#krate::__private::Declared<Self>),
        // Reported by the checks; never expanded.
        FormatChoice::UnknownName(_) => quote!(#krate::__private::Problem),
    };
    let codegen = Codegen {
        input,
        krate,
        format,
    };
    let ident = input.ident;
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    let where_clause = codegen.where_clause();
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
                impl #impl_generics #krate::__private::Declare for #ident #ty_generics #where_clause {
                    #declare
                }

                #[automatically_derived]
                #[allow(clippy::match_same_arms)]
                impl #impl_generics #krate::__private::VariantParts for #ident #ty_generics #where_clause {
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
        impl #impl_generics #krate::__private::ApiError for #ident #ty_generics #where_clause {
            #api_error
        }

        #[automatically_derived]
        #[allow(clippy::match_same_arms, clippy::too_many_lines, clippy::redundant_closure_call, clippy::needless_borrow)]
        impl #impl_generics #krate::__private::InPlaceDetails for #ident #ty_generics #where_clause {
            #in_place
        }

        #[automatically_derived]
        #[allow(clippy::match_same_arms, clippy::too_many_lines, clippy::needless_borrow)]
        impl #impl_generics #krate::__private::EncodeEnvelope for #ident #ty_generics #where_clause {
            #encode_into
        }

        #[automatically_derived]
        impl #impl_generics #krate::__private::serde::Serialize for #ident #ty_generics #where_clause {
            #serialize
        }

        #deserialize

        #krate::__private::impl_integrations!(
            impl [#params] #ident #ty_generics where [#predicates]
            details [#(#details),*]
            unknown [#unknown]
        );
    }
}

/// The impl's where clause: the declaration's own predicates plus a bound for each field
/// whose type mentions a type parameter, for the use the generated code makes of it.
struct WhereClause(Vec<TokenStream>);

impl WhereClause {
    fn predicates(&self) -> TokenStream {
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

impl Codegen<'_> {
    fn where_clause(&self) -> WhereClause {
        let krate = self.krate;
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
                let p = quote!(#krate::__private);
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
            predicates.push(quote!(Self: #krate::__private::DisplayMessage));
        }
        WhereClause(predicates)
    }

    fn api_error_impl(&self) -> TokenStream {
        let krate = self.krate;
        let format = &self.format;
        let status = self.status_fn();
        let code = self.code_fn();
        let message = self.message_fn();
        let retry = self.retry_fn();
        let retry_after = self.retry_after_fn();
        let retry_pinned = self.retry_pinned_fn();
        let log_level = self.log_level_fn();
        let grpc = self.grpc_fn();
        let encode = self.encode_fn();
        let decode = self.decode_fn();
        let catalogue = self.catalogue();
        let signals = self.retry_signals();
        let classify = self.classify_hook();
        quote! {
            type Format = #format;
            #signals
            #classify
            #catalogue
            #status
            #code
            #message
            #[inline]
            fn retry(&self) -> #krate::__private::Retry { #retry }
            #retry_after
            #retry_pinned
            #log_level
            #grpc
            #encode
            #decode
        }
    }

    /// `const CATALOGUE`: an `ErrorSpec` per declared variant but `unknown`.
    fn catalogue(&self) -> TokenStream {
        let p = {
            let krate = self.krate;
            quote!(#krate::__private)
        };
        let specs = self
            .input
            .variants
            .iter()
            .filter(|v| !v.is_unknown())
            .map(|v| {
                let name = crate::case::unraw(&v.ident);
                let status = v.status_value();
                let code = &v.code.value;
                let declared = match &v.message_source {
                    MessageSource::Template(_, lit) => Some(lit.value()),
                    MessageSource::Field(_) => None,
                    _ => v
                        .message
                        .as_ref()
                        .map(LitStr::value)
                        .or_else(|| v.error_text.clone()),
                };
                let message = declared.map(|text| quote!(.with_message(#text)));
                let masked = matches!(v.message_source, MessageSource::Masked(_));
                let retry = match v.retry {
                    RetryClass::ForStatus => quote!(#p::Retry::for_status(#p::status(#status))),
                    RetryClass::Backoff => quote!(#p::Retry::Backoff),
                    RetryClass::Throttled => quote!(#p::Retry::Throttled),
                    RetryClass::Never => quote!(#p::Retry::Never),
                    RetryClass::Reauthenticate => quote!(#p::Retry::Reauthenticate),
                };
                let retry_after = v.field(Role::RetryAfter).is_some();
                let decodes = v.is_decodable();
                let decode_default = v.decode_default.is_some();
                let doc = &v.doc;
                let grpc = grpc_code(v, &p);
                quote! {
                    #p::ErrorSpec::new(#name, #status, #code)
                        #message
                        .with_grpc(#grpc)
                        .with_masked(#masked)
                        .with_retry(#retry)
                        .with_retry_after(#retry_after)
                        .with_decodes(#decodes)
                        .with_decode_default(#decode_default)
                        .with_doc(#doc)
                }
            });
        quote! {
            const CATALOGUE: &'static [#p::ErrorSpec] = &[#(#specs),*];
        }
    }

    /// `grpc_code` where a variant names its gRPC code, and `GRPC_DOMAIN` from
    /// `#[api_error(domain = "…")]`; the trait's defaults otherwise.
    fn grpc_fn(&self) -> TokenStream {
        let p = {
            let krate = self.krate;
            quote!(#krate::__private)
        };
        let domain = self.input.domain.as_ref().map(|domain| {
            quote!(const GRPC_DOMAIN: ::core::option::Option<&'static str> = ::core::option::Option::Some(#domain);)
        });
        if self.input.variants.iter().all(|v| v.grpc.is_none()) {
            return quote!(#domain);
        }
        let body = self.arms(|v| {
            let pat = pattern(v, &[], false);
            let code = grpc_code(v, &p);
            quote!(#pat => #code,)
        });
        quote! {
            #domain
            fn grpc_code(&self) -> #p::GrpcCode { #body }
        }
    }

    fn log_level_fn(&self) -> TokenStream {
        let krate = self.krate;
        if self.input.variants.iter().all(|v| v.log.is_none()) {
            return TokenStream::new();
        }
        let body = self.arms(|v| {
            let pat = pattern(v, &[], false);
            let level = v.log.as_ref().and_then(|lit| {
                crate::ast::LOG_LEVELS
                    .iter()
                    .find(|(name, _)| *name == lit.value())
                    .map(|(_, level)| Ident::new(level, Span::call_site()))
            });
            if let Some(level) = level {
                quote!(#pat => ::core::option::Option::Some(#krate::__private::LogLevel::#level),)
            } else {
                quote!(#pat => ::core::option::Option::None,)
            }
        });
        quote! {
            fn log_level(&self) -> ::core::option::Option<#krate::__private::LogLevel> { #body }
        }
    }

    fn arms(&self, each: impl Fn(&Variant) -> TokenStream) -> TokenStream {
        let arms = self.input.variants.iter().map(each);
        quote!(match self { #(#arms)* })
    }

    fn status_fn(&self) -> TokenStream {
        let krate = self.krate;
        let body = self.arms(|v| {
            if v.is_unknown() {
                let pat = pattern(v, &[Role::Unknown], false);
                let u = unknown_binding(v);
                quote!(#pat => #u.status(),)
            } else {
                let pat = pattern(v, &[], false);
                let status = v.status_value();
                quote!(#pat => #krate::__private::status(#status),)
            }
        });
        quote! {
            #[inline]
            fn status(&self) -> #krate::__private::StatusCode { #body }
        }
    }

    fn code_fn(&self) -> TokenStream {
        let body = self.arms(|v| {
            if v.is_unknown() {
                let pat = pattern(v, &[Role::Unknown], false);
                let u = unknown_binding(v);
                quote!(#pat => #u.code(),)
            } else {
                let pat = pattern(v, &[], false);
                let code = &v.code.value;
                quote!(#pat => #code,)
            }
        });
        quote! {
            #[inline]
            fn code(&self) -> &str { #body }
        }
    }

    fn message_fn(&self) -> TokenStream {
        let krate = self.krate;
        let cow = quote!(#krate::__private::Cow);
        let body = self.arms(|v| {
            let pat = pattern(v, &[Role::Unknown], true);
            let value = match &v.message_source {
                MessageSource::Unknown => {
                    let u = unknown_binding(v);
                    quote!(#u.message())
                }
                MessageSource::Field(index) => {
                    let field = &v.fields[*index];
                    let binding = &field.binding;
                    let ty = &field.ty;
                    let span = ty.span();
                    quote_spanned!(span=> #cow::Borrowed(<#ty as #krate::__private::MessageField>::as_message(#binding)))
                }
                MessageSource::Template(template, lit) => {
                    if let Some(text) = &template.literal {
                        quote!(#cow::Borrowed(#text))
                    } else {
                        let fmt = LitStr::new(&template.format, lit.span());
                        let args = template_args(v, template);
                        quote!(#cow::Owned(#krate::__private::format!(#fmt #(, #args)*)))
                    }
                }
                MessageSource::Static(text) => quote!(#cow::Borrowed(#text)),
                MessageSource::Masked(status) => quote!(
                    #cow::Borrowed(#krate::__private::reason_phrase(#krate::__private::status(#status)))
                ),
                MessageSource::Display => {
                    let span = v.ident.span();
                    quote_spanned!(span=> #cow::Owned(#krate::__private::ToString::to_string(
                        #krate::__private::DisplayMessage::as_display(self),
                    )))
                }
            };
            quote!(#pat => #value,)
        });
        quote! {
            fn message(&self) -> #cow<'_, str> { #body }
        }
    }

    fn retry_fn(&self) -> TokenStream {
        let krate = self.krate;
        self.arms(|v| {
            if v.is_unknown() {
                let pat = pattern(v, &[Role::Unknown], false);
                let u = unknown_binding(v);
                quote!(#pat => #u.retry(),)
            } else {
                let pat = pattern(v, &[], false);
                let class = match v.retry {
                    RetryClass::ForStatus => {
                        let status = v.status_value();
                        let class = quote!(#krate::__private::Retry::for_status(#krate::__private::status(#status)));
                        return quote!(#pat => #class,);
                    }
                    RetryClass::Backoff => "Backoff",
                    RetryClass::Throttled => "Throttled",
                    RetryClass::Never => "Never",
                    RetryClass::Reauthenticate => "Reauthenticate",
                };
                let class = Ident::new(class, Span::call_site());
                quote!(#pat => #krate::__private::Retry::#class,)
            }
        })
    }

    /// `__classify` and `KEEPS_HEADERS`, from `#[api_error(classify = path)]`.
    fn classify_hook(&self) -> TokenStream {
        let Some(path) = &self.input.classify else {
            return TokenStream::new();
        };
        let krate = self.krate;
        let p = quote!(#krate::__private);
        let local_meta = mixed("__meta");
        let local_hook = mixed("__hook");
        let span = path.span();
        // Named as a fn pointer first: a function of another signature is one error, on
        // the path, saying which signature is expected.
        let hook = quote_spanned! {span=>
            let #local_hook: fn(&Self, &#p::ResponseMeta) -> ::core::option::Option<#p::Failure> = #path;
        };
        quote! {
            const KEEPS_HEADERS: bool = true;
            fn __classify(&self, #local_meta: &#p::ResponseMeta) -> ::core::option::Option<#p::Failure> {
                #hook
                #local_hook(self, #local_meta)
            }
        }
    }

    /// `const RETRY_SIGNALS`, from `#[api_error(retry(...))]`.
    fn retry_signals(&self) -> TokenStream {
        let Some(retry) = &self.input.retry else {
            return TokenStream::new();
        };
        let krate = self.krate;
        let p = quote!(#krate::__private);
        let mut signals = quote!(#p::RetrySignals::NONE);
        if let Some(header) = &retry.header {
            let name = header.value().to_ascii_lowercase();
            let unit = retry
                .unit
                .as_ref()
                .map_or_else(|| "retry_after".to_owned(), LitStr::value);
            let variant = crate::declared::HINT_UNITS
                .iter()
                .find(|(n, _)| *n == unit)
                .map_or("RetryAfter", |(_, v)| *v);
            let variant = Ident::new(variant, Span::call_site());
            signals = quote!(#signals.with_header(#name, #p::HintUnit::#variant));
        }
        if let Some(header) = &retry.should_retry {
            let name = header.value().to_ascii_lowercase();
            signals = quote!(#signals.with_should_retry(#name));
        }
        quote!(const RETRY_SIGNALS: #p::RetrySignals = #signals;)
    }

    /// `__retry_pinned`: whether a variant said `#[retryable(false)]`, so that no signal
    /// in the response (an exhausted rate limit, a `Retry-After`) makes it retryable.
    fn retry_pinned_fn(&self) -> TokenStream {
        let pinned: Vec<TokenStream> = self
            .input
            .variants
            .iter()
            .filter(|v| {
                v.retryable
                    .as_ref()
                    .is_some_and(|r| r.value == crate::attr::RetryableAttr::No)
            })
            .map(|v| pattern(v, &[], false))
            .collect();
        if pinned.is_empty() {
            return TokenStream::new();
        }
        quote! {
            fn __retry_pinned(&self) -> bool {
                ::core::matches!(self, #(#pinned)|*)
            }
        }
    }

    fn retry_after_fn(&self) -> TokenStream {
        let krate = self.krate;
        if !self
            .input
            .variants
            .iter()
            .any(|v| v.field(Role::RetryAfter).is_some())
        {
            return TokenStream::new();
        }
        let body = self.arms(|v| {
            let pat = pattern(v, &[Role::RetryAfter], false);
            if let Some(field) = v.field(Role::RetryAfter) {
                let binding = &field.binding;
                let ty = &field.ty;
                let span = ty.span();
                let delay = quote_spanned!(span=> <#ty as #krate::__private::RetryAfterField>::to_retry_after(#binding));
                quote!(#pat => #delay,)
            } else {
                quote!(#pat => ::core::option::Option::None,)
            }
        });
        quote! {
            fn retry_after(&self) -> ::core::option::Option<#krate::__private::StdDuration> { #body }
        }
    }

    /// `encode` and `write_body`, each handing its sink to the `EncodeEnvelope` impl.
    fn encode_fn(&self) -> TokenStream {
        let local_serializer = mixed("__serializer");
        let local_context = mixed("__context");
        let local_buf = mixed("__buf");
        let p = self.private();
        quote! {
            fn encode<__S: #p::serde::Serializer>(
                &self,
                #local_serializer: __S,
                #local_context: &#p::Context<'_>,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                <Self as #p::EncodeEnvelope>::encode_into(self, #p::SerializerSink(#local_serializer), #local_context)
            }

            fn write_body(
                &self,
                #local_buf: &mut #p::Vec<u8>,
                #local_context: &#p::Context<'_>,
            ) -> ::core::result::Result<(), #p::serde_json::Error> {
                <Self as #p::EncodeEnvelope>::encode_into(self, #p::JsonSink(#local_buf), #local_context)
            }
        }
    }

    /// The `EncodeEnvelope` impl: each variant's envelope, written to any sink.
    fn encode_into_impl(&self) -> TokenStream {
        let local_sink = mixed("__sink");
        let local_context = mixed("__context");
        let format = &self.format;
        let p = self.private();
        let declared = self.input.shape().is_some();
        let has_hint_slot = self.input.shape().is_some_and(|shape| {
            shape
                .slots()
                .iter()
                .any(|slot| matches!(slot.part, crate::declared::Part::RetryAfter(_)))
        });
        let body = self.arms(|v| {
            let pat = pattern(v, &[Role::Unknown, Role::Details], true);
            if v.is_unknown() {
                let u = unknown_binding(v);
                return quote!(#pat => #u.encode_into::<#format, __K>(#local_sink, #local_context),);
            }
            let status = v.status_value();
            let code = &v.code.value;
            let message = match &v.message_source {
                MessageSource::Field(index) => {
                    let field = &v.fields[*index];
                    let binding = &field.binding;
                    let ty = &field.ty;
                    let span = ty.span();
                    quote_spanned!(span=> #p::Message::Str(<#ty as #p::MessageField>::as_message(#binding)))
                }
                MessageSource::Template(template, lit) => {
                    if let Some(text) = &template.literal {
                        quote!(#p::Message::Str(#text))
                    } else {
                        let fmt = LitStr::new(&template.format, lit.span());
                        let args = template_args(v, template);
                        quote!(#p::Message::Display(&::core::format_args!(#fmt #(, #args)*)))
                    }
                }
                MessageSource::Masked(status) => {
                    quote!(#p::Message::Str(#p::reason_phrase(#p::status(#status))))
                }
                MessageSource::Static(text) => quote!(#p::Message::Str(#text)),
                MessageSource::Display | MessageSource::Unknown => {
                    let span = v.ident.span();
                    quote_spanned!(span=> #p::Message::Display(#p::DisplayMessage::as_display(self)))
                }
            };
            let (details_ty, details) = match v.field(Role::Details) {
                Some(field) => {
                    let ty = &field.ty;
                    let binding = &field.binding;
                    let span = ty.span();
                    // The assertion reports a type that is no DetailsField, once, on the
                    // type; the probe keeps the envelope's bound from reporting it again.
                    let assert = quote_spanned!(span=> <#ty as #p::DetailsField>::as_details);
                    (
                        quote!(_),
                        quote!(.with_details(&{
                            let _ = #assert;
                            (&#p::DetailsProbe(#binding)).details()
                        })),
                    )
                }
                None => (quote!(#p::NoDetails), TokenStream::new()),
            };
            // A declared format's variants write their key parts and member fields.
            let parts = if declared {
                quote!(self)
            } else {
                quote!(&#p::EnvelopeOnly)
            };
            // A declared place in the body for the retry hint takes the variant's.
            let hint = (has_hint_slot && v.field(Role::RetryAfter).is_some()).then(|| {
                quote!(.with_retry_after(<Self as #p::ApiError>::retry_after(self)))
            });
            quote! {
                #pat => #local_sink.write::<#format, #details_ty, _>(
                    &#p::Envelope::new(#p::status(#status), #code, #message, #local_context)#details #hint,
                    #parts,
                ),
            }
        });
        quote! {
            fn encode_into<__K: #p::EnvelopeSink>(
                &self,
                #local_sink: __K,
                #local_context: &#p::Context<'_>,
            ) -> __K::Out {
                #[allow(unused_imports)]
                use #p::{ViaDetails as _, ViaMissing as _};
                #body
            }
        }
    }

    /// The decoding methods of the `ApiError` impl: each reads through the enum's
    /// `InPlaceDetails` impl ([`Self::in_place_impl`]).
    fn decode_fn(&self) -> TokenStream {
        let local_input = mixed("__input");
        let local_status = mixed("__status");
        let local_headers = mixed("__headers");
        let local_body = mixed("__body");
        let local_now = mixed("__now");
        let krate = self.krate;
        let p = quote!(#krate::__private);
        // A non-generic enum registers its family once, so that it classifies as itself
        // behind `dyn Error` (a generic one has no static of its own to register with).
        let register = self.input.generics.params.is_empty().then(|| {
            let local_registered = mixed("__REGISTERED");
            quote! {
                {
                    use #p::register_probe::{RegisterProbe, ViaError as _, ViaNone as _};
                    static #local_registered: ::std::sync::Once = ::std::sync::Once::new();
                    #local_registered.call_once(|| (&RegisterProbe::<Self>::new()).register());
                }
            }
        });
        quote! {
            fn from_response(
                #local_status: #p::StatusCode,
                #local_headers: &#p::HeaderMap,
                #local_body: &[u8],
            ) -> ::core::result::Result<Self, #p::DecodeError> {
                #register
                // The clock is read only if a `Retry-After` date needs it.
                #p::decode_in_place::<Self>(
                    #local_status, #local_headers, #local_body, ::core::option::Option::None,
                )
            }

            fn from_response_at(
                #local_status: #p::StatusCode,
                #local_headers: &#p::HeaderMap,
                #local_body: &[u8],
                #local_now: #p::SystemTime,
            ) -> ::core::result::Result<Self, #p::DecodeError> {
                #register
                #p::decode_in_place::<Self>(
                    #local_status, #local_headers, #local_body, ::core::option::Option::Some(#local_now),
                )
            }

            fn __decode_with_meta(
                #local_status: #p::StatusCode,
                #local_headers: &#p::HeaderMap,
                #local_body: &[u8],
                #local_now: ::core::option::Option<#p::SystemTime>,
            ) -> (::core::result::Result<Self, #p::DecodeError>, ::std::boxed::Box<#p::ResponseMeta>) {
                #register
                #p::decode_in_place_with_meta::<Self>(#local_status, #local_headers, #local_body, #local_now)
            }

            fn __decode(
                #local_input: &#p::DecodeInput<'_>,
            ) -> ::core::result::Result<Self, #p::DecodeError> {
                <Self as #p::InPlaceDetails>::choose(#local_input, &mut ::core::default::Default::default())
            }
        }
    }

    /// The variants whose details decode in place, in slot order: those with details
    /// whose code no other decodable variant has, in a format whose body carries codes.
    fn slotted(&self) -> Vec<&Variant> {
        let decodable = self.decodable();
        let with_details = decodable
            .iter()
            .filter(|v| v.field(Role::Details).is_some() && sharing(&decodable, v) == 1);
        if self.status_keyed() {
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

    /// Whether the status alone picks a variant: a built-in format without codes, or a
    /// declared one with no code and no other key part.
    fn status_keyed(&self) -> bool {
        if let Some(shape) = self.input.shape() {
            let keyed = crate::valid::declared::Keyed::new(shape, &self.input.variants);
            !keyed.has_code() && keyed.named().is_empty()
        } else {
            self.input.builtin().is_some_and(|b| !b.has_code())
        }
    }

    /// The variant a body with no code or key part is decoded as at `status`: the decode
    /// default among the variants with that status, else the only one.
    fn picked_by_status(&self, status: u16) -> Option<&Variant> {
        let decodable = self.decodable();
        let candidates: Vec<&Variant> = decodable
            .into_iter()
            .filter(|v| v.status_value() == status)
            .collect();
        candidates
            .iter()
            .find(|v| v.decode_default.is_some())
            .or_else(|| (candidates.len() == 1).then(|| &candidates[0]))
            .copied()
    }

    /// The variants a decoder can build, in declaration order.
    fn decodable(&self) -> Vec<&Variant> {
        self.input
            .variants
            .iter()
            .filter(|v| v.is_decodable())
            .collect()
    }

    /// `__slots.1.1.0`: the slot at `index` in the row of slots.
    fn slot(index: usize) -> TokenStream {
        let local_slots = mixed("__slots");
        let rest = (0..index).map(|_| quote!(.1));
        quote!(#local_slots #(#rest)* .0)
    }

    /// `InPlaceDetails::presume`, the code details are read for before the body names
    /// one: where the status alone picks the variant, that variant's.
    fn presume(&self, slotted: &[&Variant]) -> Option<TokenStream> {
        if !self.status_keyed() || slotted.is_empty() {
            return None;
        }
        let krate = self.krate;
        let local_status = mixed("__status");
        let arms = slotted.iter().map(|variant| {
            let status = variant.status_value();
            let code = &variant.code.value;
            quote!(#status => ::core::option::Option::Some(#code),)
        });
        Some(quote! {
            #[inline]
            fn presume(#local_status: #krate::__private::StatusCode) -> ::core::option::Option<&'static str> {
                match #local_status.as_u16() {
                    #(#arms)*
                    _ => ::core::option::Option::None,
                }
            }
        })
    }

    /// The `InPlaceDetails` impl: a slot per variant that decodes its details in place,
    /// the reader that fills them, and the choice of variant that empties them.
    fn in_place_impl(&self) -> TokenStream {
        let local_slots = mixed("__slots");
        let local_code = mixed("__code");
        let local_part = mixed("__part");
        let local_map = mixed("__map");
        let local_value = mixed("__value");
        let local_raw = mixed("__raw");
        let local_input = mixed("__input");
        let local_kind = mixed("__kind");
        let local_chosen = mixed("__chosen");
        let krate = self.krate;
        let p = quote!(#krate::__private);
        let slotted = self.slotted();
        let mut slots = quote!(());
        for variant in slotted.iter().rev() {
            let ty = variant.field(Role::Details).map(|f| &f.ty);
            slots = quote!((::core::option::Option<#ty>, #slots));
        }
        let arms = slotted.iter().enumerate().map(|(index, variant)| {
            let code = &variant.code.value;
            let ty = variant.field(Role::Details).map(|f| &f.ty);
            let span = ty.span();
            let slot = Self::slot(index);
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
        let dispatch = match self.input.builtin() {
            _ if let Some(shape) = self.input.shape() => self.key_dispatch(shape, &slotted),
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
    fn build(&self, variant: &Variant, slotted: &[&Variant]) -> TokenStream {
        let local_raw = mixed("__raw");
        let local_input = mixed("__input");
        let p = {
            let krate = self.krate;
            quote!(#krate::__private)
        };
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
                            let slot = Self::slot(index);
                            let local_in_place = mixed("__in_place");
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

    fn code_dispatch(&self, slotted: &[&Variant]) -> TokenStream {
        let local_raw = mixed("__raw");
        let local_input = mixed("__input");
        let krate = self.krate;
        let decodable = self.decodable();
        // An arm for a code one variant has; for a code several variants share (only
        // formats whose body carries the status allow that), and in formats that key on
        // status and code together, an arm for the code and the status: a code under a
        // status no variant has it under is unrecognised, not another status's variant.
        let keys_on_status = self.input.builtin().is_some_and(Builtin::keys_on_status);
        let mut specific = Vec::new();
        for variant in &decodable {
            let code = &variant.code.value;
            let build = self.build(variant, slotted);
            if sharing(&decodable, variant) == 1 && !keys_on_status {
                specific.push(quote!((::core::option::Option::Some(#code), _) => #build,));
            } else {
                let status = variant.status_value();
                specific.push(quote!((::core::option::Option::Some(#code), #status) => #build,));
            }
        }
        quote! {
            match (#local_raw.code.as_deref(), #local_input.status_u16()) {
                #(#specific)*
                _ => ::core::result::Result::Err(#krate::__private::DecodeErrorKind::Unrecognized),
            }
        }
    }

    fn status_dispatch(&self, slotted: &[&Variant]) -> TokenStream {
        let local_input = mixed("__input");
        let krate = self.krate;
        let decodable = self.decodable();
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
                _ => ::core::result::Result::Err(#krate::__private::DecodeErrorKind::Unrecognized),
            }
        }
    }

    fn serialize_impl(&self) -> TokenStream {
        let local_serializer = mixed("__serializer");
        let p = {
            let krate = self.krate;
            quote!(#krate::__private)
        };
        quote! {
            fn serialize<__S: #p::serde::Serializer>(
                &self,
                #local_serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                <Self as #p::ApiError>::encode(self, #local_serializer, &#p::Context::EMPTY)
            }
        }
    }

    fn deserialize_impl(&self) -> TokenStream {
        let local_deserializer = mixed("__deserializer");
        if !self.input.deserializes() {
            return TokenStream::new();
        }
        let krate = self.krate;
        let p = quote!(#krate::__private);
        let format = &self.format;
        let ident = self.input.ident;
        let generics = self.input.generics;
        let (_, ty_generics, _) = generics.split_for_impl();
        let params = impl_params(generics);
        let where_clause = self.where_clause();
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

/// How many of `decodable` have `variant`'s code (itself included).
/// The variant's gRPC code: the one it names (valid, or the checks said so), else its
/// status's. For an `unknown` variant, whatever its status (read at run time) says.
fn grpc_code(variant: &Variant, p: &TokenStream) -> TokenStream {
    let named = variant.grpc.as_ref().and_then(|lit| {
        crate::ast::GRPC_CODES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(&lit.value()))
            .map(|(_, code)| Ident::new(code, Span::call_site()))
    });
    match named {
        Some(code) => quote!(#p::GrpcCode::#code),
        None if variant.is_unknown() => {
            quote!(#p::GrpcCode::for_status(#p::ApiError::status(self)))
        }
        None => {
            let status = variant.status_value();
            quote!(#p::GrpcCode::for_status(#p::status(#status)))
        }
    }
}

fn sharing(decodable: &[&Variant], variant: &Variant) -> usize {
    decodable
        .iter()
        .filter(|other| other.code.value == variant.code.value)
        .count()
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
    use super::LOCALS;

    /// Every local the expansion names with `mixed("…")` is shielded: a `const` of the
    /// same name in the user's scope would otherwise turn its binding into a pattern.
    #[test]
    fn every_local_is_shielded() {
        let sources = [
            include_str!("expand.rs"),
            include_str!("expand/declared.rs"),
        ];
        let mut named = 0;
        for source in sources {
            for (_, rest) in source
                .match_indices("mixed(\"")
                .map(|(at, _)| source.split_at(at + 7))
            {
                let name = &rest[..rest.find('"').unwrap()];
                // An upper-case name is an item declared in its own block (a static),
                // which shadows a constant rather than clashing with it.
                if name.is_empty()
                    || !name.starts_with("__")
                    || name.chars().any(|c| c.is_ascii_uppercase())
                {
                    continue;
                }
                named += 1;
                assert!(LOCALS.contains(&name), "`{name}` is not in LOCALS");
            }
        }
        assert!(named > 10, "the scan found the locals");
    }
}

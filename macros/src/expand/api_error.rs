//! The `ApiError` impl: status, code, message, retry class, catalogue, encoding and
//! the decoding entry points.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::LitStr;
use syn::spanned::Spanned as _;

use super::{Context, mixed, pattern, template_args, unknown_binding};
use crate::ast::{MessageSource, RetryClass, Role, Variant};

impl Context<'_> {
    pub(super) fn api_error_impl(&self) -> TokenStream {
        let p = &self.p;
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
            fn retry(&self) -> #p::Retry { #retry }
            #retry_after
            #retry_pinned
            #log_level
            #grpc
            #encode
            #decode
        }
    }

    /// `const CATALOGUE`: an `ErrorSpec` per declared variant but `unknown`.
    pub(super) fn catalogue(&self) -> TokenStream {
        let p = &self.p;
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
                let grpc = grpc_code(v, p);
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
    pub(super) fn grpc_fn(&self) -> TokenStream {
        let p = &self.p;
        let domain = self.input.domain.as_ref().map(|domain| {
            quote!(const GRPC_DOMAIN: ::core::option::Option<&'static str> = ::core::option::Option::Some(#domain);)
        });
        if self.input.variants.iter().all(|v| v.grpc.is_none()) {
            return quote!(#domain);
        }
        let body = self.arms(|v| {
            let pat = pattern(v, &[], false);
            let code = grpc_code(v, p);
            quote!(#pat => #code,)
        });
        quote! {
            #domain
            fn grpc_code(&self) -> #p::GrpcCode { #body }
        }
    }

    pub(super) fn log_level_fn(&self) -> TokenStream {
        let p = &self.p;
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
                quote!(#pat => ::core::option::Option::Some(#p::LogLevel::#level),)
            } else {
                quote!(#pat => ::core::option::Option::None,)
            }
        });
        quote! {
            fn log_level(&self) -> ::core::option::Option<#p::LogLevel> { #body }
        }
    }

    pub(super) fn arms(&self, each: impl Fn(&Variant) -> TokenStream) -> TokenStream {
        let arms = self.input.variants.iter().map(each);
        quote!(match self { #(#arms)* })
    }

    pub(super) fn status_fn(&self) -> TokenStream {
        let p = &self.p;
        let body = self.arms(|v| {
            if v.is_unknown() {
                let pat = pattern(v, &[Role::Unknown], false);
                let u = unknown_binding(v);
                quote!(#pat => #u.status(),)
            } else {
                let pat = pattern(v, &[], false);
                let status = v.status_value();
                quote!(#pat => #p::status(#status),)
            }
        });
        quote! {
            #[inline]
            fn status(&self) -> #p::StatusCode { #body }
        }
    }

    pub(super) fn code_fn(&self) -> TokenStream {
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

    pub(super) fn message_fn(&self) -> TokenStream {
        let p = &self.p;
        let cow = quote!(#p::Cow);
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
                    quote_spanned!(span=> #cow::Borrowed(<#ty as #p::MessageField>::as_message(#binding)))
                }
                MessageSource::Template(template, lit) => {
                    if let Some(text) = &template.literal {
                        quote!(#cow::Borrowed(#text))
                    } else {
                        let fmt = LitStr::new(&template.format, lit.span());
                        let args = template_args(v, template);
                        quote!(#cow::Owned(#p::format!(#fmt #(, #args)*)))
                    }
                }
                MessageSource::Static(text) => quote!(#cow::Borrowed(#text)),
                MessageSource::Masked(status) => quote!(
                    #cow::Borrowed(#p::reason_phrase(#p::status(#status)))
                ),
                MessageSource::Display => {
                    let span = v.ident.span();
                    quote_spanned!(span=> #cow::Owned(#p::ToString::to_string(
                        #p::DisplayMessage::as_display(self),
                    )))
                }
            };
            quote!(#pat => #value,)
        });
        quote! {
            fn message(&self) -> #cow<'_, str> { #body }
        }
    }

    pub(super) fn retry_fn(&self) -> TokenStream {
        let p = &self.p;
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
                        let class = quote!(#p::Retry::for_status(#p::status(#status)));
                        return quote!(#pat => #class,);
                    }
                    RetryClass::Backoff => "Backoff",
                    RetryClass::Throttled => "Throttled",
                    RetryClass::Never => "Never",
                    RetryClass::Reauthenticate => "Reauthenticate",
                };
                let class = Ident::new(class, Span::call_site());
                quote!(#pat => #p::Retry::#class,)
            }
        })
    }

    /// `__classify` and `KEEPS_HEADERS`, from `#[api_error(classify = path)]`.
    pub(super) fn classify_hook(&self) -> TokenStream {
        let Some(path) = &self.input.classify else {
            return TokenStream::new();
        };
        let p = &self.p;
        let local_meta = &self.locals.meta;
        let local_hook = &self.locals.hook;
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
    pub(super) fn retry_signals(&self) -> TokenStream {
        let Some(retry) = &self.input.retry else {
            return TokenStream::new();
        };
        let p = &self.p;
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
    pub(super) fn retry_pinned_fn(&self) -> TokenStream {
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

    pub(super) fn retry_after_fn(&self) -> TokenStream {
        let p = &self.p;
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
                let delay =
                    quote_spanned!(span=> <#ty as #p::RetryAfterField>::to_retry_after(#binding));
                quote!(#pat => #delay,)
            } else {
                quote!(#pat => ::core::option::Option::None,)
            }
        });
        quote! {
            fn retry_after(&self) -> ::core::option::Option<#p::StdDuration> { #body }
        }
    }

    /// `encode` and `write_body`, each handing its sink to the `EncodeEnvelope` impl.
    pub(super) fn encode_fn(&self) -> TokenStream {
        let local_serializer = &self.locals.serializer;
        let local_context = &self.locals.context;
        let local_buf = &self.locals.buf;
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

    /// The decoding methods of the `ApiError` impl: each reads through the enum's
    /// `InPlaceDetails` impl ([`Self::in_place_impl`]).
    pub(super) fn decode_fn(&self) -> TokenStream {
        let local_input = &self.locals.input;
        let local_status = &self.locals.status;
        let local_headers = &self.locals.headers;
        let local_body = &self.locals.body;
        let local_now = &self.locals.now;
        let p = &self.p;
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

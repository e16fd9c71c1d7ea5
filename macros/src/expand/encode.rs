//! The `EncodeEnvelope` and `Serialize` impls: a variant's envelope, written by its
//! format.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::LitStr;
use syn::spanned::Spanned as _;

use super::{Context, pattern, template_args, unknown_binding};
use crate::ast::{MessageSource, Role};

impl Context<'_> {
    /// The `EncodeEnvelope` impl: each variant's envelope, written to any sink.
    pub(super) fn encode_into_impl(&self) -> TokenStream {
        let local_sink = &self.locals.sink;
        let local_context = &self.locals.context;
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

    pub(super) fn serialize_impl(&self) -> TokenStream {
        let local_serializer = &self.locals.serializer;
        let p = &self.p;
        quote! {
            fn serialize<__S: #p::serde::Serializer>(
                &self,
                #local_serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                <Self as #p::ApiError>::encode(self, #local_serializer, &#p::Context::EMPTY)
            }
        }
    }
}

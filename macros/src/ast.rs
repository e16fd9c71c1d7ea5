//! The resolved declaration: receivers turned into variants with their effective
//! status, code, retry override and field roles, ready for checks and expansion.

use darling::FromDeriveInput;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned as _;
use syn::{DeriveInput, Ident, LitStr};

use crate::attr::{self, ContainerAttrs, FieldAttrs, RetryableAttr, Spanned, VariantAttrs};
use crate::case::{RULES, RenameRule};

/// The six built-in formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    Plain,
    Nested,
    Fields,
    Reason,
    Flat,
    Problem,
}

pub(crate) const BUILTINS: &[(&str, Builtin)] = &[
    ("plain", Builtin::Plain),
    ("nested", Builtin::Nested),
    ("fields", Builtin::Fields),
    ("reason", Builtin::Reason),
    ("flat", Builtin::Flat),
    ("problem", Builtin::Problem),
];

impl Builtin {
    pub(crate) fn name(self) -> &'static str {
        BUILTINS
            .iter()
            .find(|(_, b)| *b == self)
            .map_or("", |(name, _)| name)
    }

    pub(crate) fn type_name(self) -> &'static str {
        match self {
            Builtin::Plain => "Plain",
            Builtin::Nested => "Nested",
            Builtin::Fields => "Fields",
            Builtin::Reason => "Reason",
            Builtin::Flat => "Flat",
            Builtin::Problem => "Problem",
        }
    }

    /// Whether the body carries a code (else the status alone identifies a variant).
    pub(crate) fn has_code(self) -> bool {
        !matches!(self, Builtin::Plain | Builtin::Fields)
    }

    /// Whether the body carries the status, so codes need only be unique per status.
    pub(crate) fn carries_status(self) -> bool {
        matches!(self, Builtin::Reason | Builtin::Problem)
    }

    /// Whether a code picks a variant only together with the status, even where one
    /// variant has it (`reason`: a reason is defined per status).
    pub(crate) fn keys_on_status(self) -> bool {
        matches!(self, Builtin::Reason)
    }
}

/// The container's format.
pub(crate) enum FormatChoice {
    Builtin(Builtin),
    Custom(syn::Path),
}

/// A field's job in the envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `#[api_error(details)]`: the envelope's details, both ways.
    Details,
    /// `#[api_error(message)]`: the public message, both ways.
    Message,
    /// `#[api_error(default)]`: not sent; `Default` when decoding.
    Default,
    /// `#[api_error(retry_after)]`: the `Retry-After` delay, both ways (as a header).
    RetryAfter,
    /// The single field of the `unknown` variant.
    Unknown,
    /// Anything else: not sent, and makes the variant encode-only.
    Other,
}

pub(crate) struct Field {
    pub(crate) member: syn::Member,
    pub(crate) ty: syn::Type,
    pub(crate) role: Role,
    /// The span of the role attribute, or of the field.
    pub(crate) span: Span,
    /// The local name the generated code binds the field to.
    pub(crate) binding: Ident,
}

pub(crate) struct Variant {
    pub(crate) ident: Ident,
    /// `Self::Variant` for enums, `Self` for structs.
    pub(crate) path: TokenStream,
    /// Effective status: the variant's own or the container's default.
    pub(crate) status: Option<Spanned<u16>>,
    pub(crate) code: Spanned<String>,
    pub(crate) retryable: Option<Spanned<RetryableAttr>>,
    pub(crate) message: Option<LitStr>,
    pub(crate) expose: Option<Span>,
    pub(crate) unknown: Option<Span>,
    pub(crate) decode_default: Option<Span>,
    pub(crate) fields: Vec<Field>,
    /// The text of a placeholder-free `#[error("…")]`, which is then the `Display`.
    pub(crate) display_literal: Option<String>,
    /// Whether the variant's own attributes set a status/code/retry (for `unknown`).
    pub(crate) short_attr_spans: Vec<(&'static str, Span)>,
}

impl Variant {
    pub(crate) fn field(&self, role: Role) -> Option<&Field> {
        self.fields.iter().find(|f| f.role == role)
    }

    pub(crate) fn is_unknown(&self) -> bool {
        self.unknown.is_some()
    }

    /// Whether a decoder can build this variant from a body: every field is sent or
    /// can be rebuilt.
    pub(crate) fn is_decodable(&self) -> bool {
        !self.is_unknown() && self.fields.iter().all(|f| f.role != Role::Other)
    }

    pub(crate) fn status_value(&self) -> u16 {
        self.status.as_ref().map_or(500, |s| s.value)
    }
}

pub(crate) struct Input<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a syn::Generics,
    pub(crate) krate: TokenStream,
    pub(crate) format: FormatChoice,
    pub(crate) is_enum: bool,
    pub(crate) variants: Vec<Variant>,
}

impl Input<'_> {
    pub(crate) fn unknown_variant(&self) -> Option<&Variant> {
        self.variants.iter().find(|v| v.is_unknown())
    }

    pub(crate) fn builtin(&self) -> Option<Builtin> {
        match self.format {
            FormatChoice::Builtin(builtin) => Some(builtin),
            FormatChoice::Custom(_) => None,
        }
    }
}

/// Reads the declaration. Problems with individual attributes are pushed into `errors`
/// and parsing goes on, so that every mistake is reported in one build; `None` only when
/// nothing usable could be read.
pub(crate) fn parse<'a>(
    input: &'a DeriveInput,
    errors: &mut darling::error::Accumulator,
) -> Option<Input<'a>> {
    if let syn::Data::Union(data) = &input.data {
        errors.push(
            darling::Error::custom(
                "#[derive(ApiError)] does not support unions; use an enum or a struct",
            )
            .with_span(&data.union_token),
        );
        return None;
    }
    let container = errors.handle(ContainerAttrs::from_derive_input(input))?;
    let default = attr::short_attrs(&container.attrs, errors);
    let rename = rename_rule(container.rename_all.as_ref(), errors);
    let format = format_choice(container.format.as_ref(), errors);
    let krate = container
        .krate
        .as_ref()
        .map_or_else(|| quote!(::apierror), |path| quote!(#path));

    let is_enum = matches!(container.data, darling::ast::Data::Enum(_));
    let variants = match &container.data {
        darling::ast::Data::Enum(variants) => {
            for (name, short) in [
                ("code", default.code.as_ref().map(|c| c.span)),
                ("retryable", default.retryable.as_ref().map(|r| r.span)),
            ] {
                if let Some(span) = short {
                    errors.push(
                        darling::Error::custom(format!(
                            "#[{name}] belongs on a variant; on an enum only #[status] is allowed, as the default status"
                        ))
                        .with_span(&span),
                    );
                }
            }
            for (name, span) in [
                ("message", container.message.as_ref().map(LitStr::span)),
                (
                    "expose",
                    container
                        .expose
                        .is_present()
                        .then(|| container.expose.span()),
                ),
            ] {
                if let Some(span) = span {
                    errors.push(
                        darling::Error::custom(format!(
                            "#[api_error({name})] belongs on a variant, not on the enum"
                        ))
                        .with_span(&span),
                    );
                }
            }
            variants
                .iter()
                .map(|v| variant(v, default.status.as_ref(), rename, errors))
                .collect()
        }
        darling::ast::Data::Struct(fields) => {
            vec![struct_variant(&container, fields, &default, rename, errors)]
        }
    };
    Some(Input {
        ident: &input.ident,
        generics: &input.generics,
        krate,
        format,
        is_enum,
        variants,
    })
}

fn rename_rule(lit: Option<&LitStr>, errors: &mut darling::error::Accumulator) -> RenameRule {
    let Some(lit) = lit else {
        return RenameRule::Snake;
    };
    RenameRule::from_name(&lit.value()).unwrap_or_else(|| {
        let names: Vec<String> = RULES.iter().map(|(name, _)| format!("`{name}`")).collect();
        errors.push(
            darling::Error::custom(format!(
                "unknown rename_all rule `{}`; expected one of {}",
                lit.value(),
                names.join(", ")
            ))
            .with_span(lit),
        );
        RenameRule::Snake
    })
}

fn format_choice(
    spec: Option<&attr::FormatSpec>,
    errors: &mut darling::error::Accumulator,
) -> FormatChoice {
    match spec {
        None => FormatChoice::Builtin(Builtin::Problem),
        Some(attr::FormatSpec::Path(path)) => FormatChoice::Custom(path.clone()),
        Some(attr::FormatSpec::Named(name)) => {
            let value = name.value();
            if let Some((_, builtin)) = BUILTINS.iter().find(|(known, _)| *known == value) {
                return FormatChoice::Builtin(*builtin);
            }
            let names: Vec<String> = BUILTINS
                .iter()
                .map(|(name, _)| format!("`{name}`"))
                .collect();
            let suggestion = BUILTINS
                .iter()
                .find(|(known, _)| attr::similar(&value, known))
                .map(|(known, _)| format!("did you mean `{known}`? "))
                .unwrap_or_default();
            errors.push(
                darling::Error::custom(format!(
                    "unknown format `{value}`; {suggestion}expected one of {}, or a path to a type implementing apierror::Format",
                    names.join(", ")
                ))
                .with_span(name),
            );
            FormatChoice::Builtin(Builtin::Problem)
        }
    }
}

fn variant(
    v: &VariantAttrs,
    default_status: Option<&Spanned<u16>>,
    rename: RenameRule,
    errors: &mut darling::error::Accumulator,
) -> Variant {
    let short = attr::short_attrs(&v.attrs, errors);
    let ident = &v.ident;
    let mut short_attr_spans = Vec::new();
    if let Some(s) = &short.status {
        short_attr_spans.push(("status", s.span));
    }
    if let Some(c) = &short.code {
        short_attr_spans.push(("code", c.span));
    }
    if let Some(r) = &short.retryable {
        short_attr_spans.push(("retryable", r.span));
    }
    Variant {
        path: quote!(Self::#ident),
        status: short.status.or_else(|| default_status.cloned()),
        code: short.code.unwrap_or_else(|| Spanned {
            value: rename.apply(&unraw(ident)),
            span: ident.span(),
        }),
        retryable: short.retryable,
        message: v.message.clone(),
        expose: v.expose.is_present().then(|| v.expose.span()),
        unknown: v.unknown.is_present().then(|| v.unknown.span()),
        decode_default: v
            .decode_default
            .is_present()
            .then(|| v.decode_default.span()),
        fields: fields(&v.fields, v.unknown.is_present(), errors),
        display_literal: attr::display_literal(&v.attrs),
        ident: ident.clone(),
        short_attr_spans,
    }
}

fn struct_variant(
    container: &ContainerAttrs,
    fields_attrs: &darling::ast::Fields<FieldAttrs>,
    short: &attr::ShortAttrs,
    rename: RenameRule,
    errors: &mut darling::error::Accumulator,
) -> Variant {
    let ident = &container.ident;
    Variant {
        path: quote!(Self),
        status: short.status.clone(),
        code: short.code.clone().unwrap_or_else(|| Spanned {
            value: rename.apply(&unraw(ident)),
            span: ident.span(),
        }),
        retryable: short.retryable.clone(),
        message: container.message.clone(),
        expose: container
            .expose
            .is_present()
            .then(|| container.expose.span()),
        unknown: None,
        decode_default: None,
        fields: fields(fields_attrs, false, errors),
        display_literal: attr::display_literal(&container.attrs),
        ident: ident.clone(),
        short_attr_spans: Vec::new(),
    }
}

fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#")
        .map_or_else(|| name.clone(), str::to_owned)
}

fn fields(
    fields: &darling::ast::Fields<FieldAttrs>,
    in_unknown: bool,
    errors: &mut darling::error::Accumulator,
) -> Vec<Field> {
    fields
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let roles: Vec<(Role, Span)> = [
                (Role::Details, &f.details),
                (Role::Message, &f.message),
                (Role::Default, &f.default),
                (Role::RetryAfter, &f.retry_after),
            ]
            .into_iter()
            .filter(|(_, flag)| flag.is_present())
            .map(|(role, flag)| (role, flag.span()))
            .collect();
            if let [_, (_, second), ..] = roles.as_slice() {
                errors.push(
                    darling::Error::custom(
                        "a field takes one of details, message, default and retry_after",
                    )
                    .with_span(second),
                );
            }
            let (role, span) = roles.first().copied().unwrap_or_else(|| {
                let role = if in_unknown {
                    Role::Unknown
                } else {
                    Role::Other
                };
                (role, f.ty.span())
            });
            // Mixed-site: the binding never clashes with a name the user has in scope.
            let (member, binding) = match &f.ident {
                Some(name) => (
                    syn::Member::Named(name.clone()),
                    Ident::new(&format!("__field_{}", unraw(name)), Span::mixed_site()),
                ),
                None => (
                    syn::Member::Unnamed(syn::Index::from(index)),
                    Ident::new(&format!("__field_{index}"), Span::mixed_site()),
                ),
            };
            Field {
                member,
                ty: f.ty.clone(),
                role,
                span,
                binding,
            }
        })
        .collect()
}

//! The resolved declaration: receivers turned into variants with their effective
//! status, code, retry override and field roles, ready for checks and expansion.
//!
//! Step 2 of the derive: the syntax tree.

use darling::FromDeriveInput;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned as _;
use syn::{DeriveInput, Ident, LitStr};

use crate::attr::{
    self, ContainerAttrs, FieldAttrs, Mistake, RetryableAttr, Spanned, VariantAttrs,
};
use crate::case::{RenameRule, unraw};
use crate::declared::{self, Shape};
use crate::template::{self, Template};

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

/// The levels `#[api_error(log = "…")]` takes.
pub(crate) const LOG_LEVELS: &[(&str, &str)] = &[
    ("error", "Error"),
    ("warn", "Warn"),
    ("info", "Info"),
    ("debug", "Debug"),
    ("off", "Off"),
];

/// The names `#[api_error(grpc = "…")]` takes (google.rpc.Code's, `ok` aside), with the
/// `GrpcCode` variant each is.
pub(crate) const GRPC_CODES: &[(&str, &str)] = &[
    ("cancelled", "Cancelled"),
    ("unknown", "Unknown"),
    ("invalid_argument", "InvalidArgument"),
    ("deadline_exceeded", "DeadlineExceeded"),
    ("not_found", "NotFound"),
    ("already_exists", "AlreadyExists"),
    ("permission_denied", "PermissionDenied"),
    ("resource_exhausted", "ResourceExhausted"),
    ("failed_precondition", "FailedPrecondition"),
    ("aborted", "Aborted"),
    ("out_of_range", "OutOfRange"),
    ("unimplemented", "Unimplemented"),
    ("internal", "Internal"),
    ("unavailable", "Unavailable"),
    ("data_loss", "DataLoss"),
    ("unauthenticated", "Unauthenticated"),
];

/// The container's format.
pub(crate) enum FormatChoice {
    Builtin(Builtin),
    Custom(syn::Path),
    /// A name that is no built-in format (the checks report it).
    UnknownName(LitStr),
    /// `format(json = "…")`.
    Declared(Declared),
}

/// A declared format: its text, parsed (or why not), and its content type.
pub(crate) struct Declared {
    pub(crate) json: LitStr,
    pub(crate) content_type: Option<LitStr>,
    pub(crate) shape: Result<Shape, String>,
}

/// Where a variant's public message comes from, resolved once.
pub(crate) enum MessageSource {
    /// The `unknown` variant: what the response said.
    Unknown,
    /// The `#[api_error(message)]` field, by index.
    Field(usize),
    /// A `message = "…"` template, parsed, with its literal for spans.
    Template(Template, LitStr),
    /// A 5xx that is not exposed: the status's reason phrase.
    Masked(u16),
    /// `Display` is a placeholder-free `#[error("…")]`: the text itself.
    Static(String),
    /// The type's `Display`.
    Display,
}

/// A variant's retry class, resolved once: `#[retryable]`'s, or the status's default,
/// which only the runtime's `Retry::for_status` defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryClass {
    ForStatus,
    Backoff,
    Throttled,
    Never,
    Reauthenticate,
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
    /// `#[api_error(member)]`: a member of a declared format, both ways.
    Member,
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
    /// The spans of role attributes after the first (a field takes one role).
    pub(crate) extra_roles: Vec<Span>,
    /// Whether the field's type mentions one of the declaration's type parameters.
    pub(crate) generic: bool,
}

pub(crate) struct Variant {
    pub(crate) ident: Ident,
    /// `Self::Variant` for enums, `Self` for structs.
    pub(crate) path: TokenStream,
    /// Effective status as written: the variant's own or the container's default.
    pub(crate) status: Option<Spanned<u64>>,
    /// Whether a `#[status]` was there but unreadable (already reported as such).
    pub(crate) status_unreadable: bool,
    pub(crate) code: Spanned<String>,
    /// Whether the code was given (`#[code]` or `key(code = …)`), not derived from the name.
    pub(crate) code_given: bool,
    /// `key(…)`'s parts other than `code`, in order.
    pub(crate) key: Vec<(Ident, LitStr)>,
    /// The span of `key(code = …)` when `#[code]` is given too.
    pub(crate) code_twice: Option<Span>,
    pub(crate) retryable: Option<Spanned<RetryableAttr>>,
    pub(crate) message: Option<LitStr>,
    pub(crate) expose: Option<Span>,
    /// `#[api_error(log = "…")]`: the level a server logs it at.
    pub(crate) log: Option<LitStr>,
    /// `#[api_error(grpc = "…")]`: its gRPC code, where not the status's.
    pub(crate) grpc: Option<LitStr>,
    pub(crate) unknown: Option<Span>,
    pub(crate) decode_default: Option<Span>,
    pub(crate) fields: Vec<Field>,
    /// The text of a placeholder-free `#[error("…")]`, which is then the `Display`.
    pub(crate) display_literal: Option<String>,
    /// The text of the `#[error("…")]`, placeholders and all (for the catalogue).
    pub(crate) error_text: Option<String>,
    /// The doc comment, lines joined.
    pub(crate) doc: String,
    /// Whether the variant's own attributes set a status/code/retry (for `unknown`).
    pub(crate) short_attr_spans: Vec<(&'static str, Span)>,
    /// Where the public message comes from.
    pub(crate) message_source: MessageSource,
    /// Why the `message = "…"` template does not parse, if it does not.
    pub(crate) template_error: Option<(String, Span)>,
    /// The retry class.
    pub(crate) retry: RetryClass,
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

    /// The binding of the field a template argument names (a name of no field gets a
    /// binding of its own, which the checks report).
    pub(crate) fn binding_of(&self, arg: &str) -> Ident {
        self.fields
            .iter()
            .find(|f| member_is(&f.member, arg))
            .map_or_else(
                || Ident::new(&format!("__field_{arg}"), Span::mixed_site()),
                |f| f.binding.clone(),
            )
    }

    /// Resolves, once, what codegen needs decided: where the message comes from (the
    /// template parsed), the retry class, and which fields mention `params`.
    fn resolve(&mut self, params: &[&Ident]) {
        for field in &mut self.fields {
            field.generic = mentions(&field.ty, params);
        }
        self.retry = match self.retryable.as_ref().map(|r| r.value) {
            None => RetryClass::ForStatus,
            Some(RetryableAttr::Yes | RetryableAttr::Unchecked) if self.status_value() == 429 => {
                RetryClass::Throttled
            }
            Some(RetryableAttr::Yes | RetryableAttr::Unchecked) => RetryClass::Backoff,
            Some(RetryableAttr::No) => RetryClass::Never,
            Some(RetryableAttr::Reauthenticate) => RetryClass::Reauthenticate,
        };
        let parsed = self.message.as_ref().map(|lit| {
            let parsed = template::parse(&lit.value(), |arg| self.binding_of(arg).to_string());
            (parsed, lit.clone())
        });
        self.message_source = if self.is_unknown() {
            MessageSource::Unknown
        } else if let Some(index) = self.fields.iter().position(|f| f.role == Role::Message) {
            MessageSource::Field(index)
        } else if let Some((Ok(template), lit)) = parsed {
            MessageSource::Template(template, lit)
        } else if let Some((Err(why), lit)) = parsed {
            self.template_error = Some((why, lit.span()));
            MessageSource::Display
        } else if self.status_value() >= 500 && self.expose.is_none() {
            MessageSource::Masked(self.status_value())
        } else if let Some(text) = &self.display_literal {
            MessageSource::Static(text.clone())
        } else {
            MessageSource::Display
        };
    }

    /// The status as a `u16` (500 when it is missing or out of range, which the checks
    /// report).
    pub(crate) fn status_value(&self) -> u16 {
        self.status
            .as_ref()
            .and_then(|s| u16::try_from(s.value).ok())
            .filter(|s| (100..=599).contains(s))
            .unwrap_or(500)
    }
}

pub(crate) struct Input<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a syn::Generics,
    pub(crate) krate: TokenStream,
    pub(crate) format: FormatChoice,
    pub(crate) is_enum: bool,
    pub(crate) variants: Vec<Variant>,
    /// What reading the attributes found wrong, for the checks to word.
    pub(crate) mistakes: Vec<Mistake>,
    /// A `rename_all` rule that is none of serde's.
    pub(crate) unknown_rename: Option<LitStr>,
    /// Attributes on an enum that belong on its variants, with where they are.
    pub(crate) misplaced: Vec<(&'static str, Span)>,
    /// `#[api_error(retry(...))]`.
    pub(crate) retry: Option<attr::RetrySpec>,
    /// `#[api_error(classify = path)]`.
    pub(crate) classify: Option<syn::Path>,
    /// `#[api_error(domain = "…")]`: the domain of its gRPC `ErrorInfo`.
    pub(crate) domain: Option<LitStr>,
}

impl Input<'_> {
    pub(crate) fn unknown_variant(&self) -> Option<&Variant> {
        self.variants.iter().find(|v| v.is_unknown())
    }

    /// Whether the type gets `Deserialize`: its format's body names the error (every
    /// format but the codeless built-in ones).
    pub(crate) fn deserializes(&self) -> bool {
        self.builtin().is_none_or(Builtin::has_code)
    }

    pub(crate) fn builtin(&self) -> Option<Builtin> {
        match self.format {
            FormatChoice::Builtin(builtin) => Some(builtin),
            FormatChoice::Custom(_) | FormatChoice::UnknownName(_) | FormatChoice::Declared(_) => {
                None
            }
        }
    }

    /// The declared format's shape, when the format is declared and reads.
    pub(crate) fn shape(&self) -> Option<&Shape> {
        match &self.format {
            FormatChoice::Declared(declared) => declared.shape.as_ref().ok(),
            _ => None,
        }
    }
}

/// Reads the declaration: every attribute item that can be read is, and each that
/// cannot is kept as a [`Mistake`] beside what was read, so the checks see everything.
///
/// # Errors
///
/// Darling's own errors, should it fail on an input [`attr::read`] let through (a
/// union, which the checks report, is not read at all).
pub(crate) fn parse(input: &DeriveInput) -> Result<Input<'_>, darling::Error> {
    let read = attr::read(input);
    let container = ContainerAttrs::from_derive_input(&read.input)?;
    let mut mistakes = read.mistakes;
    let default = attr::short_attrs(&container.attrs, &mut mistakes);
    let (rename, unknown_rename) = match &container.rename_all {
        None => (RenameRule::Snake, None),
        Some(lit) => match RenameRule::from_name(&lit.value()) {
            Some(rule) => (rule, None),
            None => (RenameRule::Snake, Some(lit.clone())),
        },
    };
    let format = match &container.format {
        None => FormatChoice::Builtin(Builtin::Problem),
        Some(attr::FormatSpec::Path(path)) => FormatChoice::Custom(path.clone()),
        Some(attr::FormatSpec::Declared { json, content_type }) => {
            FormatChoice::Declared(Declared {
                shape: declared::parse(&json.value()),
                json: json.clone(),
                content_type: content_type.clone(),
            })
        }
        Some(attr::FormatSpec::Named(name)) => BUILTINS
            .iter()
            .find(|(known, _)| *known == name.value())
            .map_or_else(
                || FormatChoice::UnknownName(name.clone()),
                |(_, builtin)| FormatChoice::Builtin(*builtin),
            ),
    };
    let krate = container
        .krate
        .as_ref()
        .map_or_else(|| quote!(::apierror), |path| quote!(#path));

    let is_enum = matches!(container.data, darling::ast::Data::Enum(_));
    let mut misplaced = Vec::new();
    let variants = match &container.data {
        darling::ast::Data::Enum(variants) => {
            let on_enum = [
                ("code", default.code.as_ref().map(|c| c.span)),
                ("retryable", default.retryable.as_ref().map(|r| r.span)),
                ("message", container.message.as_ref().map(LitStr::span)),
                ("log", container.log.as_ref().map(LitStr::span)),
                ("grpc", container.grpc.as_ref().map(LitStr::span)),
                (
                    "expose",
                    container
                        .expose
                        .is_present()
                        .then(|| container.expose.span()),
                ),
            ];
            misplaced.extend(
                on_enum
                    .into_iter()
                    .filter_map(|(name, span)| Some((name, span?))),
            );
            variants
                .iter()
                .map(|v| variant(v, &default, rename, &mut mistakes))
                .collect()
        }
        darling::ast::Data::Struct(fields) => {
            vec![struct_variant(&container, fields, &default, rename)]
        }
    };
    let params: Vec<&Ident> = input.generics.type_params().map(|p| &p.ident).collect();
    let mut variants: Vec<Variant> = variants;
    for variant in &mut variants {
        variant.resolve(&params);
    }
    Ok(Input {
        ident: &input.ident,
        generics: &input.generics,
        krate,
        format,
        is_enum,
        variants,
        mistakes,
        unknown_rename,
        misplaced,
        retry: container.retry.clone(),
        classify: container.classify.clone(),
        domain: container.domain.clone(),
    })
}

fn variant(
    v: &VariantAttrs,
    default: &attr::ShortAttrs,
    rename: RenameRule,
    mistakes: &mut Vec<Mistake>,
) -> Variant {
    let short = attr::short_attrs(&v.attrs, mistakes);
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
    let mut key: Vec<(Ident, LitStr)> = v.key.as_ref().map(|k| k.0.clone()).unwrap_or_default();
    let key_code = key
        .iter()
        .position(|(name, _)| name == "code")
        .map(|i| key.remove(i).1);
    let code_given = short.code.is_some() || key_code.is_some();
    let code_twice = key_code
        .as_ref()
        .filter(|_| short.code.is_some())
        .map(LitStr::span);
    let code = short.code.or_else(|| {
        key_code.map(|lit| Spanned {
            value: lit.value(),
            span: lit.span(),
        })
    });
    Variant {
        code_given,
        key,
        code_twice,
        path: quote!(Self::#ident),
        status_unreadable: short.status_unreadable
            || (short.status.is_none() && default.status_unreadable),
        status: short.status.or_else(|| default.status.clone()),
        code: code.unwrap_or_else(|| Spanned {
            value: rename.apply(&unraw(ident)),
            span: ident.span(),
        }),
        retryable: short.retryable,
        message: v.message.clone(),
        expose: v.expose.is_present().then(|| v.expose.span()),
        log: v.log.clone(),
        grpc: v.grpc.clone(),
        unknown: v.unknown.is_present().then(|| v.unknown.span()),
        decode_default: v
            .decode_default
            .is_present()
            .then(|| v.decode_default.span()),
        fields: fields(&v.fields, v.unknown.is_present()),
        display_literal: attr::display_literal(&v.attrs),
        error_text: attr::error_text(&v.attrs),
        doc: attr::doc(&v.attrs),
        ident: ident.clone(),
        short_attr_spans,
        message_source: MessageSource::Display,
        template_error: None,
        retry: RetryClass::ForStatus,
    }
}

fn struct_variant(
    container: &ContainerAttrs,
    fields_attrs: &darling::ast::Fields<FieldAttrs>,
    short: &attr::ShortAttrs,
    rename: RenameRule,
) -> Variant {
    let ident = &container.ident;
    Variant {
        code_given: short.code.is_some(),
        key: Vec::new(),
        code_twice: None,
        path: quote!(Self),
        status: short.status.clone(),
        status_unreadable: short.status_unreadable,
        code: short.code.clone().unwrap_or_else(|| Spanned {
            value: rename.apply(&unraw(ident)),
            span: ident.span(),
        }),
        retryable: short.retryable.clone(),
        message: container.message.clone(),
        log: container.log.clone(),
        grpc: container.grpc.clone(),
        expose: container
            .expose
            .is_present()
            .then(|| container.expose.span()),
        unknown: None,
        decode_default: None,
        fields: fields(fields_attrs, false),
        display_literal: attr::display_literal(&container.attrs),
        error_text: attr::error_text(&container.attrs),
        doc: attr::doc(&container.attrs),
        ident: ident.clone(),
        short_attr_spans: Vec::new(),
        message_source: MessageSource::Display,
        template_error: None,
        retry: RetryClass::ForStatus,
    }
}

fn fields(fields: &darling::ast::Fields<FieldAttrs>, in_unknown: bool) -> Vec<Field> {
    fields
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let roles: Vec<(Role, Span)> = [
                (Role::Details, &f.details),
                (Role::Message, &f.message),
                (Role::Default, &f.default),
                (Role::RetryAfter, &f.retry_after),
                (Role::Member, &f.member),
            ]
            .into_iter()
            .filter(|(_, flag)| flag.is_present())
            .map(|(role, flag)| (role, flag.span()))
            .collect();
            let extra_roles = roles.iter().skip(1).map(|(_, span)| *span).collect();
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
                extra_roles,
                generic: false,
            }
        })
        .collect()
}

/// Whether `member` is the field a template names with `arg`.
pub(crate) fn member_is(member: &syn::Member, arg: &str) -> bool {
    match member {
        syn::Member::Named(name) => *name == arg,
        syn::Member::Unnamed(index) => index.index.to_string() == arg,
    }
}

/// Whether `ty` mentions one of `params`.
fn mentions(ty: &syn::Type, params: &[&Ident]) -> bool {
    fn walk(tokens: TokenStream, params: &[&Ident]) -> bool {
        tokens.into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Ident(ident) => params.contains(&&ident),
            proc_macro2::TokenTree::Group(group) => walk(group.stream(), params),
            _ => false,
        })
    }
    walk(quote::ToTokens::to_token_stream(ty), params)
}

//! Receivers: what the attributes say, as darling reads them, before any checks.
//!
//! Step 1 of the derive: reading the attributes.
//!
//! [`read`] goes first: it takes every `#[api_error(...)]` item apart on its own, keeps
//! the ones darling can read, and records each one it cannot as a [`Mistake`] (a typo, a
//! key at the wrong level, a value of the wrong form, a repeat), so that one bad item
//! never hides the rest of the declaration. `valid.rs` words every mistake.

use darling::util::Flag;
use darling::{FromDeriveInput, FromField, FromMeta, FromVariant, ast};
use proc_macro2::Span;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::{Attribute, DeriveInput, Expr, Ident, Lit, LitStr, Meta, Token};

/// The container: `#[api_error(...)]` on the enum or struct, plus forwarded short
/// attributes (`#[status]` as a default, and on structs `#[code]`/`#[retryable]`).
#[derive(FromDeriveInput)]
#[darling(
    attributes(api_error),
    forward_attrs(status, code, retryable, error, doc)
)]
pub(crate) struct ContainerAttrs {
    pub(crate) ident: Ident,
    pub(crate) data: ast::Data<VariantAttrs, FieldAttrs>,
    pub(crate) attrs: Vec<Attribute>,
    #[darling(default)]
    pub(crate) format: Option<FormatSpec>,
    #[darling(default)]
    pub(crate) rename_all: Option<LitStr>,
    #[darling(rename = "crate", default)]
    pub(crate) krate: Option<syn::Path>,
    #[darling(default)]
    pub(crate) message: Option<LitStr>,
    pub(crate) expose: Flag,
    #[darling(default)]
    pub(crate) log: Option<LitStr>,
    #[darling(default)]
    pub(crate) retry: Option<RetrySpec>,
    #[darling(default)]
    pub(crate) classify: Option<syn::Path>,
    #[darling(default)]
    pub(crate) grpc: Option<LitStr>,
    #[darling(default)]
    pub(crate) domain: Option<LitStr>,
}

/// `#[api_error(retry(header = "…", unit = "…", should_retry = "…"))]`: the vendor's
/// retry signals beyond `Retry-After` and the rate-limit headers.
#[derive(Debug, Clone, Default, FromMeta)]
pub(crate) struct RetrySpec {
    /// A header holding the retry hint.
    #[darling(default)]
    pub(crate) header: Option<LitStr>,
    /// The hint's unit (`retry_after` when not given).
    #[darling(default)]
    pub(crate) unit: Option<LitStr>,
    /// A header saying whether to retry (`true`/`false`).
    #[darling(default)]
    pub(crate) should_retry: Option<LitStr>,
}

/// A variant's `#[api_error(...)]` plus its forwarded short attributes.
#[derive(FromVariant)]
#[darling(
    attributes(api_error),
    forward_attrs(status, code, retryable, error, doc)
)]
pub(crate) struct VariantAttrs {
    pub(crate) ident: Ident,
    pub(crate) fields: ast::Fields<FieldAttrs>,
    pub(crate) attrs: Vec<Attribute>,
    #[darling(default)]
    pub(crate) message: Option<LitStr>,
    pub(crate) expose: Flag,
    #[darling(default)]
    pub(crate) log: Option<LitStr>,
    pub(crate) unknown: Flag,
    pub(crate) decode_default: Flag,
    #[darling(default)]
    pub(crate) key: Option<KeySpec>,
    #[darling(default)]
    pub(crate) grpc: Option<LitStr>,
}

/// A field's `#[api_error(...)]`.
#[derive(FromField)]
#[darling(attributes(api_error))]
pub(crate) struct FieldAttrs {
    pub(crate) ident: Option<Ident>,
    pub(crate) ty: syn::Type,
    pub(crate) details: Flag,
    pub(crate) message: Flag,
    pub(crate) default: Flag,
    pub(crate) retry_after: Flag,
    pub(crate) member: Flag,
}

/// `format = "nested"`, `format = path::To::Format`, or a declared format:
/// `format(json = "…", content_type = "…")`.
pub(crate) enum FormatSpec {
    Named(LitStr),
    Path(syn::Path),
    Declared {
        json: LitStr,
        content_type: Option<LitStr>,
    },
}

/// The string values of a list's `name = "…"` items, each with its name; an item of any
/// other form is an error on its own span.
fn string_items(items: &[darling::ast::NestedMeta]) -> darling::Result<Vec<(Ident, LitStr)>> {
    let mut errors = darling::Error::accumulator();
    let mut read = Vec::new();
    for item in items {
        let pair = match item {
            darling::ast::NestedMeta::Meta(Meta::NameValue(nv)) => {
                match (&nv.path.get_ident(), &nv.value) {
                    (
                        Some(name),
                        Expr::Lit(syn::ExprLit {
                            lit: Lit::Str(value),
                            ..
                        }),
                    ) => Some(((*name).clone(), value.clone())),
                    _ => None,
                }
            }
            _ => None,
        };
        match pair {
            Some(pair) => read.push(pair),
            None => errors.push(
                darling::Error::custom("expected `name = \"value\"`").with_span(&item_span(item)),
            ),
        }
    }
    errors.finish_with(read)
}

fn item_span(item: &darling::ast::NestedMeta) -> Span {
    match item {
        darling::ast::NestedMeta::Meta(meta) => meta.span(),
        darling::ast::NestedMeta::Lit(lit) => lit.span(),
        darling::ast::NestedMeta::NameValueInvalidExpr(invalid) => invalid.path.span(),
    }
}

/// A variant's `key(type = "card_error", code = "card_declined")`: the values it has for
/// the declared format's key parts.
pub(crate) struct KeySpec(pub(crate) Vec<(Ident, LitStr)>);

impl FromMeta for KeySpec {
    fn from_list(items: &[darling::ast::NestedMeta]) -> darling::Result<Self> {
        string_items(items).map(KeySpec)
    }
}

impl FromMeta for FormatSpec {
    fn from_list(items: &[darling::ast::NestedMeta]) -> darling::Result<Self> {
        let mut json = None;
        let mut content_type = None;
        let mut errors = darling::Error::accumulator();
        for (name, value) in errors.handle(string_items(items)).unwrap_or_default() {
            let slot = match name.to_string().as_str() {
                "json" => &mut json,
                "content_type" => &mut content_type,
                other => {
                    errors.push(
                        darling::Error::custom(format!(
                            "unknown item `{other}` in format(...); it takes `json` and `content_type`"
                        ))
                        .with_span(&name),
                    );
                    continue;
                }
            };
            if slot.is_some() {
                errors.push(
                    darling::Error::custom(format!("`{name}` is given twice")).with_span(&name),
                );
            }
            *slot = Some(value);
        }
        if json.is_none() {
            errors.push(darling::Error::custom(
                "format(...) declares a format: write format(json = r#\"{\"error\":\"{code}\"}\"#)",
            ));
        }
        errors.finish()?;
        json.map(|json| FormatSpec::Declared { json, content_type })
            .ok_or_else(|| darling::Error::custom("format(...) needs `json`"))
    }

    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        match expr {
            Expr::Lit(lit) => Self::from_value(&lit.lit),
            Expr::Path(path) => Ok(FormatSpec::Path(path.path.clone())),
            Expr::Group(group) => Self::from_expr(&group.expr),
            // `read` lets only strings and paths through.
            other => Err(darling::Error::unexpected_expr_type(other)),
        }
    }

    fn from_value(value: &Lit) -> darling::Result<Self> {
        match value {
            Lit::Str(name) => Ok(FormatSpec::Named(name.clone())),
            other => Err(darling::Error::unexpected_lit_type(other)),
        }
    }
}

/// A value with the span of the token that gave it.
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// What `#[retryable(...)]` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryableAttr {
    /// `#[retryable]` or `#[retryable(true)]`.
    Yes,
    /// `#[retryable(false)]`.
    No,
    /// `#[retryable(reauthenticate)]`.
    Reauthenticate,
    /// `#[retryable(unchecked)]`.
    Unchecked,
}

/// Where an attribute sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// On the enum or struct.
    Container,
    /// On a variant.
    Variant,
    /// On a field.
    Field,
}

/// The form a key's value takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// `key`, no value.
    Flag,
    /// `key = "text"`.
    Str,
    /// `key = "name"` or `key = path::To::Type`.
    StrOrPath,
    /// `key = "name"`, `key = path::To::Type` or `key(...)`.
    StrPathOrList,
    /// `key(...)`.
    List,
    /// `key = path::to::function`.
    Path,
}

/// Every `#[api_error(...)]` key: where it may sit, and the form of its value there. The
/// one table of keys: [`read`] hands darling only the items it admits, and the messages
/// for a key at the wrong level, or a typo of one at any level, are worded from it.
pub(crate) const KEYS: &[(&str, Place, Form)] = &[
    ("format", Place::Container, Form::StrPathOrList),
    ("rename_all", Place::Container, Form::Str),
    ("crate", Place::Container, Form::StrOrPath),
    ("message", Place::Container, Form::Str),
    ("expose", Place::Container, Form::Flag),
    ("log", Place::Container, Form::Str),
    ("retry", Place::Container, Form::List),
    ("classify", Place::Container, Form::Path),
    ("grpc", Place::Container, Form::Str),
    ("domain", Place::Container, Form::Str),
    ("message", Place::Variant, Form::Str),
    ("expose", Place::Variant, Form::Flag),
    ("log", Place::Variant, Form::Str),
    ("unknown", Place::Variant, Form::Flag),
    ("decode_default", Place::Variant, Form::Flag),
    ("key", Place::Variant, Form::List),
    ("grpc", Place::Variant, Form::Str),
    ("details", Place::Field, Form::Flag),
    ("message", Place::Field, Form::Flag),
    ("default", Place::Field, Form::Flag),
    ("retry_after", Place::Field, Form::Flag),
    ("member", Place::Field, Form::Flag),
];

/// The form of `key` at `place`, if it may sit there.
pub(crate) fn form_of(key: &str, place: Place) -> Option<Form> {
    KEYS.iter()
        .find(|(k, p, _)| *k == key && *p == place)
        .map(|(_, _, form)| *form)
}

/// What is wrong with one attribute item, found while reading (before any check).
#[derive(Debug, Clone)]
pub(crate) enum Mistake {
    /// `#[api_error(...)]` whose contents are not `key` and `key = value` items.
    Syntax { span: Span },
    /// A key that is not an `#[api_error]` key here: a typo, or a key of another level.
    UnknownKey {
        key: String,
        span: Span,
        place: Place,
    },
    /// A key given twice on one item.
    DuplicateKey { key: String, span: Span },
    /// A known key whose value has the wrong form.
    WrongForm {
        key: String,
        span: Span,
        place: Place,
        expected: Form,
    },
    /// `#[status(...)]` that is not an integer literal.
    StatusNotInteger { span: Span },
    /// `#[status(404u16)]`.
    StatusSuffix { span: Span },
    /// `#[code(...)]` that is not a string literal.
    CodeNotString { span: Span },
    /// `#[retryable(...)]` that is not one of its forms.
    RetryableMalformed { span: Span },
    /// `#[retryable(word)]` with an unknown word.
    RetryableUnknown { word: String, span: Span },
    /// `#[status]`, `#[code]` or `#[retryable]` given twice on one item.
    DuplicateShort { name: &'static str, span: Span },
}

/// What [`read`] made of a declaration: the input with every unreadable item removed,
/// and what was wrong with each.
pub(crate) struct Read {
    pub(crate) input: DeriveInput,
    pub(crate) mistakes: Vec<Mistake>,
}

/// Takes every `#[api_error(...)]` on the container, its variants and their fields
/// apart, item by item; keeps the readable ones and records a [`Mistake`] for each
/// other.
pub(crate) fn read(input: &DeriveInput) -> Read {
    let mut input = input.clone();
    let mut mistakes = Vec::new();
    clean(&mut input.attrs, Place::Container, &mut mistakes);
    match &mut input.data {
        syn::Data::Enum(data) => {
            for variant in &mut data.variants {
                clean(&mut variant.attrs, Place::Variant, &mut mistakes);
                for field in &mut variant.fields {
                    clean(&mut field.attrs, Place::Field, &mut mistakes);
                }
            }
        }
        syn::Data::Struct(data) => {
            for field in &mut data.fields {
                clean(&mut field.attrs, Place::Field, &mut mistakes);
            }
        }
        syn::Data::Union(_) => {}
    }
    Read { input, mistakes }
}

/// Rewrites one item's `#[api_error(...)]` attributes to their readable items.
fn clean(attrs: &mut Vec<Attribute>, place: Place, mistakes: &mut Vec<Mistake>) {
    let mut seen: Vec<String> = Vec::new();
    attrs.retain_mut(|attr| {
        if !attr.path().is_ident("api_error") {
            return true;
        }
        let items = match &attr.meta {
            Meta::List(list) => {
                list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            }
            Meta::Path(_) | Meta::NameValue(_) => {
                mistakes.push(Mistake::Syntax {
                    span: args_span(attr),
                });
                return false;
            }
        };
        let Ok(items) = items else {
            mistakes.push(Mistake::Syntax {
                span: args_span(attr),
            });
            return false;
        };
        let mut kept: Vec<Meta> = Vec::new();
        for item in items {
            let key = item
                .path()
                .get_ident()
                .map_or_else(|| quote!(#item).to_string(), ToString::to_string);
            let span = item.path().span();
            let Some(expected) = form_of(&key, place) else {
                mistakes.push(Mistake::UnknownKey { key, span, place });
                continue;
            };
            if !has_form(&item, expected) {
                let span = match &item {
                    Meta::NameValue(nv) => nv.value.span(),
                    Meta::List(list) => list.delimiter.span().join(),
                    Meta::Path(path) => path.span(),
                };
                mistakes.push(Mistake::WrongForm {
                    key,
                    span,
                    place,
                    expected,
                });
                continue;
            }
            if seen.contains(&key) {
                mistakes.push(Mistake::DuplicateKey { key, span });
                continue;
            }
            seen.push(key);
            kept.push(item);
        }
        if kept.is_empty() {
            return false;
        }
        let path = attr.path().clone();
        *attr = syn::parse_quote!(#[#path(#(#kept),*)]);
        true
    });
}

fn has_form(item: &Meta, form: Form) -> bool {
    match (form, item) {
        (Form::Flag, Meta::Path(_)) | (Form::List | Form::StrPathOrList, Meta::List(_)) => true,
        (Form::Path, Meta::NameValue(nv)) => matches!(&nv.value, Expr::Path(_)),
        (Form::Str, Meta::NameValue(nv)) => matches!(
            &nv.value,
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(_),
                ..
            })
        ),
        (Form::StrOrPath | Form::StrPathOrList, Meta::NameValue(nv)) => matches!(
            &nv.value,
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(_),
                ..
            }) | Expr::Path(_)
        ),
        _ => false,
    }
}

/// The span of an attribute's arguments (their first token, or `()` when there are
/// none), or of its path: never the bare `#`.
fn args_span(attr: &Attribute) -> Span {
    match &attr.meta {
        Meta::List(list) if list.tokens.is_empty() => list.delimiter.span().join(),
        Meta::List(list) => list.tokens.span(),
        Meta::NameValue(nv) => nv.value.span(),
        Meta::Path(path) => path.span(),
    }
}

/// The short attributes of one variant (or of the container).
#[derive(Default)]
pub(crate) struct ShortAttrs {
    /// The status as written (it may be out of range: the checks say so).
    pub(crate) status: Option<Spanned<u64>>,
    pub(crate) code: Option<Spanned<String>>,
    pub(crate) retryable: Option<Spanned<RetryableAttr>>,
    /// Whether a `#[status]` was there but unreadable (so no "missing status" follows).
    pub(crate) status_unreadable: bool,
}

/// Reads `#[status(N)]`, `#[code("…")]` and `#[retryable(...)]`, recording malformed
/// and repeated ones in `mistakes`.
pub(crate) fn short_attrs(attrs: &[Attribute], mistakes: &mut Vec<Mistake>) -> ShortAttrs {
    let mut short = ShortAttrs::default();
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("status") {
            match parse_status(attr) {
                Ok(status) => set_once(&mut short.status, status, "status", mistakes),
                Err(mistake) => {
                    short.status_unreadable = true;
                    mistakes.push(mistake);
                }
            }
        } else if path.is_ident("code") {
            match parse_code(attr) {
                Ok(code) => set_once(&mut short.code, code, "code", mistakes),
                Err(mistake) => mistakes.push(mistake),
            }
        } else if path.is_ident("retryable") {
            match parse_retryable(attr) {
                Ok(retryable) => set_once(&mut short.retryable, retryable, "retryable", mistakes),
                Err(mistake) => mistakes.push(mistake),
            }
        }
    }
    short
}

fn set_once<T>(
    slot: &mut Option<Spanned<T>>,
    value: Spanned<T>,
    name: &'static str,
    mistakes: &mut Vec<Mistake>,
) {
    if slot.is_some() {
        mistakes.push(Mistake::DuplicateShort {
            name,
            span: value.span,
        });
    } else {
        *slot = Some(value);
    }
}

fn parse_status(attr: &Attribute) -> Result<Spanned<u64>, Mistake> {
    let lit: syn::LitInt = attr.parse_args().map_err(|_| Mistake::StatusNotInteger {
        span: args_span(attr),
    })?;
    if !lit.suffix().is_empty() {
        return Err(Mistake::StatusSuffix { span: lit.span() });
    }
    // Out-of-range values are reported by the checks, with the value in the message.
    let value = lit.base10_parse::<u64>().unwrap_or(u64::MAX);
    Ok(Spanned {
        value,
        span: lit.span(),
    })
}

fn parse_code(attr: &Attribute) -> Result<Spanned<String>, Mistake> {
    let lit: LitStr = attr.parse_args().map_err(|_| Mistake::CodeNotString {
        span: args_span(attr),
    })?;
    Ok(Spanned {
        value: lit.value(),
        span: lit.span(),
    })
}

fn parse_retryable(attr: &Attribute) -> Result<Spanned<RetryableAttr>, Mistake> {
    if let Meta::Path(path) = &attr.meta {
        return Ok(Spanned {
            value: RetryableAttr::Yes,
            span: path.span(),
        });
    }
    let malformed = || Mistake::RetryableMalformed {
        span: args_span(attr),
    };
    let arg: Expr = attr.parse_args().map_err(|_| malformed())?;
    let value = match &arg {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Bool(b), ..
        }) if b.value => RetryableAttr::Yes,
        Expr::Lit(syn::ExprLit {
            lit: Lit::Bool(_), ..
        }) => RetryableAttr::No,
        Expr::Path(p) if p.path.is_ident("reauthenticate") => RetryableAttr::Reauthenticate,
        Expr::Path(p) if p.path.is_ident("unchecked") => RetryableAttr::Unchecked,
        Expr::Path(p) => {
            return Err(Mistake::RetryableUnknown {
                word: quote!(#p).to_string(),
                span: arg.span(),
            });
        }
        _ => return Err(malformed()),
    };
    Ok(Spanned {
        value,
        span: arg.span(),
    })
}

/// The text of a thiserror-style `#[error("…")]`, placeholders and all; `None` for
/// `#[error(transparent)]` or no attribute.
pub(crate) fn error_text(attrs: &[Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|attr| attr.path().is_ident("error"))?;
    Some(attr.parse_args::<LitStr>().ok()?.value())
}

/// The doc comment, its lines trimmed and joined with spaces.
pub(crate) fn doc(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(text),
                    ..
                }) => Some(text.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .filter(|line| !line.is_empty())
        .collect();
    lines.join(" ")
}

/// The text of a thiserror-style `#[error("…")]` that has no placeholders and no
/// arguments: the type's `Display` is exactly this text, so the message can be written
/// without formatting. Anything else (`{0}`, `transparent`, extra arguments) is `None`.
pub(crate) fn display_literal(attrs: &[Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|attr| attr.path().is_ident("error"))?;
    let text = attr.parse_args::<LitStr>().ok()?.value();
    (!text.contains(['{', '}'])).then_some(text)
}

#[cfg(test)]
mod tests {
    use darling::FromDeriveInput as _;
    use syn::parse_quote;

    use super::{ContainerAttrs, Form, KEYS, Mistake, Place, read};

    /// The table drives darling: every key it admits at a level is one the receiver of
    /// that level reads (the table filters what darling sees, so a key only in darling
    /// would be unreachable, and a key only in the table would be darling's error).
    #[test]
    fn every_key_in_the_table_is_read_by_its_receiver() {
        for (key, place, form) in KEYS {
            let item: String = match (*key, form) {
                (_, Form::Flag) => (*key).to_owned(),
                ("retry", _) => "retry(header = \"Retry-In\")".to_owned(),
                ("key", _) => "key(type = \"t\")".to_owned(),
                (_, Form::List) => format!("{key}()"),
                (_, Form::Path) => format!("{key} = some::path"),
                (_, Form::Str | Form::StrOrPath | Form::StrPathOrList) => {
                    format!("{key} = \"nested\"")
                }
            };
            let (on_enum, on_variant, on_field) = match place {
                Place::Container => (
                    format!("#[api_error({item})]"),
                    String::new(),
                    String::new(),
                ),
                Place::Variant => (
                    String::new(),
                    format!("#[api_error({item})]"),
                    String::new(),
                ),
                Place::Field => (
                    String::new(),
                    String::new(),
                    format!("#[api_error({item})]"),
                ),
            };
            let source = format!(
                "{on_enum} enum E {{ {on_variant} #[status(400)] V {{ {on_field} f: u8 }} }}"
            );
            let input: syn::DeriveInput = syn::parse_str(&source).unwrap();
            let read = read(&input);
            assert!(read.mistakes.is_empty(), "{source}: {:?}", read.mistakes);
            if let Err(error) = ContainerAttrs::from_derive_input(&read.input) {
                let text = error.to_string();
                assert!(!text.contains("Unknown field"), "{source}: {text}");
            }
        }
    }

    #[test]
    fn one_bad_item_is_dropped_and_the_rest_is_kept() {
        let input = parse_quote! {
            enum Error {
                #[status(400)]
                #[api_error(mesage = "x", expose, expose, unknown = true)]
                Bad {
                    #[api_error(details, retry_after = 3)]
                    fields: u8,
                },
            }
        };
        let read = read(&input);
        let found: Vec<String> = read
            .mistakes
            .iter()
            .map(|m| match m {
                Mistake::UnknownKey { key, place, .. } => format!("unknown {key} on {place:?}"),
                Mistake::DuplicateKey { key, .. } => format!("twice {key}"),
                Mistake::WrongForm { key, expected, .. } => format!("{key} wants {expected:?}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            found,
            [
                "unknown mesage on Variant",
                "twice expose",
                "unknown wants Flag",
                "retry_after wants Flag",
            ]
        );
        let syn::Data::Enum(data) = &read.input.data else {
            panic!("an enum")
        };
        let variant = &data.variants[0];
        let kept: Vec<String> = variant
            .attrs
            .iter()
            .map(|a| quote::quote!(#a).to_string())
            .collect();
        assert_eq!(kept, ["# [status (400)]", "# [api_error (expose)]"]);
        let field = variant.fields.iter().next().unwrap();
        let attrs = &field.attrs;
        assert_eq!(
            quote::quote!(#(#attrs)*).to_string(),
            "# [api_error (details)]"
        );
    }

    #[test]
    fn an_unreadable_list_is_one_mistake() {
        let input = parse_quote! {
            #[api_error(format = "nested" rename_all = "x")]
            struct Error;
        };
        let read = read(&input);
        assert!(matches!(read.mistakes.as_slice(), [Mistake::Syntax { .. }]));
        assert!(read.input.attrs.is_empty());
    }
}

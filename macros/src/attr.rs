//! Receivers: what the attributes say, as darling reads them, before any checks.

use darling::util::Flag;
use darling::{FromDeriveInput, FromField, FromMeta, FromVariant, ast};
use proc_macro2::Span;
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, Ident, Lit, LitStr};

/// The container: `#[api_error(...)]` on the enum or struct, plus forwarded short
/// attributes (`#[status]` as a default, and on structs `#[code]`/`#[retryable]`).
#[derive(FromDeriveInput)]
#[darling(attributes(api_error), forward_attrs(status, code, retryable, error))]
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
}

/// A variant's `#[api_error(...)]` plus its forwarded short attributes.
#[derive(FromVariant)]
#[darling(attributes(api_error), forward_attrs(status, code, retryable, error))]
pub(crate) struct VariantAttrs {
    pub(crate) ident: Ident,
    pub(crate) fields: ast::Fields<FieldAttrs>,
    pub(crate) attrs: Vec<Attribute>,
    #[darling(default)]
    pub(crate) message: Option<LitStr>,
    pub(crate) expose: Flag,
    pub(crate) unknown: Flag,
    pub(crate) decode_default: Flag,
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
}

/// `format = "nested"` or `format = path::To::Format`.
pub(crate) enum FormatSpec {
    Named(LitStr),
    Path(syn::Path),
}

impl FromMeta for FormatSpec {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        match expr {
            Expr::Lit(lit) => Self::from_value(&lit.lit),
            Expr::Path(path) => Ok(FormatSpec::Path(path.path.clone())),
            Expr::Group(group) => Self::from_expr(&group.expr),
            other => Err(darling::Error::custom(
                "expected a format name like `format = \"nested\"` or a path to a type implementing apierror::Format",
            )
            .with_span(other)),
        }
    }

    fn from_value(value: &Lit) -> darling::Result<Self> {
        match value {
            Lit::Str(name) => Ok(FormatSpec::Named(name.clone())),
            other => Err(darling::Error::custom(
                "expected a format name like `format = \"nested\"`",
            )
            .with_span(other)),
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

/// The short attributes of one variant (or of the container).
#[derive(Default)]
pub(crate) struct ShortAttrs {
    pub(crate) status: Option<Spanned<u16>>,
    pub(crate) code: Option<Spanned<String>>,
    pub(crate) retryable: Option<Spanned<RetryableAttr>>,
}

/// Reads `#[status(N)]`, `#[code("…")]` and `#[retryable(...)]`, reporting malformed
/// and repeated ones into `errors`.
pub(crate) fn short_attrs(
    attrs: &[Attribute],
    errors: &mut darling::error::Accumulator,
) -> ShortAttrs {
    let mut short = ShortAttrs::default();
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("status") {
            // A malformed status is reported once; status 0 marks it so that no
            // "missing status" error follows.
            let status = errors.handle(parse_status(attr)).unwrap_or(Spanned {
                value: 0,
                span: attr.span(),
            });
            set_once(&mut short.status, status, "status", errors);
        } else if path.is_ident("code") {
            if let Some(code) = errors.handle(parse_code(attr)) {
                set_once(&mut short.code, code, "code", errors);
            }
        } else if path.is_ident("retryable")
            && let Some(retryable) = errors.handle(parse_retryable(attr))
        {
            set_once(&mut short.retryable, retryable, "retryable", errors);
        }
    }
    short
}

fn set_once<T>(
    slot: &mut Option<Spanned<T>>,
    value: Spanned<T>,
    name: &str,
    errors: &mut darling::error::Accumulator,
) {
    match slot {
        Some(first) => {
            errors.push(
                darling::Error::custom(format!("duplicate #[{name}] attribute"))
                    .with_span(&value.span),
            );
            errors.push(
                darling::Error::custom(format!("first #[{name}] attribute here"))
                    .with_span(&first.span),
            );
        }
        None => *slot = Some(value),
    }
}

fn parse_status(attr: &Attribute) -> darling::Result<Spanned<u16>> {
    let lit: syn::LitInt = attr.parse_args().map_err(|e| {
        darling::Error::custom("expected an integer status, like #[status(404)]")
            .with_span(&e.span())
    })?;
    if !lit.suffix().is_empty() {
        return Err(darling::Error::custom(
            "write the status without a suffix, like #[status(404)]",
        )
        .with_span(&lit));
    }
    // Out-of-range values are reported by the checks, with the value in the message.
    let value = lit.base10_parse::<u16>().unwrap_or(u16::MAX);
    Ok(Spanned {
        value,
        span: lit.span(),
    })
}

fn parse_code(attr: &Attribute) -> darling::Result<Spanned<String>> {
    let lit: LitStr = attr.parse_args().map_err(|e| {
        darling::Error::custom("expected a string code, like #[code(\"not_found\")]")
            .with_span(&e.span())
    })?;
    Ok(Spanned {
        value: lit.value(),
        span: lit.span(),
    })
}

fn parse_retryable(attr: &Attribute) -> darling::Result<Spanned<RetryableAttr>> {
    if let syn::Meta::Path(path) = &attr.meta {
        return Ok(Spanned {
            value: RetryableAttr::Yes,
            span: path.span(),
        });
    }
    let expected = |span: Span| {
        darling::Error::custom(
            "expected #[retryable], #[retryable(false)], #[retryable(reauthenticate)] or #[retryable(unchecked)]",
        )
        .with_span(&span)
    };
    let arg: Expr = attr.parse_args().map_err(|_| expected(attr.span()))?;
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
            let word = p
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let suggestion = ["reauthenticate", "unchecked", "false"]
                .into_iter()
                .find(|known| similar(&word, known));
            let message = match suggestion {
                Some(known) => {
                    format!("unknown #[retryable] option `{word}`; did you mean `{known}`?")
                }
                None => format!(
                    "unknown #[retryable] option `{word}`; expected `false`, `reauthenticate` or `unchecked`"
                ),
            };
            return Err(darling::Error::custom(message).with_span(&arg));
        }
        _ => return Err(expected(arg.span())),
    };
    Ok(Spanned {
        value,
        span: arg.span(),
    })
}

/// The text of a thiserror-style `#[error("…")]` that has no placeholders and no
/// arguments: the type's `Display` is exactly this text, so the message can be written
/// without formatting. Anything else (`{0}`, `transparent`, extra arguments) is `None`.
pub(crate) fn display_literal(attrs: &[Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|attr| attr.path().is_ident("error"))?;
    let text = attr.parse_args::<LitStr>().ok()?.value();
    (!text.contains(['{', '}'])).then_some(text)
}

/// Whether `word` is a likely misspelling of `known` (edit distance at most 2, or a
/// prefix of at least 3 letters).
pub(crate) fn similar(word: &str, known: &str) -> bool {
    (word.len() >= 3 && known.starts_with(word)) || edit_distance(word, known) <= 2
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

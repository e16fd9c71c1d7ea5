//! Checks: every rule a declaration must keep, reported together, each on its token.

use std::collections::BTreeMap;

use darling::error::Accumulator;
use proc_macro2::Span;
use syn::spanned::Spanned as _;

use crate::ast::{Builtin, FormatChoice, Input, Role, Variant};
use crate::attr::RetryableAttr;
use crate::template;

fn error(errors: &mut Accumulator, span: Span, message: impl std::fmt::Display) {
    errors.push(darling::Error::custom(message).with_span(&span));
}

/// Runs every check on `input`, pushing each problem into `errors`.
pub(crate) fn check(input: &Input<'_>, errors: &mut Accumulator) {
    if input.is_enum && input.variants.is_empty() {
        error(
            errors,
            input.ident.span(),
            format!(
                "#[derive(ApiError)] needs at least one variant in `{}`; an empty enum has no error to send",
                input.ident
            ),
        );
    }
    for variant in &input.variants {
        if variant.is_unknown() {
            check_unknown(variant, errors);
        } else {
            check_status(variant, input.is_enum, errors);
            check_code(variant, errors);
            check_retryable(variant, errors);
            check_expose(variant, errors);
            check_message(variant, errors);
            check_fields(variant, errors);
        }
    }
    check_single_unknown(input, errors);
    check_duplicate_codes(input, errors);
    check_codeless_statuses(input, errors);
}

fn check_status(variant: &Variant, is_enum: bool, errors: &mut Accumulator) {
    let Some(status) = &variant.status else {
        let fix = if is_enum {
            "add #[status(...)] to the variant, or a default #[status(...)] to the enum"
        } else {
            "add #[status(...)] to the struct"
        };
        error(
            errors,
            variant.ident.span(),
            format!("missing status for `{}`; {fix}", variant.ident),
        );
        return;
    };
    match status.value {
        // 0: malformed, and already reported where it was parsed.
        0 | 300..=599 => {}
        100..=299 => error(
            errors,
            status.span,
            format!(
                "status {} is not an error status; use a 4xx or 5xx status (or 3xx)",
                status.value
            ),
        ),
        other => {
            let shown = if other == u16::MAX {
                "that".to_owned()
            } else {
                other.to_string()
            };
            error(
                errors,
                status.span,
                format!("status {shown} is out of range; an HTTP status is 100 to 599"),
            );
        }
    }
}

fn check_code(variant: &Variant, errors: &mut Accumulator) {
    let code = &variant.code.value;
    let valid = (1..=63).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if !valid {
        let shown = if code.is_empty() {
            "an empty code".to_owned()
        } else {
            format!("code `{code}`")
        };
        error(
            errors,
            variant.code.span,
            format!(
                "{shown} is not valid; a code is 1 to 63 characters of A-Z, a-z, 0-9, `_`, `.` and `-`"
            ),
        );
    }
}

fn check_retryable(variant: &Variant, errors: &mut Accumulator) {
    let (Some(retryable), Some(status)) = (&variant.retryable, &variant.status) else {
        return;
    };
    match retryable.value {
        RetryableAttr::Yes
            if (400..500).contains(&status.value)
                && !matches!(status.value, 408 | 409 | 425 | 429) =>
        {
            error(
                errors,
                retryable.span,
                format!(
                    "#[retryable] on a {} cannot help: repeating a client error gets the same error; \
                     remove it, or write #[retryable(unchecked)] if this server really means it",
                    status.value
                ),
            );
        }
        RetryableAttr::Reauthenticate if status.value != 401 => error(
            errors,
            retryable.span,
            format!(
                "#[retryable(reauthenticate)] is for 401 Unauthorized, not {}",
                status.value
            ),
        ),
        _ => {}
    }
}

fn check_expose(variant: &Variant, errors: &mut Accumulator) {
    if let (Some(span), Some(status)) = (variant.expose, &variant.status)
        && status.value < 500
    {
        error(
            errors,
            span,
            format!(
                "#[api_error(expose)] has no effect on a {}: only 5xx messages are masked",
                status.value
            ),
        );
    }
}

fn check_message(variant: &Variant, errors: &mut Accumulator) {
    let Some(lit) = &variant.message else {
        return;
    };
    if let Some(field) = variant.field(Role::Message) {
        error(
            errors,
            field.span,
            format!(
                "`{}` has both a message template and an #[api_error(message)] field; keep one",
                variant.ident
            ),
        );
    }
    let parsed = template::parse(&lit.value(), std::borrow::ToOwned::to_owned);
    let template = match parsed {
        Ok(template) => template,
        Err(why) => return error(errors, lit.span(), why),
    };
    for placeholder in &template.placeholders {
        let known = variant.fields.iter().any(|f| match &f.member {
            syn::Member::Named(name) => *name == placeholder.arg,
            syn::Member::Unnamed(index) => index.index.to_string() == placeholder.arg,
        });
        if !known {
            let names: Vec<String> = variant
                .fields
                .iter()
                .map(|f| match &f.member {
                    syn::Member::Named(name) => format!("`{name}`"),
                    syn::Member::Unnamed(index) => format!("`{}`", index.index),
                })
                .collect();
            let available = if names.is_empty() {
                format!("`{}` has no fields", variant.ident)
            } else {
                format!("its fields are {}", names.join(", "))
            };
            error(
                errors,
                lit.span(),
                format!(
                    "`{{{}}}` in the message names no field of `{}`; {available}",
                    placeholder.arg, variant.ident
                ),
            );
        }
    }
}

fn check_fields(variant: &Variant, errors: &mut Accumulator) {
    for (role, name) in [
        (Role::Details, "details"),
        (Role::Message, "message"),
        (Role::RetryAfter, "retry_after"),
    ] {
        let mut marked = variant.fields.iter().filter(|f| f.role == role);
        if let (Some(first), Some(second)) = (marked.next(), marked.next()) {
            error(
                errors,
                second.span,
                format!(
                    "more than one #[api_error({name})] field in `{}`; a variant has one {name}",
                    variant.ident
                ),
            );
            error(
                errors,
                first.span,
                format!("first #[api_error({name})] field here"),
            );
        }
    }
    if let Some(span) = variant.decode_default
        && !variant.is_decodable()
    {
        error(
            errors,
            span,
            format!(
                "`{}` cannot be the decode default: its fields without #[api_error(...)] are not sent, so it cannot be decoded",
                variant.ident
            ),
        );
    }
}

fn check_unknown(variant: &Variant, errors: &mut Accumulator) {
    for (name, span) in &variant.short_attr_spans {
        error(
            errors,
            *span,
            format!(
                "#[{name}] has no effect on the unknown variant: it keeps what the response said"
            ),
        );
    }
    let mut extra = Vec::new();
    if let Some(lit) = &variant.message {
        extra.push(("message", lit.span()));
    }
    if let Some(span) = variant.expose {
        extra.push(("expose", span));
    }
    if let Some(span) = variant.decode_default {
        extra.push(("decode_default", span));
    }
    for (name, span) in extra {
        error(
            errors,
            span,
            format!("#[api_error({name})] has no effect on the unknown variant"),
        );
    }
    let is_unknown_type = |ty: &syn::Type| match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Unknown"),
        _ => false,
    };
    match variant.fields.as_slice() {
        [field] if field.role == Role::Unknown && is_unknown_type(&field.ty) => {}
        [field] if field.role == Role::Unknown => error(
            errors,
            field.ty.span(),
            "the unknown variant's field must be of type apierror::Unknown",
        ),
        [field] => error(
            errors,
            field.span,
            "the unknown variant's field takes no #[api_error(...)]: it is an apierror::Unknown",
        ),
        _ => error(
            errors,
            variant.ident.span(),
            format!(
                "#[api_error(unknown)] needs exactly one field, of type apierror::Unknown, like `{}(apierror::Unknown)`",
                variant.ident
            ),
        ),
    }
}

fn check_single_unknown(input: &Input<'_>, errors: &mut Accumulator) {
    let mut unknowns = input.variants.iter().filter_map(|v| v.unknown);
    if let Some(first) = unknowns.next() {
        for again in unknowns {
            error(
                errors,
                again,
                "more than one #[api_error(unknown)] variant; an enum has one catch-all",
            );
            error(errors, first, "first #[api_error(unknown)] variant here");
        }
    }
}

fn check_duplicate_codes(input: &Input<'_>, errors: &mut Accumulator) {
    let builtin = input.builtin();
    if builtin.is_some_and(|b| !b.has_code()) {
        return;
    }
    let per_status = builtin.is_some_and(Builtin::carries_status);
    let mut seen: BTreeMap<(String, u16), &Variant> = BTreeMap::new();
    for variant in input.variants.iter().filter(|v| !v.is_unknown()) {
        let status = if per_status {
            variant.status_value()
        } else {
            0
        };
        let key = (variant.code.value.clone(), status);
        match seen.get(&key) {
            Some(first) => {
                let scope = if per_status {
                    format!(" under status {status}")
                } else {
                    String::new()
                };
                let hint = if per_status {
                    String::new()
                } else {
                    "; codes identify errors on the wire, so each must be unique".to_owned()
                };
                error(
                    errors,
                    variant.code.span,
                    format!(
                        "duplicate code `{}`{scope}: `{}` already uses it{hint}",
                        variant.code.value, first.ident
                    ),
                );
                error(
                    errors,
                    first.code.span,
                    format!("code `{}` first used here", variant.code.value),
                );
            }
            None => {
                seen.insert(key, variant);
            }
        }
    }
}

fn check_codeless_statuses(input: &Input<'_>, errors: &mut Accumulator) {
    let builtin = input.builtin();
    if let (FormatChoice::Builtin(b), true) =
        (&input.format, builtin.is_some_and(Builtin::has_code))
    {
        for variant in &input.variants {
            if let Some(span) = variant.decode_default {
                error(
                    errors,
                    span,
                    format!(
                        "#[api_error(decode_default)] is for the codeless formats `plain` and `fields`; format `{}` decodes by code",
                        b.name()
                    ),
                );
            }
        }
        return;
    }
    let Some(builtin) = builtin else {
        return;
    };
    let mut by_status: BTreeMap<u16, Vec<&Variant>> = BTreeMap::new();
    for variant in input
        .variants
        .iter()
        .filter(|v| v.is_decodable() && v.status.is_some())
    {
        by_status
            .entry(variant.status_value())
            .or_default()
            .push(variant);
    }
    for (status, variants) in by_status {
        let defaults: Vec<&&Variant> = variants
            .iter()
            .filter(|v| v.decode_default.is_some())
            .collect();
        match (variants.as_slice(), defaults.as_slice()) {
            ([first, second, ..], []) => error(
                errors,
                second.ident.span(),
                format!(
                    "`{}` and `{}` both have status {status}, and format `{}` carries no code to tell them apart; \
                     mark the one a decoded {status} becomes with #[api_error(decode_default)]",
                    first.ident,
                    second.ident,
                    builtin.name()
                ),
            ),
            (_, [first, second, ..]) => {
                let (Some(again), Some(first_span)) = (second.decode_default, first.decode_default)
                else {
                    continue;
                };
                error(
                    errors,
                    again,
                    format!("more than one #[api_error(decode_default)] for status {status}"),
                );
                error(
                    errors,
                    first_span,
                    "first #[api_error(decode_default)] here",
                );
            }
            _ => {}
        }
    }
}

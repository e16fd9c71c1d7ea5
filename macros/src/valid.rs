//! Checks: every rule a declaration must keep, reported together, each on its token and
//! in one voice (lowercase, naming the attribute and the fix). The mistakes reading
//! found are worded here too.
//!
//! Step 3 of the derive: the checks.

use std::collections::BTreeMap;

use darling::error::Accumulator;
use proc_macro2::Span;
use syn::spanned::Spanned as _;

use crate::ast::{
    BUILTINS, Builtin, FormatChoice, GRPC_CODES, Input, LOG_LEVELS, MessageSource, Role, Variant,
    member_is,
};
use crate::attr::{Form, KEYS, Mistake, Place, RetryableAttr};
use crate::case::RULES;

pub(crate) mod declared;

fn error(errors: &mut Accumulator, span: Span, message: impl std::fmt::Display) {
    errors.push(darling::Error::custom(message).with_span(&span));
}

/// What the derive accepts at all: enums and structs.
pub(crate) fn check_shape(input: &syn::DeriveInput, errors: &mut Accumulator) {
    if let syn::Data::Union(data) = &input.data {
        error(
            errors,
            data.union_token.span(),
            "#[derive(ApiError)] does not support unions; use an enum or a struct",
        );
    }
}

/// Runs every check on `input`, pushing each problem into `errors`.
pub(crate) fn check(input: &Input<'_>, errors: &mut Accumulator) {
    for mistake in &input.mistakes {
        report(mistake, errors);
    }
    check_container(input, errors);
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
            check_status(variant, input, errors);
            check_code(variant, errors);
            check_retryable(variant, errors);
            check_expose(variant, errors);
            check_log(variant, errors);
            check_grpc(variant, errors);
            check_message(variant, errors);
            check_fields(variant, errors);
        }
    }
    check_single_unknown(input, errors);
    if !matches!(input.format, FormatChoice::Declared(_)) {
        check_duplicate_codes(input, errors);
        check_codeless_statuses(input, errors);
    }
    declared::check(input, errors);
}

/// Where a place is, in words.
fn place_name(place: Place) -> &'static str {
    match place {
        Place::Container => "the enum (or struct)",
        Place::Variant => "a variant",
        Place::Field => "a field",
    }
}

/// Where a key of `place` goes, as the messages say it.
fn level_name(place: Place) -> &'static str {
    match place {
        Place::Container => "the enum (or struct)",
        Place::Variant => "a variant",
        Place::Field => "the field it describes",
    }
}

/// "unknown {what} `{value}`; did you mean `…`? expected one of `a`, `b`".
fn unknown_name(what: &str, value: &str, known: &[&str]) -> String {
    let hint = suggestion(value, known.iter().copied())
        .map(|known| format!("did you mean `{known}`? "))
        .unwrap_or_default();
    let names: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
    format!(
        "unknown {what} `{value}`; {hint}expected one of {}",
        names.join(", ")
    )
}

/// The closest of `candidates` to `word`, when it is a likely misspelling.
fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|known| (edit_distance(word, known), known))
        .filter(|(distance, known)| {
            *distance <= 2
                || (word.len() >= 3 && (known.starts_with(word) || word.starts_with(known)))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
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

/// Words one mistake reading found.
fn report(mistake: &Mistake, errors: &mut Accumulator) {
    let (span, message) = match mistake {
        Mistake::Syntax { span } => (
            *span,
            "#[api_error(...)] takes `key` and `key = value` items, like #[api_error(message = \"…\")]"
                .to_owned(),
        ),
        Mistake::UnknownKey { key, span, place } => (*span, unknown_key(key, *place)),
        Mistake::DuplicateKey { key, span } => (
            *span,
            format!("#[api_error({key})] is given twice here; remove the repeat"),
        ),
        Mistake::WrongForm {
            key,
            span,
            place,
            expected,
        } => (*span, wrong_form(key, *place, *expected)),
        Mistake::StatusNotInteger { span } => (
            *span,
            "#[status(...)] takes an integer status, like #[status(404)]".to_owned(),
        ),
        Mistake::StatusSuffix { span } => (
            *span,
            "#[status(...)] takes the status without a suffix, like #[status(404)]".to_owned(),
        ),
        Mistake::CodeNotString { span } => (
            *span,
            "#[code(...)] takes a string, like #[code(\"not_found\")]".to_owned(),
        ),
        Mistake::RetryableMalformed { span } => (
            *span,
            "#[retryable(...)] takes one of `false`, `reauthenticate` or `unchecked`; \
             write #[retryable] alone to make the variant retryable"
                .to_owned(),
        ),
        Mistake::RetryableUnknown { word, span } => {
            let message = match suggestion(word, ["false", "reauthenticate", "unchecked"]) {
                Some(known) => {
                    format!("unknown #[retryable] option `{word}`; did you mean `{known}`?")
                }
                None => format!(
                    "unknown #[retryable] option `{word}`; write #[retryable], #[retryable(false)], \
                     #[retryable(reauthenticate)] or #[retryable(unchecked)]"
                ),
            };
            (*span, message)
        }
        Mistake::DuplicateShort { name, span } => (
            *span,
            format!("#[{name}] is given twice here; remove the repeat"),
        ),
    };
    error(errors, span, message);
}

/// A key that may not sit at `place`: where it belongs, or what it may be a typo of.
fn unknown_key(key: &str, place: Place) -> String {
    let elsewhere: Vec<Place> = KEYS
        .iter()
        .filter(|(k, _, _)| *k == key)
        .map(|(_, p, _)| *p)
        .collect();
    if elsewhere.contains(&Place::Field) {
        return format!(
            "#[api_error({key})] is a field attribute: put it on the field it describes, not on {}",
            place_name(place)
        );
    }
    if elsewhere.contains(&Place::Variant) {
        return format!(
            "#[api_error({key})] belongs on a variant, not on {}",
            place_name(place)
        );
    }
    if elsewhere.contains(&Place::Container) {
        return format!(
            "#[api_error({key})] belongs on the enum (or struct), not on {}",
            place_name(place)
        );
    }
    let here: Vec<&str> = KEYS
        .iter()
        .filter(|(_, p, _)| *p == place)
        .map(|(k, _, _)| *k)
        .collect();
    if let Some(known) = suggestion(key, here.iter().copied()) {
        format!("unknown attribute #[api_error({key})]; did you mean `{known}`?")
    } else if let Some((known, belongs)) = suggestion(key, KEYS.iter().map(|(k, _, _)| *k))
        .and_then(|known| KEYS.iter().find(|(k, _, _)| *k == known))
        .map(|(known, p, _)| (*known, *p))
    {
        // A typo of a key of another level: say both.
        format!(
            "unknown attribute #[api_error({key})]; did you mean `{known}`? it belongs on {}, not on {}",
            level_name(belongs),
            place_name(place)
        )
    } else {
        let list: Vec<String> = here.iter().map(|k| format!("`{k}`")).collect();
        format!(
            "unknown attribute #[api_error({key})]; on {} it takes {}",
            place_name(place),
            list.join(", ")
        )
    }
}

/// A known key whose value has the wrong form.
fn wrong_form(key: &str, place: Place, expected: Form) -> String {
    match (key, place, expected) {
        ("message", Place::Field, _) => "on a field, #[api_error(message)] takes no value: it marks the field that holds \
             the message (a template goes on the variant: #[api_error(message = \"…\")])"
            .to_owned(),
        ("message", _, _) => {
            "#[api_error(message = ...)] takes a string template, like #[api_error(message = \"{field} is invalid\")]"
                .to_owned()
        }
        ("format", _, _) => "#[api_error(format = ...)] takes a format name, like format = \"nested\", a path \
             to a type implementing apierror::format::Format, or a declaration, like format(json = \"…\")"
            .to_owned(),
        ("key", _, _) => "#[api_error(key(...))] takes the variant's key parts, like key(type = \"card_error\")"
            .to_owned(),
        ("crate", _, _) => {
            "#[api_error(crate = ...)] takes a path, like crate = ::my_crate::apierror".to_owned()
        }
        ("classify", _, _) => "#[api_error(classify = ...)] takes the path of a function \
             fn(&Self, &apierror::decode::ResponseMeta) -> Option<apierror::retry::Failure>, like classify = my_classify"
            .to_owned(),
        (_, _, Form::Path) => format!("#[api_error({key} = ...)] takes a path"),
        (_, _, Form::Flag) => format!("#[api_error({key})] takes no value; write #[api_error({key})]"),
        (_, _, Form::List) => format!("#[api_error({key}(...))] takes a list of items"),
        (_, _, Form::Str | Form::StrOrPath | Form::StrPathOrList) => {
            format!("#[api_error({key} = ...)] takes a string, like #[api_error({key} = \"…\")]")
        }
    }
}

/// The container's own attributes: a known format and rename rule, and nothing that
/// belongs on the variants.
fn check_container(input: &Input<'_>, errors: &mut Accumulator) {
    if let FormatChoice::UnknownName(name) = &input.format {
        let known: Vec<&str> = BUILTINS.iter().map(|(n, _)| *n).collect();
        let message = unknown_name("format", &name.value(), &known);
        error(
            errors,
            name.span(),
            format!("{message}, or a path to a type implementing apierror::format::Format"),
        );
    }
    if let Some(lit) = &input.unknown_rename {
        let known: Vec<&str> = RULES.iter().map(|(n, _)| *n).collect();
        let message = unknown_name("#[api_error(rename_all)] rule", &lit.value(), &known);
        error(errors, lit.span(), message);
    }
    if let Some(retry) = &input.retry {
        check_retry(retry, errors);
    }
    for (name, span) in &input.misplaced {
        let message = match *name {
            "code" | "retryable" => format!(
                "#[{name}] belongs on a variant; on an enum only #[status] is allowed, as the default status"
            ),
            _ => format!("#[api_error({name})] belongs on a variant, not on the enum"),
        };
        error(errors, *span, message);
    }
}

fn check_retry(retry: &crate::attr::RetrySpec, errors: &mut Accumulator) {
    for lit in [&retry.header, &retry.should_retry].into_iter().flatten() {
        let name = lit.value();
        // RFC 9110's token: the characters a field name may have.
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            error(
                errors,
                lit.span(),
                format!(
                    "`{name}` is not a header name: letters, digits and `-` (RFC 9110 token characters)"
                ),
            );
        }
    }
    if let Some(unit) = &retry.unit {
        if retry.header.is_none() {
            error(
                errors,
                unit.span(),
                "a unit needs a header to read it from: add `header = \"…\"`",
            );
        }
        let known: Vec<&str> = crate::declared::HINT_UNITS
            .iter()
            .map(|(n, _)| *n)
            .collect();
        if !known.contains(&unit.value().as_str()) {
            error(
                errors,
                unit.span(),
                unknown_name("retry hint unit", &unit.value(), &known),
            );
        }
    }
}

fn check_status(variant: &Variant, input: &Input<'_>, errors: &mut Accumulator) {
    let is_enum = input.is_enum;
    let Some(status) = &variant.status else {
        if variant.status_unreadable {
            return;
        }
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
    // A declared format whose body tells an error from a success (`"ok":false`) may be
    // sent with a 2xx that carries a body.
    let discriminated = input
        .shape()
        .is_some_and(|shape| shape.discriminators() > 0);
    match status.value {
        300..=599 => {}
        200..=299 if discriminated && !matches!(status.value, 204 | 205) => {}
        200..=299 if discriminated => error(
            errors,
            status.span,
            format!(
                "status {} carries no body, so it cannot carry an error envelope",
                status.value
            ),
        ),
        200..=299 if input.shape().is_some() => error(
            errors,
            status.span,
            format!(
                "status {} is not an error status; use a 4xx or 5xx status (or 3xx), or declare a literal \
                 member that marks the body as an error (like \"ok\":false) to send errors with a 2xx",
                status.value
            ),
        ),
        100..=299 => error(
            errors,
            status.span,
            format!(
                "status {} is not an error status; use a 4xx or 5xx status (or 3xx)",
                status.value
            ),
        ),
        other => {
            let shown = if other == u64::MAX {
                "this status".to_owned()
            } else {
                format!("status {other}")
            };
            error(
                errors,
                status.span,
                format!("{shown} is out of range; an HTTP status is 100 to 599"),
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

fn check_log(variant: &Variant, errors: &mut Accumulator) {
    let Some(lit) = &variant.log else {
        return;
    };
    let value = lit.value();
    if LOG_LEVELS.iter().all(|(name, _)| *name != value) {
        let known: Vec<&str> = LOG_LEVELS.iter().map(|(n, _)| *n).collect();
        let message = unknown_name("#[api_error(log)] level", &value, &known);
        error(errors, lit.span(), message);
    }
}

fn check_grpc(variant: &Variant, errors: &mut Accumulator) {
    let Some(lit) = &variant.grpc else {
        return;
    };
    let value = lit.value();
    if value.eq_ignore_ascii_case("ok") {
        error(
            errors,
            lit.span(),
            "#[api_error(grpc = \"ok\")] would send an error as a success; name an error code, or remove it to take the status's",
        );
    } else if GRPC_CODES
        .iter()
        .all(|(name, _)| !name.eq_ignore_ascii_case(&value))
    {
        let known: Vec<&str> = GRPC_CODES.iter().map(|(n, _)| *n).collect();
        let message = unknown_name("#[api_error(grpc)] code", &value, &known);
        error(errors, lit.span(), message);
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
    if let Some((why, span)) = &variant.template_error {
        return error(errors, *span, why);
    }
    let MessageSource::Template(template, _) = &variant.message_source else {
        return;
    };
    for placeholder in &template.placeholders {
        let known = variant
            .fields
            .iter()
            .any(|f| member_is(&f.member, &placeholder.arg));
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
    for field in &variant.fields {
        for span in &field.extra_roles {
            error(
                errors,
                *span,
                "a field takes one of details, message, default and retry_after; keep one",
            );
        }
    }
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
                    "more than one #[api_error({name})] field in `{}`: `{}` already is its {name}; keep one",
                    variant.ident,
                    member_name(&first.member)
                ),
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
                "#[{name}] has no effect on the unknown variant, which keeps what the response said; remove it"
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
    if let Some(lit) = &variant.log {
        extra.push(("log", lit.span()));
    }
    if let Some(lit) = &variant.grpc {
        extra.push(("grpc", lit.span()));
    }
    for (name, span) in extra {
        error(
            errors,
            span,
            format!("#[api_error({name})] has no effect on the unknown variant; remove it"),
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
    let mut unknowns = input
        .variants
        .iter()
        .filter_map(|v| Some((&v.ident, v.unknown?)));
    if let Some(first) = unknowns.next() {
        for again in unknowns {
            error(
                errors,
                again.1,
                format!(
                    "more than one #[api_error(unknown)] variant: `{}` already is the catch-all; keep one",
                    first.0
                ),
            );
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
        for variant in input.variants.iter().filter(|v| !v.is_unknown()) {
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
                let Some(again) = second.decode_default else {
                    continue;
                };
                error(
                    errors,
                    again,
                    format!(
                        "more than one #[api_error(decode_default)] for status {status}: `{}` already is; keep one",
                        first.ident
                    ),
                );
            }
            _ => {}
        }
    }
}

/// A field's name as written: `name`, or the tuple index.
fn member_name(member: &syn::Member) -> String {
    match member {
        syn::Member::Named(name) => name.to_string(),
        syn::Member::Unnamed(index) => index.index.to_string(),
    }
}

//! Checks of a declared format against the variants that fill it: the declaration reads,
//! every placeholder is filled, every key part and member names a placeholder, and no two
//! variants' keys match the same body.

use darling::error::Accumulator;

use super::{error, suggestion};
use crate::ast::{Declared, FormatChoice, Input, Role, Variant};
use crate::declared::{PARTS, Part, Shape, member_name};

/// Every check of a declared format; and, for other formats, that no variant uses what
/// only a declared format has (`key(…)`, `#[api_error(member)]`).
pub(super) fn check(input: &Input<'_>, errors: &mut Accumulator) {
    for variant in &input.variants {
        if let Some(span) = variant.code_twice {
            error(
                errors,
                span,
                "the code is given twice, by #[code] and by key(code = …); keep one",
            );
        }
    }
    let FormatChoice::Declared(declared) = &input.format else {
        for variant in &input.variants {
            if let Some((name, _)) = variant.key.first() {
                error(
                    errors,
                    name.span(),
                    "key(…) takes the parts of a declared format's key; this format is not declared (format(json = \"…\"))",
                );
            }
            for field in variant.fields.iter().filter(|f| f.role == Role::Member) {
                error(
                    errors,
                    field.span,
                    "#[api_error(member)] binds a field to a placeholder of a declared format; this format is not declared (format(json = \"…\"))",
                );
            }
        }
        return;
    };
    let shape = match &declared.shape {
        Ok(shape) => shape,
        Err(why) => {
            error(
                errors,
                declared.json.span(),
                format!("format(json = …): {why}"),
            );
            return;
        }
    };
    check_names(input, declared, shape, errors);
    for variant in input.variants.iter().filter(|v| !v.is_unknown()) {
        check_keys(variant, shape, errors);
        check_members(variant, shape, errors);
        check_filled(input, variant, shape, errors);
    }
    check_distinct(input, shape, errors);
}

/// Every named placeholder is filled by some variant, as a key part or as a member, not
/// both.
fn check_names(input: &Input<'_>, declared: &Declared, shape: &Shape, errors: &mut Accumulator) {
    for name in &shape.names {
        let keyed = keys(input, name);
        let bound = binds(input, name);
        let message = match (keyed, bound) {
            (false, false) => {
                let hint = suggestion(name, PARTS.iter().copied())
                    .map(|part| format!("did you mean `{{{part}}}`? "))
                    .unwrap_or_default();
                format!(
                    "placeholder `{{{name}}}` is filled by no variant; {hint}give variants key({name} = \"…\"), \
                     or a field #[api_error(member)] {name}"
                )
            }
            (true, true) => format!(
                "placeholder `{{{name}}}` is a key part of some variants and a member field of others; it can be one"
            ),
            _ => continue,
        };
        error(errors, declared.json.span(), message);
    }
}

/// Whether some variant's `key(…)` fills `name`.
fn keys(input: &Input<'_>, name: &str) -> bool {
    input
        .variants
        .iter()
        .any(|v| v.key.iter().any(|(part, _)| part == name))
}

/// Whether some variant binds a member field to `name`.
fn binds(input: &Input<'_>, name: &str) -> bool {
    input.variants.iter().any(|v| {
        v.fields
            .iter()
            .any(|f| f.role == Role::Member && member_name(&f.member) == name)
    })
}

/// Whether some variant fills `name`, either way.
fn fills(input: &Input<'_>, name: &str) -> bool {
    keys(input, name) || binds(input, name)
}

/// Each part a variant's `key(…)` names is a named placeholder.
fn check_keys(variant: &Variant, shape: &Shape, errors: &mut Accumulator) {
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in &variant.key {
        let part = name.to_string();
        if seen.contains(&part) {
            error(
                errors,
                name.span(),
                format!("key part `{part}` is given twice"),
            );
            continue;
        }
        seen.push(part.clone());
        if shape.named(&part).is_some() {
            if value.value().is_empty() {
                error(
                    errors,
                    value.span(),
                    format!("key part `{part}` is empty; a key value is text"),
                );
            }
            continue;
        }
        let message = if let Some(literal) = shape.literal_named(&part) {
            format!(
                "`{part}` is a literal in the format (\"{part}\":{literal}), not a placeholder; \
                 write \"{part}\":\"{{{part}}}\" there to key variants on it"
            )
        } else if PARTS.contains(&part.as_str()) {
            format!(
                "`{part}` is not a key part; key(…) takes `code` and the format's own placeholders{}",
                listed(&shape.names)
            )
        } else {
            let hint = suggestion(&part, shape.names.iter().map(String::as_str))
                .map(|known| format!("did you mean `{known}`? "))
                .unwrap_or_default();
            format!(
                "no placeholder `{{{part}}}` in the format; {hint}key(…) takes `code` and the format's own placeholders{}",
                listed(&shape.names)
            )
        };
        error(errors, name.span(), message);
    }
}

fn listed(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        format!(" ({})", names.join(", "))
    }
}

/// Each member field names a placeholder.
fn check_members(variant: &Variant, shape: &Shape, errors: &mut Accumulator) {
    for field in variant.fields.iter().filter(|f| f.role == Role::Member) {
        let name = member_name(&field.member);
        if shape.named(&name).is_some() {
            continue;
        }
        let message = if PARTS.contains(&name.as_str()) {
            format!(
                "`{name}` is one of the error's own parts, not a member; mark the field #[api_error({name})] if it has that role"
            )
        } else {
            format!(
                "no placeholder `{{{name}}}` in the format for this member; add \"{name}\":\"{{{name}?}}\" to format(json = …)"
            )
        };
        error(errors, field.span, message);
    }
}

/// A variant has a value for every required named placeholder.
fn check_filled(input: &Input<'_>, variant: &Variant, shape: &Shape, errors: &mut Accumulator) {
    for slot in shape.slots() {
        let Part::Named(index) = slot.part else {
            continue;
        };
        if slot.optional {
            continue;
        }
        let name = &shape.names[index];
        if !fills(input, name) {
            // Reported once, on the declaration.
            continue;
        }
        let filled = variant.key.iter().any(|(part, _)| part == name)
            || variant
                .fields
                .iter()
                .any(|f| f.role == Role::Member && member_name(&f.member) == *name);
        if !filled {
            error(
                errors,
                variant.ident.span(),
                format!(
                    "`{}` has no value for `{{{name}}}`, which the format always writes; give it key({name} = \"…\") \
                     or a member field `{name}`, or declare `{{{name}?}}`",
                    variant.ident
                ),
            );
        }
    }
}

/// No two decodable variants match the same body: not the same key under the same status,
/// and not two keys of the same specificity that a body could both match.
fn check_distinct(input: &Input<'_>, shape: &Shape, errors: &mut Accumulator) {
    let keyed = Keyed::new(shape, &input.variants);
    let decodable: Vec<&Variant> = input.variants.iter().filter(|v| v.is_decodable()).collect();
    let values: Vec<Vec<Option<String>>> = decodable.iter().map(|v| keyed.values(v)).collect();
    let mut names = Vec::new();
    if keyed.has_code() {
        names.push("code".to_owned());
    }
    names.extend(keyed.named().iter().map(|i| shape.names[*i].clone()));
    let describe = |key: &[Option<String>]| -> String {
        let parts: Vec<String> = names
            .iter()
            .zip(key)
            .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name} = \"{v}\"")))
            .collect();
        if parts.is_empty() {
            "no key part".to_owned()
        } else {
            parts.join(", ")
        }
    };
    for (j, later) in decodable.iter().enumerate() {
        for (i, earlier) in decodable.iter().enumerate().take(j) {
            let (a, b) = (&values[i], &values[j]);
            if a == b {
                if earlier.status_value() != later.status_value() {
                    continue;
                }
                let fixes_none = a.iter().all(Option::is_none);
                if fixes_none
                    && (earlier.decode_default.is_some() != later.decode_default.is_some())
                {
                    continue;
                }
                let fix = if fixes_none {
                    format!(
                        "mark the one a decoded {} becomes with #[api_error(decode_default)]",
                        later.status_value()
                    )
                } else {
                    "give one of them another key".to_owned()
                };
                error(
                    errors,
                    later.ident.span(),
                    format!(
                        "`{}` and `{}` have the same key ({}) and status {}, so a body cannot tell them apart; {fix}",
                        earlier.ident,
                        later.ident,
                        describe(a),
                        later.status_value()
                    ),
                );
                continue;
            }
            let compatible = a
                .iter()
                .zip(b)
                .all(|(x, y)| x.is_none() || y.is_none() || x == y);
            let count = |key: &[Option<String>]| key.iter().flatten().count();
            if compatible && count(a) == count(b) {
                error(
                    errors,
                    later.ident.span(),
                    format!(
                        "the keys of `{}` ({}) and `{}` ({}) both match a body that has both, and neither is more specific; \
                         give them a key part in which they differ",
                        earlier.ident,
                        describe(a),
                        later.ident,
                        describe(b)
                    ),
                );
            }
        }
    }
}

/// What a declared format keys variants on: the code (when the declaration has a
/// `{code}`), then each named part some variant's `key(…)` fills.
pub(crate) struct Keyed<'s> {
    shape: &'s Shape,
    has_code: bool,
    /// The named parts that are key parts, by index in the shape's names.
    named: Vec<usize>,
}

impl<'s> Keyed<'s> {
    pub(crate) fn has_code(&self) -> bool {
        self.has_code
    }

    /// The named parts that are key parts, by index in the shape's names.
    pub(crate) fn named(&self) -> &[usize] {
        &self.named
    }

    pub(crate) fn new(shape: &'s Shape, variants: &[Variant]) -> Self {
        let named = (0..shape.names.len())
            .filter(|index| {
                variants
                    .iter()
                    .any(|v| v.key.iter().any(|(name, _)| *name == shape.names[*index]))
            })
            .collect();
        Keyed {
            shape,
            has_code: shape.slot(&Part::Code).is_some(),
            named,
        }
    }

    /// Whether `variant`'s code is part of its key: the declaration has `{code}`, and it
    /// is required, or the variant gives a code.
    pub(crate) fn keys_on_code(&self, variant: &Variant) -> bool {
        self.shape
            .slot(&Part::Code)
            .is_some_and(|slot| !slot.optional || variant.code_given)
    }

    /// The values `variant` fixes, one per key position (code first, then the named key
    /// parts).
    pub(crate) fn values(&self, variant: &Variant) -> Vec<Option<String>> {
        let code = self.has_code.then(|| {
            self.keys_on_code(variant)
                .then(|| variant.code.value.clone())
        });
        let named = self.named.iter().map(|index| {
            let name = &self.shape.names[*index];
            variant
                .key
                .iter()
                .find(|(part, _)| part == name)
                .map(|(_, value)| value.value())
        });
        code.into_iter().chain(named).collect()
    }
}

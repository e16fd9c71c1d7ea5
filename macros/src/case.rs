//! `rename_all`: serde's casing rules, applied to variant names to make codes.
//!
//! Step 0 of the derive: helpers the other steps share.

/// A casing rule, spelled as serde spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

/// Every rule with its spelling, in serde's order.
pub(crate) const RULES: &[(&str, RenameRule)] = &[
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

impl RenameRule {
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        RULES
            .iter()
            .find(|(spelling, _)| *spelling == name)
            .map(|(_, rule)| *rule)
    }

    /// Applies the rule to a `PascalCase` variant name, as serde does.
    pub(crate) fn apply(self, variant: &str) -> String {
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => {
                let mut chars = variant.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_lowercase().to_string() + chars.as_str()
                })
            }
            RenameRule::Snake => {
                let mut snake = String::with_capacity(variant.len() + 4);
                for (i, ch) in variant.char_indices() {
                    if i > 0 && ch.is_uppercase() {
                        snake.push('_');
                    }
                    snake.push(ch.to_ascii_lowercase());
                }
                snake
            }
            RenameRule::ScreamingSnake => RenameRule::Snake.apply(variant).to_ascii_uppercase(),
            RenameRule::Kebab => RenameRule::Snake.apply(variant).replace('_', "-"),
            RenameRule::ScreamingKebab => {
                RenameRule::ScreamingSnake.apply(variant).replace('_', "-")
            }
        }
    }
}

/// An identifier as written, without `r#`.
pub(crate) fn unraw(ident: &proc_macro2::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#")
        .map_or_else(|| name.clone(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::RenameRule;

    #[test]
    fn applies_serde_rules() {
        let cases = [
            (
                RenameRule::Snake,
                "RateLimitExceeded",
                "rate_limit_exceeded",
            ),
            (
                RenameRule::ScreamingSnake,
                "RateLimitExceeded",
                "RATE_LIMIT_EXCEEDED",
            ),
            (
                RenameRule::Kebab,
                "RateLimitExceeded",
                "rate-limit-exceeded",
            ),
            (
                RenameRule::ScreamingKebab,
                "RateLimitExceeded",
                "RATE-LIMIT-EXCEEDED",
            ),
            (RenameRule::Camel, "RateLimitExceeded", "rateLimitExceeded"),
            (RenameRule::Pascal, "RateLimitExceeded", "RateLimitExceeded"),
            (RenameRule::Lower, "RateLimitExceeded", "ratelimitexceeded"),
            (RenameRule::Upper, "RateLimitExceeded", "RATELIMITEXCEEDED"),
            (RenameRule::Snake, "Internal", "internal"),
        ];
        for (rule, input, expected) in cases {
            assert_eq!(rule.apply(input), expected, "{rule:?}");
        }
    }
}

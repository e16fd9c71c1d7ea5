//! Message templates: `"field {field} is invalid"`, parsed into placeholders.
//!
//! Step 0 of the derive: helpers the other steps share.

/// How a placeholder uses the field it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Usage {
    /// `{field}` and the other non-`Debug` specs.
    Display,
    /// `{field:?}`, `{field:#?}`, `{field:x?}`.
    Debug,
    /// A width or precision argument: `{id:>width$}`, `{0:.prec$}` (a `usize`).
    Count,
}

/// One field a template uses: a `{…}`, or a width or precision argument in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placeholder {
    /// What it names: a field name or a tuple index, as written.
    pub(crate) arg: String,
    /// How the field is used.
    pub(crate) usage: Usage,
}

/// A parsed template: the format string with each placeholder's argument renamed to
/// the binding the generated code uses, and the placeholders in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pub(crate) format: String,
    pub(crate) placeholders: Vec<Placeholder>,
    /// The text with `{{`/`}}` unescaped, when there are no placeholders.
    pub(crate) literal: Option<String>,
}

/// Parses `template`, renaming each argument with `rename`.
///
/// # Errors
///
/// A message when a brace is unbalanced or a placeholder names nothing.
pub(crate) fn parse(template: &str, rename: impl Fn(&str) -> String) -> Result<Template, String> {
    let mut format = String::with_capacity(template.len() + 16);
    let mut literal = String::with_capacity(template.len());
    let mut placeholders = Vec::new();
    let mut chars = template.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                format.push_str("{{");
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                format.push_str("}}");
                literal.push('}');
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => {
                            return Err(
                                "unclosed `{` in message; write `{{` for a literal brace".into()
                            );
                        }
                    }
                }
                let (arg, spec) = inner.split_once(':').unwrap_or((inner.as_str(), ""));
                let arg = arg.trim();
                if arg.is_empty() {
                    return Err(format!(
                        "placeholder `{{{inner}}}` must name a field, like `{{field}}` or `{{0}}`"
                    ));
                }
                if spec.contains(".*") {
                    return Err(format!(
                        "`.*` in `{{{inner}}}` takes its precision from an argument a message cannot pass; \
                         name a field instead, like `{{{arg}:.precision$}}`"
                    ));
                }
                format.push('{');
                format.push_str(&rename(arg));
                let usage = if spec.ends_with('?') {
                    Usage::Debug
                } else {
                    Usage::Display
                };
                placeholders.push(Placeholder {
                    arg: arg.to_owned(),
                    usage,
                });
                if !spec.is_empty() {
                    format.push(':');
                    format.push_str(&counts(spec, &rename, &mut placeholders));
                }
                format.push('}');
            }
            '}' => return Err("unmatched `}` in message; write `}}` for a literal brace".into()),
            c => {
                format.push(c);
                literal.push(c);
            }
        }
    }
    let literal = placeholders.is_empty().then_some(literal);
    Ok(Template {
        format,
        placeholders,
        literal,
    })
}

/// `spec` with each `name$` width or precision argument renamed, recording each as a
/// [`Usage::Count`] placeholder.
fn counts(
    spec: &str,
    rename: &impl Fn(&str) -> String,
    placeholders: &mut Vec<Placeholder>,
) -> String {
    let mut out = String::with_capacity(spec.len());
    let mut rest = spec;
    while let Some(dollar) = rest.find('$') {
        let before = &rest[..dollar];
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        let name = &before[start..];
        out.push_str(&before[..start]);
        if name.is_empty() {
            out.push('$');
        } else {
            out.push_str(&rename(name));
            out.push('$');
            placeholders.push(Placeholder {
                arg: name.to_owned(),
                usage: Usage::Count,
            });
        }
        rest = &rest[dollar + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{Usage, parse};

    fn rename(arg: &str) -> String {
        format!("__field_{arg}")
    }

    #[test]
    fn renames_named_and_positional_placeholders() {
        let t = parse("field {field} is {0:?} {{ok}}", rename).unwrap();
        assert_eq!(t.format, "field {__field_field} is {__field_0:?} {{ok}}");
        assert_eq!(t.placeholders.len(), 2);
        assert_eq!(t.placeholders[0].usage, Usage::Display);
        assert_eq!(t.placeholders[1].usage, Usage::Debug);
        assert_eq!(t.literal, None);
    }

    #[test]
    fn unescapes_literal_templates() {
        let t = parse("use {{braces}}", rename).unwrap();
        assert_eq!(t.literal.as_deref(), Some("use {braces}"));
    }

    #[test]
    fn rejects_unbalanced_and_empty() {
        assert!(parse("a {b", rename).unwrap_err().contains("unclosed"));
        assert!(parse("a } b", rename).unwrap_err().contains("unmatched"));
        assert!(
            parse("a {} b", rename)
                .unwrap_err()
                .contains("must name a field")
        );
    }

    #[test]
    fn renames_width_and_precision_arguments() {
        let t = parse("{id:>width$} {0:.prec$} {x:_^1$} {y:$>5}", rename).unwrap();
        assert_eq!(
            t.format,
            "{__field_id:>__field_width$} {__field_0:.__field_prec$} {__field_x:_^__field_1$} {__field_y:$>5}"
        );
        let used: Vec<(&str, Usage)> = t
            .placeholders
            .iter()
            .map(|p| (p.arg.as_str(), p.usage))
            .collect();
        assert_eq!(
            used,
            [
                ("id", Usage::Display),
                ("width", Usage::Count),
                ("0", Usage::Display),
                ("prec", Usage::Count),
                ("x", Usage::Display),
                ("1", Usage::Count),
                ("y", Usage::Display),
            ]
        );
    }

    #[test]
    fn rejects_star_precision() {
        assert!(parse("{0:.*}", rename).unwrap_err().contains("`.*`"));
    }
}

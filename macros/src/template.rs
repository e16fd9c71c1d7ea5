//! Message templates: `"field {field} is invalid"`, parsed into placeholders.

/// One `{…}` in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placeholder {
    /// What it names: a field name or a tuple index, as written.
    pub(crate) arg: String,
    /// Whether the format spec after `:` asks for `Debug`.
    pub(crate) debug: bool,
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
                format.push('{');
                format.push_str(&rename(arg));
                if !spec.is_empty() {
                    format.push(':');
                    format.push_str(spec);
                }
                format.push('}');
                placeholders.push(Placeholder {
                    arg: arg.to_owned(),
                    debug: spec.contains('?'),
                });
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

#[cfg(test)]
mod tests {
    use super::parse;

    fn rename(arg: &str) -> String {
        format!("__field_{arg}")
    }

    #[test]
    fn renames_named_and_positional_placeholders() {
        let t = parse("field {field} is {0:?} {{ok}}", rename).unwrap();
        assert_eq!(t.format, "field {__field_field} is {__field_0:?} {{ok}}");
        assert_eq!(t.placeholders.len(), 2);
        assert!(!t.placeholders[0].debug);
        assert!(t.placeholders[1].debug);
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
}

//! `{{name}}` variables: the template syntax and its substitution, pure (no store, no keychain).
//!
//! - A placeholder is `{{name}}` (spaces inside the braces are ignored); a name is 1–64 of
//!   `A–Z a–z 0–9 _ - .`, as Postman's variable names in practice.
//! - `{{{{` is a literal `{{` (so `{{{{name}}` is the text `{{name}}`); a `}}` outside a
//!   placeholder is literal.
//! - Values are inserted as they are, never substituted again (a value holding `{{x}}` stays so).
//! - An unknown name is an error naming it and the environment; a `{{` that opens no valid
//!   placeholder is an error too (never silently left or emptied).
//! - Secret values used are collected, so the caller can mask them in transcripts.

use crate::error::{CoreError, Result};
use std::collections::BTreeMap;

/// Longest variable name.
pub const MAX_NAME: usize = 64;
/// Largest value (a PEM certificate or a JSON body fits).
pub const MAX_VALUE: usize = 64 * 1024;

/// Whether `s` holds a placeholder (or an escape): the fast path skips everything else.
pub fn has_placeholders(s: &str) -> bool {
    s.contains("{{")
}

pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A variable's value for substitution.
#[derive(Clone)]
pub struct VarValue {
    pub value: String,
    pub secret: bool,
}

/// The variables of one environment (or none), and the secret values substitution used.
#[derive(Clone, Default)]
pub struct Vars {
    /// The active environment's name; `None`: no environment is active.
    pub environment: Option<String>,
    pub values: BTreeMap<String, VarValue>,
    used_secrets: Vec<String>,
}

impl std::fmt::Debug for Vars {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vars")
            .field("environment", &self.environment)
            .field("names", &self.values.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Vars {
    pub fn new(environment: Option<String>, values: BTreeMap<String, VarValue>) -> Self {
        Self {
            environment,
            values,
            used_secrets: Vec::new(),
        }
    }

    /// The secret values substituted so far (each once).
    pub fn used_secrets(&self) -> &[String] {
        &self.used_secrets
    }

    /// `template` with its placeholders filled; `field` names where it is used, for errors.
    pub fn fill(&mut self, template: &str, field: &str) -> Result<String> {
        if !has_placeholders(template) {
            return Ok(template.to_owned());
        }
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(at) = rest.find("{{") {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            if let Some(after) = tail.strip_prefix("{{{{") {
                out.push_str("{{");
                rest = after;
                continue;
            }
            let inner = &tail[2..];
            let Some(end) = inner.find("}}") else {
                return Err(malformed(field, "a `{{` without its closing `}}`"));
            };
            let name = inner[..end].trim();
            if !is_valid_name(name) {
                return Err(malformed(
                    field,
                    &format!("`{{{{{}}}}}` is not a variable name", shown(name)),
                ));
            }
            let value = self.lookup(name, field)?;
            out.push_str(&value);
            if out.len() > MAX_VALUE * 4 {
                return Err(CoreError::InvalidInput(format!(
                    "{field} is longer than {} KiB after substitution",
                    MAX_VALUE * 4 / 1024
                )));
            }
            rest = &inner[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// `fill` for an optional field.
    pub fn fill_opt(&mut self, template: &Option<String>, field: &str) -> Result<Option<String>> {
        template.as_deref().map(|t| self.fill(t, field)).transpose()
    }

    fn lookup(&mut self, name: &str, field: &str) -> Result<String> {
        let Some(v) = self.values.get(name) else {
            return Err(CoreError::InvalidInput(match &self.environment {
                Some(env) => format!(
                    "unknown variable {{{{{name}}}}} in {field}: environment {env:?} has no variable {name:?} (add it with `oauthdesk env set {env} {name} VALUE`, or switch environment)"
                ),
                None => format!(
                    "unknown variable {{{{{name}}}}} in {field}: no environment is active (choose one with `oauthdesk env use NAME`, --env NAME, or the title bar)"
                ),
            }));
        };
        if v.secret && !v.value.is_empty() && !self.used_secrets.contains(&v.value) {
            self.used_secrets.push(v.value.clone());
        }
        Ok(v.value.clone())
    }
}

fn malformed(field: &str, what: &str) -> CoreError {
    CoreError::InvalidInput(format!(
        "{field}: {what}; variables are written {{{{name}}}}, and a literal `{{{{` as `{{{{{{{{`"
    ))
}

/// A name as shown in an error: control characters escaped, cut to a readable length.
fn shown(name: &str) -> String {
    let cut: String = name.chars().take(40).collect();
    crate::protocol::text::escape_controls(&cut, false)
}

/// Replaces every occurrence of each secret value (as sent: raw, form- and percent-encoded,
/// JSON-escaped) by `[redacted]`. Fails closed: any non-empty value is masked, however short.
pub fn mask_values(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        for form in encodings(secret) {
            if !form.is_empty() && out.contains(&form) {
                out = out.replace(&form, crate::protocol::transcript::REDACTED);
            }
        }
    }
    out
}

/// The ways a value appears on the wire, longest first (so a longer encoding is masked whole).
fn encodings(secret: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let percent = form.replace('+', "%20");
    let json = serde_json::to_string(secret)
        .ok()
        .and_then(|q| q.get(1..q.len().saturating_sub(1)).map(str::to_owned))
        .unwrap_or_default();
    let mut all = vec![secret.to_owned(), form, percent, json];
    all.sort_by_key(|s| std::cmp::Reverse(s.len()));
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(env: Option<&str>, pairs: &[(&str, &str, bool)]) -> Vars {
        Vars::new(
            env.map(str::to_owned),
            pairs
                .iter()
                .map(|(k, v, s)| {
                    (
                        (*k).to_owned(),
                        VarValue {
                            value: (*v).to_owned(),
                            secret: *s,
                        },
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn placeholders_are_filled_and_escapes_kept_literal() {
        let mut v = vars(
            Some("dev"),
            &[("tenant", "acme", false), ("api", "https://a", false)],
        );
        assert_eq!(
            v.fill("{{api}}/t/{{ tenant }}/x", "url").expect("fills"),
            "https://a/t/acme/x",
            "each placeholder is replaced, spaces inside the braces ignored"
        );
        assert_eq!(
            v.fill("{{{{tenant}} and }} {{tenant}}", "body")
                .expect("fills"),
            "{{tenant}} and }} acme",
            "`{{{{` is a literal `{{` and a lone `}}` stays"
        );
        assert_eq!(
            v.fill("no braces", "x").expect("fills"),
            "no braces",
            "text without placeholders is unchanged"
        );
    }

    #[test]
    fn a_value_is_not_substituted_again() {
        let mut v = vars(Some("dev"), &[("a", "{{b}}", false), ("b", "B", false)]);
        assert_eq!(
            v.fill("{{a}}", "x").expect("fills"),
            "{{b}}",
            "values are inserted as they are, no recursion"
        );
    }

    #[test]
    fn unknown_and_malformed_placeholders_are_errors_naming_them() {
        let mut v = vars(Some("prod"), &[]);
        let e = v
            .fill("{{issuer}}/x", "the issuer")
            .expect_err("unknown")
            .to_string();
        assert!(
            e.contains("{{issuer}}") && e.contains("\"prod\"") && e.contains("the issuer"),
            "the error names the variable, the environment and the field: {e}"
        );
        let mut none = vars(None, &[]);
        let e = none
            .fill("{{issuer}}", "the issuer")
            .expect_err("unknown")
            .to_string();
        assert!(
            e.contains("no environment is active"),
            "without an environment the error says so: {e}"
        );
        for bad in ["{{open", "{{bad name}}", "{{}}", "{{x\u{1b}}}"] {
            let e = v.fill(bad, "url").expect_err("malformed").to_string();
            assert!(
                e.contains("{{{{") && !e.contains('\u{1b}'),
                "{bad:?} is refused with the escaping rule, control characters escaped: {e}"
            );
        }
    }

    #[test]
    fn used_secrets_are_collected_and_masked_in_every_encoding() {
        let mut v = vars(
            Some("dev"),
            &[("key", "s3 cr&t\"x", true), ("plain", "p", false)],
        );
        v.fill("{{key}} {{plain}} {{key}}", "header")
            .expect("fills");
        assert_eq!(
            v.used_secrets(),
            ["s3 cr&t\"x"],
            "the secret is collected once"
        );
        for text in [
            "a s3 cr&t\"x b",
            "k=s3+cr%26t%22x",
            "u?k=s3%20cr%26t%22x",
            r#"{"k":"s3 cr&t\"x"}"#,
        ] {
            let masked = mask_values(text, v.used_secrets());
            assert!(
                !masked.contains("s3") && masked.contains("[redacted]"),
                "the secret is masked in {text:?}: {masked}"
            );
        }
    }
}

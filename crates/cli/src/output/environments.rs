//! Rendering of `env list`, `env show` and `env import`. Secret values are never here: a view
//! carries none (see `Desk::environments`).

use super::safe;
use oauthdesk_core::desk::{Environment, EnvironmentImport};

/// What a secret variable shows instead of its value.
pub const MASK: &str = "••••••••";

pub fn environment_list(all: &[Environment]) {
    if all.is_empty() {
        outln!("No environments. Create one: oauthdesk env create dev");
        return;
    }
    for e in all {
        outln!(
            "{} {}  ({} variable{})",
            if e.active { "*" } else { " " },
            safe(&e.name),
            e.variables.len(),
            if e.variables.len() == 1 { "" } else { "s" }
        );
    }
}

pub fn environment(e: &Environment) {
    outln!(
        "Environment {}{}",
        safe(&e.name),
        if e.active { " (active)" } else { "" }
    );
    if e.variables.is_empty() {
        outln!(
            "  no variables: oauthdesk env set {} NAME VALUE",
            safe(&e.name)
        );
    }
    let width = e.variables.iter().map(|v| v.name.len()).max().unwrap_or(0);
    for v in &e.variables {
        let value = match (&v.value, v.secret) {
            (_, true) => format!("{MASK}  (secret, in the keychain)"),
            (Some(value), false) => safe(value),
            (None, false) => String::new(),
        };
        outln!("  {:width$}  {value}", safe(&v.name));
    }
}

pub fn environment_import(r: &EnvironmentImport) {
    outln!(
        "{} environment {}: {} variable(s), {} secret(s) into the keychain.",
        if r.existed { "Updated" } else { "Created" },
        safe(&r.environment),
        r.variables,
        r.secrets
    );
    for s in &r.skipped {
        outln!("  skipped  {}", safe(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::{PWNED, assert_inert, capture};
    use oauthdesk_core::desk::Variable;

    #[test]
    fn show_masks_secret_values_and_escapes_what_was_typed() {
        let env = Environment {
            id: "e1".into(),
            name: format!("dev{PWNED}"),
            active: true,
            variables: vec![
                Variable {
                    name: "api".into(),
                    value: Some(format!("https://api.example/{PWNED}")),
                    secret: false,
                },
                Variable {
                    name: "apikey".into(),
                    value: None,
                    secret: true,
                },
            ],
        };
        let shown = capture(|| environment(&env));
        assert_inert(&shown, "env show");
        assert!(
            shown.contains(&format!("apikey  {MASK}")) && shown.contains("(active)"),
            "a secret variable shows the mask, the active environment is marked: {shown}"
        );
        let listed = capture(|| environment_list(std::slice::from_ref(&env)));
        assert_inert(&listed, "env list");
        assert!(
            listed.starts_with("* dev") && listed.contains("2 variables"),
            "the list marks the active environment and counts variables: {listed}"
        );
    }
}

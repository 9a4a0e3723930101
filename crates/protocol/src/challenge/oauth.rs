//! What a `Bearer` (RFC 6750 §3) or `DPoP` (RFC 9449 §7.1) challenge means to an OAuth client:
//! the error, the scopes it asks for, step-up requirements (RFC 9470 §3) and where the protected
//! resource's metadata is (RFC 9728 §5.1). Values the client cannot use are problems in words,
//! never panics.

use super::{Challenge, Challenges};
use crate::text::escape_controls;
use serde::Serialize;

/// The OAuth meaning of a Bearer or DPoP challenge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ResourceChallenge {
    /// `Bearer` or `DPoP`, as sent (case kept).
    pub scheme: String,
    pub realm: Option<String>,
    /// RFC 6750 §3: space-delimited.
    pub scope: Vec<String>,
    /// `invalid_request`, `invalid_token`, `insufficient_scope` (RFC 6750 §3.1),
    /// `insufficient_user_authentication` (RFC 9470 §3), `use_dpop_nonce`, `invalid_dpop_proof`
    /// (RFC 9449 §7.1, §9), or any other value as sent.
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub error_uri: Option<String>,
    /// RFC 9728 §5.1.
    pub resource_metadata: Option<String>,
    /// DPoP, RFC 9449 §7.1: space-delimited.
    pub algs: Vec<String>,
    /// RFC 9470 §3: space-delimited.
    pub acr_values: Vec<String>,
    /// RFC 9470 §3, seconds; `None` when absent or not a non-negative integer (then a problem).
    pub max_age: Option<u64>,
    /// What is wrong with this challenge's values, in words (display-safe): duplicated
    /// parameters, a `max_age` that is no number, a token68 instead of parameters, ….
    pub problems: Vec<String>,
}

impl ResourceChallenge {
    /// The challenge's meaning; `None` unless its scheme is Bearer or DPoP (case-insensitive).
    pub fn from_challenge(c: &Challenge) -> Option<Self> {
        if !(c.is_scheme("Bearer") || c.is_scheme("DPoP")) {
            return None;
        }
        let mut problems = Vec::new();
        let scheme = &c.scheme;
        if let Some(t) = &c.token68 {
            problems.push(format!(
                "the {scheme} challenge carries a token68 ({}) where parameters belong \
                 (RFC 6750 §3); it was ignored",
                excerpt(t)
            ));
        }
        duplicates(c, &mut problems);
        let text = |name: &str| c.param(name).map(str::to_owned);
        let list = |name: &str| {
            c.param(name)
                .map(|v| {
                    v.split(' ')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let scope: Vec<String> = list("scope");
        if let Some(bad) = scope.iter().find(|s| !s.bytes().all(is_nqchar)) {
            problems.push(format!(
                "the scope value {} holds a character a scope cannot (RFC 6749 §3.3)",
                excerpt(bad)
            ));
        }
        for name in ["error_uri", "resource_metadata"] {
            if let Some(v) = c.param(name)
                && url::Url::parse(v).is_err()
            {
                problems.push(format!(
                    "{name} {} is not an absolute URL ({})",
                    excerpt(v),
                    if name == "error_uri" {
                        "RFC 6750 §3"
                    } else {
                        "RFC 9728 §5.1"
                    }
                ));
            }
        }
        let max_age = c.param("max_age").and_then(|v| match parse_seconds(v) {
            Ok(n) => Some(n),
            Err(why) => {
                problems.push(format!(
                    "max_age {} is {why}; it was ignored (RFC 9470 §3: seconds, a non-negative \
                     integer)",
                    excerpt(v)
                ));
                None
            }
        });
        Some(Self {
            scheme: scheme.clone(),
            realm: text("realm"),
            scope,
            error: text("error"),
            error_description: text("error_description"),
            error_uri: text("error_uri"),
            resource_metadata: text("resource_metadata"),
            algs: list("algs"),
            acr_values: list("acr_values"),
            max_age,
            problems,
        })
    }
}

impl Challenges {
    /// The Bearer and DPoP challenges, in order, with what each means.
    pub fn oauth(&self) -> Vec<ResourceChallenge> {
        self.challenges
            .iter()
            .filter_map(ResourceChallenge::from_challenge)
            .collect()
    }
}

/// RFC 6750 §3 ("MUST NOT appear more than once") and RFC 9110 §11.2 ("MUST only occur once
/// per challenge"): each name used twice or more, once.
fn duplicates(c: &Challenge, problems: &mut Vec<String>) {
    for (i, (name, _)) in c.params.iter().enumerate() {
        let earlier = c.params[..i].iter().any(|(n, _)| n == name);
        if earlier {
            continue;
        }
        let count = c.params[i..].iter().filter(|(n, _)| n == name).count();
        if count > 1 {
            problems.push(format!(
                "{name} appears {count} times in the {} challenge, where a parameter may appear \
                 once (RFC 6750 §3, RFC 9110 §11.2); the first value is used",
                c.scheme
            ));
        }
    }
}

/// A `max_age` in seconds: ASCII digits only, fitting in a u64.
fn parse_seconds(v: &str) -> Result<u64, &'static str> {
    if v.is_empty() {
        return Err("empty");
    }
    if !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(
            if v.starts_with('-') && v.len() > 1 && v[1..].bytes().all(|b| b.is_ascii_digit()) {
                "negative"
            } else {
                "not a number of seconds"
            },
        );
    }
    v.parse::<u64>()
        .map_err(|_| "too large a number of seconds")
}

/// RFC 6749 Appendix A `NQCHAR`: the characters of a scope token.
fn is_nqchar(b: u8) -> bool {
    b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b)
}

/// A server-sent value for a message: quoted, control characters escaped, at most 60 characters.
fn excerpt(v: &str) -> String {
    const MAX: usize = 60;
    let mut cut: String = v.chars().take(MAX).collect();
    if cut.len() < v.len() {
        cut.push('…');
    }
    format!("\"{}\"", escape_controls(&cut, false))
}

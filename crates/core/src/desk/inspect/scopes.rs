//! Requested versus granted scopes of a grant, from every source there is: the request, the
//! token response's `scope` (RFC 6749 §5.1: omitted means "as requested"), the access token's
//! claim (RFC 9068 §2.2.3) and introspection (RFC 7662 §2.2).

use serde::Serialize;
use ts_rs::TS;

/// Requested versus granted scopes of a grant, from every source there is.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScopeComparison {
    pub requested: Vec<String>,
    /// The token response's `scope`; `null` when the server omitted it.
    pub response: Option<Vec<String>>,
    /// Says what an omitted `scope` means (RFC 6749 §5.1) or where `granted` came from.
    pub note: String,
    pub access_token_claim: Option<Vec<String>>,
    pub introspection: Option<Vec<String>>,
    /// The best-known granted set: introspection, else the response, else the token's claim,
    /// else the requested set (RFC 6749 §5.1).
    pub granted: Vec<String>,
    pub not_granted: Vec<String>,
    pub not_requested: Vec<String>,
}

impl ScopeComparison {
    pub fn of(
        requested: &str,
        response: Option<&str>,
        access_token_claim: Option<Vec<String>>,
        introspection: Option<Vec<String>>,
    ) -> Self {
        let requested = split_scopes(requested);
        let response = response.map(split_scopes);
        let (granted, note) = if let Some(i) = &introspection {
            (
                i.clone(),
                "granted scopes as the server reports them now (introspection, RFC 7662)"
                    .to_owned(),
            )
        } else if let Some(r) = &response {
            (
                r.clone(),
                "granted scopes from the token response's `scope`".to_owned(),
            )
        } else if let Some(c) = &access_token_claim {
            (c.clone(), "the token response omitted `scope` (RFC 6749 §5.1: same as requested); granted scopes read from the access token's claim".to_owned())
        } else {
            (requested.clone(), "the token response omitted `scope`: per RFC 6749 §5.1 the granted scopes are exactly the requested ones".to_owned())
        };
        let not_granted = requested
            .iter()
            .filter(|s| !granted.contains(s))
            .cloned()
            .collect();
        let not_requested = granted
            .iter()
            .filter(|s| !requested.contains(s))
            .cloned()
            .collect();
        Self {
            requested,
            response,
            note,
            access_token_claim,
            introspection,
            granted,
            not_granted,
            not_requested,
        }
    }
}

/// The scopes of a `scope` string (space-separated; a comma, which some servers send, too).
pub fn scope_items(s: &str) -> impl Iterator<Item = &str> {
    s.split([' ', ',']).filter(|x| !x.is_empty())
}

pub fn split_scopes(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in scope_items(s) {
        if !out.iter().any(|o| o == x) {
            out.push(x.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_omitted_scope_means_the_requested_ones() {
        let omitted = ScopeComparison::of("openid profile,openid", None, None, None);
        assert_eq!(
            omitted.requested,
            ["openid", "profile"],
            "deduplicated, commas accepted"
        );
        assert_eq!(omitted.granted, omitted.requested, "RFC 6749 §5.1");
        assert!(
            omitted.not_granted.is_empty() && omitted.not_requested.is_empty(),
            "with the requested scopes taken as granted, none is missing or extra"
        );
        let narrowed = ScopeComparison::of(
            "openid profile",
            Some("openid email"),
            None,
            Some(vec!["openid".into()]),
        );
        assert_eq!(narrowed.granted, ["openid"], "introspection wins");
        assert_eq!(
            narrowed.not_granted,
            ["profile"],
            "a requested scope that introspection does not grant is listed as not granted"
        );
        assert_eq!(
            narrowed.response,
            Some(vec!["openid".into(), "email".into()]),
            "the token response's scope is kept as sent, next to introspection's"
        );
    }
}

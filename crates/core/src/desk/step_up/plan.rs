//! What a new login asks for: the grant's scopes with the challenge's (RFC 6750 §3.1), the
//! user authentication RFC 9470 §3 demands, and whether the grant's type can ask for it.

use super::explain::{Facts, claim, list, shown, span, status_note};
use super::{CallChallenge, ChallengeKind, StepUpPlan};
use crate::desk::split_scopes;
use crate::model::{GrantType, GrantView};
use oauthdesk_protocol::challenge::ResourceChallenge;
use serde_json::Value;

fn granted(g: &GrantView) -> Vec<String> {
    split_scopes(g.scopes_granted.as_deref().unwrap_or(&g.scopes_requested))
}

pub(super) fn insufficient_scope(
    f: &Facts<'_>,
    c: &ResourceChallenge,
    out: &mut CallChallenge,
) -> Option<StepUpPlan> {
    out.kind = ChallengeKind::InsufficientScope;
    let have = granted(f.grant);
    let missing: Vec<String> = c
        .scope
        .iter()
        .filter(|s| !have.contains(s))
        .cloned()
        .collect();
    out.missing_scopes = missing.clone();
    let status = status_note(f.status, 403);
    let have_words = if have.is_empty() {
        "no scope".to_owned()
    } else {
        list(&have)
    };
    if c.scope.is_empty() {
        out.summary = format!(
            "The API says the token's scope is insufficient (insufficient_scope, RFC 6750 §3.1){status}, \
             but its challenge names no scope (RFC 6750 §3 has scope= for that): nothing says what to ask for."
        );
        out.details
            .push(format!("The grant was granted: {have_words}."));
        return None;
    }
    if missing.is_empty() {
        out.summary = format!(
            "The API says the token's scope is insufficient (insufficient_scope, RFC 6750 §3.1){status}, \
             yet the grant already has every scope the challenge names ({}).",
            list(&c.scope)
        );
        return None;
    }
    out.summary = format!(
        "The token lacks the scope{} {} that this API requires (insufficient_scope, RFC 6750 §3.1){status}.",
        if missing.len() == 1 { "" } else { "s" },
        list(&missing)
    );
    out.details.push(format!(
        "The challenge asks for {}; the grant was granted {have_words}.",
        list(&c.scope)
    ));
    let mut plan = base_plan(f, c, f.requested_resource.map(str::to_owned));
    plan.reason = format!(
        "A new login asking also for {} would satisfy it.",
        list(&missing)
    );
    finish(plan, false, out)
}

pub(super) fn user_authentication(
    f: &Facts<'_>,
    c: &ResourceChallenge,
    out: &mut CallChallenge,
) -> Option<StepUpPlan> {
    out.kind = ChallengeKind::InsufficientUserAuthentication;
    let mut wants = Vec::new();
    if !c.acr_values.is_empty() {
        wants.push(format!("acr_values {}", list(&c.acr_values)));
    }
    if let Some(m) = c.max_age {
        wants.push(format!(
            "an authentication at most {} old (max_age {m})",
            span(i64::try_from(m).unwrap_or(i64::MAX))
        ));
    }
    let status = status_note(f.status, 401);
    if wants.is_empty() {
        out.summary = format!(
            "The API wants another user authentication (insufficient_user_authentication, RFC \
             9470 §3){status}, but its challenge names neither acr_values nor max_age: nothing \
             says what to ask for."
        );
        return None;
    }
    out.summary = format!(
        "The API wants a stronger or more recent user authentication (insufficient_user_authentication, \
         RFC 9470 §3): {}{status}.",
        wants.join("; ")
    );
    let acr = claim(f, "acr").and_then(Value::as_str);
    let auth_time = claim(f, "auth_time").and_then(Value::as_i64);
    out.details.push(format!(
        "The token says: acr {}, authenticated {}.",
        acr.map_or_else(|| "not stated".to_owned(), shown),
        auth_time.map_or_else(
            || "at a time not stated (no auth_time)".to_owned(),
            |t| format!("{} ago (auth_time)", span(f.now.saturating_sub(t)))
        )
    ));
    let mut plan = base_plan(f, c, f.requested_resource.map(str::to_owned));
    plan.acr_values = c.acr_values.clone();
    plan.max_age = c.max_age;
    plan.prompt_login = true;
    plan.reason = format!(
        "A new login asking for {} (and prompt=login, so the user authenticates again) would satisfy it.",
        wants.join(" and ")
    );
    finish(plan, true, out)
}

/// The grant's scopes (requested and granted) with the challenge's, and the grant's client and
/// grant type; what the caller adds is the reason and the step-up parameters.
pub(super) fn base_plan(
    f: &Facts<'_>,
    c: &ResourceChallenge,
    resource: Option<String>,
) -> StepUpPlan {
    let g = f.grant;
    let mut scope = split_scopes(&g.scopes_requested);
    let mut added = Vec::new();
    for s in granted(g) {
        if !scope.contains(&s) {
            scope.push(s);
        }
    }
    for s in &c.scope {
        if !scope.contains(s) {
            scope.push(s.clone());
            added.push(s.clone());
        }
    }
    StepUpPlan {
        grant_id: g.id.clone(),
        client: g.client.clone(),
        grant_type: g.grant_type,
        scope: scope.join(" "),
        added_scopes: added,
        acr_values: vec![],
        max_age: None,
        prompt_login: false,
        resource,
        reason: String::new(),
        notes: vec![],
    }
}

/// The plan as the grant's type allows it, or none (with why, in `out`) when that type cannot
/// ask for what is needed.
pub(super) fn finish(
    mut plan: StepUpPlan,
    user_authentication: bool,
    out: &mut CallChallenge,
) -> Option<StepUpPlan> {
    let refused = match plan.grant_type {
        GrantType::AuthorizationCode | GrantType::Implicit | GrantType::DeviceCode => {
            return Some(plan);
        }
        GrantType::ClientCredentials if !user_authentication => {
            plan.notes.push(
                "A client-credentials grant: the new token is asked for directly, no browser opens."
                    .into(),
            );
            return Some(plan);
        }
        GrantType::ClientCredentials => {
            "This is a client-credentials grant: there is no user to authenticate again (RFC 9470 \
             §3 asks for a user authentication); log in with a user-facing grant instead."
        }
        GrantType::Password => {
            "This grant came from the password grant: log in again with `oauthdesk login NAME \
             --grant password`, asking for what the API wants (OAuth Desk cannot re-authorize \
             without the password)."
        }
        GrantType::TokenExchange => {
            "This grant came from a token exchange (RFC 8693): exchange again, asking for what \
             the API wants."
        }
        GrantType::Ciba => {
            "This grant came from CIBA: log in again with `oauthdesk login NAME --grant ciba \
             --login-hint H`, asking for what the API wants (the user approves on their device)."
        }
        GrantType::JwtBearer => {
            "This grant came from a JWT bearer assertion (RFC 7523): log in again with a new \
             assertion, asking for what the API wants."
        }
    };
    out.details.push(refused.to_owned());
    None
}

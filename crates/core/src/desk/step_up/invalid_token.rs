//! `invalid_token` (RFC 6750 §3.1): whether the token was revoked, expired, or is for another
//! resource than the API's (its protected resource metadata, RFC 9728 §2), from the grant as it
//! is now and the claims of the token that was sent.

use super::explain::{Facts, list, shown, span, status_note, strings};
use super::plan::{base_plan, finish};
use super::{CallChallenge, ChallengeKind, StepUpPlan, TokenVerdict};
use crate::model::GrantStatus;
use oauthdesk_protocol::challenge::ResourceChallenge;
use serde_json::Value;

/// The API's protected resource metadata as looked up for an `invalid_token`.
#[derive(Debug, Clone)]
pub(crate) enum MetadataLookup {
    /// Fetched, and its `resource` is the URL called or a prefix of it (RFC 9728 §3.3).
    Found { url: String, resource: String },
    /// Not usable, in words with the section.
    Unusable(String),
}

pub(super) fn invalid_token(
    f: &Facts<'_>,
    c: &ResourceChallenge,
    out: &mut CallChallenge,
) -> Option<StepUpPlan> {
    out.kind = ChallengeKind::InvalidToken;
    let status = status_note(f.status, 401);
    let g = f.grant;
    let exp = f.claims.and_then(|c| c.get("exp")).and_then(Value::as_i64);
    let aud = strings(f.claims.and_then(|c| c.get("aud")));
    let api = match f.metadata {
        Some(MetadataLookup::Found { url, resource }) => {
            out.api_resource = Some(resource.clone());
            out.details.push(format!(
                "The API's protected resource metadata ({}) names the resource {} (RFC 9728 §2).",
                shown(url),
                shown(resource)
            ));
            Some(resource.as_str())
        }
        Some(MetadataLookup::Unusable(why)) => {
            out.problems.push(why.clone());
            None
        }
        None => None,
    };
    let mut resource = f.requested_resource.map(str::to_owned);
    let (verdict, summary) = if g.status == GrantStatus::Revoked || g.revoked_at.is_some() {
        (
            TokenVerdict::Revoked,
            format!(
                "The token was revoked: the grant is revoked{} (invalid_token, RFC 6750 §3.1){status}.",
                g.revoked_at
                    .map(|t| format!(" since {} ago", span(f.now.saturating_sub(t))))
                    .unwrap_or_default()
            ),
        )
    } else if let Some(t) = exp.filter(|&t| t <= f.now) {
        (
            TokenVerdict::Expired,
            format!(
                "The token expired {} ago (its exp, RFC 7519 §4.1.4) (invalid_token, RFC 6750 §3.1){status}.",
                span(f.now.saturating_sub(t))
            ),
        )
    } else if let Some(t) = g.expires_at.filter(|&t| t <= f.now && exp.is_none()) {
        (
            TokenVerdict::Expired,
            format!(
                "The token expired {} ago (the grant's expiry from expires_in, RFC 6749 §5.1) \
                 (invalid_token, RFC 6750 §3.1){status}.",
                span(f.now.saturating_sub(t))
            ),
        )
    } else if let Some(api) = api.filter(|api| {
        if aud.is_empty() {
            f.requested_resource != Some(*api)
        } else {
            !aud.iter().any(|a| a == api)
        }
    }) {
        resource = Some(api.to_owned());
        let held = if !aud.is_empty() {
            format!("its audience is {} (aud, RFC 9068 §3)", list(&aud))
        } else if let Some(r) = f.requested_resource {
            format!("it was requested for {} (RFC 8707)", shown(r))
        } else {
            "it was requested without a resource indicator (RFC 8707 §2) and carries no audience \
             OAuth Desk can read"
                .to_owned()
        };
        (
            TokenVerdict::OtherResource,
            format!(
                "The token is for another resource: {held}, and this API is {} (invalid_token, \
                 RFC 6750 §3.1){status}.",
                shown(api)
            ),
        )
    } else {
        let mut seen = vec![match exp {
            Some(t) => format!(
                "it is not expired (exp in {})",
                span(t.saturating_sub(f.now))
            ),
            None => "its expiry is not visible (no exp OAuth Desk can read)".to_owned(),
        }];
        seen.push("the grant is not revoked".into());
        if let (Some(api), false) = (api, aud.is_empty()) {
            seen.push(format!(
                "its audience includes this API's resource {}",
                shown(api)
            ));
        } else if api.is_none() && c.resource_metadata.is_none() {
            seen.push(
                "the challenge names no resource_metadata (RFC 9728 §5.1), so whether the \
                 token is for this API cannot be checked"
                    .into(),
            );
        }
        (
            TokenVerdict::NotExplained,
            format!(
                "The API refused the token (invalid_token, RFC 6750 §3.1){status} for a reason \
                 OAuth Desk cannot see: {}.",
                seen.join(", ")
            ),
        )
    };
    out.token = Some(verdict);
    out.summary = summary;
    let mut plan = base_plan(f, c, resource);
    plan.reason = match verdict {
        TokenVerdict::OtherResource => format!(
            "A new login asking for the resource {} (RFC 8707) would get a token for this API.",
            plan.resource.as_deref().map(shown).unwrap_or_default()
        ),
        _ => "A new login would get a fresh token.".to_owned(),
    };
    finish(plan, false, out)
}

/// The resource identifiers a call to `called` may stand for: the URL itself (RFC 9728 §3.3
/// wants the metadata's `resource` identical to it), then, as APIs name one resource for all
/// their routes (`https://api.example/api` for `…/api/items`), each shorter path of the same
/// origin, with and without a trailing slash, down to the origin.
pub(crate) fn resources_for(called: &url::Url) -> Vec<String> {
    let mut out = vec![oauthdesk_protocol::resource::resource_identifier(called)];
    let mut u = called.clone();
    u.set_fragment(None);
    u.set_query(None);
    let mut path = u.path().trim_end_matches('/').to_owned();
    loop {
        for candidate in [path.clone(), format!("{path}/")] {
            u.set_path(&candidate);
            let s = u.to_string();
            if !out.contains(&s) {
                out.push(s);
            }
        }
        match path.rfind('/') {
            Some(i) => path.truncate(i),
            None => break,
        }
    }
    let origin = oauthdesk_protocol::resource::origin_identifier(called);
    if !out.contains(&origin) {
        out.push(origin);
    }
    out
}

//! The FAPI 2.0 verdict for a client: its authorization server's metadata and every recorded
//! exchange of its flows checked against the FAPI 2.0 Security Profile
//! (`oauthdesk_protocol::profile::fapi2`), with what passed and what no record shows beside the
//! findings, so the verdict never claims more than was seen.

use super::{Finding, Severity};
use crate::desk::Desk;
use crate::error::Result;
use crate::model::{Client, FlowTranscript, GrantView, HistoryEvent};
use crate::store;
use oauthdesk_protocol::profile::fapi2::{self, Evidence};
use oauthdesk_protocol::profile::{Outcome, ProfileCheck};
use serde::Serialize;
use ts_rs::TS;

/// The profile's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProfileVerdict {
    /// At least one "shall" is broken by the metadata or a recorded exchange.
    NotConformant,
    /// No violation in the metadata or the recorded exchanges; rules no record shows are listed
    /// as not observed.
    ConformantForWhatWasObserved,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ProfileReport {
    pub client: String,
    pub issuer: Option<String>,
    /// `fapi2`.
    pub profile: String,
    /// The profile's title and version.
    pub profile_name: String,
    pub verdict: ProfileVerdict,
    /// "FAPI 2.0: not conformant — 7 violations" / "… conformant for what was observed".
    pub summary: String,
    pub violations: u32,
    pub advice: u32,
    pub flows_checked: u32,
    pub exchanges_checked: u32,
    /// Violations first, then advice.
    pub findings: Vec<Finding>,
    pub passed: Vec<ProfileCheck>,
    pub not_observed: Vec<ProfileCheck>,
}

impl Desk {
    /// `report NAME --profile fapi2`.
    pub async fn fapi2_report(&self, client: &str) -> Result<ProfileReport> {
        let c = self.client(client).await?;
        let grants = self.grants(Some(client)).await?;
        let flows = store::history::transcripts(&self.db, &c.id, 1000).await?;
        let events = self.history(Some(client)).await?;
        Ok(fapi2_verdict(&c, &grants, &flows, &events))
    }
}

/// Whether a grant's stored claims show an access token bound to a certificate (RFC 8705 §3.1).
fn certificate_bound(g: &GrantView) -> bool {
    g.claims
        .as_ref()
        .and_then(|c| c.get("access_token")?.get("cnf")?.get("x5t#S256"))
        .is_some()
}

/// The verdict, from stored data only.
pub fn fapi2_verdict(
    client: &Client,
    grants: &[GrantView],
    flows: &[FlowTranscript],
    events: &[HistoryEvent],
) -> ProfileReport {
    let refreshed = |what: &str| {
        let n = events
            .iter()
            .filter(|e| e.kind == "refreshed" && e.detail.contains(what))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    };
    let evidence = Evidence {
        flows: flows.iter().map(|f| f.exchanges.as_slice()).collect(),
        client_auth_method: Some(client.auth_method.as_str()),
        certificate_bound_tokens: u32::try_from(
            grants.iter().filter(|g| certificate_bound(g)).count(),
        )
        .unwrap_or(u32::MAX),
        refreshes_rotated: refreshed("refresh token rotated"),
        refreshes_kept: refreshed("not rotated"),
    };
    let checks = fapi2::check(client.metadata.as_ref(), &evidence);
    let mut findings = Vec::new();
    let mut passed = Vec::new();
    let mut not_observed = Vec::new();
    for c in checks {
        match c.outcome {
            Outcome::Violation => findings.push(finding(c, Severity::Violation)),
            Outcome::Advice => findings.push(finding(c, Severity::Advice)),
            Outcome::Passed => passed.push(c),
            Outcome::NotObserved => not_observed.push(c),
        }
    }
    findings.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.code.cmp(&b.code)));
    let count = |s: Severity| {
        u32::try_from(findings.iter().filter(|f| f.severity == s).count()).unwrap_or(u32::MAX)
    };
    let (violations, advice) = (count(Severity::Violation), count(Severity::Advice));
    let verdict = if violations > 0 {
        ProfileVerdict::NotConformant
    } else {
        ProfileVerdict::ConformantForWhatWasObserved
    };
    ProfileReport {
        client: client.name.clone(),
        issuer: client
            .metadata
            .as_ref()
            .map(|m| m.issuer.clone())
            .or_else(|| client.issuer.clone()),
        profile: "fapi2".into(),
        profile_name: fapi2::PROFILE.into(),
        verdict,
        summary: summary(verdict, violations),
        violations,
        advice,
        flows_checked: u32::try_from(flows.len()).unwrap_or(u32::MAX),
        exchanges_checked: u32::try_from(flows.iter().map(|f| f.exchanges.len()).sum::<usize>())
            .unwrap_or(u32::MAX),
        findings,
        passed,
        not_observed,
    }
}

/// The one line CLI and GUI lead with.
pub fn summary(verdict: ProfileVerdict, violations: u32) -> String {
    match verdict {
        ProfileVerdict::NotConformant => format!(
            "FAPI 2.0: not conformant — {violations} violation{}",
            if violations == 1 { "" } else { "s" }
        ),
        ProfileVerdict::ConformantForWhatWasObserved => {
            "FAPI 2.0: conformant for what was observed".into()
        }
    }
}

/// A failed rule as the provider report's finding: the detail is what was seen, the action
/// names the rule it was checked against (OAuth Desk refuses nothing for a profile).
fn finding(c: ProfileCheck, severity: Severity) -> Finding {
    Finding {
        code: c.code,
        severity,
        spec: c.section,
        detail: c.detail,
        action: format!("checked the rule: {}", c.requirement),
        source: c.source,
        occurrences: c.occurrences,
    }
}

#[cfg(test)]
#[path = "fapi2_tests.rs"]
mod tests;

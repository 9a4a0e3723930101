//! The MCP server's conformance to each authorization revision it could be following
//! (2025-03-26, 2025-06-18, 2025-11-25): what it does, what it misses, with the section. The
//! revision it follows is the one it negotiated in `initialize`; only that revision's MUSTs
//! decide the exit code.

use super::{McpReport, Observed};
use crate::desk::report::{Finding, Severity};
use oauthdesk_protocol::resource::MetadataSource;
use serde::Serialize;
use ts_rs::TS;

/// One revision's verdict.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RevisionVerdict {
    pub revision: String,
    /// The server negotiated this revision in `initialize`.
    pub followed: bool,
    pub musts_broken: u32,
    /// What it does right (`passed`) and what it misses, each with the section.
    pub passed: Vec<String>,
    pub findings: Vec<Finding>,
}

const REVISIONS: [&str; 3] = ["2025-03-26", "2025-06-18", "2025-11-25"];

struct Verdict {
    revision: &'static str,
    passed: Vec<String>,
    findings: Vec<Finding>,
}

impl Verdict {
    fn check(&mut self, ok: bool, code: &str, section: &str, good: &str, bad: String, must: bool) {
        let spec = format!("MCP {} Authorization {section}", self.revision);
        if ok {
            self.passed.push(format!("{good} ({spec})"));
        } else {
            self.findings.push(Finding {
                code: code.into(),
                severity: if must {
                    Severity::Violation
                } else {
                    Severity::Advice
                },
                spec,
                detail: bad,
                action: if must {
                    "reported; the flow went on where it could".into()
                } else {
                    "noted".into()
                },
                source: "MCP server".into(),
                occurrences: 1,
            });
        }
    }

    fn untested(&mut self, what: &str) {
        self.passed.push(format!("not tested: {what}"));
    }
}

/// Checks every revision against what the flow saw.
pub(super) fn verdicts(report: &McpReport, seen: &Observed) -> Vec<RevisionVerdict> {
    let negotiated = report
        .session
        .as_ref()
        .and_then(|s| s.protocol_version.clone());
    REVISIONS
        .iter()
        .map(|revision| {
            let mut v = Verdict {
                revision,
                passed: vec![],
                findings: vec![],
            };
            check(&mut v, report, seen);
            RevisionVerdict {
                revision: (*revision).into(),
                followed: negotiated.as_deref() == Some(*revision),
                musts_broken: v
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Violation)
                    .count() as u32,
                passed: v.passed,
                findings: v.findings,
            }
        })
        .collect()
}

fn check(v: &mut Verdict, report: &McpReport, seen: &Observed) {
    let Some(probe) = &report.probe else { return };
    let Some(status) = probe.status else { return };
    let open = (200..300).contains(&status);
    if open {
        v.untested("authorization: the server answered initialize without a token (authorization is OPTIONAL in MCP)");
        return;
    }
    let r = v.revision;
    let later = r != "2025-03-26";
    v.check(
        status == 401,
        "not_401",
        "§Error Handling",
        "answers 401 to a request without a token",
        format!("answered HTTP {status}, not 401, to initialize without a token"),
        true,
    );
    if let Some(code) = seen.invalid_token_status {
        v.check(code == 401, "invalid_token_accepted", "§Error Handling", "answers 401 to an invalid token", format!("answered HTTP {code} to a string that is no token: invalid or expired tokens MUST receive 401"), true);
    }
    let metadata = probe.metadata.as_ref();
    let named = probe
        .challenges
        .iter()
        .any(|c| c.resource_metadata.is_some());
    match r {
        "2025-03-26" => {
            if metadata.is_some() {
                v.passed.push("publishes RFC 9728 metadata (newer than 2025-03-26, which discovers the authorization server at the MCP server's origin)".into());
            }
        }
        _ => {
            let found = metadata.is_some();
            let mismatch = probe
                .metadata_error
                .as_deref()
                .is_some_and(|e| e.contains("RFC 9728 §3.3"));
            if r == "2025-06-18" {
                v.check(
                    found,
                    "no_resource_metadata",
                    "§Authorization Server Discovery",
                    "implements RFC 9728 protected resource metadata",
                    "no protected resource metadata: MCP servers MUST implement RFC 9728".into(),
                    true,
                );
                v.check(named, "no_resource_metadata_in_challenge", "§Authorization Server Location", "names resource_metadata in its 401 WWW-Authenticate", "the 401 has no WWW-Authenticate resource_metadata: MCP servers MUST use it to point at their metadata".into(), true);
            } else {
                v.check(found, "no_resource_metadata", "§Protected Resource Metadata Discovery Requirements", "publishes protected resource metadata (challenge or well-known)", "no protected resource metadata by either the challenge or the well-known URL: servers MUST implement one".into(), true);
                v.check(named, "no_resource_metadata_in_challenge", "§Protected Resource Metadata Discovery Requirements", "names resource_metadata in its challenge", "the challenge does not name resource_metadata; clients fall back to the well-known URL".into(), false);
                let scoped = probe.challenges.iter().any(|c| !c.scope.is_empty());
                v.check(
                    scoped,
                    "no_scope_in_challenge",
                    "§Scope Selection Strategy",
                    "names the needed scope in its challenge",
                    "the 401 challenge names no scope; servers SHOULD include it".into(),
                    false,
                );
            }
            v.check(
                !mismatch,
                "resource_mismatch",
                "§Authorization Server Discovery (RFC 9728 §3.3)",
                "its metadata's resource matches its URL",
                probe.metadata_error.clone().unwrap_or_default(),
                true,
            );
            if let Some(m) = metadata {
                v.check(
                    !m.metadata.authorization_servers.is_empty(),
                    "no_authorization_servers",
                    "§Authorization Server Location",
                    "names its authorization server(s)",
                    "the metadata's authorization_servers is empty: it MUST name at least one"
                        .into(),
                    true,
                );
                if m.source == MetadataSource::WellKnownRoot && r == "2025-06-18" {
                    v.findings.push(Finding { code: "metadata_at_root".into(), severity: Severity::Advice, spec: format!("MCP {r} Authorization (RFC 9728 §3.1)"), detail: "the metadata was found only at the root well-known URL, not at the path-inserted one".into(), action: "used it".into(), source: "MCP server".into(), occurrences: 1 });
                }
            }
        }
    }
    if let Some(server) = probe.usable_servers().next() {
        let m = server.metadata.as_ref();
        let methods = m
            .map(|m| m.code_challenge_methods_supported.clone())
            .unwrap_or_default();
        if r == "2025-11-25" {
            v.check(!methods.is_empty(), "no_code_challenge_methods", "§Authorization Code Protection", "its authorization server advertises code_challenge_methods_supported", format!("{} does not advertise code_challenge_methods_supported: clients MUST refuse to proceed (OAuth Desk went on with S256 to show the rest)", server.issuer), true);
        }
        v.check(
            server.pkce_s256 || methods.is_empty(),
            "no_s256",
            "§Authorization Code Protection",
            "its authorization server supports PKCE S256",
            format!("{} lists {methods:?}, without S256", server.issuer),
            true,
        );
        if r == "2025-06-18" {
            let rfc8414 = server
                .tried
                .iter()
                .any(|a| a.kind == "RFC 8414" && a.outcome == "found");
            v.check(rfc8414, "no_rfc8414", "§Server Metadata Discovery", "its authorization server publishes RFC 8414 metadata", format!("{} has no RFC 8414 metadata (found only by OpenID Connect Discovery); 2025-06-18 clients MUST use RFC 8414", server.issuer), true);
        }
        let registers = server.registration_endpoint.is_some();
        match r {
            "2025-11-25" => v.check(
                registers || server.client_id_metadata_document_supported,
                "no_registration",
                "§Client Registration Approaches",
                "its authorization server offers a registration approach (CIMD or RFC 7591)",
                format!(
                    "{} offers neither Client ID Metadata Documents nor dynamic registration",
                    server.issuer
                ),
                false,
            ),
            _ => v.check(
                registers,
                "no_dcr",
                "§Dynamic Client Registration",
                "its authorization server supports dynamic registration",
                format!(
                    "{} has no registration_endpoint; RFC 7591 SHOULD be supported",
                    server.issuer
                ),
                false,
            ),
        }
    }
    if later {
        match &seen.audience {
            Some((code, other)) => v.check(!(200..300).contains(code), "audience_not_checked", "§Token Audience Binding and Validation", "refuses a token issued for another resource", format!("accepted {other:?}'s token, which was issued for another resource (HTTP {code}): MCP servers MUST validate that tokens were issued for them"), true),
            None if seen.tools_listed => v.untested("audience validation (pass --probe-audience CLIENT with a token for another resource you are willing to show this server)"),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests;

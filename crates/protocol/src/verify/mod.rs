//! Token truth: JWS signature verification against a key set (JWKS, JWK, PEM or a client
//! secret), and the claim checks of OpenID Connect Core §3.1.3.7 (ID tokens) and RFC 9068
//! (JWT access tokens). Every check is reported on its own, passed or not, with the reason.
//! The cryptography is `jsonwebtoken`'s (RustCrypto); nothing here hand-rolls a primitive.
//!
//! This module owns the finding type, [`Check`]; the policy lives in its parts:
//! - `keys`: key sets from a JWKS, a JWK, a PEM or a client secret (RFC 7517, OIDC Core §10.1),
//! - `signature`: JWS verification and its refusals by name (RFC 7515 §5.2, RFC 8725 §3.1),
//! - `jwt`: the generic claim checks, `iss` and the times (RFC 7519 §4.1),
//! - `id_token`: OIDC Core §3.1.3.7 with `at_hash` / `c_hash` (§3.1.3.6, §3.3.2.11),
//! - `access_token`: the JWT access token profile (RFC 9068),
//! - `verdict`: one answer over the checks (valid, invalid with the reason, not verified).

mod access_token;
mod id_token;
mod jwt;
mod keys;
mod refreshed;
mod signature;
mod verdict;

pub use access_token::{AccessTokenContext, access_token_checks, is_rfc9068, token_scopes};
pub use id_token::{IdTokenContext, half_hash, id_token_checks};
pub use jwt::relative;
pub use keys::{KeyFamily, KeySet, VerifyKey};
pub use refreshed::refreshed_id_token_checks;
pub use signature::{SignatureOutcome, verify_signature};
pub use verdict::{NOT_VERIFIED, Verdict, VerdictStatus, verdict};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
    /// Something a spec says SHOULD (not MUST), or a check that is advisory for this token.
    Warn,
    NotApplicable,
}

/// One check's outcome: `name` says what was checked, `code` names a failure precisely
/// (`alg_none`, `unknown_kid`, `nonce_mismatch`, …), `reason` says it in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Check {
    pub name: String,
    pub status: CheckStatus,
    pub code: Option<String>,
    pub reason: String,
    pub spec: String,
}

impl Check {
    pub fn pass(name: &str, spec: &str, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status: CheckStatus::Pass,
            code: None,
            reason: reason.into(),
            spec: spec.into(),
        }
    }
    pub fn fail(name: &str, code: &str, spec: &str, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status: CheckStatus::Fail,
            code: Some(code.into()),
            reason: reason.into(),
            spec: spec.into(),
        }
    }
    pub fn warn(name: &str, code: &str, spec: &str, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status: CheckStatus::Warn,
            code: Some(code.into()),
            reason: reason.into(),
            spec: spec.into(),
        }
    }
    pub fn not_applicable(name: &str, spec: &str, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status: CheckStatus::NotApplicable,
            code: None,
            reason: reason.into(),
            spec: spec.into(),
        }
    }
    pub fn failed(&self) -> bool {
        self.status == CheckStatus::Fail
    }
    /// A failure becomes a warning (for checks that are advisory on this token).
    fn soften(mut self) -> Self {
        if self.status == CheckStatus::Fail {
            self.status = CheckStatus::Warn;
        }
        self
    }
}

/// `name [code]: reason (spec)`, the one-line form of refusals (a login's rejected ID token).
impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} [{}]: {} ({})",
            self.name,
            self.code.as_deref().unwrap_or(""),
            self.reason,
            self.spec
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_reads_as_one_line() {
        let c = Check::fail(
            "nonce",
            "nonce_mismatch",
            "OIDC Core §3.1.3.7 (11)",
            "differs",
        );
        assert_eq!(
            c.to_string(),
            "nonce [nonce_mismatch]: differs (OIDC Core §3.1.3.7 (11))",
            "a failure reads as name [code]: reason (spec)"
        );
        let p = Check::pass("iss", "RFC 7519 §4.1.1", "issuer is x");
        assert_eq!(
            p.to_string(),
            "iss []: issuer is x (RFC 7519 §4.1.1)",
            "a pass reads with an empty code"
        );
        assert_eq!(p.soften().status, CheckStatus::Pass, "only failures soften");
        assert_eq!(
            c.soften().status,
            CheckStatus::Warn,
            "a failure softens to a warning"
        );
    }
}

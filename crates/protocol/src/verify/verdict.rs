//! One verdict over a token's checks, for the top of the Decode screen: valid only when the
//! signature verified (RFC 7515 §5.2) and the time claims hold (RFC 7519 §4.1.4–4.1.6); invalid
//! with the named reason (unsigned, bad signature, unknown key, expired, not yet valid, …);
//! otherwise "decoded, not verified" — never a pass for what nobody checked.

use super::{Check, CheckStatus};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum VerdictStatus {
    /// The signature verified and no check failed.
    Valid,
    /// A check failed; `code` names the leading reason.
    Invalid,
    /// Decoded, but the signature was not checked (no key given, encrypted, opaque).
    Unverified,
}

/// The one-line answer to "can I trust this token?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Verdict {
    pub status: VerdictStatus,
    /// `unsigned`, `bad_signature`, `unknown_key`, `expired`, `not_yet_valid`, … or, for
    /// an unverified token, `not_verified`, `encrypted`, `opaque`.
    pub code: Option<String>,
    /// "Expired", "Unsigned token (alg: none)", "Signature verified".
    pub title: String,
    /// The leading check's reason, and the other failures after it.
    pub reason: String,
}

/// The reason code for a signature check that found no key source (Decode without a key).
pub const NOT_VERIFIED: &str = "not_verified";

/// The verdict over `checks` of a token whose format is `jws`, `jwe`, `opaque` or `malformed`.
pub fn verdict(format: &str, checks: &[Check]) -> Verdict {
    let signature = checks.iter().find(|c| c.name == "signature");
    let code_of = |c: &Check| c.code.clone().unwrap_or_default();
    let failed: Vec<&Check> = checks.iter().filter(|c| c.failed()).collect();
    let also = |lead: &Check| {
        let others: Vec<String> = failed
            .iter()
            .filter(|c| !std::ptr::eq(**c, lead))
            .map(|c| format!("{}: {}", c.name, c.reason))
            .collect();
        if others.is_empty() {
            lead.reason.clone()
        } else {
            format!("{}. Also failed — {}", lead.reason, others.join("; "))
        }
    };
    let invalid = |code: &str, title: &str, lead: &Check| Verdict {
        status: VerdictStatus::Invalid,
        code: Some(code.into()),
        title: title.into(),
        reason: also(lead),
    };
    if let Some(s) = signature
        && s.code.as_deref() == Some("alg_none")
    {
        return invalid("unsigned", "Unsigned token (alg: none)", s);
    }
    if format == "malformed"
        && let Some(c) = failed.first()
    {
        return invalid("malformed", "Malformed token", c);
    }
    let unverified = |code: &str, title: &str, reason: String| Verdict {
        status: VerdictStatus::Unverified,
        code: Some(code.into()),
        title: title.into(),
        reason,
    };
    if format == "jwe" {
        return unverified(
            "encrypted",
            "Encrypted (JWE): not decoded, not verified",
            "only the recipient's private key can decrypt the payload; the header is all that can be read".into(),
        );
    }
    if format == "opaque" && failed.is_empty() {
        return unverified(
            "opaque",
            "Opaque token: nothing to verify here",
            "an opaque token carries no signature or claims; only its issuer can say what it means (introspection, RFC 7662)".into(),
        );
    }
    if let Some(s) = signature
        && s.failed()
    {
        let (code, title) = match s.code.as_deref().unwrap_or_default() {
            "bad_signature" => ("bad_signature", "Bad signature"),
            "unknown_kid" | "no_keys" => ("unknown_key", "Unknown key"),
            "alg_confusion" | "key_mismatch" => ("wrong_key", "Wrong kind of key"),
            "keys_unavailable" => ("keys_unavailable", "Keys unavailable"),
            "unsupported_alg" | "alg_missing" => ("unsupported_alg", "Unsupported algorithm"),
            _ => ("bad_signature", "Signature not verified"),
        };
        return invalid(code, title, s);
    }
    for (name, code, title) in [
        ("exp", "expired", "Expired"),
        ("nbf", "not_yet_valid", "Not yet valid"),
        ("iat", "iat_future", "Issued in the future"),
    ] {
        if let Some(c) = failed
            .iter()
            .find(|c| c.name == name && c.code.as_deref() == Some(code))
        {
            return invalid(code, title, c);
        }
    }
    if let Some(c) = failed.first() {
        let code = code_of(c);
        return invalid(&code, &format!("Check failed: {}", c.name), c);
    }
    match signature {
        Some(s) if s.status == CheckStatus::Pass => {
            let expiry = checks
                .iter()
                .find(|c| c.name == "exp" && c.status == CheckStatus::Pass)
                .map(|c| format!("; {}", c.reason))
                .unwrap_or_default();
            Verdict {
                status: VerdictStatus::Valid,
                code: None,
                title: "Signature verified, times valid".into(),
                reason: format!("{}{expiry}", s.reason),
            }
        }
        _ => unverified(
            NOT_VERIFIED,
            "Decoded, not verified",
            "no key was given: add a secret, a public key, an issuer or a client to check the signature".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig_pass() -> Check {
        Check::pass("signature", "RFC 7515 §5.2", "valid RS256 signature")
    }

    #[test]
    fn green_only_with_a_verified_signature_and_valid_times() {
        let exp = Check::pass("exp", "RFC 7519 §4.1.4", "expires in 5 min");
        let v = verdict("jws", &[sig_pass(), exp.clone()]);
        assert_eq!(
            v.status,
            VerdictStatus::Valid,
            "a verified, unexpired token is valid"
        );
        assert!(
            v.reason.contains("expires in 5 min"),
            "the verdict says when it expires: {v:?}"
        );
        let expired = Check::fail("exp", "expired", "RFC 7519 §4.1.4", "expired 3 h ago");
        let v = verdict("jws", &[sig_pass(), expired.clone()]);
        assert_eq!(
            (v.status, v.code.as_deref()),
            (VerdictStatus::Invalid, Some("expired")),
            "a verified but expired token is red, named expired"
        );
        let na = Check {
            code: Some(NOT_VERIFIED.into()),
            ..Check::not_applicable("signature", "RFC 7515 §5.2", "no key")
        };
        let v = verdict("jws", &[na.clone(), exp]);
        assert_eq!(
            (v.status, v.code.as_deref()),
            (VerdictStatus::Unverified, Some(NOT_VERIFIED)),
            "without a key the token is decoded, not verified — not green"
        );
        let v = verdict("jws", &[na, expired]);
        assert_eq!(
            v.code.as_deref(),
            Some("expired"),
            "an expired token is red even when no key was given"
        );
    }

    #[test]
    fn the_leading_reason_is_named() {
        let none = Check::fail("signature", "alg_none", "RFC 8725 §3.1", "unsigned");
        let expired = Check::fail("exp", "expired", "RFC 7519 §4.1.4", "expired 3 h ago");
        let v = verdict("jws", &[none, expired]);
        assert_eq!(
            (v.code.as_deref(), v.title.as_str()),
            (Some("unsigned"), "Unsigned token (alg: none)"),
            "alg none leads over an expiry"
        );
        assert!(
            v.reason.contains("expired 3 h ago"),
            "the other failure is listed too: {v:?}"
        );
        let bad = Check::fail(
            "signature",
            "bad_signature",
            "RFC 7515 §5.2",
            "does not verify",
        );
        assert_eq!(
            verdict("jws", &[bad]).title,
            "Bad signature",
            "a signature that does not verify is named"
        );
        let kid = Check::fail("signature", "unknown_kid", "RFC 7515 §4.1.4", "no key k9");
        assert_eq!(
            verdict("jws", &[kid]).code.as_deref(),
            Some("unknown_key"),
            "a kid not in the key set is an unknown key"
        );
        let nbf = Check::fail("nbf", "not_yet_valid", "RFC 7519 §4.1.5", "in 1 h");
        assert_eq!(
            verdict("jws", &[sig_pass(), nbf]).code.as_deref(),
            Some("not_yet_valid"),
            "a future nbf is named not yet valid"
        );
        assert_eq!(
            verdict("jwe", &[]).status,
            VerdictStatus::Unverified,
            "an encrypted token is not verified here"
        );
    }
}

//! The FAPI 2.0 Security Profile (OpenID Final, 22 February 2025) from a client's seat: the
//! authorization server's rules (§5.3.2.1 general, §5.3.2.2 authorization endpoint flows), the
//! network layer (§5.2.1) and the algorithms (§5.4.1), checked over the server's metadata and
//! over what the client's recorded exchanges show. Each rule comes out as a violation, advice,
//! passed, or not observed: a verdict claims only what was seen. Rules only the server can see
//! (how long a code lives, whether a used code is refused) are reported as not observed.

use super::{Outcome, ProfileCheck};
use crate::discovery::ServerMetadata;
use crate::transcript::Exchange;

/// The profile's name as reports show it.
pub const PROFILE: &str = "FAPI 2.0 Security Profile (Final, 2025-02-22)";

/// JWS algorithms §5.4.1 allows: PS256, ES256 and EdDSA with Ed25519 (`Ed25519` is the fully
/// specified name of that same algorithm, RFC 9864).
pub const ALLOWED_ALGS: &[&str] = &["PS256", "ES256", "EdDSA", "Ed25519"];

/// Client authentication §5.3.2.1 (6) allows: MTLS (RFC 8705 §2) and `private_key_jwt`.
pub const ALLOWED_AUTH_METHODS: &[&str] = &[
    "private_key_jwt",
    "tls_client_auth",
    "self_signed_tls_client_auth",
];

/// Access tokens living longer than this get advice (§6.1: short-lived access tokens, minutes
/// to hours, with refresh tokens for long-lived grants).
pub const LONG_ACCESS_TOKEN_SECS: i64 = 3600;

/// What the client's records show beyond the metadata.
#[derive(Debug, Default)]
pub struct Evidence<'a> {
    /// Each recorded flow's exchanges, in order.
    pub flows: Vec<&'a [Exchange]>,
    /// The client authentication method configured for the client (`private_key_jwt`, …): the
    /// transcript shows an assertion, redacted, but not which kind it was.
    pub client_auth_method: Option<&'a str>,
    /// Access tokens whose claims carry `cnf.x5t#S256` (RFC 8705 §3.1): bound to a certificate
    /// although their `token_type` is Bearer.
    pub certificate_bound_tokens: u32,
    /// Refreshes that returned a new refresh token, and those that kept the old one.
    pub refreshes_rotated: u32,
    pub refreshes_kept: u32,
}

/// Every rule, checked: metadata first, then the exchanges, then what a client cannot see.
pub fn check(metadata: Option<&ServerMetadata>, evidence: &Evidence<'_>) -> Vec<ProfileCheck> {
    let mut out = match metadata {
        Some(m) => check_metadata(m),
        None => vec![ProfileCheck::new(
            "metadata_missing",
            Outcome::Violation,
            "FAPI 2.0 SP §5.3.2.1 (1)",
            "shall distribute discovery metadata (OIDC Discovery, RFC 8414)",
            "the client has no discovered metadata: it was configured with endpoints by hand, or discovery failed".into(),
            "metadata",
        )],
    };
    out.extend(super::fapi2_exchanges::check_exchanges(evidence));
    out.extend(not_visible());
    out
}

pub(super) fn rule(
    out: &mut Vec<ProfileCheck>,
    ok: bool,
    code: &str,
    section: &str,
    requirement: &str,
    detail: String,
) {
    let outcome = if ok {
        Outcome::Passed
    } else {
        Outcome::Violation
    };
    out.push(ProfileCheck::new(
        code,
        outcome,
        section,
        requirement,
        detail,
        "metadata",
    ));
}

/// The metadata's rules (RFC 8414 / OIDC Discovery members against the profile).
pub fn check_metadata(m: &ServerMetadata) -> Vec<ProfileCheck> {
    let mut out = vec![ProfileCheck::new(
        "metadata_published",
        Outcome::Passed,
        "FAPI 2.0 SP §5.3.2.1 (1)",
        "shall distribute discovery metadata (OIDC Discovery, RFC 8414)",
        format!("metadata discovered for issuer {}", m.issuer),
        "metadata",
    )];
    let plain: Vec<String> = urls(m)
        .into_iter()
        .filter(|(_, u)| !u.to_ascii_lowercase().starts_with("https://"))
        .map(|(name, u)| format!("{name} {u}"))
        .collect();
    rule(
        &mut out,
        plain.is_empty(),
        if plain.is_empty() {
            "tls_endpoints"
        } else {
            "endpoint_without_tls"
        },
        "FAPI 2.0 SP §5.2.1 (1)",
        "shall only offer TLS protected endpoints",
        if plain.is_empty() {
            "the issuer and every endpoint in the metadata are https".into()
        } else {
            format!("not TLS protected: {}", plain.join(", "))
        },
    );
    let par = m.pushed_authorization_request_endpoint.is_some();
    rule(
        &mut out,
        par && m.require_pushed_authorization_requests,
        match (par, m.require_pushed_authorization_requests) {
            (false, _) => "par_not_supported",
            (true, false) => "par_not_required",
            (true, true) => "par_required",
        },
        "FAPI 2.0 SP §5.3.2.2 (2), (3)",
        "shall support pushed authorization requests (RFC 9126) and reject authorization requests sent without them",
        match (par, m.require_pushed_authorization_requests) {
            (false, _) => "the metadata has no pushed_authorization_request_endpoint".into(),
            (true, false) => "require_pushed_authorization_requests is not true: the server announces that it also takes authorization requests that were not pushed (RFC 9126 §5); it may still require PAR of some clients".into(),
            (true, true) => "pushed_authorization_request_endpoint given and require_pushed_authorization_requests is true".into(),
        },
    );
    let methods = &m.code_challenge_methods_supported;
    let s256 = methods.iter().any(|x| x == "S256");
    let others: Vec<&str> = methods
        .iter()
        .map(String::as_str)
        .filter(|x| *x != "S256")
        .collect();
    rule(
        &mut out,
        s256 && others.is_empty(),
        if !s256 {
            "pkce_s256_missing"
        } else if others.is_empty() {
            "pkce_s256_only"
        } else {
            "pkce_other_methods"
        },
        "FAPI 2.0 SP §5.3.2.2 (5)",
        "shall require PKCE (RFC 7636) with S256 as the code challenge method",
        if methods.is_empty() {
            "code_challenge_methods_supported is absent: by RFC 8414 §2 the server does not support PKCE".into()
        } else {
            format!("code_challenge_methods_supported: {}", methods.join(", "))
        },
    );
    rule(
        &mut out,
        m.authorization_response_iss_parameter_supported,
        if m.authorization_response_iss_parameter_supported {
            "iss_parameter"
        } else {
            "iss_parameter_missing"
        },
        "FAPI 2.0 SP §5.3.2.2 (7)",
        "shall return an iss parameter in the authorization response (RFC 9207)",
        format!(
            "authorization_response_iss_parameter_supported is {}",
            m.authorization_response_iss_parameter_supported
        ),
    );
    let non_code: Vec<&str> = m
        .response_types_supported
        .iter()
        .map(String::as_str)
        .filter(|r| *r != "code")
        .collect();
    rule(
        &mut out,
        non_code.is_empty() && !m.response_types_supported.is_empty(),
        if non_code.is_empty() {
            "response_type_code_only"
        } else {
            "response_types_beyond_code"
        },
        "FAPI 2.0 SP §5.3.2.2 (1)",
        "shall require the response_type code (no implicit or hybrid flows)",
        if m.response_types_supported.is_empty() {
            "response_types_supported is absent (REQUIRED by RFC 8414 §2)".into()
        } else if non_code.is_empty() {
            "response_types_supported: code".into()
        } else {
            format!("also offered: {}", non_code.join(", "))
        },
    );
    let legacy: Vec<&str> = m
        .grant_types_supported
        .iter()
        .map(String::as_str)
        .filter(|g| matches!(*g, "password" | "implicit"))
        .collect();
    rule(
        &mut out,
        legacy.is_empty(),
        if legacy.is_empty() {
            "no_legacy_grants"
        } else {
            "legacy_grants_offered"
        },
        "FAPI 2.0 SP §5.3.2.1 (2), §5.3.2.2 (1)",
        "shall reject the resource owner password credentials grant and the implicit grant",
        if legacy.is_empty() {
            if m.grant_types_supported.is_empty() {
                "grant_types_supported is absent (RFC 8414 §2 default: authorization_code, implicit — implicit is then ruled out only by response_types_supported)".into()
            } else {
                format!(
                    "grant_types_supported: {}",
                    m.grant_types_supported.join(", ")
                )
            }
        } else {
            format!("grant_types_supported offers {}", legacy.join(", "))
        },
    );
    let dpop = !m.dpop_signing_alg_values_supported.is_empty();
    let mtls = m.tls_client_certificate_bound_access_tokens;
    rule(
        &mut out,
        dpop || mtls,
        if dpop || mtls { "sender_constraining_offered" } else { "sender_constraining_missing" },
        "FAPI 2.0 SP §5.3.2.1 (4), (5)",
        "shall only issue sender-constrained access tokens, by MTLS (RFC 8705) or DPoP (RFC 9449)",
        match (dpop, mtls) {
            (true, true) => "DPoP (dpop_signing_alg_values_supported) and MTLS (tls_client_certificate_bound_access_tokens) announced".into(),
            (true, false) => "DPoP announced (dpop_signing_alg_values_supported)".into(),
            (false, true) => "MTLS certificate-bound tokens announced".into(),
            (false, false) => "neither dpop_signing_alg_values_supported nor tls_client_certificate_bound_access_tokens: the server announces only bearer tokens".into(),
        },
    );
    super::fapi2_credentials::auth_methods(&mut out, m);
    super::fapi2_credentials::algorithms(&mut out, m);
    out
}

/// The issuer and every endpoint URL the metadata gives, named.
fn urls(m: &ServerMetadata) -> Vec<(&'static str, &str)> {
    let mut all = vec![("issuer", m.issuer.as_str())];
    let optional = [
        ("authorization_endpoint", &m.authorization_endpoint),
        ("token_endpoint", &m.token_endpoint),
        (
            "pushed_authorization_request_endpoint",
            &m.pushed_authorization_request_endpoint,
        ),
        ("jwks_uri", &m.jwks_uri),
        ("userinfo_endpoint", &m.userinfo_endpoint),
        ("introspection_endpoint", &m.introspection_endpoint),
        ("revocation_endpoint", &m.revocation_endpoint),
        ("registration_endpoint", &m.registration_endpoint),
        (
            "device_authorization_endpoint",
            &m.device_authorization_endpoint,
        ),
        ("end_session_endpoint", &m.end_session_endpoint),
        (
            "backchannel_authentication_endpoint",
            &m.backchannel_authentication_endpoint,
        ),
    ];
    all.extend(
        optional
            .into_iter()
            .filter_map(|(n, u)| Some((n, u.as_deref()?))),
    );
    all
}

/// Rules a client cannot observe: reported so the verdict never claims them.
fn not_visible() -> Vec<ProfileCheck> {
    [
        (
            "code_lifetime",
            "FAPI 2.0 SP §5.3.2.1 (11)",
            "shall issue authorization codes with a maximum lifetime of 60 seconds",
            "a code's lifetime is known only to the server (OAuth Desk redeems codes at once)",
        ),
        (
            "code_reuse_rejected",
            "FAPI 2.0 SP §5.3.2.2 (9)",
            "shall reject an authorization code that has been used before",
            "OAuth Desk never replays a code, so the server's answer to one is not recorded",
        ),
        (
            "no_open_redirectors",
            "FAPI 2.0 SP §5.3.2.1 (7)",
            "shall not expose open redirectors",
            "not probed: OAuth Desk sends only the client's own redirect URI",
        ),
    ]
    .into_iter()
    .map(|(code, section, rule, why)| {
        ProfileCheck::new(
            code,
            Outcome::NotObserved,
            section,
            rule,
            why.into(),
            "not visible to a client",
        )
    })
    .collect()
}

#[cfg(test)]
#[path = "fapi2_tests.rs"]
mod tests;

//! FAPI 2.0 metadata rules on credentials: which client authentication the token endpoint
//! offers (§5.3.2.1 (3), (6)) and which JWS algorithms the metadata announces (§5.4.1).

use super::fapi2::{ALLOWED_ALGS, ALLOWED_AUTH_METHODS, rule};
use super::{Outcome, ProfileCheck};
use crate::discovery::ServerMetadata;

pub(super) fn auth_methods(out: &mut Vec<ProfileCheck>, m: &ServerMetadata) {
    let listed = &m.token_endpoint_auth_methods_supported;
    // RFC 8414 §2: absent means client_secret_basic.
    let effective: Vec<&str> = if listed.is_empty() {
        vec!["client_secret_basic"]
    } else {
        listed.iter().map(String::as_str).collect()
    };
    let bad: Vec<&str> = effective
        .iter()
        .copied()
        .filter(|x| !ALLOWED_AUTH_METHODS.contains(x))
        .collect();
    let good = effective.iter().any(|x| ALLOWED_AUTH_METHODS.contains(x));
    rule(
        out,
        bad.is_empty() && good,
        if bad.is_empty() {
            "client_auth_methods"
        } else {
            "client_auth_methods_not_allowed"
        },
        "FAPI 2.0 SP §5.3.2.1 (6)",
        "shall authenticate clients with MTLS (RFC 8705 §2) or private_key_jwt only",
        if bad.is_empty() {
            format!(
                "token_endpoint_auth_methods_supported: {}",
                effective.join(", ")
            )
        } else if listed.is_empty() {
            "token_endpoint_auth_methods_supported is absent, which means client_secret_basic (RFC 8414 §2)".into()
        } else {
            format!("also offered: {}", bad.join(", "))
        },
    );
    if effective.contains(&"none") {
        out.push(ProfileCheck::new(
            "public_clients_supported",
            Outcome::Violation,
            "FAPI 2.0 SP §5.3.2.1 (3)",
            "shall only support confidential clients",
            "token_endpoint_auth_methods_supported lists none: public clients are served".into(),
            "metadata",
        ));
    }
}

pub(super) fn algorithms(out: &mut Vec<ProfileCheck>, m: &ServerMetadata) {
    let members: [(&str, &Vec<String>); 5] = [
        (
            "id_token_signing_alg_values_supported",
            &m.id_token_signing_alg_values_supported,
        ),
        (
            "request_object_signing_alg_values_supported",
            &m.request_object_signing_alg_values_supported,
        ),
        (
            "token_endpoint_auth_signing_alg_values_supported",
            &m.token_endpoint_auth_signing_alg_values_supported,
        ),
        (
            "authorization_signing_alg_values_supported",
            &m.authorization_signing_alg_values_supported,
        ),
        (
            "dpop_signing_alg_values_supported",
            &m.dpop_signing_alg_values_supported,
        ),
    ];
    let mut bad = Vec::new();
    let mut none = Vec::new();
    let mut seen = Vec::new();
    for (name, algs) in members {
        if algs.is_empty() {
            continue;
        }
        seen.push(name);
        let outside: Vec<&str> = algs
            .iter()
            .map(String::as_str)
            .filter(|a| !ALLOWED_ALGS.contains(a))
            .collect();
        if outside.iter().any(|a| a.eq_ignore_ascii_case("none")) {
            none.push(name);
        }
        if !outside.is_empty() {
            bad.push(format!("{name}: {}", outside.join(", ")));
        }
    }
    if seen.is_empty() {
        out.push(ProfileCheck::new(
            "algorithms_not_announced",
            Outcome::NotObserved,
            "FAPI 2.0 SP §5.4.1 (2)",
            "shall use PS256, ES256 or EdDSA (Ed25519)",
            "the metadata announces no signing algorithms".into(),
            "metadata",
        ));
        return;
    }
    rule(
        out,
        bad.is_empty(),
        if bad.is_empty() {
            "algorithms_allowed"
        } else {
            "algorithms_not_allowed"
        },
        "FAPI 2.0 SP §5.4.1 (2)",
        "shall use PS256, ES256 or EdDSA (Ed25519) for JWTs",
        if bad.is_empty() {
            format!("only PS256/ES256/EdDSA in {}", seen.join(", "))
        } else {
            format!("other algorithms offered — {}", bad.join("; "))
        },
    );
    if !none.is_empty() {
        out.push(ProfileCheck::new(
            "alg_none_accepted",
            Outcome::Violation,
            "FAPI 2.0 SP §5.4.1 (3)",
            "shall not use or accept the none algorithm",
            format!("none is listed in {}", none.join(", ")),
            "metadata",
        ));
    }
}

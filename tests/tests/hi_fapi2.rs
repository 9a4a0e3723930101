//! Issue 15 — the FAPI 2.0 verdict through the real `oauthdesk report NAME --profile fapi2
//! --json` against the real oidc-provider: the usual test server (not conformant, each expected
//! finding by code) and the server with FAPI=2.0 (tests/provider/extensions/fapi.mjs) after a
//! real FAPI-style login: a private_key_jwt client registered dynamically with its public JWK,
//! PAR, PKCE S256, `iss`, DPoP-bound tokens. The http issuer of a local test server stays a
//! finding (§5.2.1): a test server cannot have a public TLS issuer, and the verdict says so.

use oauthdesk_tests::json::{array, str};
use oauthdesk_tests::{Desk, Provider};
use serde_json::Value;

fn codes(list: &Value, what: &str) -> Vec<String> {
    array(list, what)
        .iter()
        .map(|c| str(&c["code"], "a check's code").to_owned())
        .collect()
}

fn violations(report: &Value) -> Vec<String> {
    array(&report["findings"], "the findings")
        .iter()
        .filter(|f| f["severity"] == "violation")
        .map(|f| str(&f["code"], "a finding's code").to_owned())
        .collect()
}

#[test]
fn the_usual_test_server_is_not_fapi_conformant_and_each_reason_is_named() {
    let desk = Desk::new();
    desk.add_client(
        "sandbox",
        "native-public",
        None,
        &["--scope", "openid email offline_access"],
    )
    .ok();
    desk.run(&["login", "sandbox"]).ok();
    desk.run(&["refresh", "sandbox"]).ok();
    let run = desk.run(&["report", "sandbox", "--profile", "fapi2", "--json"]);
    assert_eq!(
        run.code, 0,
        "the verdict is made like the plain report: {}",
        run.stderr
    );
    let report = run.json();
    assert_eq!(
        report["verdict"], "not_conformant",
        "the usual test server is not a FAPI 2.0 server: {report}"
    );
    let found = violations(&report);
    for code in [
        // metadata
        "endpoint_without_tls",
        "par_not_required",
        "client_auth_methods_not_allowed",
        "public_clients_supported",
        "algorithms_not_allowed",
        "response_types_beyond_code",
        "legacy_grants_offered",
        // the recorded login and refresh
        "authorization_without_par_accepted",
        "bearer_token_issued",
        "client_auth_not_allowed_accepted",
        "refresh_token_rotated",
    ] {
        assert!(
            found.iter().any(|c| c == code),
            "{code} is a violation on the usual server: {found:?}"
        );
    }
    assert_eq!(
        report["summary"],
        format!("FAPI 2.0: not conformant — {} violations", found.len()),
        "the summary counts the violations"
    );
    let finding = array(&report["findings"], "the findings")
        .iter()
        .find(|f| f["code"] == "par_not_required")
        .expect("par_not_required is a finding");
    assert!(
        str(&finding["spec"], "its section").contains("§5.3.2.2"),
        "a finding names the profile's section: {finding}"
    );
    let passed = codes(&report["passed"], "the passed checks");
    for code in ["pkce_s256_used", "iss_in_response", "iss_parameter"] {
        assert!(
            passed.iter().any(|c| c == code),
            "what the server does right is listed as passed too ({code}): {passed:?}"
        );
    }
    let text = desk
        .run(&["report", "sandbox", "--profile", "fapi2"])
        .ok()
        .stdout;
    assert!(
        text.contains("FAPI 2.0: not conformant —") && text.contains("PASSED"),
        "the text verdict leads with the summary and lists what passed: {text}"
    );
}

#[test]
fn a_fapi_server_after_a_fapi_login_passes_every_exchange_check() {
    let desk = Desk::with_provider(Provider::start_with(&[("FAPI", "2.0")]));
    let issuer = desk.provider.issuer.clone();
    // Dynamic registration (RFC 7591) with the public JWK of a key pair made here.
    let registered = desk
        .run(&[
            "client",
            "register",
            "registered",
            "--issuer",
            &issuer,
            "--auth-method",
            "private_key_jwt",
            "--scope",
            "openid offline_access",
            "--json",
        ])
        .ok()
        .json();
    let client_id = str(&registered["client_id"], "the registered client_id").to_owned();
    let key = desk.keychain_bytes(&format!(
        "client/{}",
        str(&registered["id"], "the local client id")
    ));
    // Kept as base64 PKCS#8 (crates/protocol/src/keys.rs); `client add` reads a PEM.
    let der = String::from_utf8(key).expect("the stored key is base64 text");
    let der = der.trim();
    assert!(
        !der.is_empty(),
        "the registered client's key is in the keychain"
    );
    let lines: Vec<&str> = der
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
        .collect();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        lines.join("\n")
    );
    // The same registration used with PAR and DPoP (RFC 9449), the FAPI way.
    desk.add_client(
        "bank",
        &client_id,
        Some(&pem),
        &[
            "--auth-method",
            "private_key_jwt",
            "--scope",
            "openid offline_access",
            "--par",
            "--dpop",
        ],
    )
    .ok();
    let login = desk.run(&["login", "bank", "--json"]).ok().json();
    assert_eq!(
        login["status"], "active",
        "the FAPI-style login works: {login}"
    );
    desk.run(&["refresh", "bank"]).ok();

    let report = desk
        .run(&["report", "bank", "--profile", "fapi2", "--json"])
        .ok()
        .json();
    let passed = codes(&report["passed"], "the passed checks");
    for code in [
        "par_required",
        "pkce_s256_only",
        "client_auth_methods",
        "algorithms_allowed",
        "response_type_code_only",
        "no_legacy_grants",
        "par_used",
        "pkce_s256_used",
        "iss_in_response",
        "par_request_uri_lifetime",
        "token_dpop_bound",
        "client_auth_used",
        "refresh_not_rotated",
    ] {
        assert!(
            passed.iter().any(|c| c == code),
            "{code} passed on the FAPI server after a FAPI login: {passed:?}\n{report}"
        );
    }
    // A local test server is http: that stays a violation, reported honestly, not special-cased.
    assert_eq!(
        violations(&report),
        ["endpoint_without_tls"],
        "the only violation left is the http issuer of a local test server: {report}"
    );
    assert_eq!(report["verdict"], "not_conformant");
    assert_eq!(report["summary"], "FAPI 2.0: not conformant — 1 violation");
    let unseen = codes(&report["not_observed"], "the rules not observed");
    assert!(
        unseen.iter().any(|c| c == "code_lifetime"),
        "the code's lifetime is not claimed: a client cannot see it: {unseen:?}"
    );
}

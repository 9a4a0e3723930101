//! Issue 4 — token truth through the real `oauthdesk` binary against the controlled test issuer
//! (tests/provider/issuer.mjs): a login refuses ID tokens that fail validation and stores
//! nothing, `inspect` passes good ones, and the provider report names what a quirky server does.

use oauthdesk_tests::json::{array, check, str, token};
use oauthdesk_tests::{
    CONTROLLED_CLIENT_ID as CLIENT_ID, CONTROLLED_CLIENT_SECRET as CLIENT_SECRET, Desk,
};
use serde_json::json;

#[test]
fn login_refuses_id_tokens_that_fail_validation_and_inspect_passes_good_ones() {
    let desk = Desk::controlled();
    desk.add_client(
        "ctl",
        CLIENT_ID,
        Some(CLIENT_SECRET),
        &["--scope", "openid email"],
    )
    .ok();
    for (case, code) in [
        ("wrong-nonce", "nonce_mismatch"),
        ("wrong-at_hash", "at_hash_mismatch"),
        ("wrong-c_hash", "c_hash_mismatch"),
        ("bad-signature", "bad_signature"),
        ("wrong-iss", "iss_mismatch"),
        ("expired", "expired"),
    ] {
        desk.provider
            .control("/__test/config", json!({"case": case}));
        let run = desk.run(&["login", "ctl", "--json"]);
        assert_eq!(run.code, 1, "{case}: the login fails\n{}", run.stderr);
        assert!(
            run.stderr.contains(code) && run.stderr.contains("not stored"),
            "{case}: the refusal names the reason and that nothing was stored: {}",
            run.stderr
        );
    }
    assert_eq!(
        desk.run(&["grants", "ctl", "--json"]).ok().json(),
        json!([]),
        "no grant was stored by a refused login"
    );
    // Failed logins keep their transcript, with the JWKS fetch in it.
    let transcript = desk.run(&["log", "ctl", "--flows", "10"]).ok().stdout;
    assert!(
        transcript.contains("jwks"),
        "failed logins keep their transcript, with the JWKS fetch in it: {transcript}"
    );

    desk.provider.control(
        "/__test/config",
        json!({"case": "ok", "alg": "ES256", "access": "jwt"}),
    );
    desk.run(&["login", "ctl", "--json"]).ok();
    let run = desk.run(&["inspect", "ctl", "--json"]);
    assert_eq!(
        run.code, 0,
        "the tokens of a good login pass inspection: {}",
        run.stdout
    );
    let v = run.json();
    let id = token(&v, "id_token");
    for (name, status) in [
        ("signature", "pass"),
        ("alg", "pass"),
        ("iss", "pass"),
        ("aud", "pass"),
        ("nonce", "pass"),
        ("at_hash", "pass"),
        ("c_hash", "not_applicable"),
        ("exp", "pass"),
    ] {
        assert_eq!(
            check(&id["checks"], name)["status"],
            status,
            "the ID token's {name} check: {}",
            check(&id["checks"], name)
        );
    }
    let at = token(&v, "access_token");
    assert_eq!(
        at["checked_as"], "JWT access token (RFC 9068)",
        "a JWT access token is checked as RFC 9068 says: {at}"
    );
    for name in ["signature", "typ", "client_id", "jti", "exp"] {
        assert_eq!(
            check(&at["checks"], name)["status"],
            "pass",
            "the access token's {name} check passes: {}",
            check(&at["checks"], name)
        );
    }
    // The issuer answers `scope` "openid email"; asked was "openid email": nothing flagged.
    assert_eq!(
        v["scopes"]["not_granted"],
        json!([]),
        "granted what was asked, so no scope is flagged: {}",
        v["scopes"]
    );
    assert_eq!(v["failed"], 0, "no check of the good login failed: {v}");
    // The keychain holds the tokens; no token reaches the inspection output.
    let grant = &v["grant"]["id"];
    let item = desk
        .keychain_item(&format!("grant/{}", str(grant, "the grant's id")))
        .expect("the grant's tokens are in the keychain");
    for t in ["access_token", "id_token", "refresh_token"] {
        let secret = str(&item[t], "a token of the keychain item");
        assert!(
            !run.stdout.contains(secret),
            "{t} leaked into inspect output"
        );
    }
}

#[test]
fn provider_report_names_what_a_quirky_server_does() {
    let desk = Desk::controlled();
    desk.provider
        .control("/__test/config", json!({"quirks": true}));
    desk.add_client("quirky", CLIENT_ID, None, &["--scope", "openid"])
        .ok();
    desk.run(&["login", "quirky", "--json"]).ok();
    desk.run(&["refresh", "quirky", "--json"]).ok();
    let v = desk.run(&["report", "quirky", "--json"]).ok().json();
    let codes: Vec<&str> = array(&v["findings"], "the findings")
        .iter()
        .map(|f| str(&f["code"], "a finding's code"))
        .collect();
    for want in [
        "pkce_plain_only",
        "no_iss_in_authorization_response",
        "token_response_cacheable",
        "expires_in_string",
        "token_type_casing",
        "scope_omitted",
        "refresh_not_rotated",
    ] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
    for f in array(&v["findings"], "the findings") {
        assert!(
            !str(&f["spec"], "a finding's spec").is_empty()
                && !str(&f["action"], "a finding's action").is_empty(),
            "every finding names its spec and what OAuth Desk did: {f}"
        );
    }
    let Some(rotation) = array(&v["findings"], "the findings")
        .iter()
        .find(|f| f["code"] == "refresh_not_rotated")
    else {
        panic!("the report finds the refresh token not rotated: {v}");
    };
    assert_eq!(
        rotation["severity"], "violation",
        "a public client without rotation (RFC 9700 §4.14.2)"
    );
    let text = desk.run(&["report", "quirky"]).ok().stdout;
    assert!(
        text.contains("RFC 6749 §5.1") && text.contains("we did:"),
        "the text report cites the spec's section and what OAuth Desk did: {text}"
    );

    // Over-privileged: asked for `openid`, granted `openid email` — found by the audit.
    let quirk_free = Desk::controlled();
    quirk_free
        .add_client("wide", CLIENT_ID, None, &["--scope", "openid"])
        .ok();
    quirk_free.run(&["login", "wide"]).ok();
    let rows = quirk_free
        .run(&["audit", "--over-privileged", "--json"])
        .ok()
        .json();
    assert_eq!(
        array(&rows["grants"], "the audited grants").len(),
        1,
        "the audit finds the one over-privileged grant: {rows}"
    );
    assert_eq!(
        rows["grants"][0]["not_requested"],
        json!(["email"]),
        "the audit names the scope granted but not asked for: {rows}"
    );
    let inspect = quirk_free.run(&["inspect", "wide", "--json"]).json();
    assert_eq!(
        inspect["scopes"]["not_requested"],
        json!(["email"]),
        "inspect flags the scope granted but not asked for: {}",
        inspect["scopes"]
    );
}

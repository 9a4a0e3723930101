//! Issue 4 — token truth through the real `oauthdesk` binary: signature verification for every
//! supported algorithm, the OpenID RP conformance negative cases and key rotation, all served
//! by the controlled test issuer (tests/provider/issuer.mjs). Login validation and the provider
//! report: token_truth_login_report.rs; inspection and audit: token_truth_audit.rs.

use oauthdesk_tests::json::{array, assert_unique_names, check, str};
use oauthdesk_tests::{
    CONTROLLED_CLIENT_ID as CLIENT_ID, CONTROLLED_CLIENT_SECRET as CLIENT_SECRET, Desk,
};
use serde_json::json;

#[test]
fn every_supported_algorithm_verifies_against_the_issuers_jwks() {
    let desk = Desk::controlled();
    let issuer = desk.provider.issuer.clone();
    for alg in [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
    ] {
        let token = desk.provider.mint(json!({"alg": alg, "nonce": "n-1"}));
        let run = desk.run(&[
            "decode", &token, "--issuer", &issuer, "--nonce", "n-1", "--json",
        ]);
        let v = run.json();
        let sig = check(&v["findings"]["checks"], "signature");
        assert_eq!(
            sig["status"], "pass",
            "{alg}: the signature verifies against the issuer's JWKS: {sig}"
        );
        assert_eq!(run.code, 0, "{alg}: every applicable check passes: {v}");
        assert_unique_names(&v["findings"]["checks"]);
    }
    // Pasted keys: the JWKS as a file, and each key as a PEM public key.
    let dir = tempfile::tempdir().unwrap();
    let jwks = oauthdesk_tests::http(reqwest::Method::GET, &format!("{issuer}/jwks"), &[], None).1;
    let jwks_file = dir.path().join("jwks.json");
    std::fs::write(&jwks_file, jwks.to_string()).unwrap();
    let token = desk.provider.mint(json!({"alg": "PS384"}));
    let run = desk.run(&[
        "decode",
        &token,
        "--jwks",
        jwks_file.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        run.code, 0,
        "a token verifies against a JWKS given as a file: {}",
        run.stdout
    );
    let v = run.json();
    assert!(
        str(&v["keys"], "the keys used").contains("given key"),
        "the verification says it used the given key: {v}"
    );
    for (key, alg) in [
        ("rsa", "RS256"),
        ("ec256", "ES256"),
        ("ec384", "ES384"),
        ("ed", "EdDSA"),
    ] {
        let pem = oauthdesk_tests::http(
            reqwest::Method::GET,
            &format!("{issuer}/__test/pem?key={key}"),
            &[],
            None,
        )
        .1;
        let pem = str(&pem["pem"], "the controlled issuer's PEM of a test key").to_owned();
        let file = dir.path().join(format!("{key}.pem"));
        std::fs::write(&file, &pem).unwrap();
        let run = desk.run(&[
            "decode",
            &desk.provider.mint(json!({"alg": alg})),
            "--jwks",
            file.to_str().unwrap(),
            "--json",
        ]);
        assert_eq!(
            check(&run.json()["findings"]["checks"], "signature")["status"],
            "pass",
            "{alg}: the signature verifies with the key given as a PEM: {}",
            run.stdout
        );
    }
    // A PEM of the wrong kind is refused as a key mismatch, not tried blindly.
    let ec = dir.path().join("ec256.pem");
    let run = desk.run(&[
        "decode",
        &desk.provider.mint(json!({"alg": "RS256"})),
        "--jwks",
        ec.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        run.code, 4,
        "an RS256 token against an EC key fails a check (exit 4): {}",
        run.stdout
    );
    assert_eq!(
        check(&run.json()["findings"]["checks"], "signature")["code"],
        "key_mismatch",
        "a PEM of the wrong kind is a key mismatch"
    );
    // HS* ID tokens are verified with the client secret (OIDC Core §10.1), which is in the keychain.
    desk.add_client(
        "ctl",
        CLIENT_ID,
        Some(CLIENT_SECRET),
        &["--scope", "openid email"],
    )
    .ok();
    for alg in ["HS256", "HS384", "HS512"] {
        let token = desk.provider.mint(json!({"alg": alg, "nonce": "n-1"}));
        let run = desk.run(&[
            "decode", &token, "--client", "ctl", "--nonce", "n-1", "--json",
        ]);
        assert_eq!(run.code, 0, "{alg} with the client secret: {}", run.stdout);
        // Without the secret, an HMAC token against a set of public keys is refused by name.
        let run = desk.run(&["decode", &token, "--issuer", &issuer, "--json"]);
        assert_eq!(run.code, 4, "{alg} without a secret fails");
        assert_eq!(
            check(&run.json()["findings"]["checks"], "signature")["code"],
            "alg_confusion",
            "{alg}: an HMAC token against public keys is refused as algorithm confusion"
        );
    }
    // The secret never appears in any output.
    let all = desk.run(&[
        "decode",
        &desk.provider.mint(json!({"alg": "HS256"})),
        "--client",
        "ctl",
    ]);
    assert!(
        !all.stdout.contains(CLIENT_SECRET) && !all.stderr.contains(CLIENT_SECRET),
        "the client secret never appears in decode's output"
    );
}

#[test]
fn rp_conformance_negative_cases_are_rejected_by_name() {
    let desk = Desk::controlled();
    desk.add_client(
        "ctl",
        CLIENT_ID,
        Some(CLIENT_SECRET),
        &["--scope", "openid email"],
    )
    .ok();
    // Warm the JWKS cache so each case below costs no fetch unless a refetch is due.
    let warm = desk.run(&[
        "decode",
        &desk.provider.mint(json!({"nonce": "n-1"})),
        "--client",
        "ctl",
        "--nonce",
        "n-1",
    ]);
    assert_eq!(
        warm.code, 0,
        "a good token passes every check of the client: {}",
        warm.stdout
    );
    let cases = [
        ("bad-signature", "signature", "bad_signature"),
        ("unknown-kid", "signature", "unknown_kid"),
        ("alg-none", "signature", "alg_none"),
        ("alg-confusion", "signature", "alg_confusion"),
        ("wrong-iss", "iss", "iss_mismatch"),
        ("wrong-aud", "aud", "aud_mismatch"),
        ("expired", "exp", "expired"),
        ("iat-future", "iat", "iat_future"),
        ("missing-nonce", "nonce", "nonce_missing"),
        ("wrong-nonce", "nonce", "nonce_mismatch"),
        ("azp-mismatch", "azp", "azp_mismatch"),
        ("missing-sub", "sub", "claim_missing"),
    ];
    for (case, name, code) in cases {
        let token = desk.provider.mint(json!({"case": case, "nonce": "n-1"}));
        let before = desk.provider.jwks_fetches();
        let run = desk.run(&[
            "decode", &token, "--client", "ctl", "--nonce", "n-1", "--json",
        ]);
        assert_eq!(
            run.code, 4,
            "{case}: exit 4 on a failed check\n{}\n{}",
            run.stdout, run.stderr
        );
        let v = run.json();
        assert_unique_names(&v["findings"]["checks"]);
        let c = check(&v["findings"]["checks"], name);
        assert_eq!(c["status"], "fail", "{case}: the {name} check fails: {c}");
        assert_eq!(c["code"], code, "{case}: the failure is named {code}: {c}");
        assert!(
            !str(&c["reason"], "the check's reason").is_empty(),
            "{case}: the failed check gives a reason: {c}"
        );
        let fetched = desk.provider.jwks_fetches() - before;
        // An unknown kid refetches the JWKS exactly once (key rotation), nothing else fetches.
        assert_eq!(
            fetched,
            u64::from(case == "unknown-kid"),
            "{case}: only an unknown kid refetches the JWKS, and only once"
        );
        // Every other check is still reported on its own.
        assert!(
            array(&v["findings"]["checks"], "the checks").len() >= 10,
            "{case}: all checks listed"
        );
    }
    // The client's registered algorithm is enforced (OIDC Core §3.1.3.7 (7)).
    desk.add_client(
        "es-only",
        CLIENT_ID,
        Some(CLIENT_SECRET),
        &["--scope", "openid", "--id-token-alg", "ES256"],
    )
    .ok();
    let run = desk.run(&[
        "decode",
        &desk.provider.mint(json!({"alg": "RS256", "nonce": "n-1"})),
        "--client",
        "es-only",
        "--nonce",
        "n-1",
        "--json",
    ]);
    assert_eq!(
        run.code, 4,
        "an RS256 token for a client registered for ES256 fails a check (exit 4): {}",
        run.stdout
    );
    assert_eq!(
        check(&run.json()["findings"]["checks"], "alg")["code"],
        "alg_unexpected",
        "the client's registered ID token algorithm is enforced"
    );
    let es = desk.run(&[
        "decode",
        &desk.provider.mint(json!({"alg": "ES256", "nonce": "n-1"})),
        "--client",
        "es-only",
        "--nonce",
        "n-1",
    ]);
    assert_eq!(
        es.code, 0,
        "a token with the registered algorithm passes: {}",
        es.stdout
    );
    let bad_alg = desk.run(&[
        "client",
        "add",
        "x",
        "--client-id",
        "x",
        "--token-endpoint",
        "http://127.0.0.1:9/token",
        "--id-token-alg",
        "none",
    ]);
    assert_eq!(bad_alg.code, 1, "alg none cannot be registered");
    assert!(
        bad_alg.stderr.contains("not one of"),
        "the refusal lists the allowed algorithms: {}",
        bad_alg.stderr
    );

    let text = desk.run(&[
        "decode",
        &desk.provider.mint(json!({"case": "alg-none"})),
        "--client",
        "ctl",
    ]);
    assert_eq!(
        text.code, 4,
        "an unsigned token fails in text output too (exit 4): {}",
        text.stdout
    );
    assert!(
        text.stdout.contains("FAIL")
            && text.stdout.contains("alg_none")
            && text.stdout.contains("unsigned"),
        "the text names the failure, its code and that the token is unsigned: {}",
        text.stdout
    );
}

#[test]
fn key_rotation_is_followed_by_one_jwks_refetch() {
    let desk = Desk::controlled();
    desk.add_client(
        "ctl",
        CLIENT_ID,
        Some(CLIENT_SECRET),
        &["--scope", "openid"],
    )
    .ok();
    let current = desk.run(&["decode", &desk.provider.mint(json!({})), "--client", "ctl"]);
    assert_eq!(
        current.code, 0,
        "a token of the current key verifies (and fills the JWKS cache): {}",
        current.stdout
    );
    let before = desk.provider.jwks_fetches();
    desk.provider.control("/__test/rotate", json!({}));
    let rotated = desk.provider.mint(json!({}));
    let run = desk.run(&["decode", &rotated, "--client", "ctl", "--json"]);
    assert_eq!(
        run.code, 0,
        "the new key is found after one refetch: {}",
        run.stdout
    );
    let sig = check(&run.json()["findings"]["checks"], "signature").clone();
    let reason = str(&sig["reason"], "the signature check's reason");
    assert!(
        reason.contains("rsa-2") && reason.contains("refetched"),
        "the signature check names the new key and the refetch: {sig}"
    );
    assert_eq!(
        desk.provider.jwks_fetches() - before,
        1,
        "a rotated key costs exactly one JWKS refetch"
    );
    // The refreshed cache serves the next check without a fetch.
    let again = desk.run(&["decode", &rotated, "--client", "ctl"]);
    assert_eq!(
        again.code, 0,
        "the refreshed cache verifies the rotated key's token: {}",
        again.stdout
    );
    assert_eq!(
        desk.provider.jwks_fetches() - before,
        1,
        "the refreshed cache serves the next check without a fetch"
    );
}

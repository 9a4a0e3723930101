//! Issue 4 — token truth through the real `oauthdesk` binary: signature verification for every
//! supported algorithm, the OpenID RP conformance negative cases (served by the controlled test
//! issuer, tests/provider/issuer.mjs), ID token validation at login, key rotation, inspection and
//! the audit against the real oidc-provider, and the provider report of a quirky server.

use oauthdesk_tests::{Desk, Provider};
use serde_json::{Value, json};

const CLIENT_ID: &str = "controlled-client";
const CLIENT_SECRET: &str = "controlled-secret-0123456789abcdef0123456789";

fn controlled() -> Desk {
    Desk::with_provider(Provider::controlled())
}

fn mint(desk: &Desk, body: Value) -> String {
    desk.provider.control("/__test/mint", body)["token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

fn jwks_fetches(desk: &Desk) -> u64 {
    desk.provider.stats()["jwks_fetches"].as_u64().unwrap()
}

fn assert_unique_names(checks: &Value) {
    let names: Vec<&str> = checks
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "each check once: {names:?}");
}

fn check<'a>(checks: &'a Value, name: &str) -> &'a Value {
    checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {checks}"))
}

#[test]
fn every_supported_algorithm_verifies_against_the_issuers_jwks() {
    let desk = controlled();
    let issuer = desk.provider.issuer.clone();
    for alg in [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
    ] {
        let token = mint(&desk, json!({"alg": alg, "nonce": "n-1"}));
        let run = desk.run(&[
            "decode", &token, "--issuer", &issuer, "--nonce", "n-1", "--json",
        ]);
        let v = run.json();
        let sig = check(&v["findings"]["checks"], "signature");
        assert_eq!(sig["status"], "pass", "{alg}: {sig}");
        assert_eq!(run.code, 0, "{alg}: every applicable check passes: {v}");
        assert_unique_names(&v["findings"]["checks"]);
    }
    // Pasted keys: the JWKS as a file, and each key as a PEM public key.
    let dir = tempfile::tempdir().unwrap();
    let jwks = oauthdesk_tests::http(reqwest::Method::GET, &format!("{issuer}/jwks"), &[], None).1;
    let jwks_file = dir.path().join("jwks.json");
    std::fs::write(&jwks_file, jwks.to_string()).unwrap();
    let token = mint(&desk, json!({"alg": "PS384"}));
    let run = desk.run(&[
        "decode",
        &token,
        "--jwks",
        jwks_file.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.json()["keys"].as_str().unwrap().contains("given key"));
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
        .1["pem"]
            .as_str()
            .unwrap()
            .to_owned();
        let file = dir.path().join(format!("{key}.pem"));
        std::fs::write(&file, &pem).unwrap();
        let run = desk.run(&[
            "decode",
            &mint(&desk, json!({"alg": alg})),
            "--jwks",
            file.to_str().unwrap(),
            "--json",
        ]);
        assert_eq!(
            check(&run.json()["findings"]["checks"], "signature")["status"],
            "pass",
            "{alg} with a PEM: {}",
            run.stdout
        );
    }
    // A PEM of the wrong kind is refused as a key mismatch, not tried blindly.
    let ec = dir.path().join("ec256.pem");
    let run = desk.run(&[
        "decode",
        &mint(&desk, json!({"alg": "RS256"})),
        "--jwks",
        ec.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(run.code, 4);
    assert_eq!(
        check(&run.json()["findings"]["checks"], "signature")["code"],
        "key_mismatch"
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
        let token = mint(&desk, json!({"alg": alg, "nonce": "n-1"}));
        let run = desk.run(&[
            "decode", &token, "--client", "ctl", "--nonce", "n-1", "--json",
        ]);
        assert_eq!(run.code, 0, "{alg} with the client secret: {}", run.stdout);
        // Without the secret, an HMAC token against a set of public keys is refused by name.
        let run = desk.run(&["decode", &token, "--issuer", &issuer, "--json"]);
        assert_eq!(run.code, 4, "{alg} without a secret fails");
        assert_eq!(
            check(&run.json()["findings"]["checks"], "signature")["code"],
            "alg_confusion"
        );
    }
    // The secret never appears in any output.
    let all = desk.run(&[
        "decode",
        &mint(&desk, json!({"alg": "HS256"})),
        "--client",
        "ctl",
    ]);
    assert!(!all.stdout.contains(CLIENT_SECRET) && !all.stderr.contains(CLIENT_SECRET));
}

#[test]
fn rp_conformance_negative_cases_are_rejected_by_name() {
    let desk = controlled();
    desk.add_client(
        "ctl",
        CLIENT_ID,
        Some(CLIENT_SECRET),
        &["--scope", "openid email"],
    )
    .ok();
    // Warm the JWKS cache so each case below costs no fetch unless a refetch is due.
    assert_eq!(
        desk.run(&[
            "decode",
            &mint(&desk, json!({"nonce": "n-1"})),
            "--client",
            "ctl",
            "--nonce",
            "n-1"
        ])
        .code,
        0
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
        let token = mint(&desk, json!({"case": case, "nonce": "n-1"}));
        let before = jwks_fetches(&desk);
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
        assert_eq!(c["status"], "fail", "{case}: {c}");
        assert_eq!(c["code"], code, "{case}: {c}");
        assert!(!c["reason"].as_str().unwrap().is_empty());
        let fetched = jwks_fetches(&desk) - before;
        // An unknown kid refetches the JWKS exactly once (key rotation), nothing else fetches.
        assert_eq!(
            fetched,
            u64::from(case == "unknown-kid"),
            "{case}: JWKS fetches"
        );
        // Every other check is still reported on its own.
        assert!(
            v["findings"]["checks"].as_array().unwrap().len() >= 10,
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
        &mint(&desk, json!({"alg": "RS256", "nonce": "n-1"})),
        "--client",
        "es-only",
        "--nonce",
        "n-1",
        "--json",
    ]);
    assert_eq!(run.code, 4);
    assert_eq!(
        check(&run.json()["findings"]["checks"], "alg")["code"],
        "alg_unexpected"
    );
    assert_eq!(
        desk.run(&[
            "decode",
            &mint(&desk, json!({"alg": "ES256", "nonce": "n-1"})),
            "--client",
            "es-only",
            "--nonce",
            "n-1"
        ])
        .code,
        0
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
    assert!(bad_alg.stderr.contains("not one of"), "{}", bad_alg.stderr);

    let text = desk.run(&[
        "decode",
        &mint(&desk, json!({"case": "alg-none"})),
        "--client",
        "ctl",
    ]);
    assert_eq!(text.code, 4);
    assert!(
        text.stdout.contains("FAIL")
            && text.stdout.contains("alg_none")
            && text.stdout.contains("unsigned"),
        "{}",
        text.stdout
    );
}

#[test]
fn key_rotation_is_followed_by_one_jwks_refetch() {
    let desk = controlled();
    desk.add_client(
        "ctl",
        CLIENT_ID,
        Some(CLIENT_SECRET),
        &["--scope", "openid"],
    )
    .ok();
    assert_eq!(
        desk.run(&["decode", &mint(&desk, json!({})), "--client", "ctl"])
            .code,
        0
    );
    let before = jwks_fetches(&desk);
    desk.provider.control("/__test/rotate", json!({}));
    let rotated = mint(&desk, json!({}));
    let run = desk.run(&["decode", &rotated, "--client", "ctl", "--json"]);
    assert_eq!(
        run.code, 0,
        "the new key is found after one refetch: {}",
        run.stdout
    );
    let sig = check(&run.json()["findings"]["checks"], "signature").clone();
    assert!(
        sig["reason"].as_str().unwrap().contains("rsa-2")
            && sig["reason"].as_str().unwrap().contains("refetched"),
        "{sig}"
    );
    assert_eq!(jwks_fetches(&desk) - before, 1);
    // The refreshed cache serves the next check without a fetch.
    assert_eq!(desk.run(&["decode", &rotated, "--client", "ctl"]).code, 0);
    assert_eq!(jwks_fetches(&desk) - before, 1);
}

#[test]
fn login_refuses_id_tokens_that_fail_validation_and_inspect_passes_good_ones() {
    let desk = controlled();
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
            "{case}: named reason in {}",
            run.stderr
        );
    }
    assert_eq!(
        desk.run(&["grants", "ctl", "--json"]).ok().json(),
        json!([]),
        "no grant was stored by a refused login"
    );
    // Failed logins keep their transcript, with the JWKS fetch in it.
    assert!(
        desk.run(&["log", "ctl", "--flows", "10"])
            .ok()
            .stdout
            .contains("jwks")
    );

    desk.provider.control(
        "/__test/config",
        json!({"case": "ok", "alg": "ES256", "access": "jwt"}),
    );
    desk.run(&["login", "ctl", "--json"]).ok();
    let run = desk.run(&["inspect", "ctl", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let v = run.json();
    let id = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["token"] == "id_token")
        .unwrap();
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
            "{name}: {}",
            check(&id["checks"], name)
        );
    }
    let at = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["token"] == "access_token")
        .unwrap();
    assert_eq!(at["checked_as"], "JWT access token (RFC 9068)");
    for name in ["signature", "typ", "client_id", "jti", "exp"] {
        assert_eq!(
            check(&at["checks"], name)["status"],
            "pass",
            "{name}: {}",
            check(&at["checks"], name)
        );
    }
    // The issuer answers `scope` "openid email"; asked was "openid email": nothing flagged.
    assert_eq!(v["scopes"]["not_granted"], json!([]));
    assert_eq!(v["failed"], 0);
    // The keychain holds the tokens; no token reaches the inspection output.
    let grant = &v["grant"]["id"];
    let item = desk
        .keychain_item(&format!("grant/{}", grant.as_str().unwrap()))
        .unwrap();
    for t in ["access_token", "id_token", "refresh_token"] {
        let secret = item[t].as_str().unwrap();
        assert!(
            !run.stdout.contains(secret),
            "{t} leaked into inspect output"
        );
    }
}

#[test]
fn provider_report_names_what_a_quirky_server_does() {
    let desk = controlled();
    desk.provider
        .control("/__test/config", json!({"quirks": true}));
    desk.add_client("quirky", CLIENT_ID, None, &["--scope", "openid"])
        .ok();
    desk.run(&["login", "quirky", "--json"]).ok();
    desk.run(&["refresh", "quirky", "--json"]).ok();
    let v = desk.run(&["report", "quirky", "--json"]).ok().json();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
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
    for f in v["findings"].as_array().unwrap() {
        assert!(
            !f["spec"].as_str().unwrap().is_empty() && !f["action"].as_str().unwrap().is_empty(),
            "{f}"
        );
    }
    let rotation = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "refresh_not_rotated")
        .unwrap();
    assert_eq!(
        rotation["severity"], "violation",
        "a public client without rotation (RFC 9700 §4.14.2)"
    );
    let text = desk.run(&["report", "quirky"]).ok().stdout;
    assert!(
        text.contains("RFC 6749 §5.1") && text.contains("we did:"),
        "{text}"
    );

    // Over-privileged: asked for `openid`, granted `openid email` — found by the audit.
    let quirk_free = controlled();
    quirk_free
        .add_client("wide", CLIENT_ID, None, &["--scope", "openid"])
        .ok();
    quirk_free.run(&["login", "wide"]).ok();
    let rows = quirk_free
        .run(&["audit", "--over-privileged", "--json"])
        .ok()
        .json();
    assert_eq!(rows["grants"].as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows["grants"][0]["not_requested"], json!(["email"]));
    let inspect = quirk_free.run(&["inspect", "wide", "--json"]).json();
    assert_eq!(inspect["scopes"]["not_requested"], json!(["email"]));
}

#[test]
fn inspect_and_audit_against_the_real_oidc_provider() {
    let desk = Desk::new();
    desk.add_client(
        "web",
        "web-basic",
        Some("s3cr3t:with/special+chars%&="),
        &["--scope", "openid email offline_access"],
    )
    .ok();
    // client_credentials sends the client's `resource` in the token request: a JWT access token (RFC 9068).
    desk.add_client(
        "api",
        "service",
        Some("service-secret"),
        &[
            "--scope",
            "api:read",
            "--param",
            "resource=urn:oauthdesk:jwt-api",
        ],
    )
    .ok();
    desk.run(&["login", "web", "--json"]).ok();
    desk.run(&["login", "api", "--grant", "client_credentials", "--json"])
        .ok();

    let run = desk.run(&["inspect", "web", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let v = run.json();
    let id = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["token"] == "id_token")
        .unwrap();
    let sig = check(&id["checks"], "signature");
    assert_eq!(sig["status"], "pass");
    assert!(
        sig["reason"].as_str().unwrap().contains("test-rs256"),
        "the provider's key: {sig}"
    );
    assert_eq!(
        check(&id["checks"], "nonce")["status"],
        "pass",
        "the nonce sent at login is remembered"
    );
    let at = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["token"] == "access_token")
        .unwrap();
    assert_eq!(at["format"], "opaque");
    assert_eq!(
        check(&at["checks"], "active")["status"],
        "pass",
        "opaque token introspected: {at}"
    );
    assert!(
        v["scopes"]["introspection"]
            .as_array()
            .is_some_and(|s| s.iter().any(|x| x == "email")),
        "{}",
        v["scopes"]
    );

    let api = desk.run(&["inspect", "api", "--json"]);
    assert_eq!(api.code, 0, "{}", api.stdout);
    let at = api.json()["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["token"] == "access_token")
        .cloned()
        .unwrap();
    assert_eq!(at["format"], "jws");
    assert_eq!(
        check(&at["checks"], "aud")["status"],
        "pass",
        "audience is the requested resource: {at}"
    );
    assert_eq!(check(&at["checks"], "client_id")["status"], "pass");
    assert_unique_names(&at["checks"]);
    let text = desk.run(&["inspect", "api"]).ok().stdout;
    assert!(
        text.contains("Every applicable check passed") && text.contains("RFC 9068"),
        "{text}"
    );

    let all = desk.run(&["audit", "--json"]).ok().json();
    assert_eq!(all["grants"].as_array().unwrap().len(), 2);
    let api_only = desk
        .run(&["audit", "--scope", "api:read", "--json"])
        .ok()
        .json();
    assert_eq!(api_only["grants"].as_array().unwrap().len(), 1);
    assert_eq!(api_only["grants"][0]["client"], "api");
    assert_eq!(
        desk.run(&["audit", "--expiring", "2h", "--json"])
            .ok()
            .json()["grants"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        desk.run(&["audit", "--expiring", "10s", "--json"])
            .ok()
            .json()["grants"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        desk.run(&["audit", "--client", "web", "--json"])
            .ok()
            .json()["grants"][0]["has_refresh_token"],
        true
    );
    desk.run(&["token", "web"]).ok();
    assert!(
        desk.run(&["audit", "--client", "web", "--json"])
            .ok()
            .json()["grants"][0]["last_used_at"]
            .is_i64(),
        "token use is recorded"
    );
    let csv = desk.run(&["audit", "--csv"]).ok().stdout;
    assert!(
        csv.starts_with("client,grant_id,grant_type,status") && csv.lines().count() == 3,
        "{csv}"
    );
    let md = desk.run(&["audit", "--markdown"]).ok().stdout;
    assert!(
        md.contains("| client | grant_id |") && md.contains("No token or secret"),
        "{md}"
    );
    for (name, out) in [("json", all.to_string()), ("csv", csv), ("markdown", md)] {
        for client in ["web", "api"] {
            let grant = desk.run(&["grants", client, "--json"]).ok().json()[0]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let item = desk.keychain_item(&format!("grant/{grant}")).unwrap();
            for t in ["access_token", "refresh_token", "id_token"] {
                if let Some(secret) = item[t].as_str() {
                    assert!(
                        !out.contains(secret),
                        "{t} of {client} in the {name} export"
                    );
                }
            }
        }
    }
    desk.run(&["revoke", "web"]).ok();
    let revoked = desk
        .run(&["audit", "--client", "web", "--json"])
        .ok()
        .json();
    assert_eq!(revoked["grants"][0]["revoked"], true);
    assert_eq!(
        desk.run(&["audit", "--hide-revoked", "--json"]).ok().json()["grants"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let report = desk.run(&["report", "web", "--json"]).ok().json();
    assert!(
        report["exchanges_checked"].as_u64().unwrap() >= 3,
        "{report}"
    );
}

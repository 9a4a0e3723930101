//! A grant's life after the login, through the real `oauthdesk` binary against the real
//! oidc-provider and the real keychain: refused logins store nothing, refresh tokens rotate and
//! a replayed one revokes the grant, and revocation reaches the server and empties the keychain.

use oauthdesk_tests::json::{array, str};
use oauthdesk_tests::{Desk, http};

fn grant_json(desk: &Desk, name: &str) -> serde_json::Value {
    let grants = desk.run(&["grants", name, "--json"]).ok().json();
    grants
        .as_array()
        .and_then(|a| a.first())
        .cloned()
        .unwrap_or_else(|| panic!("no grant for {name}: {grants}"))
}

#[test]
fn denied_consent_and_wrong_state_store_nothing() {
    let desk = Desk::new();
    desk.add_client("app", "native-public", None, &["--scope", "openid"])
        .ok();
    let denied = desk.run_mode(&["login", "app"], None, "deny");
    assert_eq!(
        denied.code, 1,
        "a denied consent fails the login: {}",
        denied.stderr
    );
    assert!(
        denied.stderr.contains("access_denied") && denied.stderr.contains("declined"),
        "denial in words: {}",
        denied.stderr
    );
    let tampered = desk.run_mode(&["login", "app"], None, "tamper-state");
    assert_eq!(
        tampered.code, 1,
        "a redirect with a tampered state fails the login: {}",
        tampered.stderr
    );
    assert!(
        tampered.stderr.contains("state does not match"),
        "state mismatch named: {}",
        tampered.stderr
    );
    assert_eq!(
        desk.run(&["grants", "app", "--json"]).ok().json(),
        serde_json::json!([]),
        "no grant stored after failures"
    );
    let history = desk.run(&["history", "app", "--json"]).ok().json();
    let failures = array(&history, "the history")
        .iter()
        .filter(|e| e["kind"] == "login_failed")
        .count();
    assert_eq!(failures, 2, "both failures are in the history: {history}");
    let none = desk.run(&["token", "app"]);
    assert_eq!(
        none.code, 3,
        "no grant → exit 3 (login needed): {}",
        none.stderr
    );
}

#[test]
fn refresh_rotates_and_reuse_of_a_rotated_token_is_caught() {
    let desk = Desk::new();
    desk.add_client("app", "native-public", None, &["--scope", "openid"])
        .ok();
    let first = desk.run(&["login", "app", "--json"]).ok().json();
    let key = format!("grant/{}", str(&first["id"], "the grant's id"));
    let refresh_token = |what: &str| {
        let item = desk
            .keychain_item(&key)
            .unwrap_or_else(|| panic!("{what}: the grant's tokens are in the keychain"));
        str(&item["refresh_token"], what).to_owned()
    };
    let rt1 = refresh_token("the first refresh token");
    let refreshed = desk.run(&["refresh", "app", "--json"]).ok().json();
    assert_eq!(
        refreshed["refresh_count"], 1,
        "the refresh is counted: {refreshed}"
    );
    let rt2 = refresh_token("the rotated refresh token");
    assert_ne!(
        rt1, rt2,
        "the rotated refresh token replaced the old one in the keychain"
    );
    let history = desk.run(&["history", "app"]).ok().stdout;
    assert!(
        history.contains("refresh token rotated"),
        "the history records the rotation: {history}"
    );

    // An attacker replays the old refresh token: the server revokes the whole grant.
    let token_endpoint = format!("{}/token", desk.provider.issuer);
    let (status, body) = http(
        reqwest::Method::POST,
        &token_endpoint,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt1),
            ("client_id", "native-public"),
        ],
        None,
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "reuse is refused: {body}"
    );
    let after = desk.run(&["refresh", "app"]);
    assert_eq!(
        after.code, 3,
        "the revoked grant needs a new login: {}",
        after.stderr
    );
    assert!(
        after.stderr.contains("invalid_grant") && after.stderr.contains("Log in again"),
        "the refusal names invalid_grant and says to log in again: {}",
        after.stderr
    );
    assert_eq!(
        grant_json(&desk, "app")["status"],
        "needs_login",
        "the grant revoked at the server is marked as needing a login"
    );
}

#[test]
fn revocation_and_introspection() {
    let desk = Desk::new();
    desk.add_client(
        "basic",
        "web-basic",
        Some("s3cr3t:with/special+chars%&="),
        &["--scope", "openid"],
    )
    .ok();
    desk.run(&["login", "basic"]).ok();
    let access = desk.run(&["token", "basic"]).ok().stdout.trim().to_owned();
    let introspected = desk.run(&["introspect", "basic"]).ok().json();
    assert_eq!(
        introspected["active"], true,
        "the server knows the new access token: {introspected}"
    );

    let revoked = desk
        .run(&["revoke", "basic", "--token", "access", "--json"])
        .ok()
        .json();
    assert_eq!(
        (
            revoked["has_access_token"].as_bool(),
            revoked["has_refresh_token"].as_bool()
        ),
        (Some(false), Some(true)),
        "only the access token is forgotten: {revoked}"
    );
    let check = |token: &str| {
        http(
            reqwest::Method::POST,
            &format!("{}/token/introspection", desk.provider.issuer),
            &[("token", token)],
            Some(("web-basic", "s3cr3t:with/special+chars%&=")),
        )
        .1
    };
    assert_eq!(
        check(&access)["active"],
        false,
        "the server no longer honours the revoked access token"
    );
    // RFC 7009 §2.1 lets a server revoke the refresh token along with the access token; oidc-provider does.
    let after = desk.run(&["token", "basic"]);
    assert_eq!(
        after.code, 3,
        "with the grant gone at the server, a new login is needed: {}",
        after.stderr
    );

    let v = desk.run(&["login", "basic", "--json"]).ok().json();
    let key = format!("grant/{}", str(&v["id"], "the grant's id"));
    let access = desk.run(&["token", "basic"]).ok().stdout.trim().to_owned();
    let item = desk
        .keychain_item(&key)
        .expect("the grant's tokens are in the keychain");
    let rt = str(&item["refresh_token"], "the refresh token in the keychain").to_owned();
    let all = desk.run(&["revoke", "basic", "--json"]).ok().json();
    assert_eq!(
        all["status"], "revoked",
        "revoking every token marks the grant revoked: {all}"
    );
    assert_eq!(
        check(&rt)["active"],
        false,
        "refresh token revoked at the server"
    );
    assert!(
        desk.keychain_item(&key).is_none(),
        "revoked tokens are removed from the keychain"
    );
    assert_eq!(desk.run(&["token", "basic"]).code, 3, "nothing left to use");
    let curl = desk.run(&["log", "basic", "--curl"]).ok().stdout;
    assert!(
        curl.contains("token_type_hint=refresh_token")
            && curl.contains("${BASIC_CREDENTIALS}")
            && curl.contains("${TOKEN}"),
        "revocation as curl with variables: {curl}"
    );
    assert!(
        !curl.contains(&rt) && !curl.contains(&access),
        "no token in the curl rendering"
    );
}

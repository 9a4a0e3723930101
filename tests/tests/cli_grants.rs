//! Every core grant through the real `oauthdesk` binary against the real oidc-provider, with
//! the real keychain (private gnome-keyring) and the scripted browser as `$BROWSER`.

use oauthdesk_tests::{Desk, contains_bytes, http};

fn grant_json(desk: &Desk, name: &str) -> serde_json::Value {
    let grants = desk.run(&["grants", name, "--json"]).ok().json();
    grants
        .as_array()
        .and_then(|a| a.first())
        .cloned()
        .unwrap_or_else(|| panic!("no grant for {name}: {grants}"))
}

#[test]
fn code_flow_with_pkce_stores_tokens_only_in_the_keychain() {
    let desk = Desk::new();
    let added = desk
        .add_client(
            "app",
            "native-public",
            None,
            &["--scope", "openid email", "--json"],
        )
        .ok()
        .json();
    assert!(
        added["endpoints"]["token"]
            .as_str()
            .unwrap()
            .ends_with("/token"),
        "token endpoint discovered: {added}"
    );
    assert_eq!(
        added["auth_method"], "none",
        "public client without secret defaults to none"
    );

    let login = desk.run(&["login", "app", "--json"]).ok();
    let view = login.json();
    assert_eq!(view["grant_type"], "authorization_code");
    assert_eq!(view["status"], "active");
    assert_eq!(
        view["has_refresh_token"], true,
        "provider issues refresh tokens to this client"
    );
    assert_eq!(view["has_id_token"], true, "openid scope gives an ID token");
    assert_eq!(view["subject"], "alice", "subject from the ID token");
    assert!(
        login.stderr.contains("state matched"),
        "the callback's checks are reported: {}",
        login.stderr
    );
    let log = std::fs::read_to_string(&desk.browser_log).expect("browser was launched");
    assert!(
        log.contains("code_challenge_method=S256") && log.contains("nonce="),
        "PKCE S256 and nonce in the authorization URL: {log}"
    );

    let token = desk.run(&["token", "app"]).ok().stdout.trim().to_owned();
    assert!(token.len() > 20, "an access token on stdout: {token:?}");
    let info = desk.run(&["userinfo", "app"]).ok().json();
    assert_eq!(info["sub"], "alice", "userinfo accepts the stored token");
    assert_eq!(info["email"], "alice@example.test", "email scope granted");

    let item = desk
        .keychain_item(&format!("grant/{}", view["id"].as_str().unwrap()))
        .expect("tokens are in the Secret Service");
    let refresh = item["refresh_token"]
        .as_str()
        .expect("refresh token in the keychain item")
        .to_owned();
    let id_token = item["id_token"]
        .as_str()
        .expect("id token in the keychain item")
        .to_owned();
    assert_eq!(
        item["access_token"].as_str(),
        Some(token.as_str()),
        "keychain holds the token `token` printed"
    );
    let db = desk.database_bytes();
    for (what, secret) in [
        ("access token", &token),
        ("refresh token", &refresh),
        ("id token", &id_token),
    ] {
        assert!(
            !contains_bytes(&db, secret),
            "the {what} must never reach SQLite"
        );
    }
    let grants = desk.run(&["grants", "--json"]).ok();
    assert!(
        !grants.stdout.contains(&token) && !grants.stdout.contains(&refresh),
        "grants prints metadata only"
    );
}

#[test]
fn confidential_clients_basic_with_special_characters_and_post() {
    let desk = Desk::new();
    // RFC 6749 §2.3.1: id and secret are form-encoded before base64; this secret breaks clients that skip it.
    desk.add_client(
        "basic",
        "web-basic",
        Some("s3cr3t:with/special+chars%&="),
        &["--scope", "openid"],
    )
    .ok();
    let shown = desk.run(&["client", "show", "basic", "--json"]).ok().json();
    assert_eq!(
        (shown["auth_method"].as_str(), shown["has_secret"].as_bool()),
        (Some("client_secret_basic"), Some(true))
    );
    assert!(
        !desk
            .run(&["client", "show", "basic", "--json"])
            .stdout
            .contains("s3cr3t"),
        "the secret is never shown"
    );
    assert!(
        !contains_bytes(&desk.database_bytes(), "s3cr3t:with"),
        "client secret is not in SQLite"
    );
    let client_item = desk
        .keychain_item(&format!("client/{}", shown["id"].as_str().unwrap()))
        .expect("client secret in the keychain");
    assert_eq!(
        client_item,
        serde_json::Value::String("s3cr3t:with/special+chars%&=".into()),
        "secret stored verbatim"
    );
    desk.run(&["login", "basic"]).ok();

    desk.add_client(
        "post",
        "web-post",
        Some("post-secret-123"),
        &["--auth-method", "client_secret_post", "--scope", "openid"],
    )
    .ok();
    desk.run(&["login", "post"]).ok();

    // A confidential client registered as public (no secret): the server refuses it.
    // (oidc-provider accepts Basic and post interchangeably for secret clients, so the
    // basic-vs-post mix-up itself cannot be provoked here; the hint covers both.)
    desk.add_client("confused", "web-post", None, &["--scope", "openid"])
        .ok();
    let failed = desk.run(&["login", "confused"]);
    assert_eq!(failed.code, 1, "failed login exits 1");
    assert!(
        failed.stderr.contains("invalid_client"),
        "the server's error code is shown: {}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains("client_secret_post")
            && failed.stderr.contains("Public clients use 'none'"),
        "the hint explains auth methods: {}",
        failed.stderr
    );
}

#[test]
fn device_flow_polls_until_approved() {
    let desk = Desk::new();
    desk.add_client("tv", "device", None, &["--scope", "openid"])
        .ok();
    let run = desk
        .run_mode(
            &["login", "tv", "--grant", "device_code", "--json"],
            None,
            "device",
        )
        .ok();
    assert_eq!(run.json()["grant_type"], "device_code");
    assert!(
        run.stderr.contains("Enter the code"),
        "user code shown: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Waiting for approval"),
        "countdown shown: {}",
        run.stderr
    );
    let log = desk.run(&["log", "tv"]).ok().stdout;
    assert!(
        log.contains("device authorization request") && log.contains("device token poll"),
        "device steps recorded: {log}"
    );
    assert!(
        log.contains("device_code=[redacted]") || log.contains("\"device_code\":\"[redacted]\""),
        "device code redacted: {log}"
    );
}

#[test]
fn device_flow_denied_is_reported() {
    let desk = Desk::new();
    desk.add_client("tv", "device", None, &[]).ok();
    let run = desk.run_mode(
        &["login", "tv", "--grant", "device_code"],
        None,
        "device-deny",
    );
    assert_eq!(run.code, 1, "denied device flow fails");
    assert!(
        run.stderr.contains("access_denied") && run.stderr.contains("declined"),
        "error code and plain words: {}",
        run.stderr
    );
}

#[test]
fn client_credentials_and_password_grants() {
    let desk = Desk::new();
    desk.add_client(
        "svc",
        "service",
        Some("service-secret"),
        &["--scope", "api:read"],
    )
    .ok();
    let v = desk
        .run(&["login", "svc", "--grant", "client_credentials", "--json"])
        .ok()
        .json();
    assert_eq!(
        (v["grant_type"].as_str(), v["has_refresh_token"].as_bool()),
        (Some("client_credentials"), Some(false))
    );
    let token = desk.run(&["token", "svc", "--json"]).ok().json();
    assert!(
        token["access_token"].as_str().unwrap().len() > 20
            && token["expires_in"].as_i64().unwrap() > 3000,
        "{token}"
    );
    let intro = desk.run(&["introspect", "svc"]).ok().json();
    assert_eq!(intro["active"], true, "server knows the token");
    assert_eq!(intro["client_id"], "service");

    desk.add_client(
        "old",
        "legacy",
        Some("legacy-secret"),
        &["--scope", "api:read"],
    )
    .ok();
    let wrong = desk.run_mode(
        &[
            "login",
            "old",
            "--grant",
            "password",
            "--username",
            "alice",
            "--password-stdin",
        ],
        Some("nope\n"),
        "none",
    );
    assert_eq!(wrong.code, 1);
    assert!(wrong.stderr.contains("invalid_grant"), "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("legacy"),
        "the legacy grant is labelled: {}",
        wrong.stderr
    );
    let ok = desk
        .run_mode(
            &[
                "login",
                "old",
                "--grant",
                "password",
                "--username",
                "alice",
                "--password-stdin",
                "--json",
            ],
            Some("correct horse\n"),
            "none",
        )
        .ok();
    assert_eq!(ok.json()["grant_type"], "password");
    assert!(
        !desk
            .run(&["log", "old", "--flows", "5"])
            .ok()
            .stdout
            .contains("correct horse"),
        "the password is redacted in the transcript"
    );
}

#[test]
fn implicit_grant_receives_the_fragment_through_the_listener_page() {
    let desk = Desk::new();
    desk.add_client(
        "imp",
        "legacy",
        Some("legacy-secret"),
        &["--scope", "openid"],
    )
    .ok();
    let v = desk
        .run(&["login", "imp", "--grant", "implicit", "--json"])
        .ok()
        .json();
    assert_eq!(v["grant_type"], "implicit");
    assert_eq!(
        (
            v["has_access_token"].as_bool(),
            v["has_id_token"].as_bool(),
            v["has_refresh_token"].as_bool()
        ),
        (Some(true), Some(true), Some(false))
    );
    let log = std::fs::read_to_string(&desk.browser_log).unwrap();
    assert!(
        log.contains("response_type=id_token+token"),
        "OIDC implicit response type: {log}"
    );
}

#[test]
fn denied_consent_and_wrong_state_store_nothing() {
    let desk = Desk::new();
    desk.add_client("app", "native-public", None, &["--scope", "openid"])
        .ok();
    let denied = desk.run_mode(&["login", "app"], None, "deny");
    assert_eq!(denied.code, 1);
    assert!(
        denied.stderr.contains("access_denied") && denied.stderr.contains("declined"),
        "denial in words: {}",
        denied.stderr
    );
    let tampered = desk.run_mode(&["login", "app"], None, "tamper-state");
    assert_eq!(tampered.code, 1);
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
    let failures = history
        .as_array()
        .unwrap()
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
    let key = format!("grant/{}", first["id"].as_str().unwrap());
    let rt1 = desk.keychain_item(&key).unwrap()["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let refreshed = desk.run(&["refresh", "app", "--json"]).ok().json();
    assert_eq!(refreshed["refresh_count"], 1);
    let rt2 = desk.keychain_item(&key).unwrap()["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(
        rt1, rt2,
        "the rotated refresh token replaced the old one in the keychain"
    );
    let history = desk.run(&["history", "app"]).ok().stdout;
    assert!(history.contains("refresh token rotated"), "{history}");

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
        "{}",
        after.stderr
    );
    assert_eq!(grant_json(&desk, "app")["status"], "needs_login");
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
    assert_eq!(
        desk.run(&["introspect", "basic"]).ok().json()["active"],
        true
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
    let key = format!("grant/{}", v["id"].as_str().unwrap());
    let access = desk.run(&["token", "basic"]).ok().stdout.trim().to_owned();
    let rt = desk.keychain_item(&key).unwrap()["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let all = desk.run(&["revoke", "basic", "--json"]).ok().json();
    assert_eq!(all["status"], "revoked");
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

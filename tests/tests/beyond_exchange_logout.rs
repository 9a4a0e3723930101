//! Issue 5 — beyond the basics, through the real `oauthdesk` binary against the real
//! oidc-provider: what happens to a user's grant afterwards — token exchange for another
//! resource (RFC 8693) and RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).

use oauthdesk_tests::Desk;
use oauthdesk_tests::json::{array, str, token};

#[test]
fn rp_initiated_logout_ends_the_session_then_revokes_and_forgets() {
    let desk = Desk::new();
    desk.add_client(
        "app",
        "native-public",
        None,
        &[
            "--scope",
            "openid offline_access",
            "--param",
            "prompt=consent",
        ],
    )
    .ok();
    let grant = desk.run(&["login", "app", "--json"]).ok().json();
    let id = str(&grant["id"], "the grant's id").to_owned();
    let item = desk
        .keychain_item(&format!("grant/{id}"))
        .expect("the grant's tokens are in the keychain");
    let id_token = str(&item["id_token"], "the keychain item's id_token").to_owned();
    std::fs::write(&desk.browser_log, "").unwrap();
    let out = desk.run(&["logout", "app", "--json"]).ok().json();
    assert_eq!(
        out["ended_at_server"], true,
        "the session was ended at the server: {out}"
    );
    assert_eq!(out["revoked"], true, "the tokens were revoked: {out}");
    assert_eq!(
        out["forgotten"], true,
        "the grant was forgotten locally: {out}"
    );
    let log = desk.read_browser_log();
    assert!(
        log.contains("/session/end")
            && log.contains("id_token_hint=")
            && log.contains("post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A"),
        "the browser was sent to end the session, with a hint and a loopback redirect: {log}"
    );
    assert!(
        desk.keychain_item(&format!("grant/{id}")).is_none(),
        "the tokens left the keychain"
    );
    assert_eq!(
        desk.run(&["grants", "app", "--json"]).ok().json(),
        serde_json::json!([]),
        "no grant is left after the logout"
    );
    let transcript = desk.run(&["log", "app", "--flows", "3"]).ok().stdout;
    assert!(
        transcript.contains("end session request")
            && transcript.contains("post-logout redirect")
            && transcript.contains("state matched"),
        "the logout's steps are in the transcript, with the state checked: {transcript}"
    );
    assert!(
        !transcript.contains(&id_token)
            && (transcript.contains("id_token_hint=%5Bredacted%5D")
                || transcript.contains("id_token_hint=[redacted]")),
        "the hint is redacted in the transcript: {transcript}"
    );
    let history = desk.run(&["history", "app", "--json"]).ok().json();
    assert!(
        array(&history, "the history")
            .iter()
            .any(|e| e["kind"] == "logged_out"),
        "the history records the logout: {history}"
    );

    // --local skips the server; a grant whose revocation fails is kept.
    desk.run(&["login", "app"]).ok();
    let local = desk
        .run(&["logout", "app", "--local", "--json"])
        .ok()
        .json();
    assert_eq!(
        (
            local["ended_at_server"].as_bool(),
            local["forgotten"].as_bool()
        ),
        (Some(false), Some(true)),
        "--local forgets the grant without ending the session at the server: {local}"
    );
    assert!(
        str(&local["server_note"], "the server note").contains("--local"),
        "the note says the server was skipped because of --local: {local}"
    );
}

#[test]
fn token_exchange_trades_a_users_token_for_one_for_another_resource() {
    let desk = Desk::new();
    desk.add_client(
        "user",
        "native-public",
        None,
        &["--scope", "openid api:read api:write"],
    )
    .ok();
    desk.add_client(
        "gateway",
        "exchanger",
        Some("exchanger-secret"),
        &["--scope", "api:read"],
    )
    .ok();
    desk.run(&["login", "user", "--resource", "urn:oauthdesk:opaque-api"])
        .ok();
    let user_grant = desk.run(&["grants", "user", "--json"]).ok().json()[0].clone();
    let exchanged = desk
        .run(&[
            "exchange",
            "gateway",
            "--subject",
            "user",
            "--resource",
            "urn:oauthdesk:jwt-api",
            "--scope",
            "api:read",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        exchanged["grant_type"], "token_exchange",
        "the exchange stores a token_exchange grant: {exchanged}"
    );
    assert_eq!(
        exchanged["client"], "gateway",
        "the new grant belongs to the exchanging client: {exchanged}"
    );
    assert_eq!(
        exchanged["scopes_granted"], "api:read",
        "narrowed to the requested scope: {exchanged}"
    );
    // The new token is for the other resource, on behalf of the same user.
    let inspection = desk
        .run(&["inspect", "gateway", "--no-introspect", "--json"])
        .json();
    let at = token(&inspection, "access_token");
    assert_eq!(
        at["claims"]["aud"], "urn:oauthdesk:jwt-api",
        "the new token is for the other resource: {at}"
    );
    assert_eq!(
        at["claims"]["sub"], "alice",
        "same subject as the user's grant"
    );
    assert_eq!(
        at["claims"]["client_id"], "exchanger",
        "the new token was issued to the exchanging client: {at}"
    );
    let flows = desk.run(&["log", "gateway", "--json"]).ok().json();
    let body = str(
        &flows[0]["exchanges"][0]["request"]["body"],
        "the token request's body",
    )
    .to_owned();
    assert!(
        body.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange")
            && body.contains("subject_token=[redacted]"),
        "a token-exchange request, its subject token redacted in the transcript: {body}"
    );
    assert!(
        body.contains("subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"),
        "the subject token is typed as an access token: {body}"
    );
    let history = desk.run(&["history", "gateway", "--json"]).ok().json();
    assert!(
        array(&history, "the history").iter().any(|e| str(
            &e["detail"],
            "a history entry's detail"
        )
        .contains("issued urn:ietf:params:oauth:token-type:access_token")),
        "the history records the type of the issued token: {history}"
    );
    // A refused exchange says why and stores nothing; the user's grant is untouched.
    let refused = desk.run_mode(
        &["exchange", "gateway", "--subject-token-stdin"],
        Some("not-a-token"),
        "consent",
    );
    assert_eq!(
        refused.code, 1,
        "an exchange of a token the server does not know fails: {}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("invalid_grant"),
        "the server's error code is shown: {}",
        refused.stderr
    );
    let gateway = desk.run(&["grants", "gateway", "--json"]).ok().json();
    assert_eq!(
        array(&gateway, "the gateway's grants").len(),
        1,
        "the refused exchange stored no grant: {gateway}"
    );
    assert_eq!(
        desk.run(&["grants", "user", "--json"]).ok().json()[0]["status"],
        user_grant["status"],
        "the user's grant is untouched by the refused exchange"
    );
}

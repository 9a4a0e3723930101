//! The engine (`Desk`) in-process against the real test server, with the in-memory secret
//! store: the workbench actions the GUI calls. What it does as time passes (JWKS cache expiry,
//! auto-refresh): engine_over_time.rs.

mod engine_support;

use engine_support::{engine, quiet, spec};
use oauthdesk_core::desk::{ApiRequest, SavedRequest, Settings, TokenKind};
use oauthdesk_core::model::{GrantStatus, GrantType};
use oauthdesk_core::{GrantRef, LoginOptions, RevokeWhich};
use oauthdesk_protocol::CredentialInput;

#[tokio::test]
async fn inspect_call_api_and_forget_a_grant() {
    let e = engine().await;
    e.desk
        .add_client(
            spec("app", "native-public", &e.provider.issuer, "openid email"),
            None,
        )
        .await
        .unwrap();
    let grant = e
        .desk
        .login(
            "app",
            LoginOptions::new(GrantType::AuthorizationCode),
            quiet(),
        )
        .await
        .unwrap();

    let inspection = e.desk.inspect_grant(&grant.id).await.unwrap();
    let id_claims = inspection
        .id_token
        .jwt
        .as_ref()
        .and_then(|j| j.claims.clone())
        .expect("ID token decoded");
    assert_eq!(id_claims["sub"], "alice", "claims of the ID token");
    assert_eq!(
        inspection.id_token.jwt.as_ref().unwrap().header["alg"],
        "RS256",
        "JWT header shown"
    );
    assert!(
        inspection.access_token.present && inspection.access_token.jwt.is_none(),
        "opaque access token: present, not a JWT"
    );
    let raw = e
        .desk
        .reveal_token(&grant.id, TokenKind::Access)
        .await
        .unwrap();
    let shown = serde_json::to_string(&serde_json::json!({ "a": inspection.access_token.preview, "r": inspection.refresh_token.preview })).unwrap();
    assert!(
        !shown.contains(raw.as_str()),
        "inspection carries previews, never the token"
    );

    let userinfo = format!("{}/me", e.provider.issuer);
    let resp = e
        .desk
        .call_api(
            GrantRef::Id(&grant.id),
            ApiRequest {
                method: "get".into(),
                url: userinfo.clone(),
                headers: vec![("accept".into(), "application/json".into())],
                body: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        resp.status, 200,
        "the grant's token was injected: {}",
        resp.body
    );
    assert!(
        resp.pretty_json.unwrap().contains("\"sub\": \"alice\""),
        "JSON pretty-printed"
    );
    let flows = e.desk.transcripts("app", 1).await.unwrap();
    assert_eq!(
        flows[0].operation, "api call",
        "the API call is recorded as a transcript of its own"
    );
    assert_eq!(
        flows[0].exchanges[0]
            .request
            .headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.as_str()),
        Some("Bearer [redacted]"),
        "token redacted in the transcript"
    );

    e.desk.forget_grant(&grant.id).await.unwrap();
    assert!(
        e.desk.grants(Some("app")).await.unwrap().is_empty(),
        "forgotten locally"
    );
    assert!(
        e.desk
            .reveal_token(&grant.id, TokenKind::Access)
            .await
            .is_err(),
        "the forgotten grant's tokens are gone from the secret store"
    );
}

#[tokio::test]
async fn update_duplicate_and_remove_with_revocation() {
    let e = engine().await;
    e.desk
        .add_client(
            spec("basic", "web-basic", &e.provider.issuer, "openid"),
            Some(CredentialInput::new("s3cr3t:with/special+chars%&=")),
        )
        .await
        .unwrap();
    let copy = e.desk.duplicate_client("basic", "basic 2").await.unwrap();
    assert!(copy.has_secret, "the copy carries the secret");
    let g = e
        .desk
        .login(
            "basic 2",
            LoginOptions::new(GrantType::AuthorizationCode),
            quiet(),
        )
        .await
        .expect("the copied secret authenticates");

    let mut changed = spec("basic 2", "web-basic", &e.provider.issuer, "openid email");
    changed.auth_method = Some(oauthdesk_protocol::client_auth::AuthMethod::ClientSecretPost);
    let updated = e
        .desk
        .update_client("basic 2", changed, None)
        .await
        .unwrap();
    assert_eq!(
        (updated.scopes.as_str(), updated.has_secret),
        ("openid email", true),
        "secret kept when not re-entered"
    );
    assert_eq!(
        e.desk.grants(Some("basic 2")).await.unwrap().len(),
        1,
        "grants survive an update"
    );

    let access = e.desk.reveal_token(&g.id, TokenKind::Access).await.unwrap();
    e.desk.remove_client("basic 2", true).await.unwrap();
    assert!(e.desk.client("basic 2").await.is_err(), "client removed");
    let (_, body) = oauthdesk_tests::http(
        reqwest::Method::POST,
        &format!("{}/token/introspection", e.provider.issuer),
        &[("token", access.as_str())],
        Some(("web-basic", "s3cr3t:with/special+chars%&=")),
    );
    assert_eq!(
        body["active"], false,
        "its tokens were revoked at the server first"
    );
    assert!(
        e.desk.client("basic").await.unwrap().has_secret,
        "the original is untouched"
    );
}

#[tokio::test]
async fn revoke_by_grant_id_and_status_changes() {
    let e = engine().await;
    e.desk
        .add_client(
            spec("svc", "service", &e.provider.issuer, "api:read"),
            Some(CredentialInput::new("service-secret")),
        )
        .await
        .unwrap();
    let g = e
        .desk
        .login(
            "svc",
            LoginOptions::new(GrantType::ClientCredentials),
            quiet(),
        )
        .await
        .unwrap();
    assert_eq!(
        g.status,
        GrantStatus::Active,
        "a client credentials login gives an active grant"
    );
    let renewed = e.desk.refresh(GrantRef::Id(&g.id)).await.unwrap();
    assert_eq!(
        renewed.refresh_count, 1,
        "client credentials renew by asking again"
    );
    let revoked = e
        .desk
        .revoke(GrantRef::Id(&g.id), RevokeWhich::All)
        .await
        .unwrap();
    assert_eq!(
        revoked.status,
        GrantStatus::Revoked,
        "no refresh token left → revoked"
    );
    assert!(
        e.desk.token(GrantRef::Id(&g.id), 0).await.is_err(),
        "a revoked grant hands out nothing"
    );
}

#[tokio::test]
async fn saved_requests_and_settings() {
    let e = engine().await;
    e.desk
        .add_client(
            spec("app", "native-public", &e.provider.issuer, "openid"),
            None,
        )
        .await
        .unwrap();
    let req = SavedRequest {
        id: String::new(),
        name: "me".into(),
        method: "GET".into(),
        url: "https://api.example/me".into(),
        headers: vec![("accept".into(), "application/json".into())],
        body: String::new(),
    };
    let saved = e.desk.save_request("app", req.clone()).await.unwrap();
    assert!(!saved.id.is_empty(), "a saved request gets an id");
    let again = e
        .desk
        .save_request(
            "app",
            SavedRequest {
                url: "https://api.example/v2/me".into(),
                ..req.clone()
            },
        )
        .await
        .unwrap();
    let list = e.desk.saved_requests("app").await.unwrap();
    assert_eq!(
        (list.len(), list[0].url.as_str()),
        (1, "https://api.example/v2/me"),
        "same name updates in place ({})",
        again.id
    );
    let with_auth = SavedRequest {
        name: "bad".into(),
        headers: vec![("Authorization".into(), "Bearer x".into())],
        ..req
    };
    assert!(
        e.desk.save_request("app", with_auth).await.is_err(),
        "saved requests never keep a token"
    );
    e.desk.delete_saved_request(&list[0].id).await.unwrap();
    assert!(
        e.desk.saved_requests("app").await.unwrap().is_empty(),
        "a deleted saved request is gone"
    );

    assert_eq!(
        e.desk.settings().await.unwrap(),
        Settings::default(),
        "a new data dir starts with the default settings"
    );
    let s = e
        .desk
        .set_settings(Settings {
            theme: "dark".into(),
            clock_skew_secs: 120,
            network: Default::default(),
        })
        .await
        .unwrap();
    assert_eq!(e.desk.settings().await.unwrap(), s, "settings persist");
    assert!(
        e.desk
            .set_settings(Settings {
                theme: "neon".into(),
                clock_skew_secs: 0,
                network: Default::default(),
            })
            .await
            .is_err(),
        "unknown theme refused"
    );
    assert!(
        e.desk.keychain().await.available,
        "memory store is always available"
    );
}

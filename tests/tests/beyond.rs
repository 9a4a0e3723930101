//! Issue 5 — beyond the basics, through the real `oauthdesk` binary against the real
//! oidc-provider: pushed authorization requests (RFC 9126) and resource indicators (RFC 8707).

use oauthdesk_tests::Desk;

#[test]
fn pushed_authorization_requests_send_only_a_reference_through_the_browser() {
    let desk = Desk::new();
    desk.add_client(
        "par",
        "native-public",
        None,
        &["--scope", "openid email", "--par"],
    )
    .ok();
    let view = desk.run(&["login", "par", "--json"]).ok().json();
    assert_eq!(view["status"], "active");
    let log = std::fs::read_to_string(&desk.browser_log).unwrap();
    let opened = log
        .lines()
        .find(|l| l.contains("request_uri"))
        .unwrap_or_else(|| panic!("the browser got a request_uri: {log}"));
    for param in ["code_challenge", "nonce", "state", "redirect_uri", "scope"] {
        assert!(
            !opened.contains(&format!("{param}=")),
            "{param} travels in the pushed request, not the browser URL: {opened}"
        );
    }
    let transcript = desk.run(&["log", "par"]).ok().stdout;
    assert!(
        transcript.contains("pushed authorization request") && transcript.contains("201"),
        "the PAR exchange is recorded: {transcript}"
    );
    // The ID token still passes every check (the nonce went through the pushed request).
    assert_eq!(desk.run(&["inspect", "par", "--no-introspect"]).code, 0);

    // A client the server requires to use PAR: without it the server refuses, in words; with it, it works.
    desk.add_client("strict", "par-required", None, &["--scope", "openid"])
        .ok();
    let refused = desk.run(&["login", "strict"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .to_lowercase()
            .contains("pushed authorization request"),
        "the server's reason is shown: {}",
        refused.stderr
    );
    desk.add_client(
        "strict-par",
        "par-required",
        None,
        &["--scope", "openid", "--par"],
    )
    .ok();
    desk.run(&["login", "strict-par"]).ok();
    assert_eq!(
        desk.run(&["client", "show", "strict-par", "--json"])
            .ok()
            .json()["par"],
        true
    );
}

#[test]
fn resource_indicators_reach_the_token_request_and_the_refresh() {
    let desk = Desk::new();
    desk.add_client(
        "api",
        "native-public",
        None,
        &[
            "--scope",
            "openid api:read offline_access",
            "--param",
            "prompt=consent",
        ],
    )
    .ok();
    let bad = desk.run(&["login", "api", "--resource", "not a uri"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("RFC 8707"), "{}", bad.stderr);

    desk.run(&[
        "login",
        "api",
        "--resource",
        "urn:oauthdesk:jwt-api",
        "--json",
    ])
    .ok();
    let log = std::fs::read_to_string(&desk.browser_log).unwrap();
    assert!(
        log.contains("resource=urn%3Aoauthdesk%3Ajwt-api"),
        "the authorization request names the resource: {log}"
    );
    // oidc-provider issues the JWT access token only when the token request names the resource too.
    let at = |desk: &Desk| {
        let v = desk
            .run(&["inspect", "api", "--no-introspect", "--json"])
            .json();
        v["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["token"] == "access_token")
            .cloned()
            .unwrap()
    };
    let first = at(&desk);
    assert_eq!(
        first["format"], "jws",
        "an RFC 9068 token for the resource: {first}"
    );
    assert_eq!(first["claims"]["aud"], "urn:oauthdesk:jwt-api");
    let aud = first["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "aud")
        .unwrap()
        .clone();
    assert_eq!(aud["status"], "pass", "{aud}");
    let transcript = desk.run(&["log", "api", "--json"]).ok().json();
    let token_request = transcript[0]["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["step"] == "token request (authorization_code)")
        .unwrap()
        .clone();
    assert!(
        token_request["request"]["body"]
            .as_str()
            .unwrap()
            .contains("resource=urn%3Aoauthdesk%3Ajwt-api"),
        "{token_request}"
    );

    // A refresh asks for the same resource: the new token has the same audience.
    desk.run(&["refresh", "api"]).ok();
    let after = at(&desk);
    assert_eq!(
        after["format"], "jws",
        "still a JWT for the resource after refresh: {after}"
    );
    assert_eq!(after["claims"]["aud"], "urn:oauthdesk:jwt-api");
    assert_ne!(
        after["claims"]["jti"], first["claims"]["jti"],
        "a new token"
    );
}

#[test]
fn clients_export_without_secrets_and_import_elsewhere() {
    let desk = Desk::new();
    let issuer = desk.provider.issuer.clone();
    let secret = "s3cr3t:with/special+chars%&=";
    desk.add_client(
        "web",
        "web-basic",
        Some(secret),
        &[
            "--scope",
            "openid email",
            "--param",
            "prompt=consent",
            "--par",
        ],
    )
    .ok();
    desk.add_client(
        "public",
        "native-public",
        None,
        &[
            "--scope",
            "openid",
            "--revocation-endpoint",
            &format!("{issuer}/token/revocation"),
        ],
    )
    .ok();
    let file = desk.home.path().join("clients.json");
    desk.run(&["client", "export", "--out", file.to_str().unwrap()])
        .ok();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(secret), "no secret in an export");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format"], "oauthdesk.clients/1");
    let web = v["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "web")
        .unwrap();
    assert_eq!(web["needs_secret"], true);
    assert_eq!(web["par"], true);
    assert_eq!(
        web["extra_params"],
        serde_json::json!([["prompt", "consent"]])
    );
    assert!(
        web["endpoints"]["token"].is_null(),
        "discovered endpoints are discovered again, not frozen: {web}"
    );

    // Another installation.
    let other = Desk::with_provider(oauthdesk_tests::Provider::start());
    let text = text.replace(&issuer, &other.provider.issuer);
    let file2 = other.home.path().join("clients.json");
    std::fs::write(&file2, text).unwrap();
    let report = other
        .run(&["client", "import", file2.to_str().unwrap(), "--json"])
        .ok()
        .json();
    assert_eq!(report["source"], "oauthdesk");
    assert_eq!(report["added"], serde_json::json!(["public", "web"]));
    assert_eq!(report["need_secret"], serde_json::json!(["web"]));
    let refused = other.run(&["login", "web"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("set-secret"),
        "says how to add the secret: {}",
        refused.stderr
    );
    other
        .run_mode(&["client", "set-secret", "web"], Some(secret), "consent")
        .ok();
    other.run(&["login", "web"]).ok();
    // Importing again keeps both copies apart.
    let again = other
        .run(&["client", "import", file2.to_str().unwrap(), "--json"])
        .ok()
        .json();
    assert_eq!(again["added"], serde_json::json!(["public (2)", "web (2)"]));
}

#[test]
fn postman_collections_import_with_their_environment() {
    let desk = Desk::new();
    let issuer = desk.provider.issuer.clone();
    let collection = serde_json::json!({
        "info": { "name": "Partner API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
        "variable": [{ "key": "scope", "value": "api:read" }],
        "auth": { "type": "oauth2", "oauth2": [
            { "key": "tokenName", "value": "Partner (user)", "type": "string" },
            { "key": "grant_type", "value": "authorization_code_with_pkce", "type": "string" },
            { "key": "authUrl", "value": "{{base}}/auth", "type": "string" },
            { "key": "accessTokenUrl", "value": "{{base}}/token", "type": "string" },
            { "key": "clientId", "value": "native-public", "type": "string" },
            { "key": "scope", "value": "openid", "type": "string" },
            { "key": "redirect_uri", "value": "https://oauth.pstmn.io/v1/callback", "type": "string" }
        ]},
        "item": [{ "name": "Machine calls", "request": { "method": "GET", "url": "{{base}}/me", "auth": { "type": "oauth2", "oauth2": [
            { "key": "grant_type", "value": "client_credentials", "type": "string" },
            { "key": "accessTokenUrl", "value": "{{base}}/token", "type": "string" },
            { "key": "clientId", "value": "service", "type": "string" },
            { "key": "clientSecret", "value": "{{service_secret}}", "type": "string" },
            { "key": "scope", "value": "{{scope}}", "type": "string" }
        ]}}}]
    });
    let env = serde_json::json!({ "name": "local", "values": [
        { "key": "base", "value": issuer, "enabled": true },
        { "key": "service_secret", "value": "service-secret", "enabled": true }
    ]});
    let dir = desk.home.path();
    std::fs::write(dir.join("c.json"), collection.to_string()).unwrap();
    std::fs::write(dir.join("e.json"), env.to_string()).unwrap();
    let (c, e) = (dir.join("c.json"), dir.join("e.json"));
    let report = desk
        .run(&[
            "client",
            "import",
            c.to_str().unwrap(),
            "--postman-env",
            e.to_str().unwrap(),
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(report["source"], "postman");
    assert_eq!(
        report["added"],
        serde_json::json!(["Partner (user)", "Machine calls"])
    );
    assert_eq!(
        report["need_secret"],
        serde_json::json!(["Machine calls"]),
        "secrets stay out unless asked for"
    );
    let user = desk
        .run(&["client", "show", "Partner (user)", "--json"])
        .ok()
        .json();
    assert_eq!(
        user["endpoints"]["token"],
        format!("{issuer}/token"),
        "{{{{base}}}} resolved from the environment"
    );
    assert_eq!(user["auth_method"], "none");
    assert_eq!(
        user["redirect_uri"], "http://127.0.0.1/callback",
        "Postman's hosted callback is replaced by loopback"
    );
    desk.run(&["login", "Partner (user)"]).ok();

    // With --with-secrets the Postman secret is moved into the keychain and works.
    let moved = desk
        .run(&[
            "client",
            "import",
            c.to_str().unwrap(),
            "--postman-env",
            e.to_str().unwrap(),
            "--with-secrets",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        moved["secrets_stored"],
        serde_json::json!(["Machine calls (2)"])
    );
    let svc = desk
        .run(&[
            "login",
            "Machine calls (2)",
            "--grant",
            "client_credentials",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        svc["scopes_granted"], "api:read",
        "{{{{scope}}}} from the collection's variables"
    );
    let db = desk.database_bytes();
    assert!(
        !oauthdesk_tests::contains_bytes(&db, "service-secret"),
        "the secret is in the keychain, not the database"
    );
}

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
    let id = grant["id"].as_str().unwrap().to_owned();
    let id_token = desk.keychain_item(&format!("grant/{id}")).unwrap()["id_token"]
        .as_str()
        .unwrap()
        .to_owned();
    std::fs::write(&desk.browser_log, "").unwrap();
    let out = desk.run(&["logout", "app", "--json"]).ok().json();
    assert_eq!(out["ended_at_server"], true, "{out}");
    assert_eq!(out["revoked"], true);
    assert_eq!(out["forgotten"], true);
    let log = std::fs::read_to_string(&desk.browser_log).unwrap();
    assert!(
        log.contains("/session/end")
            && log.contains("id_token_hint=")
            && log.contains("post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A"),
        "{log}"
    );
    assert!(
        desk.keychain_item(&format!("grant/{id}")).is_none(),
        "the tokens left the keychain"
    );
    assert_eq!(
        desk.run(&["grants", "app", "--json"]).ok().json(),
        serde_json::json!([])
    );
    let transcript = desk.run(&["log", "app", "--flows", "3"]).ok().stdout;
    assert!(
        transcript.contains("end session request")
            && transcript.contains("post-logout redirect")
            && transcript.contains("state matched"),
        "{transcript}"
    );
    assert!(
        !transcript.contains(&id_token)
            && (transcript.contains("id_token_hint=%5Bredacted%5D")
                || transcript.contains("id_token_hint=[redacted]")),
        "the hint is redacted in the transcript: {transcript}"
    );
    let history = desk.run(&["history", "app", "--json"]).ok().json();
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "logged_out"),
        "{history}"
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
        "{local}"
    );
    assert!(local["server_note"].as_str().unwrap().contains("--local"));
}

#[test]
fn dynamic_registration_then_read_update_and_delete() {
    let desk = Desk::new();
    let issuer = desk.provider.issuer.clone();
    let client = desk
        .run(&[
            "client",
            "register",
            "dyn",
            "--issuer",
            &issuer,
            "--scope",
            "openid email",
            "--auth-method",
            "client_secret_basic",
            "--json",
        ])
        .ok()
        .json();
    let client_id = client["client_id"].as_str().unwrap().to_owned();
    assert!(!client_id.is_empty());
    assert_eq!(
        client["has_secret"], true,
        "the issued secret went to the keychain"
    );
    assert!(
        client["registration_client_uri"]
            .as_str()
            .unwrap()
            .contains(&client_id)
    );
    let id = client["id"].as_str().unwrap();
    let rat = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "oauthdesk",
            "username",
            &format!("registration/{id}"),
        ])
        .output()
        .unwrap();
    assert!(
        !rat.stdout.is_empty(),
        "the registration access token is in the keychain"
    );
    let db = desk.database_bytes();
    assert!(
        !oauthdesk_tests::contains_bytes(&db, String::from_utf8_lossy(&rat.stdout).trim()),
        "and not in the database"
    );
    // The new client works for a real login, with the secret from the keychain (basic auth).
    desk.run(&["login", "dyn"]).ok();
    let transcript = desk
        .run(&["log", "dyn", "--flows", "5", "--json"])
        .ok()
        .stdout;
    assert!(
        !transcript.contains(String::from_utf8_lossy(&rat.stdout).trim()),
        "the transcript redacts the registration token"
    );

    let read = desk.run(&["client", "registration", "dyn"]).ok().json();
    assert_eq!(read["client_id"], client_id.as_str());
    assert_eq!(read["scope"], "openid email");
    assert!(
        read.get("client_secret").is_none() && read.get("registration_access_token").is_none(),
        "secrets are not shown: {read}"
    );
    let updated = desk
        .run(&["client", "registration", "dyn", "--set-scope", "openid"])
        .ok()
        .json();
    assert_eq!(updated["scope"], "openid");
    assert_eq!(
        desk.run(&["client", "show", "dyn", "--json"]).ok().json()["scopes"],
        "openid"
    );

    desk.run(&["client", "registration", "dyn", "--delete"])
        .ok();
    assert_eq!(
        desk.run(&["client", "list", "--json"]).ok().json(),
        serde_json::json!([])
    );
    let gone = rat_lookup(id);
    assert!(gone.is_empty(), "the registration token left the keychain");
    // The server forgot the client: a direct read with the old token fails.
    let (status, _) = oauthdesk_tests::http(
        reqwest::Method::GET,
        client["registration_client_uri"].as_str().unwrap(),
        &[],
        None,
    );
    assert!(status >= 400, "the registration is gone at the server");

    let refused = desk.run(&[
        "client",
        "register",
        "x",
        "--issuer",
        "http://127.0.0.1:9",
        "--json",
    ]);
    assert_eq!(refused.code, 1);
}

fn rat_lookup(id: &str) -> Vec<u8> {
    std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "oauthdesk",
            "username",
            &format!("registration/{id}"),
        ])
        .output()
        .unwrap()
        .stdout
}

#[test]
fn jwt_client_authentication_with_a_secret_and_with_a_generated_key() {
    let desk = Desk::new();
    let issuer = desk.provider.issuer.clone();
    // client_secret_jwt against a static client.
    desk.add_client(
        "hs",
        "jwt-secret",
        Some("jwt-secret-0123456789-0123456789-abcdef"),
        &["--auth-method", "client_secret_jwt", "--scope", "api:read"],
    )
    .ok();
    let grant = desk
        .run(&["login", "hs", "--grant", "client_credentials", "--json"])
        .ok()
        .json();
    assert_eq!(grant["status"], "active");
    let flows = desk.run(&["log", "hs", "--json"]).ok().json();
    let body = flows[0]["exchanges"][0]["request"]["body"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        body.contains(
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
        ),
        "{body}"
    );
    assert!(
        body.contains("client_assertion=%5Bredacted%5D")
            || body.contains("client_assertion=[redacted]"),
        "the assertion is redacted: {body}"
    );
    assert!(
        !body.contains("client_secret="),
        "the secret itself is never sent"
    );

    // private_key_jwt: registered dynamically with a key pair made here; the public JWK is shown.
    let client = desk
        .run(&[
            "client",
            "register",
            "pk",
            "--issuer",
            &issuer,
            "--auth-method",
            "private_key_jwt",
            "--grant-type",
            "client_credentials",
            "--scope",
            "api:read",
            "--json",
        ])
        .ok()
        .json();
    let jwk = &client["public_jwk"];
    assert_eq!(
        (
            jwk["kty"].as_str(),
            jwk["crv"].as_str(),
            jwk["alg"].as_str()
        ),
        (Some("EC"), Some("P-256"), Some("ES256")),
        "{client}"
    );
    assert!(jwk.get("d").is_none(), "no private part in the view: {jwk}");
    let shown = desk.run(&["client", "show", "pk"]).ok().stdout;
    assert!(
        shown.contains("public JWK") && shown.contains(jwk["x"].as_str().unwrap()),
        "{shown}"
    );
    let registered = desk.run(&["client", "registration", "pk"]).ok().json();
    assert_eq!(registered["token_endpoint_auth_method"], "private_key_jwt");
    assert_eq!(
        registered["jwks"]["keys"][0]["x"], jwk["x"],
        "the server holds our public key"
    );
    desk.run(&["login", "pk", "--grant", "client_credentials"])
        .ok();
    // Introspection and revocation authenticate the same way.
    assert_eq!(desk.run(&["introspect", "pk"]).ok().json()["active"], true);
    desk.run(&["revoke", "pk"]).ok();
    let db = desk.database_bytes();
    let id = client["id"].as_str().unwrap();
    let private = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "oauthdesk",
            "username",
            &format!("client/{id}"),
        ])
        .output()
        .unwrap()
        .stdout;
    assert!(!private.is_empty(), "the private key is in the keychain");
    assert!(
        !oauthdesk_tests::contains_bytes(&db, String::from_utf8_lossy(&private).trim()),
        "and not in the database"
    );
}

#[test]
fn dpop_binds_tokens_to_a_key_and_answers_nonce_challenges() {
    let desk = Desk::new();
    desk.add_client(
        "dpop",
        "native-public",
        None,
        &[
            "--scope",
            "openid offline_access api:read",
            "--param",
            "prompt=consent",
            "--dpop",
        ],
    )
    .ok();
    let grant = desk
        .run(&[
            "login",
            "dpop",
            "--resource",
            "urn:oauthdesk:jwt-api",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(grant["token_type"], "DPoP", "a DPoP-bound token: {grant}");
    // The server demands a nonce (use_dpop_nonce); the token request is retried once with it.
    let flows = desk.run(&["log", "dpop", "--json"]).ok().json();
    let steps: Vec<&str> = flows[0]["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert!(
        steps.contains(&"token request (authorization_code)")
            && steps.contains(&"token request (authorization_code) (with the server's DPoP nonce)"),
        "{steps:?}"
    );
    let retry = flows[0]["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["step"] == "token request (authorization_code) (with the server's DPoP nonce)")
        .unwrap();
    assert!(
        retry["request"]["headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h[0] == "dpop"),
        "the proof is sent: {retry}"
    );
    // The JWT access token is bound to our key: cnf.jkt is its thumbprint.
    let inspection = desk
        .run(&["inspect", "dpop", "--no-introspect", "--json"])
        .json();
    let at = inspection["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["token"] == "access_token")
        .unwrap()
        .clone();
    let cnf = at["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "cnf.jkt")
        .unwrap()
        .clone();
    assert_eq!(cnf["status"], "pass", "{cnf}");
    assert_eq!(
        at["claims"]["cnf"]["jkt"]
            .as_str()
            .map(|j| cnf["reason"].as_str().unwrap().contains(j)),
        Some(true)
    );
    // A refresh is a DPoP request too; the new token stays bound.
    assert_eq!(
        desk.run(&["refresh", "dpop", "--json"]).ok().json()["token_type"],
        "DPoP"
    );
    let id = desk.run(&["client", "show", "dpop", "--json"]).ok().json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "oauthdesk",
            "username",
            &format!("dpop/{id}"),
        ])
        .output()
        .unwrap()
        .stdout;
    assert!(!key.is_empty(), "the DPoP private key is in the keychain");
    assert!(
        !oauthdesk_tests::contains_bytes(
            &desk.database_bytes(),
            String::from_utf8_lossy(&key).trim()
        ),
        "and not in the database"
    );

    // Userinfo with a DPoP-bound token: DPoP scheme, proof with ath, nonce retry at the resource.
    desk.add_client(
        "dpop-oidc",
        "native-public",
        None,
        &["--scope", "openid email", "--dpop"],
    )
    .ok();
    desk.run(&["login", "dpop-oidc"]).ok();
    let info = desk.run(&["userinfo", "dpop-oidc"]).ok().json();
    assert_eq!(info["sub"], "alice");
    let flows = desk.run(&["log", "dpop-oidc", "--json"]).ok().json();
    let calls: Vec<&serde_json::Value> = flows[0]["exchanges"].as_array().unwrap().iter().collect();
    let first = calls.iter().find(|e| e["step"] == "userinfo").unwrap();
    assert!(
        first["request"]["headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h[0] == "authorization" && h[1].as_str().unwrap().starts_with("DPoP ")),
        "{first}"
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
    assert_eq!(exchanged["grant_type"], "token_exchange");
    assert_eq!(exchanged["client"], "gateway");
    assert_eq!(
        exchanged["scopes_granted"], "api:read",
        "narrowed to the requested scope: {exchanged}"
    );
    // The new token is for the other resource, on behalf of the same user.
    let inspection = desk
        .run(&["inspect", "gateway", "--no-introspect", "--json"])
        .json();
    let at = inspection["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["token"] == "access_token")
        .unwrap()
        .clone();
    assert_eq!(at["claims"]["aud"], "urn:oauthdesk:jwt-api", "{at}");
    assert_eq!(
        at["claims"]["sub"], "alice",
        "same subject as the user's grant"
    );
    assert_eq!(at["claims"]["client_id"], "exchanger");
    let flows = desk.run(&["log", "gateway", "--json"]).ok().json();
    let body = flows[0]["exchanges"][0]["request"]["body"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        body.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange")
            && body.contains("subject_token=[redacted]"),
        "{body}"
    );
    assert!(
        body.contains("subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token")
    );
    let history = desk.run(&["history", "gateway", "--json"]).ok().json();
    assert!(
        history.as_array().unwrap().iter().any(|e| e["detail"]
            .as_str()
            .unwrap()
            .contains("issued urn:ietf:params:oauth:token-type:access_token")),
        "{history}"
    );
    // A refused exchange says why and stores nothing; the user's grant is untouched.
    let refused = desk.run_mode(
        &["exchange", "gateway", "--subject-token-stdin"],
        Some("not-a-token"),
        "consent",
    );
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("invalid_grant"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        desk.run(&["grants", "gateway", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        desk.run(&["grants", "user", "--json"]).ok().json()[0]["status"],
        user_grant["status"]
    );
}

#[test]
fn provider_presets_fill_endpoints_and_defaults() {
    let desk = Desk::new();
    let all = desk.run(&["presets", "--json"]).ok().json();
    let ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "google", "github", "entra", "gitlab", "okta", "auth0", "keycloak", "slack"
        ]
    );
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|p| !p["quirks"].as_array().unwrap().is_empty()),
        "every preset documents its quirks"
    );
    // GitHub has no discovery: the preset's endpoints and defaults are used (no network needed).
    let gh = desk
        .run_mode(
            &[
                "client",
                "add",
                "gh",
                "--preset",
                "github",
                "--client-id",
                "Iv1.abc",
                "--client-secret-stdin",
                "--json",
            ],
            Some("gh-secret"),
            "consent",
        )
        .ok()
        .json();
    assert_eq!(
        gh["endpoints"]["token"],
        "https://github.com/login/oauth/access_token"
    );
    assert_eq!(
        gh["endpoints"]["device_authorization"],
        "https://github.com/login/device/code"
    );
    assert_eq!(gh["scopes"], "read:user user:email");
    assert_eq!(gh["auth_method"], "client_secret_post");
    // A placeholder left open is refused in words before anything is fetched.
    let entra = desk.run(&[
        "client",
        "add",
        "ms",
        "--preset",
        "entra",
        "--client-id",
        "x",
    ]);
    assert_eq!(entra.code, 1);
    assert!(
        entra.stderr.contains("tenant") && entra.stderr.contains("--preset-var"),
        "{}",
        entra.stderr
    );
    let text = desk.run(&["presets"]).ok().stdout;
    assert!(
        text.contains("Accept: application/json") && text.contains("{tenantid}"),
        "{text}"
    );
}

//! Issue 5 — beyond the basics, through the real `oauthdesk` binary against the real
//! oidc-provider: getting clients in and out — exports without secrets and their import into
//! another installation, Postman collections with their environment, and provider presets.

use oauthdesk_tests::json::{array, str};
use oauthdesk_tests::{Desk, contains_bytes};

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
    let text = std::fs::read_to_string(&file).expect("the export was written to --out");
    assert!(!text.contains(secret), "no secret in an export");
    let v: serde_json::Value = serde_json::from_str(&text).expect("the export is JSON");
    assert_eq!(
        v["format"], "oauthdesk.clients/1",
        "the export names its format and version: {v}"
    );
    let Some(web) = array(&v["clients"], "the exported clients")
        .iter()
        .find(|c| c["name"] == "web")
    else {
        panic!("the export holds the web client: {v}");
    };
    assert_eq!(
        web["needs_secret"], true,
        "a confidential client is marked as needing its secret again: {web}"
    );
    assert_eq!(web["par"], true, "the PAR setting is exported: {web}");
    assert_eq!(
        web["extra_params"],
        serde_json::json!([["prompt", "consent"]]),
        "extra authorization parameters are exported: {web}"
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
    assert_eq!(
        report["source"], "oauthdesk",
        "the import recognises an OAuth Desk export: {report}"
    );
    assert_eq!(
        report["added"],
        serde_json::json!(["public", "web"]),
        "both clients are added: {report}"
    );
    assert_eq!(
        report["need_secret"],
        serde_json::json!(["web"]),
        "the import names the client that still needs its secret: {report}"
    );
    let refused = other.run(&["login", "web"]);
    assert_eq!(
        refused.code, 1,
        "a client imported without its secret cannot log in yet: {}",
        refused.stderr
    );
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
    assert_eq!(
        again["added"],
        serde_json::json!(["public (2)", "web (2)"]),
        "importing again adds numbered copies beside the first: {again}"
    );
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
    assert_eq!(
        report["source"], "postman",
        "a Postman collection is recognised: {report}"
    );
    assert_eq!(
        report["added"],
        serde_json::json!(["Partner (user)", "Machine calls"]),
        "the collection's auth and the request's auth each become a client: {report}"
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
    assert_eq!(
        user["auth_method"], "none",
        "a PKCE client without a secret authenticates with none: {user}"
    );
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
        serde_json::json!(["Machine calls (2)"]),
        "with --with-secrets the environment's secret is stored for the new copy: {moved}"
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
        !contains_bytes(&db, "service-secret"),
        "the secret is in the keychain, not the database"
    );
}

#[test]
fn provider_presets_fill_endpoints_and_defaults() {
    let desk = Desk::new();
    let all = desk.run(&["presets", "--json"]).ok().json();
    let ids: Vec<&str> = array(&all, "the presets")
        .iter()
        .map(|p| str(&p["id"], "a preset's id"))
        .collect();
    assert_eq!(
        ids,
        [
            "google", "github", "entra", "gitlab", "okta", "auth0", "keycloak", "slack"
        ],
        "every preset is listed, in the documented order"
    );
    assert!(
        array(&all, "the presets")
            .iter()
            .all(|p| !array(&p["quirks"], "a preset's quirks").is_empty()),
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
        gh["endpoints"]["token"], "https://github.com/login/oauth/access_token",
        "the GitHub preset fills the token endpoint: {gh}"
    );
    assert_eq!(
        gh["endpoints"]["device_authorization"], "https://github.com/login/device/code",
        "the GitHub preset fills the device authorization endpoint: {gh}"
    );
    assert_eq!(
        gh["scopes"], "read:user user:email",
        "the GitHub preset's default scopes: {gh}"
    );
    assert_eq!(
        gh["auth_method"], "client_secret_post",
        "GitHub takes the client secret in the form body: {gh}"
    );
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
    assert_eq!(
        entra.code, 1,
        "a preset placeholder left open is refused: {}",
        entra.stderr
    );
    assert!(
        entra.stderr.contains("tenant") && entra.stderr.contains("--preset-var"),
        "the refusal names the placeholder and how to fill it: {}",
        entra.stderr
    );
    let text = desk.run(&["presets"]).ok().stdout;
    assert!(
        text.contains("Accept: application/json") && text.contains("{tenantid}"),
        "the text listing shows each preset's quirks and placeholders: {text}"
    );
}

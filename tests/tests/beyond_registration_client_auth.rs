//! Issue 5 — beyond the basics, through the real `oauthdesk` binary against the real
//! oidc-provider: dynamic client registration and its management (RFC 7591, RFC 7592), and JWT
//! client authentication (RFC 7523: client_secret_jwt, private_key_jwt with a key made here).

use oauthdesk_tests::json::str;
use oauthdesk_tests::{Desk, contains_bytes};

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
    let client_id = str(&client["client_id"], "the registered client_id").to_owned();
    assert!(
        !client_id.is_empty(),
        "the server issued a client_id: {client}"
    );
    assert_eq!(
        client["has_secret"], true,
        "the issued secret went to the keychain"
    );
    assert!(
        str(&client["registration_client_uri"], "the registration URI").contains(&client_id),
        "the registration URI (RFC 7592) names the new client: {client}"
    );
    let id = str(&client["id"], "the client's local id");
    let rat = desk.keychain_bytes(&format!("registration/{id}"));
    assert!(
        !rat.is_empty(),
        "the registration access token is in the keychain"
    );
    let db = desk.database_bytes();
    assert!(
        !contains_bytes(&db, String::from_utf8_lossy(&rat).trim()),
        "the registration access token is not in the database"
    );
    // The new client works for a real login, with the secret from the keychain (basic auth).
    desk.run(&["login", "dyn"]).ok();
    let transcript = desk
        .run(&["log", "dyn", "--flows", "5", "--json"])
        .ok()
        .stdout;
    assert!(
        !transcript.contains(String::from_utf8_lossy(&rat).trim()),
        "the transcript redacts the registration token"
    );

    let read = desk.run(&["client", "registration", "dyn"]).ok().json();
    assert_eq!(
        read["client_id"],
        client_id.as_str(),
        "the registration read back (RFC 7592) is our client's: {read}"
    );
    assert_eq!(
        read["scope"], "openid email",
        "the server registered the scopes asked for: {read}"
    );
    assert!(
        read.get("client_secret").is_none() && read.get("registration_access_token").is_none(),
        "secrets are not shown: {read}"
    );
    let updated = desk
        .run(&["client", "registration", "dyn", "--set-scope", "openid"])
        .ok()
        .json();
    assert_eq!(
        updated["scope"], "openid",
        "the update changed the scope at the server: {updated}"
    );
    let shown = desk.run(&["client", "show", "dyn", "--json"]).ok().json();
    assert_eq!(
        shown["scopes"], "openid",
        "the local client follows the server's new scope: {shown}"
    );

    desk.run(&["client", "registration", "dyn", "--delete"])
        .ok();
    let left = desk.run(&["client", "list", "--json"]).ok().json();
    assert_eq!(
        left,
        serde_json::json!([]),
        "deleting the registration removes the local client too"
    );
    let gone = desk.keychain_bytes(&format!("registration/{id}"));
    assert!(gone.is_empty(), "the registration token left the keychain");
    // The server forgot the client: a direct read with the old token fails.
    let (status, _) = oauthdesk_tests::http(
        reqwest::Method::GET,
        str(&client["registration_client_uri"], "the registration URI"),
        &[],
        None,
    );
    assert!(
        status >= 400,
        "the registration is gone at the server (HTTP {status})"
    );

    let refused = desk.run(&[
        "client",
        "register",
        "x",
        "--issuer",
        "http://127.0.0.1:9",
        "--json",
    ]);
    assert_eq!(
        refused.code, 1,
        "registering at an issuer that does not answer fails: {}",
        refused.stderr
    );
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
    assert_eq!(
        grant["status"], "active",
        "client_secret_jwt authenticates a client_credentials grant: {grant}"
    );
    let flows = desk.run(&["log", "hs", "--json"]).ok().json();
    let body = str(
        &flows[0]["exchanges"][0]["request"]["body"],
        "the token request's body",
    )
    .to_owned();
    assert!(
        body.contains(
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
        ),
        "the token request carries a JWT client assertion: {body}"
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
        "the key made for private_key_jwt is a P-256 key for ES256: {client}"
    );
    assert!(jwk.get("d").is_none(), "no private part in the view: {jwk}");
    let shown = desk.run(&["client", "show", "pk"]).ok().stdout;
    assert!(
        shown.contains("public JWK") && shown.contains(str(&jwk["x"], "the public key's x")),
        "client show prints the public JWK: {shown}"
    );
    let registered = desk.run(&["client", "registration", "pk"]).ok().json();
    assert_eq!(
        registered["token_endpoint_auth_method"], "private_key_jwt",
        "the server registered the client for private_key_jwt: {registered}"
    );
    assert_eq!(
        registered["jwks"]["keys"][0]["x"], jwk["x"],
        "the server holds our public key"
    );
    desk.run(&["login", "pk", "--grant", "client_credentials"])
        .ok();
    // Introspection and revocation authenticate the same way.
    let introspected = desk.run(&["introspect", "pk"]).ok().json();
    assert_eq!(
        introspected["active"], true,
        "introspection authenticates with the private key too: {introspected}"
    );
    desk.run(&["revoke", "pk"]).ok();
    let db = desk.database_bytes();
    let id = str(&client["id"], "the client's local id");
    let private = desk.keychain_bytes(&format!("client/{id}"));
    assert!(!private.is_empty(), "the private key is in the keychain");
    assert!(
        !contains_bytes(&db, String::from_utf8_lossy(&private).trim()),
        "the private key is not in the database"
    );
}

//! Issue 4 — token truth through the real `oauthdesk` binary against the real oidc-provider:
//! inspection of its tokens (ID token, opaque and RFC 9068 access tokens) and the audit of every
//! grant, with its filters and exports, none of which may hold a token.

use oauthdesk_tests::Desk;
use oauthdesk_tests::json::{array, assert_unique_names, check, str, token};

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
    assert_eq!(
        run.code, 0,
        "the real provider's tokens pass inspection: {}",
        run.stdout
    );
    let v = run.json();
    let id = token(&v, "id_token");
    let sig = check(&id["checks"], "signature");
    assert_eq!(
        sig["status"], "pass",
        "the ID token's signature verifies: {sig}"
    );
    assert!(
        str(&sig["reason"], "the signature check's reason").contains("test-rs256"),
        "the signature was verified with the provider's key: {sig}"
    );
    assert_eq!(
        check(&id["checks"], "nonce")["status"],
        "pass",
        "the nonce sent at login is remembered"
    );
    let at = token(&v, "access_token");
    assert_eq!(
        at["format"], "opaque",
        "the provider's access token for a user is opaque: {at}"
    );
    assert_eq!(
        check(&at["checks"], "active")["status"],
        "pass",
        "opaque token introspected: {at}"
    );
    assert!(
        v["scopes"]["introspection"]
            .as_array()
            .is_some_and(|s| s.iter().any(|x| x == "email")),
        "the scopes from introspection are shown, email among them: {}",
        v["scopes"]
    );

    let api = desk.run(&["inspect", "api", "--json"]);
    assert_eq!(
        api.code, 0,
        "the client_credentials token passes inspection: {}",
        api.stdout
    );
    let at = token(&api.json(), "access_token").clone();
    assert_eq!(
        at["format"], "jws",
        "a token for a resource is a JWT (RFC 9068): {at}"
    );
    assert_eq!(
        check(&at["checks"], "aud")["status"],
        "pass",
        "audience is the requested resource: {at}"
    );
    assert_eq!(
        check(&at["checks"], "client_id")["status"],
        "pass",
        "the JWT's client_id is the client's: {at}"
    );
    assert_unique_names(&at["checks"]);
    let text = desk.run(&["inspect", "api"]).ok().stdout;
    assert!(
        text.contains("Every applicable check passed") && text.contains("RFC 9068"),
        "the text inspection says every check passed and cites RFC 9068: {text}"
    );

    let all = desk.run(&["audit", "--json"]).ok().json();
    assert_eq!(
        array(&all["grants"], "the audited grants").len(),
        2,
        "the audit lists both grants: {all}"
    );
    let api_only = desk
        .run(&["audit", "--scope", "api:read", "--json"])
        .ok()
        .json();
    assert_eq!(
        array(&api_only["grants"], "the audited grants").len(),
        1,
        "the scope filter keeps one grant: {api_only}"
    );
    assert_eq!(
        api_only["grants"][0]["client"], "api",
        "the scope filter keeps the api:read grant: {api_only}"
    );
    let soon = desk
        .run(&["audit", "--expiring", "2h", "--json"])
        .ok()
        .json();
    assert_eq!(
        array(&soon["grants"], "the audited grants").len(),
        2,
        "both grants expire within 2 hours: {soon}"
    );
    let now = desk
        .run(&["audit", "--expiring", "10s", "--json"])
        .ok()
        .json();
    assert_eq!(
        array(&now["grants"], "the audited grants").len(),
        0,
        "no grant expires within 10 seconds: {now}"
    );
    let web = desk
        .run(&["audit", "--client", "web", "--json"])
        .ok()
        .json();
    assert_eq!(
        web["grants"][0]["has_refresh_token"], true,
        "the audit shows that web holds a refresh token: {web}"
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
        "the CSV export has a header and one line per grant: {csv}"
    );
    let md = desk.run(&["audit", "--markdown"]).ok().stdout;
    assert!(
        md.contains("| client | grant_id |") && md.contains("No token or secret"),
        "the Markdown export is a table and says it holds no secret: {md}"
    );
    for (name, out) in [("json", all.to_string()), ("csv", csv), ("markdown", md)] {
        for client in ["web", "api"] {
            let grants = desk.run(&["grants", client, "--json"]).ok().json();
            let grant = str(&grants[0]["id"], "the grant's id");
            let item = desk
                .keychain_item(&format!("grant/{grant}"))
                .expect("the grant's tokens are in the keychain");
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
    assert_eq!(
        revoked["grants"][0]["revoked"], true,
        "the audit shows web's grant as revoked: {revoked}"
    );
    let shown = desk.run(&["audit", "--hide-revoked", "--json"]).ok().json();
    assert_eq!(
        array(&shown["grants"], "the audited grants").len(),
        1,
        "--hide-revoked leaves out the revoked grant: {shown}"
    );
    let report = desk.run(&["report", "web", "--json"]).ok().json();
    assert!(
        report["exchanges_checked"].as_u64().is_some_and(|n| n >= 3),
        "the provider report checked the recorded exchanges: {report}"
    );
}

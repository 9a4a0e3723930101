//! Issue 13 — becoming a client of a protected resource, through the real `oauthdesk` binary
//! against the real MCP test server (tests/mcp) and oidc-provider: `client add --resource-url`
//! with an existing client ID, dynamic registration with a fixed-port redirect URI, a Client ID
//! Metadata Document served over TLS, and `client register --redirect-uri`.

use oauthdesk_tests::json::jwt_claims;
use oauthdesk_tests::mcp_server::McpServer;
use oauthdesk_tests::{Desk, Run};

fn login_port_busy(desk: &Desk, name: &str, port: u16) -> Run {
    let _held = std::net::TcpListener::bind(("127.0.0.1", port)).expect("the test holds the port");
    desk.run(&["login", name])
}

#[test]
fn a_client_made_from_a_resource_uses_its_issuer_resource_scopes_and_a_fixed_port() {
    let desk = Desk::new();
    let mcp = McpServer::start(&desk.provider.issuer);
    let api = mcp.url("/api/profile");
    let made = desk
        .run(&[
            "client",
            "add",
            "api",
            "--resource-url",
            &api,
            "--register",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        made["issuer"], desk.provider.issuer,
        "the issuer comes from the resource metadata: {made}"
    );
    assert_eq!(
        made["resource"],
        mcp.url("/api"),
        "the resource indicator is the metadata's resource: {made}"
    );
    assert_eq!(
        made["scopes"], "api:read",
        "the scopes default to the challenge's scope: {made}"
    );
    let redirect = made["redirect_uri"].as_str().unwrap_or("").to_owned();
    let port = url::Url::parse(&redirect)
        .ok()
        .and_then(|u| u.port())
        .expect("a fixed port");
    desk.run(&["login", "api"]).ok();
    let logins = desk.authorization_requests();
    let encoded = redirect.replace(':', "%3A").replace('/', "%2F");
    assert!(
        logins
            .last()
            .is_some_and(|l| l.contains(&format!("redirect_uri={encoded}"))),
        "the login uses exactly the registered redirect URI, port included: {logins:?}"
    );
    let busy = login_port_busy(&desk, "api", port);
    assert_eq!(
        busy.code, 1,
        "a login whose fixed port is taken fails: {}",
        busy.stderr
    );
    assert!(
        busy.stderr.contains(&format!("port {port}"))
            && busy.stderr.contains("in use by another program"),
        "the busy fixed port is explained in words: {}",
        busy.stderr
    );

    // An existing client ID: the issuer, resource and scopes still come from the resource.
    let existing = desk
        .run(&[
            "client",
            "add",
            "api2",
            "--resource-url",
            &api,
            "--client-id",
            "native-public",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        existing["client"]["client_id"], "native-public",
        "the given client ID is kept: {existing}"
    );
    desk.run(&["login", "api2"]).ok();
    let token = desk.run(&["token", "api2"]).ok().stdout;
    let claims = jwt_claims(token.trim());
    assert_eq!(
        claims["aud"],
        mcp.url("/api"),
        "the token is for the resource (RFC 8707 honoured): {claims}"
    );

    // `client register --redirect-uri`: the exact URI is registered and kept.
    let fixed = "http://127.0.0.1:54321/callback";
    let reg = desk
        .run(&[
            "client",
            "register",
            "dyn",
            "--issuer",
            &desk.provider.issuer,
            "--redirect-uri",
            fixed,
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        reg["redirect_uri"], fixed,
        "the given redirect URI is stored exactly: {reg}"
    );
    let bad = desk.run(&[
        "client",
        "register",
        "dyn2",
        "--issuer",
        &desk.provider.issuer,
        "--redirect-uri",
        "https://example.com/cb",
    ]);
    assert_eq!(
        bad.code, 1,
        "a redirect URI the loopback listener cannot serve is refused before registering: {}",
        bad.stderr
    );
    assert!(
        bad.stderr.contains("RFC 8252"),
        "the refusal says why: {}",
        bad.stderr
    );
}

#[test]
fn a_client_id_metadata_document_is_checked_and_then_is_the_client() {
    use oauthdesk_tests::Provider;
    use oauthdesk_tests::network::PrivateCa;
    let ca = PrivateCa::new();
    let ca_pem = ca.ca_pem_path();
    // The provider fetches the document over TLS from the MCP server, trusting the test CA.
    let provider = Provider::start_with(&[("NODE_EXTRA_CA_CERTS", &ca_pem.to_string_lossy())]);
    let desk = Desk::with_provider(provider);
    let mcp = McpServer::start_with_cimd(&desk.provider.issuer, &ca);
    // OAuth Desk fetches it too, to check it: it trusts the same CA.
    desk.run(&["settings", "--ca-file", &ca_pem.to_string_lossy()])
        .ok();
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let redirect = format!("http://127.0.0.1:{port}/callback");
    let document = mcp.publish_client_metadata(serde_json::json!({
        "client_name": "OAuth Desk test", "application_type": "native", "redirect_uris": [redirect],
        "token_endpoint_auth_method": "none", "response_types": ["code"],
        "grant_types": ["authorization_code", "refresh_token"]
    }));

    // A document that is not there: refused, saying what to publish.
    let missing = document.replace(".json", "-missing.json");
    let refused = desk.run(&[
        "client",
        "add",
        "nope",
        "--resource-url",
        &mcp.url("/mcp"),
        "--client-id-metadata-url",
        &missing,
    ]);
    assert_eq!(
        refused.code, 1,
        "a missing document is refused: {}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("Publish this JSON at")
            && refused.stderr.contains("redirect_uris")
            && refused.stderr.contains(&missing),
        "the refusal shows the document to publish at that URL: {}",
        refused.stderr
    );

    let run = desk.run(&[
        "mcp",
        &mcp.url("/mcp"),
        "--client-id-metadata-url",
        &document,
        "--json",
    ]);
    assert_eq!(
        run.code, 0,
        "the MCP flow completes with the CIMD client: {}\n{}",
        run.stdout, run.stderr
    );
    let report = run.json();
    assert!(
        report["client_made"]
            .as_str()
            .is_some_and(|h| h.contains("Client ID Metadata Document")),
        "the server supports CIMD and a URL was given, so it is used instead of registration: {report}"
    );
    let name = report["client"].as_str().expect("a client").to_owned();
    let client = desk.run(&["client", "show", &name, "--json"]).ok().json();
    assert_eq!(
        client["client_id"], document,
        "the client ID is the document's URL: {client}"
    );
    assert_eq!(
        client["redirect_uri"], redirect,
        "the redirect URI is exactly the one the document lists: {client}"
    );
    let encoded = document.replace(':', "%3A").replace('/', "%2F");
    assert!(
        desk.authorization_requests()
            .iter()
            .any(|l| l.contains(&format!("client_id={encoded}"))),
        "the browser login carried the document URL as client_id"
    );
}

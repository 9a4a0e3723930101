//! Issue 13 — starting from an API, through the real `oauthdesk` binary against the real MCP
//! test server (the official TypeScript SDK, tests/mcp) and the real oidc-provider as its
//! authorization server: `resource` (challenges, RFC 9728 metadata, authorization servers),
//! `client add --resource-url` (existing client ID, dynamic registration with a fixed port),
//! `client register --redirect-uri`, and `mcp` (the whole MCP authorization flow, reuse of the
//! stored grant, the audience probe, the RFC 9728 §3.3 refusal).

use oauthdesk_tests::mcp_server::McpServer;
use oauthdesk_tests::{Desk, Run};
use serde_json::Value;

fn names(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v[field].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The claims of a JWT, decoded without verification (the test only reads `aud`).
fn jwt_claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap_or("");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("the access token is a JWT: {token}"))
}

/// The authorization requests the test browser was sent to (none when it never ran).
fn opened_logins(desk: &Desk) -> Vec<String> {
    std::fs::read_to_string(&desk.browser_log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("consent ") && l.contains("/auth?"))
        .map(str::to_owned)
        .collect()
}

fn step<'a>(report: &'a Value, name: &str) -> Vec<&'a Value> {
    report["steps"]
        .as_array()
        .map(|s| s.iter().filter(|s| s["name"] == name).collect())
        .unwrap_or_default()
}

#[test]
fn the_mcp_flow_from_an_empty_store_logs_in_once_then_reuses_the_grant() {
    let desk = Desk::new();
    let mcp = McpServer::start(&desk.provider.issuer);
    let url = mcp.url("/mcp");
    let first = desk.run(&["mcp", &url, "--json"]);
    assert_eq!(
        first.code, 0,
        "the flow completes from an empty store: {}\n{}",
        first.stdout, first.stderr
    );
    let report = first.json();
    assert_eq!(
        report["outcome"], "completed",
        "the outcome says completed: {report}"
    );
    let tools = names(&report["tools"], "name");
    assert!(
        tools.contains(&"whoami".to_owned()) && tools.contains(&"add".to_owned()),
        "tools/list answered with the server's tools: {tools:?}"
    );
    assert_eq!(
        report["logged_in"], true,
        "the first run logged in in the browser: {report}"
    );
    assert!(
        report["client_made"]
            .as_str()
            .is_some_and(|h| h.contains("dynamic registration")),
        "with no client and no CIMD URL the client is registered dynamically: {report}"
    );
    let logins = opened_logins(&desk);
    assert_eq!(logins.len(), 1, "exactly one browser login: {logins:?}");
    let encoded = url.replace(':', "%3A").replace('/', "%2F");
    assert!(
        logins[0].contains(&format!("resource={encoded}"))
            && logins[0].contains("code_challenge_method=S256"),
        "the login asks for the MCP server as resource (RFC 8707) with PKCE S256: {}",
        logins[0]
    );
    let followed: Vec<&Value> = report["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["followed"] == true)
        .collect();
    assert_eq!(
        followed.len(),
        1,
        "the revision the server negotiated is marked: {}",
        report["revisions"]
    );
    assert_eq!(
        followed[0]["musts_broken"], 0,
        "the SDK server breaks no MUST of its revision: {}",
        followed[0]
    );
    assert_eq!(
        report["revisions"].as_array().map(|r| r.len()),
        Some(3),
        "each of the three MCP revisions gets a verdict"
    );
    let invalid = step(&report, "invalid token");
    assert!(
        invalid.first().is_some_and(|s| s["ok"] == true),
        "a string that is no token is refused with 401: {invalid:?}"
    );

    // The client made: an exact fixed-port loopback redirect URI and the resource indicator.
    let name = report["client"]
        .as_str()
        .expect("the client is named")
        .to_owned();
    let client = desk.run(&["client", "show", &name, "--json"]).ok().json();
    let redirect = client["redirect_uri"].as_str().unwrap_or("");
    let port = url::Url::parse(redirect).ok().and_then(|u| u.port());
    assert!(
        port.is_some(),
        "the registered redirect URI has a fixed port: {redirect}"
    );
    assert!(
        client["extra_params"].to_string().contains(&url),
        "the client sends the MCP server as resource in every request: {client}"
    );

    // The second run reuses the stored grant: no browser.
    let second = desk.run(&["mcp", &url, "--json", "--no-login"]);
    assert_eq!(
        second.code, 0,
        "the second run completes without a login: {}\n{}",
        second.stdout, second.stderr
    );
    let again = second.json();
    assert_eq!(
        again["logged_in"], false,
        "no browser login the second time: {again}"
    );
    assert_eq!(
        again["client"], report["client"],
        "the same client is found again for this resource"
    );
    assert_eq!(
        opened_logins(&desk).len(),
        1,
        "still exactly one browser login after two runs"
    );
    assert!(
        step(&again, "token")
            .first()
            .is_some_and(|s| s["detail"].as_str().unwrap_or("").contains("stored grant")),
        "the token step says the stored grant was used: {}",
        again["steps"]
    );
    let log = desk.run(&["history", &name]).ok().stdout;
    assert!(
        log.contains("MCP flow"),
        "each run is a history event of the client: {log}"
    );

    // The text form: steps, tools and verdicts, exit 0.
    let text = desk.run(&["mcp", &url, "--no-login"]).ok().stdout;
    for words in ["tools/list", "whoami", "Completed: tools/list answered."] {
        assert!(
            text.contains(words),
            "the text report shows {words:?}: {text}"
        );
    }
}

#[test]
fn metadata_naming_another_resource_is_refused_before_any_login() {
    let desk = Desk::new();
    let mcp = McpServer::start(&desk.provider.issuer);
    let run = desk.run(&["mcp", &mcp.url("/bad-mcp"), "--json"]);
    assert_eq!(
        run.code, 1,
        "the flow fails: {}\n{}",
        run.stdout, run.stderr
    );
    let report = run.json();
    assert!(
        report["error"]
            .as_str()
            .is_some_and(|e| e.contains("RFC 9728 §3.3")),
        "the refusal names RFC 9728 §3.3: {report}"
    );
    assert!(
        opened_logins(&desk).is_empty(),
        "no browser opens for metadata that names another resource"
    );
    let clients = desk.run(&["client", "list", "--json"]).ok().json();
    assert_eq!(
        clients.as_array().map(Vec::len),
        Some(0),
        "no client is made: {clients}"
    );

    let probe = desk.run(&["resource", &mcp.url("/bad-mcp"), "--mcp", "--json"]);
    assert_eq!(
        probe.code, 1,
        "`resource` exits 1 when the resource cannot be followed: {}",
        probe.stdout
    );
    let codes = names(&probe.json()["findings"], "code");
    assert!(
        codes.contains(&"metadata_resource_mismatch".to_owned()),
        "the mismatch is a finding: {codes:?}"
    );
}

#[test]
fn a_server_that_does_not_check_the_audience_is_caught() {
    let desk = Desk::new();
    let mcp = McpServer::start(&desk.provider.issuer);
    // A token for another resource, signed by the same issuer.
    desk.add_client("other-api", "native-public", None, &["--scope", "api:read"])
        .ok();
    desk.run(&["login", "other-api", "--resource", "urn:oauthdesk:jwt-api"])
        .ok();

    let lax = desk.run(&[
        "mcp",
        &mcp.url("/lax-mcp"),
        "--probe-audience",
        "other-api",
        "--json",
    ]);
    assert_eq!(
        lax.code, 4,
        "a server that accepts another resource's token breaks a MUST of its revision: exit 4: {}\n{}",
        lax.stdout, lax.stderr
    );
    let report = lax.json();
    let followed = report["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["followed"] == true)
        .cloned()
        .unwrap_or_default();
    assert!(
        names(&followed["findings"], "code").contains(&"audience_not_checked".to_owned()),
        "the followed revision names the unchecked audience: {followed}"
    );
    assert_eq!(
        report["outcome"], "must_broken",
        "the outcome says a MUST was broken: {report}"
    );

    let strict = desk.run(&[
        "mcp",
        &mcp.url("/mcp"),
        "--probe-audience",
        "other-api",
        "--json",
    ]);
    assert_eq!(
        strict.code, 0,
        "the proper server refuses the other token, so the flow is clean: {}\n{}",
        strict.stdout, strict.stderr
    );
    let report = strict.json();
    assert!(
        step(&report, "audience")
            .first()
            .is_some_and(|s| s["ok"] == true),
        "the audience step passes at a server that checks aud: {}",
        report["steps"]
    );
    let stats = mcp.route_stats("/mcp");
    assert!(
        stats["without_authorization"].as_u64().unwrap_or(0) >= 1,
        "the flow started with a request without a token (the 401 it follows): {stats}"
    );
}

#[test]
fn probing_a_resource_reports_its_challenge_metadata_and_servers() {
    let desk = Desk::new();
    let mcp = McpServer::start(&desk.provider.issuer);
    let run = desk.run(&["resource", &mcp.url("/api/profile"), "--json"]);
    assert_eq!(
        run.code, 0,
        "the resource leads to a usable authorization server: {}\n{}",
        run.stdout, run.stderr
    );
    let p = run.json();
    assert_eq!(p["status"], 401, "without a token the API answers 401: {p}");
    assert_eq!(
        p["challenges"][0]["resource_metadata"],
        mcp.url("/.well-known/oauth-protected-resource/api"),
        "the Bearer challenge's resource_metadata is read (RFC 9728 §5.1): {p}"
    );
    assert_eq!(
        p["metadata"]["metadata"]["resource"],
        mcp.url("/api"),
        "the metadata's resource is the API: {p}"
    );
    assert_eq!(
        p["servers"][0]["issuer"], desk.provider.issuer,
        "the authorization server comes from the metadata: {p}"
    );
    assert_eq!(
        p["servers"][0]["pkce_s256"], true,
        "PKCE S256 is read from the server's metadata: {p}"
    );
    assert!(
        p["servers"][0]["registration_endpoint"].is_string(),
        "the registration endpoint is reported: {p}"
    );
    let text = desk
        .run(&["resource", &mcp.url("/api/profile")])
        .ok()
        .stdout;
    for words in [
        "HTTP 401",
        "resource_metadata:",
        "PKCE S256:              advertised",
        "Scopes a client would ask for: api:read",
    ] {
        assert!(
            text.contains(words),
            "the text report shows {words:?}: {text}"
        );
    }
}

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
    let logins = opened_logins(&desk);
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
        opened_logins(&desk)
            .iter()
            .any(|l| l.contains(&format!("client_id={encoded}"))),
        "the browser login carried the document URL as client_id"
    );
}

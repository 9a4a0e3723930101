//! Issue 13 — starting from an API, through the real `oauthdesk` binary against the real MCP
//! test server (the official TypeScript SDK, tests/mcp) and the real oidc-provider as its
//! authorization server: `resource` (challenges, RFC 9728 metadata, authorization servers) and
//! `mcp` (the whole MCP authorization flow, reuse of the stored grant, the audience probe, the
//! RFC 9728 §3.3 refusal). Becoming a client by hand: `resource_client.rs`.

use oauthdesk_tests::Desk;
use oauthdesk_tests::mcp_server::McpServer;
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
    let logins = desk.authorization_requests();
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
        desk.authorization_requests().len(),
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
        desk.authorization_requests().is_empty(),
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

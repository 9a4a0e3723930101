//! Issue 13, "Call it": `oauthdesk call` through the real binary against the test MCP server's
//! REST API (the official MCP SDK's bearer middleware, tests/mcp) backed by the real
//! oidc-provider, with the test browser playing the user: the response, refusals explained in
//! words, `--step-up` logging in again for what the API wants and retrying once, exit codes.

use oauthdesk_tests::json::{array, exchange, str};
use oauthdesk_tests::mcp_server::McpServer;
use oauthdesk_tests::{Desk, Run};
use std::process::Command;

/// A desk, the MCP server for its provider, and the API's resource `B/api`.
fn setup() -> (Desk, McpServer, String) {
    let desk = Desk::new();
    let mcp = McpServer::start(&desk.provider.issuer);
    let resource = mcp.url("/api");
    (desk, mcp, resource)
}

/// A public code-flow client `name` with `scope`, logged in for `resource` (RFC 8707).
fn browser_client(desk: &Desk, name: &str, client_id: &str, scope: &str, resource: &str) {
    desk.add_client(name, client_id, None, &["--scope", scope])
        .ok();
    desk.run(&["login", name, "--resource", resource]).ok();
}

fn sql(desk: &Desk, statement: &str) {
    let out = Command::new("sqlite3")
        .arg(desk.db_path())
        .arg(statement)
        .output()
        .expect("sqlite3 runs");
    assert!(
        out.status.success(),
        "sqlite3 {statement}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[track_caller]
fn code(run: &Run, want: i32, what: &str) {
    assert_eq!(
        run.code, want,
        "{what}\nstdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
}

#[test]
fn a_call_prints_the_response_and_refusals_are_explained_then_stepped_up() {
    let (desk, mcp, api) = setup();
    browser_client(&desk, "reader", "native-public", "openid api:read", &api);
    let profile = mcp.url("/api/profile");

    // 2xx: status line, headers and body on stdout; exit 0.
    let shown = desk.run(&["call", "reader", &profile]);
    code(&shown, 0, "a 200 exits 0");
    assert!(
        shown.stdout.starts_with("HTTP 200\n"),
        "the status line comes first: {}",
        shown.stdout
    );
    assert!(
        shown
            .stdout
            .to_lowercase()
            .contains("content-type: application/json"),
        "the response headers follow: {}",
        shown.stdout
    );
    assert!(
        shown.stdout.contains("\"sub\""),
        "then the body: {}",
        shown.stdout
    );
    let v = desk
        .run(&["call", "reader", &profile, "--json"])
        .ok()
        .json();
    assert_eq!(v["status"], 200, "--json has the status: {v}");
    assert!(
        str(&v["json"]["scope"], "the API's echo of the token's scope").contains("api:read"),
        "--json parses the body into json: {v}"
    );
    assert!(
        v["challenge"].is_null() && v["step_up"].is_null(),
        "a success has nothing to explain: {v}"
    );
    assert_eq!(v["retried"], false, "no retry without a step-up: {v}");
    assert!(
        array(&v["headers"], "headers")
            .iter()
            .any(|h| h[0] == "content-type"),
        "headers are [name, value] pairs: {v}"
    );
    assert_eq!(
        mcp.route_stats("/api/profile")["last_scheme"],
        "Bearer",
        "the grant's token went as Authorization: Bearer"
    );

    // 403 insufficient_scope: the missing scope named on stderr, exit 1, nothing stepped up.
    let admin = mcp.url("/api/admin");
    let refused = desk.run(&["call", "reader", &admin]);
    code(&refused, 1, "a 403 exits 1");
    assert!(
        refused.stdout.starts_with("HTTP 403\n"),
        "the refused response is still on stdout: {}",
        refused.stdout
    );
    assert!(
        refused.stderr.contains(
            "The token lacks the scope api:write that this API requires (insufficient_scope, RFC 6750 §3.1)."
        ),
        "the explanation names the missing scope and the section: {}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains(
            "run again with --step-up to log in asking for scope \"openid api:read api:write\""
        ),
        "it says what --step-up would ask for: {}",
        refused.stderr
    );
    let logins_before = desk
        .read_browser_log()
        .lines()
        .filter(|l| l.starts_with("consent "))
        .count();
    let v = desk.run(&["call", "reader", &admin, "--json"]).json();
    assert_eq!(
        v["challenge"]["kind"], "insufficient_scope",
        "--json carries the explanation: {v}"
    );
    assert_eq!(
        v["challenge"]["missing_scopes"],
        serde_json::json!(["api:write"]),
        "the missing scope: {v}"
    );
    assert_eq!(
        v["step_up"]["scope"], "openid api:read api:write",
        "the plan is the union of scopes: {v}"
    );
    assert_eq!(
        v["step_up"]["resource"],
        api.as_str(),
        "the plan keeps the grant's resource: {v}"
    );
    let first_grant = str(&v["grant_id"], "the grant used").to_owned();

    // --step-up: a new login (the test browser consents) asking for the union, then one retry.
    let stepped = desk.run(&["call", "reader", &admin, "--step-up", "--json"]);
    code(&stepped, 0, "the retry after the step-up succeeds");
    let v = stepped.json();
    assert_eq!(v["status"], 200, "the retried call answered 200: {v}");
    assert_eq!(v["retried"], true, "--json says it was retried: {v}");
    assert_eq!(
        v["first"]["status"], 403,
        "and what the first attempt got: {v}"
    );
    assert_ne!(
        v["grant_id"],
        first_grant.as_str(),
        "the retry used the new grant: {v}"
    );
    assert!(
        str(&v["json"]["scope"], "the new token's scope").contains("api:write"),
        "the new token has the missing scope: {v}"
    );
    let log = desk.read_browser_log();
    let logins: Vec<&str> = log.lines().filter(|l| l.starts_with("consent ")).collect();
    assert_eq!(
        logins.len(),
        logins_before + 1,
        "exactly one new browser login: {log}"
    );
    let last = logins.last().copied().unwrap_or_default();
    assert!(
        last.contains("scope=openid+api%3Aread+api%3Awrite")
            || last.contains("scope=openid%20api%3Aread%20api%3Awrite"),
        "the login asked for the union of scopes: {last}"
    );
    assert!(
        last.contains(&format!("resource={}", url_encode(&api))),
        "and for the same resource: {last}"
    );
    assert!(
        !last.contains("prompt=login"),
        "a scope step-up does not force a new authentication: {last}"
    );

    // -H and -d @FILE reach the API (a body without -X is a POST, as curl).
    let body_file = desk.home.path().join("body.json");
    std::fs::write(&body_file, "{\"note\":\"from a file\"}").expect("the body file is written");
    let posted = desk.run(&[
        "call",
        "reader",
        &admin,
        "-H",
        "X-Trace: t-42",
        "-H",
        "Content-Type: application/json",
        "-d",
        &format!("@{}", body_file.display()),
    ]);
    code(&posted, 0, "the POST with the new grant succeeds");
    assert_eq!(
        mcp.route_stats("/api/admin")["methods"]["POST"],
        1,
        "-d made it a POST: {}",
        mcp.stats()
    );
    let flows = desk.run(&["log", "reader", "--json"]).ok().json();
    let call = exchange(&flows[0], "api call");
    let sent = &call["request"];
    assert_eq!(
        sent["method"], "POST",
        "the recorded request is a POST: {sent}"
    );
    assert!(
        sent["headers"]
            .to_string()
            .to_lowercase()
            .contains("x-trace")
            && sent["headers"].to_string().contains("t-42"),
        "the -H header was sent: {sent}"
    );
    assert!(
        str(&sent["body"], "the recorded body").contains("from a file"),
        "the file's contents were the body: {sent}"
    );
}

/// `application/x-www-form-urlencoded` as the test browser logs the URL.
fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[test]
fn insufficient_user_authentication_steps_up_with_acr_values_and_prompt_login() {
    let (desk, mcp, api) = setup();
    browser_client(&desk, "secure", "native-public", "openid api:read", &api);
    let secure = mcp.url("/api/secure");
    let refused = desk.run(&["call", "secure", &secure]);
    code(&refused, 1, "a 401 exits 1");
    assert!(
        refused.stderr.contains(
            "The API wants a stronger or more recent user authentication (insufficient_user_authentication, RFC 9470 §3): acr_values urn:oauthdesk:acr:mfa."
        ),
        "the explanation names the acr value and the section: {}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains("The token says: acr urn:oauthdesk:acr:basic"),
        "and what the token has: {}",
        refused.stderr
    );
    let stepped = desk.run(&["call", "secure", &secure, "--step-up", "--json"]);
    code(&stepped, 0, "after the step-up the API accepts the token");
    let v = stepped.json();
    assert_eq!(
        v["json"]["acr"], "urn:oauthdesk:acr:mfa",
        "the new token carries the acr asked for: {v}"
    );
    assert_eq!(
        v["first"]["challenge"]["kind"], "insufficient_user_authentication",
        "{v}"
    );
    assert!(
        array(&v["notes"], "notes").is_empty(),
        "the server gave what was asked for: {v}"
    );
    let log = desk.read_browser_log();
    let last = log
        .lines()
        .rfind(|l| l.starts_with("consent "))
        .unwrap_or_default();
    assert!(
        last.contains("acr_values=urn%3Aoauthdesk%3Aacr%3Amfa"),
        "the login asked for the acr value: {last}"
    );
    assert!(
        last.contains("prompt=login"),
        "and for a new authentication (prompt=login): {last}"
    );
}

#[test]
fn an_expired_token_is_explained_as_expired() {
    let (desk, mcp, api) = setup();
    // `short-lived` gets 1 s access tokens. The stored expiry is pushed an hour out, as a server
    // whose expires_in outlives the JWT's exp would have it, so OAuth Desk sends the token.
    browser_client(&desk, "brief", "short-lived", "openid api:read", &api);
    sql(&desk, "UPDATE grants SET expires_at = expires_at + 3600");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let run = desk.run(&["call", "brief", &mcp.url("/api/profile"), "--json"]);
    code(&run, 1, "a 401 exits 1");
    let v = run.json();
    assert_eq!(v["status"], 401, "{v}");
    assert_eq!(
        v["challenge"]["token"], "expired",
        "the token is found expired (its exp): {v}"
    );
    let summary = str(&v["challenge"]["summary"], "the summary");
    assert!(
        summary.starts_with("The token expired ")
            && summary.contains("(its exp, RFC 7519 §4.1.4) (invalid_token, RFC 6750 §3.1)"),
        "the summary says it expired and why that counts: {summary}"
    );
    assert!(
        v["challenge"]["details"]
            .to_string()
            .contains("Token has expired"),
        "the API's own words are quoted: {v}"
    );
    assert_eq!(
        v["step_up"]["reason"], "A new login would get a fresh token.",
        "a new login would help: {v}"
    );
}

#[test]
fn a_token_for_another_resource_is_named_and_step_up_asks_for_the_apis() {
    let (desk, mcp, api) = setup();
    desk.add_client(
        "svc",
        "service",
        Some("service-secret"),
        &["--scope", "api:read"],
    )
    .ok();
    desk.run(&[
        "login",
        "svc",
        "--grant",
        "client_credentials",
        "--resource",
        "urn:oauthdesk:jwt-api",
    ])
    .ok();
    let profile = mcp.url("/api/profile");
    let run = desk.run(&["call", "svc", &profile, "--json"]);
    code(&run, 1, "a 401 exits 1");
    let v = run.json();
    assert_eq!(
        v["challenge"]["token"], "other_resource",
        "the token is for another resource: {v}"
    );
    assert_eq!(
        v["challenge"]["summary"],
        format!(
            "The token is for another resource: its audience is urn:oauthdesk:jwt-api (aud, RFC 9068 §3), and this API is {api} (invalid_token, RFC 6750 §3.1)."
        ),
        "both resources are named: {v}"
    );
    assert_eq!(
        v["challenge"]["api_resource"],
        api.as_str(),
        "from the API's metadata (RFC 9728): {v}"
    );
    assert_eq!(
        v["step_up"]["resource"],
        api.as_str(),
        "the plan asks for the API's resource: {v}"
    );
    let stats = mcp.stats();
    assert_eq!(
        stats["routes"]["/.well-known/oauth-protected-resource/api"]["requests"], 1,
        "the metadata named by the challenge was fetched once: {stats}"
    );
    let stepped = desk.run(&["call", "svc", &profile, "--step-up", "--json"]);
    code(
        &stepped,
        0,
        "a client-credentials step-up for the API's resource succeeds",
    );
    let v = stepped.json();
    assert_eq!(v["status"], 200, "{v}");
    assert!(
        stepped.stderr.contains(&format!("resource {api}")),
        "the re-authorization said it asks for the API's resource: {}",
        stepped.stderr
    );
}

#[test]
fn a_revoked_grant_needs_a_login_and_a_step_up_never_loops() {
    let (desk, mcp, api) = setup();
    // No resource: client credentials give an opaque token, which this provider can revoke.
    desk.add_client(
        "svc",
        "service",
        Some("service-secret"),
        &["--scope", "api:read"],
    )
    .ok();
    desk.run(&["login", "svc", "--grant", "client_credentials"])
        .ok();
    desk.run(&["revoke", "svc"]).ok();
    let profile = mcp.url("/api/profile");
    let run = desk.run(&["call", "svc", &profile]);
    code(&run, 3, "a revoked grant needs a login: exit 3, as `token`");
    assert!(run.stderr.contains("a login is needed"), "{}", run.stderr);
    assert_eq!(
        mcp.route_stats("/api/profile"),
        serde_json::Value::Null,
        "nothing was sent to the API"
    );

    // --step-up logs in again as the last grant did (opaque, no resource): the API refuses that
    // token as not for it, and the call is not stepped up a second time.
    let once = desk.run(&["call", "svc", &profile, "--step-up", "--json"]);
    code(&once, 1, "the retry's 401 is the result");
    assert!(
        once.stderr.contains("its last grant was revoked"),
        "{}",
        once.stderr
    );
    let v = once.json();
    assert_eq!(v["retried"], true, "one retry: {v}");
    assert!(
        v["first"].is_null(),
        "there was no first call: the login came first: {v}"
    );
    assert_eq!(
        v["challenge"]["token"], "other_resource",
        "an opaque token without a resource: {v}"
    );
    assert!(
        str(&v["challenge"]["summary"], "summary")
            .contains("requested without a resource indicator (RFC 8707 §2)"),
        "{v}"
    );
    assert_eq!(
        v["step_up"]["resource"],
        api.as_str(),
        "the next plan would ask for the API's resource: {v}"
    );
    assert_eq!(
        mcp.route_stats("/api/profile")["requests"],
        1,
        "exactly one call after the login: a step-up never loops"
    );
    let again = desk.run(&["call", "svc", &profile, "--step-up"]);
    code(&again, 0, "following that plan works");
}

#[test]
fn a_step_up_login_that_fails_exits_3() {
    let (desk, mcp, api) = setup();
    browser_client(&desk, "reader", "native-public", "openid api:read", &api);
    let denied = desk.run_mode(
        &["call", "reader", &mcp.url("/api/admin"), "--step-up"],
        None,
        "deny",
    );
    code(&denied, 3, "the login the call needs could not be done");
    assert!(
        denied.stderr.contains("the new login could not be done")
            && denied.stderr.contains("access_denied"),
        "says why: {}",
        denied.stderr
    );
    assert_eq!(
        mcp.route_stats("/api/admin")["requests"],
        1,
        "no retry without a new grant"
    );
}

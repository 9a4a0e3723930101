//! Issue 13 — the real test MCP server (tests/mcp: the official TypeScript SDK) in front of the
//! real test oidc-provider, straight over HTTP: what the later CLI and GUI tests rely on.
//! The 401 names the resource metadata, the metadata documents are what they claim, a token for
//! the resource opens an MCP session, insufficient_scope / step-up challenges are sent, the lax
//! endpoint accepts a token for another audience, and the provider's acr / CIMD additions work.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use oauthdesk_tests::mcp_server::McpServer;
use oauthdesk_tests::network::PrivateCa;
use oauthdesk_tests::{Provider, http};
use serde_json::{Value, json};

const PROTOCOL: &str = "2025-11-25";

fn start() -> (Provider, McpServer) {
    let provider = Provider::start();
    let mcp = McpServer::start(&provider.issuer);
    (provider, mcp)
}

/// A JWT access token of the `service` client for `resource` (client credentials).
#[track_caller]
fn service_token(issuer: &str, resource: &str, scope: &str) -> String {
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", scope),
        ("resource", resource),
    ];
    let url = format!("{issuer}/token");
    let (status, body) = http(
        reqwest::Method::POST,
        &url,
        &form,
        Some(("service", "service-secret")),
    );
    assert_eq!(
        status, 200,
        "the provider issues a token for {resource}: {body}"
    );
    body["access_token"].as_str().unwrap_or_default().to_owned()
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap_or_default();
    let bytes = URL_SAFE_NO_PAD.decode(payload).unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or_default()
}

fn challenge(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A JSON-RPC POST with the Streamable HTTP headers.
async fn rpc(
    url: &str,
    token: Option<&str>,
    session: Option<&str>,
    body: Value,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(body.to_string());
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(session) = session {
        req = req
            .header("mcp-session-id", session)
            .header("mcp-protocol-version", PROTOCOL);
    }
    req.send().await.expect("the MCP server answers")
}

fn initialize() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": PROTOCOL, "capabilities": {},
        "clientInfo": {"name": "oauthdesk-smoke", "version": "0"}}})
}

/// The JSON-RPC message of an answer: an SSE stream (the SDK's default) or a JSON body.
async fn message(resp: reqwest::Response) -> Value {
    let text = resp.text().await.unwrap_or_default();
    let data = text
        .lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n");
    let json = if data.is_empty() { text.clone() } else { data };
    serde_json::from_str(&json).unwrap_or_else(|_| panic!("a JSON-RPC message: {text}"))
}

#[tokio::test]
async fn an_mcp_request_without_a_token_is_challenged_with_its_resource_metadata() {
    let (_provider, mcp) = start();
    let resp = rpc(&mcp.url("/mcp"), None, None, initialize()).await;
    assert_eq!(resp.status(), 401, "/mcp needs a token");
    let header = challenge(&resp);
    let metadata = mcp.url("/.well-known/oauth-protected-resource/mcp");
    assert!(
        header.starts_with("Bearer ")
            && header.contains(&format!("resource_metadata=\"{metadata}\""))
            && header.contains("scope=\"api:read\""),
        "the challenge names the path-inserted metadata URL and the scope: {header}"
    );
    let stats = mcp.route_stats("/mcp");
    assert_eq!(
        (
            stats["without_authorization"].as_u64(),
            stats["with_authorization"].as_u64()
        ),
        (Some(1), Some(0)),
        "the stats count the request without a token: {stats}"
    );
}

#[test]
fn the_protected_resource_metadata_documents_say_what_each_endpoint_is() {
    let (provider, mcp) = start();
    let doc = |path: &str| {
        let url = mcp.url(&format!("/.well-known/oauth-protected-resource{path}"));
        http(reqwest::Method::GET, &url, &[], None)
    };
    for (path, resource) in [("/mcp", "/mcp"), ("/lax-mcp", "/lax-mcp"), ("/api", "/api")] {
        let (status, body) = doc(path);
        assert_eq!(status, 200, "{path} has metadata: {body}");
        assert_eq!(body["resource"], mcp.url(resource), "{path} names itself");
        assert_eq!(body["authorization_servers"], json!([provider.issuer]));
        assert_eq!(body["scopes_supported"], json!(["api:read", "api:write"]));
        assert_eq!(body["bearer_methods_supported"], json!(["header"]));
    }
    let (status, bad) = doc("/bad-mcp");
    assert_eq!(
        status, 200,
        "the misconfigured endpoint has metadata: {bad}"
    );
    assert_eq!(
        bad["resource"],
        mcp.url("/mcp"),
        "/bad-mcp's metadata names another resource (the RFC 9728 §3.3 refusal case)"
    );
    let (root, _) = doc("");
    assert_eq!(
        root, 404,
        "only path-inserted metadata exists, as SDK servers serve it"
    );
}

#[tokio::test]
async fn a_token_for_the_resource_opens_a_session_and_lists_the_tools() {
    let (provider, mcp) = start();
    let token = service_token(&provider.issuer, &mcp.url("/mcp"), "api:read");
    assert_eq!(claims(&token)["aud"], mcp.url("/mcp"), "aud = the resource");
    let resp = rpc(&mcp.url("/mcp"), Some(&token), None, initialize()).await;
    assert_eq!(resp.status(), 200, "initialize with the token succeeds");
    let session = resp
        .headers()
        .get("mcp-session-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .expect("a stateful server answers initialize with Mcp-Session-Id");
    let init = message(resp).await;
    assert_eq!(init["result"]["protocolVersion"], PROTOCOL, "{init}");
    let note = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let resp = rpc(&mcp.url("/mcp"), Some(&token), Some(&session), note).await;
    assert_eq!(
        resp.status(),
        202,
        "a notification is accepted without a body"
    );
    let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
    let resp = rpc(&mcp.url("/mcp"), Some(&token), Some(&session), list).await;
    assert_eq!(resp.status(), 200, "tools/list in the session succeeds");
    let tools = message(resp).await;
    let names: Vec<&str> = tools["result"]["tools"]
        .as_array()
        .map(|t| t.iter().filter_map(|t| t["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        ["whoami", "add"],
        "the two tools are listed: {tools}"
    );
    let call = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "whoami", "arguments": {}}});
    let who = message(rpc(&mcp.url("/mcp"), Some(&token), Some(&session), call).await).await;
    let who = &who["result"]["structuredContent"];
    assert_eq!(
        (&who["sub"], &who["aud"]),
        (&json!("service"), &json!(mcp.url("/mcp"))),
        "whoami reports the token's subject and audience: {who}"
    );
    assert_eq!(mcp.route_stats("/mcp")["last_scheme"], "Bearer");
}

#[tokio::test]
async fn the_api_answers_insufficient_scope_and_step_up_challenges() {
    let (provider, mcp) = start();
    let get = |path: &str, token: &str| {
        reqwest::Client::new()
            .get(mcp.url(path))
            .bearer_auth(token)
            .send()
    };
    let metadata = mcp.url("/.well-known/oauth-protected-resource/api");
    let read = service_token(&provider.issuer, &mcp.url("/api"), "api:read");
    let resp = get("/api/profile", &read).await.expect("answer");
    assert_eq!(resp.status(), 200, "api:read is enough for /api/profile");

    let resp = get("/api/admin", &read).await.expect("answer");
    assert_eq!(resp.status(), 403, "/api/admin needs api:write");
    let header = challenge(&resp);
    assert!(
        header.contains("error=\"insufficient_scope\"")
            && header.contains("scope=\"api:read api:write\"")
            && header.contains(&format!("resource_metadata=\"{metadata}\"")),
        "RFC 6750 §3.1 insufficient_scope names the scopes needed: {header}"
    );
    let mcp_token = service_token(&provider.issuer, &mcp.url("/mcp"), "api:read");
    let resp = get("/api/admin", &mcp_token).await.expect("answer");
    assert_eq!(
        (
            resp.status().as_u16(),
            challenge(&resp).contains("invalid_token")
        ),
        (401, true),
        "the MCP resource's token is refused by the API (audience before scope, as the SDK checks)"
    );

    let resp = get("/api/secure", &read).await.expect("answer");
    let header = challenge(&resp);
    assert!(
        resp.status() == 401
            && header.contains("error=\"insufficient_user_authentication\"")
            && header.contains("acr_values=\"urn:oauthdesk:acr:mfa\""),
        "RFC 9470: a token without the mfa acr is asked to step up: {header}"
    );
    let resp = get("/api/fresh", &read).await.expect("answer");
    let header = challenge(&resp);
    assert!(
        resp.status() == 401
            && header.contains("error=\"insufficient_user_authentication\"")
            && header.contains("max_age=\"60\""),
        "RFC 9470: a token without a recent auth_time is asked for max_age: {header}"
    );
}

#[tokio::test]
async fn only_the_lax_endpoint_accepts_a_token_for_another_resource() {
    let (provider, mcp) = start();
    let other = service_token(&provider.issuer, "urn:oauthdesk:jwt-api", "api:read");
    let resp = rpc(&mcp.url("/mcp"), Some(&other), None, initialize()).await;
    let header = challenge(&resp);
    assert!(
        resp.status() == 401 && header.contains("error=\"invalid_token\""),
        "/mcp checks the audience and refuses a token for urn:oauthdesk:jwt-api: {header}"
    );
    let resp = rpc(&mcp.url("/lax-mcp"), Some(&other), None, initialize()).await;
    assert_eq!(
        resp.status(),
        200,
        "/lax-mcp does not check the audience (the misconfiguration a client must detect)"
    );
    let resp = rpc(&mcp.url("/noauth-mcp"), None, None, initialize()).await;
    assert_eq!(resp.status(), 200, "/noauth-mcp needs no token");
}

// ---- through the provider's login page (devInteractions), as a browser would ----------------

/// Follows an authorization request through the dev login and consent pages to the redirect URI;
/// returns the redirect's query (code or error). `Err` with what the provider showed otherwise.
async fn browser_login(authorize: &str, redirect: &str) -> Result<url::Url, String> {
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let mut url = url::Url::parse(authorize).map_err(|e| e.to_string())?;
    for _ in 0..12 {
        let resp = browser
            .get(url.clone())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if let Some(loc) = resp.headers().get("location").and_then(|v| v.to_str().ok()) {
            let next = url.join(loc).map_err(|e| e.to_string())?;
            if next.as_str().starts_with(redirect) {
                return Ok(next);
            }
            url = next;
            continue;
        }
        let page = resp.text().await.unwrap_or_default();
        let form: &[(&str, &str)] = if page.contains("name=\"prompt\" value=\"login\"") {
            &[("prompt", "login"), ("login", "alice"), ("password", "any")]
        } else if page.contains("name=\"prompt\" value=\"consent\"") {
            &[("prompt", "consent")]
        } else {
            return Err(page);
        };
        let resp = browser
            .post(url.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(form)
                    .finish(),
            )
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let loc = resp.headers().get("location").and_then(|v| v.to_str().ok());
        url = url
            .join(loc.ok_or("the form answered no redirect")?)
            .map_err(|e| e.to_string())?;
    }
    Err(format!("no redirect to {redirect} after 12 steps"))
}

/// Registers a native public client with an exact loopback redirect URI (RFC 7591), logs in with
/// `extra` authorization parameters and returns the access token for `resource`.
async fn login_token(issuer: &str, resource: &str, extra: &[(&str, &str)]) -> String {
    let redirect = "http://127.0.0.1:53682/callback";
    let reg = json!({"redirect_uris": [redirect], "token_endpoint_auth_method": "none",
        "application_type": "native", "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"]});
    let resp = reqwest::Client::new()
        .post(format!("{issuer}/reg"))
        .header("content-type", "application/json")
        .body(reg.to_string())
        .send()
        .await
        .expect("registration answers");
    assert_eq!(
        resp.status(),
        201,
        "DCR accepts an exact loopback redirect URI with a port"
    );
    let client: Value =
        serde_json::from_str(&resp.text().await.unwrap_or_default()).unwrap_or_default();
    assert_eq!(
        client["redirect_uris"],
        json!([redirect]),
        "registered as sent: {client}"
    );
    let client_id = client["client_id"].as_str().unwrap_or_default().to_owned();
    let verifier = "smoke-test-verifier-0123456789-0123456789-abcdef".to_owned();
    let pkce = oauthdesk_protocol::authorize::Pkce::from_verifier(verifier.clone());
    let mut authorize = url::Url::parse(&format!("{issuer}/auth")).expect("URL");
    authorize
        .query_pairs_mut()
        .extend_pairs([
            ("client_id", client_id.as_str()),
            ("redirect_uri", redirect),
            ("response_type", "code"),
            ("resource", resource),
            ("code_challenge", &pkce.challenge),
            ("code_challenge_method", "S256"),
            ("state", "smoke"),
        ])
        .extend_pairs(extra);
    let back = browser_login(authorize.as_str(), redirect)
        .await
        .expect("the login completes");
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("the login returned a code: {back}"));
    let form = [
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", redirect),
        ("client_id", &client_id),
        ("code_verifier", &verifier),
        ("resource", resource),
    ];
    let (status, body) = http(
        reqwest::Method::POST,
        &format!("{issuer}/token"),
        &form,
        None,
    );
    assert_eq!(status, 200, "the code is redeemed: {body}");
    body["access_token"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_dev_login_performs_the_requested_acr_and_tokens_carry_it() {
    let (provider, mcp) = start();
    let api = mcp.url("/api");
    // oidc-provider accepts acr_values only with `openid` in scope (see tests/provider/README.md).
    let mfa = [
        ("scope", "openid api:read"),
        ("acr_values", "urn:oauthdesk:acr:mfa"),
    ];
    let token = login_token(&provider.issuer, &api, &mfa).await;
    let c = claims(&token);
    assert_eq!(
        c["acr"], "urn:oauthdesk:acr:mfa",
        "the requested acr is in the token: {c}"
    );
    assert!(c["auth_time"].is_u64(), "auth_time is in the token: {c}");
    let secure = reqwest::Client::new()
        .get(mcp.url("/api/secure"))
        .bearer_auth(&token);
    let resp = secure.send().await.expect("answer");
    assert_eq!(resp.status(), 200, "the mfa token passes the step-up check");
    let fresh = reqwest::Client::new()
        .get(mcp.url("/api/fresh"))
        .bearer_auth(&token);
    assert_eq!(
        fresh.send().await.expect("answer").status(),
        200,
        "a fresh login passes max_age"
    );

    let token = login_token(&provider.issuer, &api, &[("scope", "api:read")]).await;
    assert_eq!(
        claims(&token)["acr"],
        "urn:oauthdesk:acr:basic",
        "no acr_values: basic"
    );
    let secure = reqwest::Client::new()
        .get(mcp.url("/api/secure"))
        .bearer_auth(&token);
    let resp = secure.send().await.expect("answer");
    assert_eq!(resp.status(), 401, "a basic login is asked to step up");
}

#[tokio::test]
async fn a_client_id_metadata_document_served_over_tls_is_a_client() {
    let ca = PrivateCa::new();
    let ca_pem = ca.ca_pem_path();
    let provider = Provider::start_with(&[("NODE_EXTRA_CA_CERTS", &ca_pem.to_string_lossy())]);
    let mcp = McpServer::start_with_cimd(&provider.issuer, &ca);
    let redirect = "http://127.0.0.1:53682/callback";
    let good = mcp.publish_client_metadata(json!({"client_name": "smoke",
        "application_type": "native", "redirect_uris": [redirect],
        "token_endpoint_auth_method": "none", "response_types": ["code"],
        "grant_types": ["authorization_code"]}));
    assert!(
        good.starts_with("https://127.0.0.1:"),
        "the client ID is an https URL: {good}"
    );
    let pkce = oauthdesk_protocol::authorize::Pkce::from_verifier("v".repeat(43));
    let authorize = |client_id: &str| {
        let mut u = url::Url::parse(&format!("{}/auth", provider.issuer)).expect("URL");
        u.query_pairs_mut().extend_pairs([
            ("client_id", client_id),
            ("redirect_uri", redirect),
            ("response_type", "code"),
            ("scope", "api:read"),
            ("code_challenge", &pkce.challenge),
            ("code_challenge_method", "S256"),
        ]);
        u.to_string()
    };
    let back = browser_login(&authorize(&good), redirect).await;
    let back = back.unwrap_or_else(|page| panic!("the provider accepts the CIMD client: {page}"));
    assert!(
        back.query_pairs().any(|(k, _)| k == "code"),
        "the CIMD client gets a code: {back}"
    );
    assert_eq!(
        mcp.route_stats(url::Url::parse(&good).expect("URL").path())["requests"],
        1,
        "the provider fetched the document once"
    );
    let bad = mcp.publish_client_metadata(json!({"client_id": "https://example.test/other.json",
        "redirect_uris": [redirect], "token_endpoint_auth_method": "none"}));
    let page = browser_login(&authorize(&bad), redirect).await;
    assert!(
        page.as_ref()
            .is_err_and(|p| p.contains("client_id does not match")),
        "a document whose client_id is not its URL is refused: {page:?}"
    );
}

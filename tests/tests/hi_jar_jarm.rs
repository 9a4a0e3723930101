//! Issue 15 (B) — signed request objects (JAR, RFC 9101) and JWT Secured Authorization Responses
//! (JARM) through the real `oauthdesk` binary: against the real oidc-provider (requestObjects and
//! jwtResponseModes on, tests/provider/extensions/jar_jarm.mjs), and the responses a real server
//! never makes (bad signature, wrong audience, expired) from the controlled issuer — each refused
//! before the code reaches the token endpoint.

use oauthdesk_tests::json::{array, exchange, str};
use oauthdesk_tests::{
    CONTROLLED_CLIENT_ID as CLIENT_ID, CONTROLLED_CLIENT_SECRET as CLIENT_SECRET, Desk,
};
use serde_json::{Value, json};

const JAR_REQUIRED_SECRET: &str = "jar-required-secret-0123456789abcdef0123456789";

/// The latest flow of `log NAME --json`.
fn last_flow(desk: &Desk, name: &str) -> Value {
    let flows = desk.run(&["log", name, "--json"]).ok().json();
    flows[0].clone()
}

/// The decoded request object the timeline shows, `{header, claims}`.
fn request_object(flow: &Value) -> Value {
    let body = str(
        &exchange(flow, "request object (JAR)")["request"]["body"],
        "the request object step's body",
    );
    serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("the decoded object is JSON ({e}): {body}"))
}

/// The last URL the test browser opened.
fn opened(desk: &Desk) -> String {
    let log = desk.read_browser_log();
    log.lines()
        .rev()
        .find_map(|l| l.split_whitespace().find(|w| w.starts_with("http")))
        .unwrap_or_else(|| panic!("the browser opened a URL: {log}"))
        .to_owned()
}

fn query_names(url: &str) -> Vec<String> {
    let url = url::Url::parse(url).unwrap_or_else(|e| panic!("{url} is a URL: {e}"));
    url.query_pairs().map(|(k, _)| k.into_owned()).collect()
}

#[test]
fn request_objects_by_value_and_through_par_are_accepted_by_the_server() {
    let desk = Desk::new();
    let issuer = desk.provider.issuer.clone();
    let client = desk
        .run(&[
            "client",
            "register",
            "jar",
            "--issuer",
            &issuer,
            "--auth-method",
            "private_key_jwt",
            "--scope",
            "openid email",
            "--json",
        ])
        .ok()
        .json();
    let client_id = str(&client["client_id"], "the registered client_id").to_owned();
    desk.run(&["client", "edit", "jar", "--jar", "value"]).ok();
    let shown = desk.run(&["client", "show", "jar", "--json"]).ok().json();
    assert_eq!(
        (&shown["jar"], &shown["response_mode"]),
        (&json!("value"), &Value::Null),
        "client edit stored the JAR mode and kept the default response mode: {shown}"
    );
    assert!(
        desk.run(&["client", "show", "jar"])
            .ok()
            .stdout
            .contains("signed request objects by value"),
        "client show says the client signs its requests"
    );

    let view = desk.run(&["login", "jar", "--json"]).ok().json();
    assert_eq!(
        view["status"], "active",
        "the server accepted the ES256 request object by value: a token came back: {view}"
    );
    let url = opened(&desk);
    let mut names = query_names(&url);
    names.sort();
    assert_eq!(
        names,
        ["client_id", "request", "response_type", "scope"],
        "by value the browser URL carries the request object and only what RFC 9101 §5 / OIDC Core §6.1 allow outside it: {url}"
    );
    let flow = last_flow(&desk, "jar");
    let object = request_object(&flow);
    assert_eq!(
        (
            &object["header"]["typ"],
            &object["header"]["alg"],
            &object["header"]["kid"]
        ),
        (
            &json!("oauth-authz-req+jwt"),
            &json!("ES256"),
            &client["public_jwk"]["kid"]
        ),
        "the timeline shows the request object's header: typed, ES256, the registered key: {object}"
    );
    let claims = &object["claims"];
    assert_eq!(
        (&claims["iss"], &claims["aud"], &claims["client_id"]),
        (&json!(client_id), &json!(issuer), &json!(client_id)),
        "iss is the client and aud the issuer (RFC 9101 §4): {claims}"
    );
    for member in [
        "state",
        "nonce",
        "code_challenge",
        "redirect_uri",
        "exp",
        "nbf",
        "jti",
    ] {
        assert!(
            claims.get(member).is_some(),
            "the request object carries {member}: {claims}"
        );
    }

    desk.run(&["client", "edit", "jar", "--jar", "par"]).ok();
    let view = desk.run(&["login", "jar", "--json"]).ok().json();
    assert_eq!(
        view["status"], "active",
        "the server accepted the request object pushed through PAR: a token came back: {view}"
    );
    let url = opened(&desk);
    let mut names = query_names(&url);
    names.sort();
    assert_eq!(
        names,
        ["client_id", "request_uri"],
        "through PAR the browser gets only client_id and request_uri (RFC 9126 §4): {url}"
    );
    let flow = last_flow(&desk, "jar");
    let pushed = str(
        &exchange(&flow, "pushed authorization request")["request"]["body"],
        "the PAR request body",
    );
    let pushed_names: Vec<String> = url::form_urlencoded::parse(pushed.as_bytes())
        .map(|(k, _)| k.into_owned())
        .collect();
    assert!(
        pushed_names.contains(&"request".to_owned())
            && !pushed_names.iter().any(|n| n == "state" || n == "nonce"),
        "the request object is the parameter pushed, not the plain parameters (RFC 9126 §3): {pushed}"
    );
    assert_eq!(
        request_object(&flow)["claims"]["iss"],
        json!(client_id),
        "the pushed request object is shown decoded too"
    );
}

#[test]
fn a_client_that_must_sign_its_requests_is_refused_without_jar_and_works_with_it() {
    let desk = Desk::new();
    desk.add_client(
        "strict",
        "jar-required",
        Some(JAR_REQUIRED_SECRET),
        &["--scope", "openid"],
    )
    .ok();
    let refused = desk.run(&["login", "strict"]);
    assert_eq!(
        refused.code, 1,
        "a client registered with require_signed_request_object cannot log in with plain parameters: {}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("Request Object must be used"),
        "the server's reason is shown: {}",
        refused.stderr
    );
    desk.run(&["client", "edit", "strict", "--jar", "value"])
        .ok();
    let view = desk.run(&["login", "strict", "--json"]).ok().json();
    assert_eq!(
        view["status"], "active",
        "with an HS256 request object signed with its secret the same client logs in: {view}"
    );
    let flow = last_flow(&desk, "strict");
    assert_eq!(
        request_object(&flow)["header"]["alg"],
        "HS256",
        "a client secret signs the request object with HS256"
    );
    assert!(
        !desk
            .run(&["log", "strict", "--flows", "5", "--json"])
            .ok()
            .stdout
            .contains(JAR_REQUIRED_SECRET),
        "the secret that signs the request object is not in the transcript"
    );

    // A public client has nothing to sign with: refused in words, before any browser opens.
    desk.add_client(
        "public",
        "native-public",
        None,
        &["--scope", "openid", "--jar", "value"],
    )
    .ok();
    let before = std::fs::read_to_string(&desk.browser_log).unwrap_or_default();
    let refused = desk.run(&["login", "public"]);
    assert_eq!(
        refused.code, 1,
        "a public client cannot sign a request object"
    );
    assert!(
        refused.stderr.contains("nothing to sign with"),
        "the refusal says why in plain words: {}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&desk.browser_log).unwrap_or_default(),
        before,
        "no browser was opened for a request that could not be signed"
    );
}

#[test]
fn jwt_responses_from_the_real_server_are_verified_in_every_mode() {
    let desk = Desk::new();
    desk.add_client(
        "jarm",
        "native-public",
        None,
        &["--scope", "openid email", "--response-mode", "jwt"],
    )
    .ok();
    for mode in [
        None,
        Some("query.jwt"),
        Some("fragment.jwt"),
        Some("form_post.jwt"),
    ] {
        let label = mode.unwrap_or("jwt (the client's)");
        let mut args = vec!["login", "jarm", "--json"];
        if let Some(m) = mode {
            args.extend(["--response-mode", m]);
        }
        let view = desk.run(&args).ok().json();
        assert_eq!(
            view["status"], "active",
            "{label}: the JWT response was verified and its code exchanged: a token came back: {view}"
        );
        let flow = last_flow(&desk, "jarm");
        let step = exchange(&flow, "authorization response (JARM)");
        let body: Value = serde_json::from_str(str(&step["request"]["body"], "the JARM step"))
            .unwrap_or_else(|e| panic!("{label}: the JARM step is JSON: {e}"));
        let checks = array(&body["checks"], "the JARM checks");
        for name in ["signature", "iss", "aud", "exp"] {
            assert!(
                checks
                    .iter()
                    .any(|c| c["name"] == name && c["status"] == "pass"),
                "{label}: the timeline shows the {name} check passed: {checks:?}"
            );
        }
        assert_eq!(
            body["claims"]["code"], "[redacted]",
            "{label}: the code inside the response is redacted in the timeline: {body}"
        );
        let sent = &exchange(&flow, "authorization request")["request"]["url"];
        let expected_mode = mode.unwrap_or("jwt");
        assert!(
            str(sent, "the authorization URL").contains(&format!("response_mode={expected_mode}")),
            "{label}: the authorization request asked for {expected_mode}: {sent}"
        );
        let received = str(
            &exchange(&flow, "callback received")["request"]["url"],
            "the callback",
        );
        assert!(
            received.contains("response=[redacted]")
                || received.contains("response=%5Bredacted%5D"),
            "{label}: the response JWT (which holds the code) is redacted in the recorded callback: {received}"
        );
    }
    // Plain form_post (OAuth 2.0 Form Post Response Mode): the listener takes the browser's POST.
    let view = desk
        .run(&["login", "jarm", "--response-mode", "form_post", "--json"])
        .ok()
        .json();
    assert_eq!(
        view["status"], "active",
        "form_post: the posted code was exchanged: {view}"
    );
    let flow = last_flow(&desk, "jarm");
    assert!(
        str(
            &exchange(&flow, "authorization request")["request"]["url"],
            "the authorization URL"
        )
        .contains("response_mode=form_post"),
        "form_post was asked for, so the server answered with a page that POSTs to the listener"
    );
    assert!(
        !flow["exchanges"].as_array().is_some_and(|a| a
            .iter()
            .any(|e| e["step"] == "authorization response (JARM)")),
        "a plain form_post response has no JARM step: {flow}"
    );
}

#[test]
fn forged_jwt_responses_are_refused_before_the_code_is_used() {
    let desk = Desk::controlled();
    desk.provider
        .control("/__test/config", json!({"jarm": "ok"}));
    desk.add_client(
        "ctl",
        CLIENT_ID,
        Some(CLIENT_SECRET),
        &["--scope", "openid email", "--response-mode", "query.jwt"],
    )
    .ok();
    let token_requests = || {
        desk.provider.stats()["token_requests"]
            .as_u64()
            .unwrap_or(0)
    };
    for (case, check, code) in [
        ("bad-signature", "signature", "bad_signature"),
        ("wrong-aud", "aud", "aud_mismatch"),
        ("expired", "exp", "expired"),
    ] {
        desk.provider
            .control("/__test/config", json!({"jarm": case}));
        let before = token_requests();
        let run = desk.run(&["login", "ctl"]);
        assert_eq!(run.code, 1, "{case}: the login is refused: {}", run.stderr);
        assert!(
            run.stderr.contains("JARM")
                && run.stderr.contains(&format!("{check} [{code}]"))
                && run.stderr.contains("the code was not used"),
            "{case}: the refusal names the {check} check and that the code was not used: {}",
            run.stderr
        );
        assert_eq!(
            token_requests(),
            before,
            "{case}: no token request was made with the code of a refused response"
        );
    }
    desk.provider
        .control("/__test/config", json!({"jarm": "ok"}));
    let before = token_requests();
    desk.run(&["login", "ctl"]).ok();
    assert_eq!(
        token_requests(),
        before + 1,
        "a good response's code does reach the token endpoint (the counter above is live)"
    );
}

//! Issue 5 in the real window (WebKitGTK through tauri-driver, real oidc-provider, real
//! keychain): register a client dynamically (RFC 7591), read its registration (RFC 7592), turn
//! on PAR and DPoP in the editor, authorize with a resource indicator, and see the DPoP-bound
//! JWT access token verified in the inspector.

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, GuiResult, Launch};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(150);
const FLOW: Duration = Duration::from_secs(40);

fn check(cond: bool, what: impl Into<String>) -> GuiResult {
    if cond { Ok(()) } else { Err(what.into().into()) }
}

#[test]
fn register_par_dpop_and_a_resource_in_the_window() {
    let desk = Desk::new();
    let issuer = desk.provider.issuer.clone();
    let issuer = &issuer;
    let result = gui::run("beyond", Launch::for_desk(&desk), LIMIT, |g| async move {
        g.click("register-open").await?;
        g.fill("register-name", "dyn").await?;
        g.fill("register-issuer", issuer).await?;
        g.fill("register-scopes", "openid api:read").await?;
        g.click("register-submit").await?;
        g.wait_text("client-notice", &["Registered dyn", "client id"]).await?;
        g.wait_for("registration-info").await?;
        g.click("registration-read").await?;
        g.wait_text("registration-json", &["\"client_name\": \"dyn\"", "\"token_endpoint_auth_method\": \"none\""]).await?;
        g.click("client-par").await?;
        g.click("client-dpop").await?;
        g.click("client-save").await?;
        g.wait_for("client-saved").await?;
        g.scroll_to("registration-info").await?;
        g.screenshot("clients-registered").await?;

        g.nav("authorize").await?;
        g.select("authorize-client", "dyn").await?;
        g.select("authorize-grant", "authorization_code").await?;
        g.fill("authorize-resource", "urn:oauthdesk:jwt-api").await?;
        g.click("authorize-start").await?;
        g.wait_text_within("flow-success", &["dyn"], FLOW).await?;

        g.nav("tokens").await?;
        let rows = g.wait_testids("grant-row-", 1).await?;
        g.click(&rows[0]).await?;
        g.wait_text("checks-access-token-cnf.jkt", &["bound to this client's DPoP key"]).await?;
        g.wait_text("checks-access-token-aud", &["urn:oauthdesk:jwt-api"]).await?;
        let status = g.attrs("[data-testid=\"checks-access-token-cnf.jkt\"]", "data-status").await?;
        check(status == ["pass"], format!("cnf.jkt passes: {status:?}"))?;
        g.scroll_to("token-truth").await?;
        g.screenshot("inspector-dpop").await?;
        Ok(())
    });
    result.unwrap();
    // What went over the wire, read back through the CLI: PAR first, then DPoP with the nonce retry.
    let flows = desk.run(&["log", "dyn", "--json"]).ok().json();
    let steps: Vec<String> = flows[0]["exchanges"].as_array().unwrap().iter().map(|e| e["step"].as_str().unwrap().to_owned()).collect();
    assert!(steps.iter().any(|s| s == "pushed authorization request"), "{steps:?}");
    assert!(steps.iter().any(|s| s.contains("with the server's DPoP nonce")), "{steps:?}");
    let grant = desk.run(&["grants", "dyn", "--json"]).ok().json();
    assert_eq!(grant[0]["token_type"], "DPoP");
}

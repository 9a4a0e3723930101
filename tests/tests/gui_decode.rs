//! Decode end to end at 1000×700: tokens from the real sandbox provider (oidc-provider) and the
//! controlled issuer (expired, alg none, HS256 with a known secret) pasted into the real app,
//! verified live against the issuer's JWKS or an HMAC secret, with one verdict at the top —
//! green only when the signature verified and the times hold. A claim and a re-signed TEST
//! token are copied through Rust onto the real clipboard; the input survives a screen change.
//! Every state passes the layout check; screenshots `decode-1000x700` and `decode-verified`
//! (1440×900).

use oauthdesk_tests::gui::{self, Gui, GuiResult, Launch, assert_passed, check};
use oauthdesk_tests::{CONTROLLED_CLIENT_SECRET, Desk, Provider, jwt_access_token};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(240);

/// The key a test token is signed with in this scenario.
const TEST_SECRET: &str = "a-test-key-for-the-resource-server-of-48-bytes!!";

/// What the app put on the clipboard (served by the app's process on this display).
fn clipboard_text() -> GuiResult<String> {
    Ok(arboard::Clipboard::new()?.get_text()?)
}

/// Waits for the verdict to read `status` (`valid`, `invalid`, `unverified`) with `code`.
async fn verdict(g: &Gui, status: &str, code: &str, what: &str) -> GuiResult<String> {
    g.wait_js(
        &format!(
            "(() => {{ const v = document.querySelector('[data-testid=decode-verdict]'); return !!v && v.dataset.status === {status:?} && v.dataset.code === {code:?}; }})()"
        ),
        what,
    )
    .await?;
    g.text("decode-verdict").await
}

/// The verdict's CSS classes: its colour.
async fn verdict_class(g: &Gui) -> GuiResult<String> {
    Ok(g.attrs("[data-testid=decode-verdict]", "class")
        .await?
        .join(" "))
}

#[test]
fn decode_verifies_live_and_names_what_is_wrong() {
    let desk = Desk::new();
    let sandbox = desk.provider.issuer.clone();
    let controlled = Provider::controlled();
    let ctl = controlled.issuer.clone();
    // An RFC 9068 JWT access token from the sandbox (client credentials, JWT resource), RS256.
    let valid = jwt_access_token(&sandbox);
    let expired = controlled.mint(serde_json::json!({"case": "expired", "kind": "at"}));
    let unsigned = controlled.mint(serde_json::json!({"case": "alg-none", "kind": "at"}));
    let hs256 = controlled.mint(serde_json::json!({"alg": "HS256", "kind": "at"}));

    let result = gui::run("decode", Launch::for_desk(&desk), LIMIT, |g| async move {
        check(
            g.size() == gui::LAPTOP,
            format!("the window starts at 1000×700, not {:?}", g.size()),
        )?;
        g.nav("decode").await?;

        // 1. A valid RS256 token, decoded with no key: amber "not verified", no green.
        g.fill("decode-input", &valid).await?;
        g.wait_text("decode-kind", &["signed JWT (JWS, RS256)"])
            .await?;
        let text = verdict(&g, "unverified", "not_verified", "the no-key verdict").await?;
        check(
            text.contains("Decoded, not verified"),
            format!("without a key the token is decoded, not verified: {text}"),
        )?;
        let passes = g
            .js(
                "return document.querySelectorAll('[data-testid=decode-checks] [data-status=pass]').length;",
                vec![],
            )
            .await?;
        check(
            passes == 0,
            format!("no pass row sits with an unverified token ({passes})"),
        )?;
        let parts = g
            .attrs("[data-testid^=decode-segment-]", "data-part")
            .await?;
        check(
            parts == ["header", "payload", "signature"],
            format!("the token shows its three segments, named and coloured: {parts:?}"),
        )?;
        g.wait_text("claim-exp", &["expires in"]).await?;
        g.check_layout("Decode, a pasted token (not verified)")
            .await?;
        g.screenshot("decode-1000x700").await?;

        // 2. Verified through the issuer's discovery and JWKS: green.
        g.click("verify-source-issuer").await?;
        g.click("verify-use-iss").await?;
        let text = verdict(&g, "valid", "", "the issuer-verified verdict").await?;
        check(
            text.contains("Signature verified") && verdict_class(&g).await?.contains("notice-ok"),
            format!("a valid RS256 token verified by its issuer is green: {text}"),
        )?;
        g.wait_text(
            "decode-checks-signature",
            &["valid RS256 signature", "test-rs256"],
        )
        .await?;
        g.check_layout("Decode, verified by issuer").await?;
        g.resize(gui::WIDE.0, gui::WIDE.1).await?;
        g.check_layout("Decode, verified by issuer").await?;
        g.screenshot("decode-verified").await?;
        g.resize(gui::LAPTOP.0, gui::LAPTOP.1).await?;

        // 3. Expired, though correctly signed: red "expired".
        g.fill("verify-issuer", &ctl).await?;
        g.fill("decode-input", &expired).await?;
        let text = verdict(&g, "invalid", "expired", "the expired verdict").await?;
        check(
            text.contains("Expired") && verdict_class(&g).await?.contains("notice-error"),
            format!("an expired token is red, named expired: {text}"),
        )?;
        g.wait_text("decode-checks-signature", &["valid RS256 signature"])
            .await?;
        g.check_layout("Decode, an expired token").await?;

        // 4. alg none: "unsigned JWT" and red "unsigned", even with an issuer to fetch from.
        g.fill("decode-input", &unsigned).await?;
        g.wait_text("decode-kind", &["unsigned JWT"]).await?;
        let kind = g.text("decode-kind").await?;
        check(
            !kind.contains("JWS"),
            format!("alg none is never labelled JWS: {kind}"),
        )?;
        let text = verdict(&g, "invalid", "unsigned", "the unsigned verdict").await?;
        check(
            text.contains("Unsigned"),
            format!("alg none is red, named unsigned: {text}"),
        )?;
        g.check_layout("Decode, an unsigned token").await?;

        // 5. HS256 with the right secret (no network: the secret is the key) and a wrong one.
        g.fill("decode-input", &hs256).await?;
        g.wait_text("decode-kind", &["HS256"]).await?;
        g.click("verify-source-secret").await?;
        g.fill("verify-secret", CONTROLLED_CLIENT_SECRET).await?;
        let text = verdict(&g, "valid", "", "the HS256 verdict with the right secret").await?;
        check(
            verdict_class(&g).await?.contains("notice-ok"),
            format!("HS256 with the right secret is green: {text}"),
        )?;
        g.wait_text("decode-verification", &["the given secret"])
            .await?;
        g.check_layout("Decode, HS256 verified with a secret")
            .await?;
        g.fill(
            "verify-secret",
            "a-wrong-secret-of-forty-four-bytes-length!!",
        )
        .await?;
        let text = verdict(&g, "invalid", "bad_signature", "the wrong-secret verdict").await?;
        check(
            text.contains("Bad signature"),
            format!("a wrong secret is red, named bad signature: {text}"),
        )?;
        g.check_layout("Decode, HS256 with a wrong secret").await?;
        // A claim copied through Rust lands on the real clipboard.
        g.click("claim-sub-copy").await?;
        g.wait_text("decode-copy-status", &["Copied sub"]).await?;
        let copied = clipboard_text()?;
        check(
            copied == "alice",
            format!("the clipboard holds the claim's value: {copied:?}"),
        )?;

        // 5b. Edit & re-sign: a TEST TOKEN with an edited claim, verified with its own secret.
        g.js(
            "document.querySelector('[data-testid=resign-panel]').open = true;",
            vec![],
        )
        .await?;
        let claims = g.text("resign-claims").await?;
        g.js(
            "const el = document.querySelector('[data-testid=resign-claims]'); const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set; set.call(el, arguments[0]); el.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::json!(claims.replace("\"alice\"", "\"mallory\""))],
        )
        .await?;
        g.select("resign-alg", "HS256").await?;
        g.fill("resign-key", TEST_SECRET).await?;
        g.click("resign-sign").await?;
        g.wait_text("resign-result", &["TEST TOKEN"]).await?;
        g.check_layout("Decode, a signed test token").await?;
        g.click("resign-copy").await?;
        let test_token = clipboard_text()?;
        check(
            test_token == g.text("resign-token").await?.trim()
                && test_token.split('.').count() == 3,
            format!("the test token is copied through Rust: {test_token:?}"),
        )?;
        g.click("resign-decode").await?;
        g.wait_text("claim-sub", &["mallory"]).await?;
        g.fill("verify-secret", TEST_SECRET).await?;
        verdict(
            &g,
            "valid",
            "",
            "the test token to verify with its own secret",
        )
        .await?;
        g.fill("verify-secret", CONTROLLED_CLIENT_SECRET).await?;
        verdict(
            &g,
            "invalid",
            "bad_signature",
            "the test token to fail with the issuer's secret",
        )
        .await?;

        // 6. The input and the key source survive a screen change.
        g.nav("settings").await?;
        g.nav("decode").await?;
        let kept = g.text("decode-input").await?;
        check(
            kept == test_token,
            "the pasted token is still in the input after visiting Settings",
        )?;
        let pressed = g
            .attrs("[data-testid=verify-source-secret]", "aria-pressed")
            .await?;
        check(
            pressed == ["true"],
            format!("the key source is kept too: {pressed:?}"),
        )?;
        verdict(
            &g,
            "invalid",
            "bad_signature",
            "the verdict again after coming back",
        )
        .await?;
        Ok(())
    });
    assert_passed(
        result,
        "Decode verifies live by issuer and secret, and names expired, unsigned and bad signatures",
    );
}

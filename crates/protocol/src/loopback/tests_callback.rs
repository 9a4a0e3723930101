//! The callback checks (state, iss, error, code) and the listener's basic answers.

use super::*;

pub(super) fn exp() -> CallbackExpectation {
    CallbackExpectation {
        state: "s1".into(),
        issuer: Some("https://as.example".into()),
        iss_required: false,
        fragment: false,
        logout: false,
        jarm: false,
    }
}

fn p(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect()
}

#[test]
fn state_then_iss_then_error_then_code() {
    assert!(
        matches!(
            check(&p(&[("code", "c"), ("state", "zz")]), &exp()),
            Err(ProtocolError::StateMismatch)
        ),
        "wrong state"
    );
    assert!(
        matches!(
            check(&p(&[("error", "access_denied"), ("state", "zz")]), &exp()),
            Err(ProtocolError::StateMismatch)
        ),
        "forged error"
    );
    assert!(
        matches!(
            check(
                &p(&[("code", "c"), ("state", "s1"), ("iss", "https://evil")]),
                &exp()
            ),
            Err(ProtocolError::IssuerMismatch { .. })
        ),
        "mix-up"
    );
    let denied = check(
        &p(&[
            ("error", "access_denied"),
            ("error_description", "no"),
            ("state", "s1"),
        ]),
        &exp(),
    )
    .unwrap_err();
    assert_eq!(
        denied.oauth().unwrap().error,
        "access_denied",
        "error= becomes an OAuth error"
    );
    let ok = check(
        &p(&[
            ("code", "c"),
            ("state", "s1"),
            ("iss", "https://as.example"),
        ]),
        &exp(),
    )
    .unwrap();
    assert!(
        ok.iss_checked && ok.get("code") == Some("c"),
        "a matching iss is accepted and recorded as checked (RFC 9207), and the code is read"
    );
    let strict = CallbackExpectation {
        iss_required: true,
        ..exp()
    };
    assert!(
        matches!(
            check(&p(&[("code", "c"), ("state", "s1")]), &strict),
            Err(ProtocolError::IssuerMismatch { .. })
        ),
        "iss required when advertised"
    );
    assert!(
        matches!(
            check(&p(&[("state", "s1")]), &exp()),
            Err(ProtocolError::CallbackIncomplete)
        ),
        "a callback with a state but neither code nor error is refused as incomplete"
    );
}

#[tokio::test]
async fn listener_answers_the_browser_and_times_out() {
    let l = LoopbackListener::bind("http://127.0.0.1/callback")
        .await
        .unwrap();
    let uri = l.redirect_uri().clone();
    assert_ne!(uri.port(), Some(0), "ephemeral port filled in");
    let target = format!("{}?code=abc&state=s1", uri);
    let browser = tokio::spawn(async move {
        let mut s = TcpStream::connect(("127.0.0.1", uri.port().unwrap()))
            .await
            .unwrap();
        let path = &target[target.find("/callback").unwrap()..];
        s.write_all(format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut page = String::new();
        s.read_to_string(&mut page).await.unwrap();
        page
    });
    let cb = l
        .wait(
            &CallbackExpectation {
                issuer: None,
                ..exp()
            },
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(
        cb.get("code"),
        Some("abc"),
        "the code in the browser's request reaches the waiting flow"
    );
    let page = browser.await.unwrap();
    assert!(
        page.starts_with("HTTP/1.1 200") && page.contains("you can close this tab"),
        "browser told what happened: {page}"
    );
    let idle = LoopbackListener::bind("http://127.0.0.1/callback")
        .await
        .unwrap();
    assert!(
        matches!(
            idle.wait(&exp(), Duration::from_millis(50)).await,
            Err(ProtocolError::CallbackTimeout(_))
        ),
        "without a browser the wait ends in a timeout"
    );
}

#[tokio::test]
async fn busy_port_is_named() {
    let first = LoopbackListener::bind("http://127.0.0.1/callback")
        .await
        .unwrap();
    let port = first.redirect_uri().port().unwrap();
    let second = LoopbackListener::bind(&format!("http://127.0.0.1:{port}/callback")).await;
    assert!(
        matches!(&second, Err(ProtocolError::ListenerBind { reason, .. }) if reason.contains("in use")),
        "busy port explained"
    );
    assert!(
        LoopbackListener::bind("http://example.com/cb")
            .await
            .is_err(),
        "non-loopback refused"
    );
}

// The listener under load. Each test binds its own ephemeral port and waits in a task; the
// times are measured from sending the callback to `wait` returning it.

#[test]
fn accepted_page_says_received_not_signed_in_and_escapes_text() {
    let (title, text) = received_page(&exp());
    let page = page_html(title, text);
    assert!(
        page.contains("<h1>Authorization received</h1>")
            && page.contains("OAuth Desk is exchanging the code; you can close this tab."),
        "the browser is told the code is being exchanged: {page}"
    );
    assert!(
        !page.contains("Signed in"),
        "the browser must not claim a sign-in before the token exchange: {page}"
    );
    let logout = CallbackExpectation {
        logout: true,
        ..exp()
    };
    assert_eq!(
        received_page(&logout).0,
        "Signed out",
        "a post-logout redirect is not an authorization"
    );
    let hostile = page_html("x", "<script>alert(1)</script> & \"q\"");
    assert!(
        hostile.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;")
            && !hostile.contains("<script>"),
        "server text on the page is escaped: {hostile}"
    );
}

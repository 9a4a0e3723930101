//! The pages the loopback listener shows the browser: escaped text, no script but the
//! fragment hand-off.

use super::CallbackExpectation;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// What the browser is told once the callback is accepted: received, not signed in — the code
/// exchange (and the ID token's checks) happen after this page, in OAuth Desk.
pub(super) fn received_page(expect: &CallbackExpectation) -> (&'static str, &'static str) {
    if expect.logout {
        (
            "Signed out",
            "OAuth Desk received the post-logout redirect; you can close this tab.",
        )
    } else if expect.fragment {
        (
            "Authorization received",
            "OAuth Desk is checking the response; you can close this tab.",
        )
    } else {
        (
            "Authorization received",
            "OAuth Desk is exchanging the code; you can close this tab.",
        )
    }
}

/// The HTML of a page shown to the browser; server text in `title`/`text` is escaped.
pub(super) fn page_html(title: &str, text: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=utf-8><title>OAuth Desk — {t}</title><style>body{{font:16px system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}}@media(prefers-color-scheme:dark){{body{{background:#1b1d21;color:#eee}}}}</style></head><body><h1>{t}</h1><p>{x}</p></body></html>",
        t = escape(title),
        x = escape(text)
    )
}

pub(super) async fn respond(stream: &mut TcpStream, status: u16, title: &str, text: &str) {
    respond_html(stream, status, &page_html(title, text)).await;
}

pub(super) async fn respond_html(stream: &mut TcpStream, status: u16, page: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        _ => "Not Found",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\ncache-control: no-store\r\nreferrer-policy: no-referrer\r\nconnection: close\r\n\r\n",
        page.len()
    );
    let write = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(page.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(super::WRITE_DEADLINE, write).await;
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Posts the fragment (which never reaches a server) back to this listener, then shows the answer.
pub(super) const FRAGMENT_PAGE: &str = r#"<!doctype html><html><head><meta charset=utf-8><title>OAuth Desk</title></head><body><p id=m>Handing the response to OAuth Desk…</p><script>
var f = location.hash.slice(1);
history.replaceState(null, "", location.pathname);
fetch(location.pathname, {method: "POST", headers: {"content-type": "application/x-www-form-urlencoded"}, body: f})
  .then(function (r) { return r.text(); })
  .then(function (t) { document.open(); document.write(t); document.close(); })
  .catch(function () { document.getElementById("m").textContent = "Could not reach OAuth Desk; is it still waiting?"; });
</script></body></html>"#;

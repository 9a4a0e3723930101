//! The DPoP nonce retry of a token request (RFC 9449 §8) against a local server that asks for a
//! nonce: the retry is a new request, with a new client assertion (a jti is used once, RFC 7523
//! §3; oidc-provider refuses a replayed assertion as `invalid_client`).

use super::*;
use crate::client_auth::{AuthMethod, ClientAuth, Credential};
use crate::http::{HttpClient, HttpConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Reads one HTTP/1.1 request (head and Content-Length body) and answers it with `answer`.
async fn answer(listener: &tokio::net::TcpListener, answer: &str) -> String {
    let (mut s, _) = listener.accept().await.expect("a connection");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).await.expect("read");
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if body.len() >= len || n == 0 {
                s.write_all(answer.as_bytes()).await.expect("write");
                return text;
            }
        }
        if n == 0 {
            return text;
        }
    }
}

fn assertion(request: &str) -> String {
    let body = request.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "client_assertion")
        .map(|(_, v)| v.into_owned())
        .expect("the request carries a client assertion")
}

#[tokio::test]
async fn a_nonce_retry_carries_a_new_client_assertion() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}/token", listener.local_addr().unwrap())).unwrap();
    let pair = crate::keys::generate_es256();
    let mut auth = ClientAuth::new(
        "c",
        AuthMethod::PrivateKeyJwt,
        Some(Credential::PrivateKey(pair.private)),
    );
    auth.dpop = Some(crate::keys::generate_es256());
    let server = tokio::spawn(async move {
        let body = r#"{"error":"use_dpop_nonce"}"#;
        let first = answer(&listener, &format!("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ndpop-nonce: n-1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len())).await;
        let body = r#"{"access_token":"at","token_type":"DPoP"}"#;
        let second = answer(&listener, &format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len())).await;
        (first, second)
    });
    let http = HttpClient::new(HttpConfig::default());
    let transcript = Transcript::default();
    let resp = send_form(
        &http,
        &transcript,
        "token request",
        &url,
        &auth,
        vec![("grant_type".into(), "x".into())],
        Proof::Dpop,
    )
    .await
    .expect("the retry is answered");
    assert_eq!(resp.status, 200, "the retry with the nonce succeeds");
    let (first, second) = server.await.unwrap();
    assert_ne!(
        assertion(&first),
        assertion(&second),
        "the retry signs a new client assertion (a replayed jti is refused, RFC 7523 §3)"
    );
    assert!(
        second.to_ascii_lowercase().contains("\r\ndpop: "),
        "the retry carries a DPoP proof"
    );
}

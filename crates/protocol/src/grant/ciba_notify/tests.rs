//! Tests of the ping-mode notification endpoint: what counts as the notification, endpoints, TLS identities, hostile requests.

use super::*;

fn notification(auth: Option<&str>, body: &str) -> Notification {
    Notification {
        method: "POST".into(),
        path: "/ciba".into(),
        authorization: auth.map(str::to_owned),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn only_the_right_token_and_auth_req_id_count() {
    let token = ClientNotificationToken::new("tok-1");
    let id = AuthReqId::new("req-1");
    let expect = Expect {
        token: &token,
        auth_req_id: &id,
        path: "/ciba",
    };
    let body = r#"{"auth_req_id":"req-1"}"#;
    assert_eq!(
        judge(&notification(Some("Bearer tok-1"), body), &expect).0,
        204,
        "the right notification is answered 204"
    );
    assert_eq!(
        judge(&notification(Some("Bearer tok-2"), body), &expect).0,
        401,
        "a wrong bearer token is refused"
    );
    assert_eq!(
        judge(&notification(None, body), &expect).0,
        401,
        "no bearer token is refused"
    );
    assert_eq!(
        judge(&notification(Some("Basic tok-1"), body), &expect).0,
        401,
        "another scheme is refused"
    );
    assert_eq!(
        judge(
            &notification(Some("Bearer tok-1"), r#"{"auth_req_id":"other"}"#),
            &expect
        )
        .0,
        400,
        "another request's auth_req_id is refused"
    );
    assert_eq!(
        judge(&notification(Some("Bearer tok-1"), "{not json"), &expect).0,
        400,
        "a body that is not JSON is refused"
    );
}

#[test]
fn endpoints_must_be_loopback_with_a_port() {
    assert!(
        check_endpoint("https://127.0.0.1:4431/ciba").is_ok(),
        "a loopback https endpoint with a port is taken"
    );
    assert!(
        check_endpoint("https://example.com:443/ciba").is_err(),
        "a non-loopback host is refused"
    );
    assert!(
        check_endpoint("https://127.0.0.1/ciba").is_err(),
        "an endpoint without a port is refused"
    );
    assert!(
        check_endpoint("ftp://127.0.0.1:21/").is_err(),
        "another scheme is refused"
    );
}

#[test]
fn unusable_tls_identities_are_refused_in_words() {
    let key = crate::secret::TlsClientKey::new(
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    for cert in [
        "",
        "not a pem",
        "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n",
    ] {
        let err = check_tls(&NotifyTls {
            cert_pem: cert,
            key_pem: &key,
        })
        .expect_err("refused");
        assert!(
            err.to_string().contains("TLS identity cannot be used")
                && !err.to_string().contains("AAAA"),
            "{cert:?} is refused in words, without the key: {err}"
        );
    }
}

#[tokio::test]
async fn hostile_requests_do_not_stop_the_listener() {
    for raw in [
        b"POST /ciba HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n".as_slice(),
        b"POST /ciba HTTP/1.1\r\nContent-Length: x\r\n\r\n".as_slice(),
        b"\x16\x03\x01garbage".as_slice(),
    ] {
        let mut input = raw;
        assert!(
            read_notification(&mut input).await.is_err(),
            "{raw:?} is refused without a panic"
        );
    }
    let mut ok = b"POST /ciba?x HTTP/1.1\r\nAuthorization: Bearer t\r\nContent-Length: 2\r\n\r\n{}"
        .as_slice();
    let n = read_notification(&mut ok)
        .await
        .expect("a complete request is read");
    assert_eq!(
        (n.path.as_str(), n.body.as_slice()),
        ("/ciba", b"{}".as_slice()),
        "path and body are read"
    );
}

#[test]
fn a_key_pasted_with_the_certificate_is_not_kept_with_it() {
    let cert = include_str!("../../mtls/fixtures/client.pem");
    let key_pem = include_str!("../../mtls/fixtures/client.key");
    let key = crate::secret::TlsClientKey::new(key_pem);
    let combined = format!("{key_pem}{cert}");
    let chain = check_tls(&NotifyTls {
        cert_pem: &combined,
        key_pem: &key,
    })
    .expect("a combined PEM with a matching key serves");
    assert!(
        chain.contains("BEGIN CERTIFICATE") && !chain.contains("PRIVATE KEY"),
        "the chain to store holds the certificate and never the key: {chain}"
    );
}

#[test]
fn an_unreadable_one_line_pem_is_refused_without_quoting_it() {
    let key = crate::secret::TlsClientKey::new("k");
    let one_line = "-----BEGIN CERTIFICATE-----MIIBsecretbytes";
    let err = check_tls(&NotifyTls {
        cert_pem: one_line,
        key_pem: &key,
    })
    .expect_err("no END line");
    assert!(
        (err.to_string().contains("is malformed") || err.to_string().contains("has no END line"))
            && !err.to_string().contains("77, 73, 73"),
        "a PEM error says what is wrong in words, not the input's bytes: {err}"
    );
}

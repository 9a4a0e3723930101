//! The alias rule and the refusal of an mTLS client without a certificate.
use super::*;
use oauthdesk_protocol::client_auth::AuthMethod;

fn client(method: AuthMethod, cert: bool, binds: bool) -> Client {
    let mut c = Client::bare(Some("https://as.example".into()));
    c.auth_method = method;
    c.tls_cert_pem = cert.then(|| "-----BEGIN CERTIFICATE-----".to_owned());
    c.metadata = Some(
        serde_json::from_value(serde_json::json!({
            "issuer": "https://as.example",
            "token_endpoint": "https://as.example/token",
            "pushed_authorization_request_endpoint": "https://as.example/par",
            "tls_client_certificate_bound_access_tokens": binds,
            "mtls_endpoint_aliases": {
                "token_endpoint": "https://mtls.as.example/token",
                "pushed_authorization_request_endpoint": "https://mtls.as.example/par"
            }
        }))
        .expect("metadata"),
    );
    c
}

#[test]
fn aliases_only_for_a_client_that_presents_a_certificate_for_a_reason() {
    let token = "https://as.example/token";
    let cases = [
        (
            AuthMethod::TlsClientAuth,
            true,
            false,
            "https://mtls.as.example/token",
            "tls_client_auth with a certificate uses the alias",
        ),
        (
            AuthMethod::PrivateKeyJwt,
            true,
            true,
            "https://mtls.as.example/token",
            "a certificate and a server that binds tokens: the alias (bound tokens, RFC 8705 §3)",
        ),
        (
            AuthMethod::PrivateKeyJwt,
            true,
            false,
            token,
            "a certificate the server neither authenticates nor binds with: the regular endpoint",
        ),
        (
            AuthMethod::None,
            false,
            true,
            token,
            "no certificate: never the alias",
        ),
    ];
    for (method, cert, binds, want, why) in cases {
        let c = client(method, cert, binds);
        assert_eq!(endpoint_for(&c, "token", token), want, "{why}");
    }
    let c = client(AuthMethod::TlsClientAuth, true, false);
    assert_eq!(
        endpoint_for(&c, "par", "https://as.example/par"),
        "https://mtls.as.example/par",
        "PAR has its alias too"
    );
    assert_eq!(
        endpoint_for(&c, "token", "https://override.example/token"),
        "https://override.example/token",
        "an explicit endpoint wins"
    );
    assert!(
        require_certificate(&client(AuthMethod::SelfSignedTlsClientAuth, false, false))
            .unwrap_err()
            .to_string()
            .contains("no client certificate"),
        "an mTLS client without a certificate is refused before sending"
    );
}

#[test]
fn registering_an_mtls_client_is_refused_in_words() {
    let e = refuse_registration(AuthMethod::TlsClientAuth)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("tls_client_auth_subject_dn") && e.contains("client cert import"),
        "the refusal says what is missing and what to do: {e}"
    );
    assert!(
        refuse_registration(AuthMethod::PrivateKeyJwt).is_ok(),
        "other methods register as before"
    );
}

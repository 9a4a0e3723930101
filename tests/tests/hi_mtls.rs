//! Issue 15, area A — mutual TLS (RFC 8705) through the real `oauthdesk` binary against the
//! real oidc-provider, with its TLS listener (tests/provider/extensions/mtls.mjs) and a test CA
//! made with openssl at test time: client certificates imported from PEM and PKCS#12 into the
//! keychain, a `tls_client_auth` login (and one through PAR) over the `mtls_endpoint_aliases`,
//! the certificate-bound token (`cnf.x5t#S256`) checked by the inspector, kept by a refresh and
//! accepted by userinfo with the certificate. The self-signed method and the refusals of a bound
//! token without its certificate are in hi_mtls_bound.rs.

mod mtls_support;

use mtls_support::{
    P12_PASSWORD, alias_base, client_certificates, openssl_thumbprint, shown_id, start,
};
use oauthdesk_tests::contains_bytes;
use oauthdesk_tests::network::PrivateCa;

#[test]
fn tls_client_auth_login_binds_tokens_to_the_certificate() {
    let ca = PrivateCa::new();
    let dir = client_certificates(&ca);
    let desk = start(&dir);
    let issuer = desk.provider.issuer.clone();
    let ca_file = dir.join("ca.pem").display().to_string();
    desk.run(&[
        "client",
        "add",
        "pki",
        "--client-id",
        "mtls-pki",
        "--issuer",
        &issuer,
        "--auth-method",
        "tls_client_auth",
        "--scope",
        "openid",
        "--ca-file",
        &ca_file,
    ])
    .ok();
    let refused = desk.run(&["login", "pki"]);
    assert!(
        refused.code != 0 && refused.stderr.contains("no client certificate"),
        "tls_client_auth without a certificate is refused before anything is sent: {}",
        refused.stderr
    );

    // PKCS#12: the wrong password is said in words; the right one imports.
    let p12 = dir.join("client.p12").display().to_string();
    let wrong = desk.run_mode(
        &[
            "client",
            "cert",
            "import",
            "pki",
            "--pkcs12",
            &p12,
            "--password-stdin",
        ],
        Some("not-the-password"),
        "consent",
    );
    assert!(
        wrong.code != 0 && wrong.stderr.contains("password is wrong"),
        "a wrong PKCS#12 password is explained: {}",
        wrong.stderr
    );
    let imported = desk
        .run_mode(
            &[
                "client",
                "cert",
                "import",
                "pki",
                "--pkcs12",
                &p12,
                "--password-stdin",
                "--json",
            ],
            Some(P12_PASSWORD),
            "consent",
        )
        .ok()
        .json();
    let thumbprint = openssl_thumbprint(&dir, "client.pem");
    assert_eq!(
        imported["thumbprint"], thumbprint,
        "the imported certificate's x5t#S256 is openssl's SHA-256 thumbprint (RFC 8705 §3.1): {imported}"
    );
    assert_eq!(
        imported["subject"], "CN=desk-mtls-client, O=OAuth Desk",
        "the subject is shown in words: {imported}"
    );
    let shown = desk.run(&["client", "cert", "show", "pki"]).ok().stdout;
    assert!(
        shown.contains(&thumbprint) && shown.contains("valid:"),
        "cert show names thumbprint and validity: {shown}"
    );

    let view = desk.run(&["login", "pki", "--json"]).ok().json();
    assert_eq!(
        view["status"], "active",
        "the tls_client_auth login succeeds: {view}"
    );
    let base = alias_base(&desk);
    let log = desk.run(&["log", "pki"]).ok().stdout;
    assert!(
        log.contains(&format!("{base}/token")),
        "the token request went to the mTLS alias (RFC 8705 §5): {log}"
    );
    assert!(
        log.contains("TLS client certificate CN=desk-mtls-client") && log.contains(&thumbprint),
        "the transcript names the certificate presented (subject, thumbprint): {log}"
    );

    let inspected = desk.run(&["inspect", "pki", "--json"]).ok().json();
    let text = inspected.to_string();
    assert!(
        text.contains(&format!("\"x5t#S256\":\"{thumbprint}\"")),
        "the introspected token is bound to the certificate's thumbprint: {text}"
    );
    assert!(
        text.contains("bound to this client's certificate"),
        "the inspector says the token is bound to this client's certificate: {text}"
    );

    desk.run(&["refresh", "pki"]).ok();
    let again = desk
        .run(&["inspect", "pki", "--json"])
        .ok()
        .json()
        .to_string();
    assert!(
        again.contains(&format!("\"x5t#S256\":\"{thumbprint}\""))
            && again.contains("bound to this client's certificate"),
        "the refreshed token keeps the binding: {again}"
    );

    // Userinfo over the alias checks the binding (oidc-provider compares the presented
    // certificate's thumbprint with the token's): with the certificate it answers.
    let me = format!("{base}/me");
    let called = desk.run(&["call", "pki", &me, "--json"]).ok().json();
    assert_eq!(
        called["status"], 200,
        "userinfo accepts the certificate-bound token with its certificate: {called}"
    );

    // The key is in the keychain, never in SQLite, transcripts or output.
    let key_pem = std::fs::read_to_string(dir.join("client.key")).expect("client.key");
    let key_body = key_pem
        .lines()
        .find(|l| !l.starts_with("-----"))
        .expect("a key line");
    let item = desk.keychain_bytes(&format!("tls/{}", shown_id(&desk, "pki")));
    assert!(
        contains_bytes(&item, "PRIVATE KEY"),
        "the key is the keychain item tls/<client id>"
    );
    let everything = format!("{log}{text}{again}{called}{shown}{imported}");
    for (place, found) in [
        (
            "SQLite",
            contains_bytes(&desk.database_bytes(), "PRIVATE KEY"),
        ),
        (
            "SQLite",
            contains_bytes(&desk.database_bytes(), &key_body[..24]),
        ),
        ("output and transcript", everything.contains("PRIVATE KEY")),
        (
            "output and transcript",
            everything.contains(&key_body[..24]),
        ),
    ] {
        assert!(!found, "the client's private key never appears in {place}");
    }

    // PEM import refusals in words.
    let cert = dir.join("client.pem").display().to_string();
    let other = dir.join("other.key").display().to_string();
    let key = dir.join("client.key").display().to_string();

    // Through PAR: the pushed request authenticates with the certificate at its alias too.
    desk.run(&[
        "client",
        "add",
        "pki-par",
        "--client-id",
        "mtls-pki",
        "--issuer",
        &issuer,
        "--auth-method",
        "tls_client_auth",
        "--scope",
        "openid",
        "--ca-file",
        &ca_file,
        "--par",
    ])
    .ok();
    desk.run(&[
        "client", "cert", "import", "pki-par", "--cert", &cert, "--key", &key,
    ])
    .ok();
    desk.run(&["login", "pki-par"]).ok();
    let par_log = desk.run(&["log", "pki-par"]).ok().stdout;
    assert!(
        par_log.contains(&format!("{base}/request")),
        "the pushed authorization request went to the mTLS alias (RFC 8705 §5): {par_log}"
    );

    // The device flow: the device authorization request and the polls go to their aliases.
    desk.run(&[
        "client",
        "add",
        "pki-tv",
        "--client-id",
        "mtls-pki",
        "--issuer",
        &issuer,
        "--auth-method",
        "tls_client_auth",
        "--scope",
        "openid",
        "--ca-file",
        &ca_file,
    ])
    .ok();
    desk.run(&[
        "client",
        "cert",
        "import",
        "pki-tv",
        "--pem",
        &both_pem(&dir),
    ])
    .ok();
    // oidc-provider puts the verification page on the host the request came to: the alias.
    let mut device = desk.command(&["login", "pki-tv", "--grant", "device_code"], "device");
    device
        .env("OAUTHDESK_TEST_BROWSER_CA", &ca_file)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let approved = oauthdesk_tests::wait_with_timeout(
        device.spawn().expect("oauthdesk runs"),
        std::time::Duration::from_secs(90),
    );
    assert!(
        approved.status.success(),
        "the device flow of a tls_client_auth client succeeds: {}",
        String::from_utf8_lossy(&approved.stderr)
    );
    let tv_log = desk.run(&["log", "pki-tv"]).ok().stdout;
    assert!(
        tv_log.contains(&format!("{base}/device/auth"))
            && tv_log.contains(&format!("{base}/token")),
        "device authorization and polling went to the mTLS aliases (RFC 8705 §5): {tv_log}"
    );

    // Revocation, authenticated with the certificate at its alias.
    desk.run(&["revoke", "pki"]).ok();
    let revoked = desk.run(&["log", "pki"]).ok().stdout;
    assert!(
        revoked.contains(&format!("{base}/token/revocation")),
        "revocation went to the mTLS alias (RFC 8705 §5): {revoked}"
    );
    let mismatch = desk.run(&[
        "client", "cert", "import", "pki", "--cert", &cert, "--key", &other,
    ]);
    assert!(
        mismatch.code != 0
            && mismatch
                .stderr
                .contains("does not belong to the certificate"),
        "a key that is not the certificate's is refused in words: {}",
        mismatch.stderr
    );
}

/// The CA-issued certificate and its key in one PEM file.
fn both_pem(dir: &std::path::Path) -> String {
    let path = dir.join("client-both.pem");
    let text = format!(
        "{}{}",
        std::fs::read_to_string(dir.join("client.key")).expect("client.key"),
        std::fs::read_to_string(dir.join("client.pem")).expect("client.pem")
    );
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

//! Issue 15, area A — mutual TLS (RFC 8705), continued from hi_mtls.rs: a
//! `self_signed_tls_client_auth` login, and a certificate-bound token without its certificate:
//! refused by the real provider's userinfo and explained by `call`; `header` warns, `curl` gets
//! the certificate on pipes.

mod mtls_support;

use mtls_support::{alias_base, client_certificates, openssl_thumbprint, start};
use oauthdesk_tests::network::PrivateCa;
use std::process::Command;

#[test]
fn self_signed_login_and_a_bound_token_without_its_certificate_is_refused() {
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
        "mtls-self-signed",
        "--issuer",
        &issuer,
        "--auth-method",
        "self_signed_tls_client_auth",
        "--scope",
        "openid",
        "--ca-file",
        &ca_file,
    ])
    .ok();
    // One PEM file with the certificate and the key.
    let both = dir.join("self-both.pem");
    let joined = format!(
        "{}{}",
        std::fs::read_to_string(dir.join("self.pem")).expect("self.pem"),
        std::fs::read_to_string(dir.join("self.key")).expect("self.key")
    );
    std::fs::write(&both, joined).expect("write");
    let both = both.display().to_string();
    let imported = desk
        .run(&["client", "cert", "import", "pki", "--pem", &both, "--json"])
        .ok()
        .json();
    let thumbprint = openssl_thumbprint(&dir, "self.pem");
    assert_eq!(
        (
            imported["thumbprint"].as_str(),
            imported["self_signed"].as_bool()
        ),
        (Some(thumbprint.as_str()), Some(true)),
        "the self-signed certificate imports from one PEM file: {imported}"
    );
    desk.run(&["login", "pki"]).ok();
    let inspected = desk
        .run(&["inspect", "pki", "--json"])
        .ok()
        .json()
        .to_string();
    assert!(
        inspected.contains(&format!("\"x5t#S256\":\"{thumbprint}\""))
            && inspected.contains("bound to this client's certificate"),
        "self_signed_tls_client_auth gives a token bound to the self-signed certificate: {inspected}"
    );
    let base = alias_base(&desk);
    let me = format!("{base}/me");
    desk.run(&["call", "pki", &me]).ok();

    // The same token without the certificate: the header is handed over with a notice, and
    // userinfo refuses it, saying why.
    let header = desk.run(&["header", "pki"]).ok();
    assert!(
        header.stderr.contains("certificate-bound") && header.stderr.contains(&thumbprint),
        "header warns that the token needs its certificate: {}",
        header.stderr
    );
    let authorization = header
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Authorization: "))
        .expect("an Authorization line")
        .to_owned();
    let out = Command::new("curl")
        .args([
            "-s",
            "--cacert",
            &ca_file,
            "-H",
            &format!("Authorization: {authorization}"),
            "-D",
            "-",
            &me,
        ])
        .output()
        .expect("curl is installed");
    let answer = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        answer.starts_with("HTTP/1.1 401") && answer.contains("invalid_token"),
        "userinfo refuses the bound token presented without its certificate: {answer}"
    );
    let (cert, key) = (
        dir.join("self.pem").display().to_string(),
        dir.join("self.key").display().to_string(),
    );
    let with_cert = Command::new("curl")
        .args(["-s", "--cacert", &ca_file, "--cert", &cert, "--key", &key])
        .args(["-H", &format!("Authorization: {authorization}"), &me])
        .output()
        .expect("curl");
    assert!(
        String::from_utf8_lossy(&with_cert.stdout).contains("\"sub\""),
        "the same token with its certificate is accepted, so the refusal was the missing certificate: {}",
        String::from_utf8_lossy(&with_cert.stdout)
    );
    // `oauthdesk curl` hands curl the certificate and key on pipes (never a file).
    let curled = desk
        .run(&["curl", "pki", "--", "-s", "--cacert", &ca_file, &me])
        .ok();
    assert!(
        curled.stdout.contains("\"sub\""),
        "curl through oauthdesk presents the client certificate with the bound token: {} {}",
        curled.stdout,
        curled.stderr
    );

    // A public client with certificate-bound tokens: once its certificate is gone, `call`
    // presents the token without one, the API refuses it, and the refusal is explained.
    desk.run(&[
        "client",
        "add",
        "bound",
        "--client-id",
        "mtls-bound-public",
        "--issuer",
        &issuer,
        "--auth-method",
        "none",
        "--scope",
        "openid",
        "--ca-file",
        &ca_file,
    ])
    .ok();
    desk.run(&[
        "client", "cert", "import", "bound", "--cert", &cert, "--key", &key,
    ])
    .ok();
    desk.run(&["login", "bound"]).ok();
    desk.run(&["call", "bound", &me]).ok();
    desk.run(&["client", "cert", "remove", "bound"]).ok();
    let refused = desk.run(&["call", "bound", &me]);
    assert!(
        refused.code == 1 && refused.stdout.contains("401"),
        "the bound token without its certificate is refused: {} {}",
        refused.stdout,
        refused.stderr
    );
    assert!(
        refused.stderr.contains("RFC 8705") && refused.stderr.contains("presented none"),
        "the refusal is explained as the missing certificate: {}",
        refused.stderr
    );
    desk.run(&["client", "cert", "remove", "pki"]).ok();
    let shown = desk.run(&["client", "cert", "show", "pki"]).ok().stdout;
    assert!(
        shown.contains("no TLS client certificate"),
        "removed: {shown}"
    );
    let refused = desk.run(&["login", "pki"]);
    assert!(
        refused.code != 0 && refused.stderr.contains("no client certificate"),
        "without its certificate the client cannot authenticate: {}",
        refused.stderr
    );

    // A JWT access token (RFC 9068, for a resource): its own `cnf.x5t#S256` claim is checked,
    // by `inspect` and by `decode --client`.
    desk.run(&[
        "client", "cert", "import", "bound", "--cert", &cert, "--key", &key,
    ])
    .ok();
    desk.run(&[
        "login",
        "bound",
        "--resource",
        "urn:oauthdesk:jwt-api",
        "--scope",
        "api:read",
    ])
    .ok();
    let inspected = desk
        .run(&["inspect", "bound", "--json"])
        .ok()
        .json()
        .to_string();
    assert!(
        inspected.contains(&format!("\"x5t#S256\":\"{thumbprint}\""))
            && inspected.contains("bound to this client's certificate"),
        "the JWT access token's cnf claim is bound to the certificate: {inspected}"
    );
    let header = desk.run(&["header", "bound"]).ok();
    let token = header
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Authorization: Bearer "))
        .expect("a Bearer token")
        .to_owned();
    let decoded = desk.run(&["decode", "--client", "bound", &token]).ok();
    assert!(
        decoded
            .stdout
            .contains("bound to this client's certificate"),
        "decode --client checks a pasted JWT access token's binding too: {}",
        decoded.stdout
    );
}

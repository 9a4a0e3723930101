//! Shared by hi_mtls.rs and hi_mtls_bound.rs: the test CA's client certificates (made with
//! openssl at test time), the provider with its mTLS listener, and small lookups.
#![allow(dead_code)] // each hi_mtls*.rs uses its own part of this

use oauthdesk_tests::network::PrivateCa;
use oauthdesk_tests::{Desk, Provider};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const SUBJECT_DN: &str = "CN=desk-mtls-client,O=OAuth Desk";
pub const P12_PASSWORD: &str = "p12-test-password";

pub fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// base64url(SHA-256(DER)) computed by openssl, independently of OAuth Desk.
pub fn openssl_thumbprint(dir: &Path, pem: &str) -> String {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "openssl x509 -in {pem} -outform der | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\\n'"
        ))
        .current_dir(dir)
        .output()
        .expect("sh and openssl");
    String::from_utf8(out.stdout).expect("ascii")
}

/// The client certificates: one from the CA (`client.pem`/`client.key`, and `client.p12`),
/// one self-signed (`self.pem`/`self.key`), and an unrelated key (`other.key`).
pub fn client_certificates(ca: &PrivateCa) -> PathBuf {
    let dir = ca.dir.path().to_path_buf();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut csr = vec!["req"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "client.key",
        "-out",
        "client.csr",
        "-subj",
        "/CN=desk-mtls-client/O=OAuth Desk",
    ]);
    openssl(&dir, &csr);
    std::fs::write(dir.join("client.cnf"), "extendedKeyUsage=clientAuth\n").expect("write");
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "client.pem",
            "-days",
            "2",
            "-extfile",
            "client.cnf",
        ],
    );
    openssl(
        &dir,
        &[
            "pkcs12",
            "-export",
            "-in",
            "client.pem",
            "-inkey",
            "client.key",
            "-out",
            "client.p12",
            "-passout",
            &format!("pass:{P12_PASSWORD}"),
        ],
    );
    let mut selfsigned = vec!["req", "-x509"];
    selfsigned.extend(ec);
    selfsigned.extend([
        "-keyout",
        "self.key",
        "-out",
        "self.pem",
        "-days",
        "2",
        "-subj",
        "/CN=desk-self-signed",
    ]);
    openssl(&dir, &selfsigned);
    openssl(
        &dir,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "other.key",
        ],
    );
    dir
}

/// The provider with its mTLS listener; `dir` holds the test CA's files (keep the
/// [`PrivateCa`] alive while the desk runs).
pub fn start(dir: &Path) -> Desk {
    let path = |f: &str| dir.join(f).display().to_string();
    let (key, cert, ca_pem, selfsigned) = (
        path("server.key"),
        path("server.pem"),
        path("ca.pem"),
        path("self.pem"),
    );
    let provider = Provider::start_with(&[
        ("MTLS_KEY", &key),
        ("MTLS_CERT", &cert),
        ("MTLS_CA", &ca_pem),
        ("MTLS_SUBJECT_DN", SUBJECT_DN),
        ("MTLS_SELF_SIGNED_CERT", &selfsigned),
    ]);
    Desk::with_provider(provider)
}

/// The TLS listener's base URL, from the discovery document's aliases.
pub fn alias_base(desk: &Desk) -> String {
    let shown = desk.run(&["client", "show", "pki", "--json"]).ok().json();
    let token = shown["metadata"]["mtls_endpoint_aliases"]["token_endpoint"]
        .as_str()
        .unwrap_or_else(|| panic!("discovery names an mTLS alias for the token endpoint: {shown}"))
        .to_owned();
    token.trim_end_matches("/token").to_owned()
}

pub fn shown_id(desk: &Desk, name: &str) -> String {
    desk.run(&["client", "show", name, "--json"]).ok().json()["id"]
        .as_str()
        .expect("client id")
        .to_owned()
}

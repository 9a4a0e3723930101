//! Real network parts for the proxy, CA and timeout tests (tests/tests/network.rs):
//!
//! - [`PrivateCa`]: a CA and a server certificate for 127.0.0.1, made with the `openssl` CLI at
//!   test time (nothing committed, nothing from the system's trust store);
//! - [`TlsStub`]: node's https server with that certificate (tests/provider/tls_stub.mjs), serving
//!   discovery, a JWKS and a client_credentials token endpoint;
//! - [`HttpProxy`]: a forward proxy (CONNECT tunnels and absolute-form HTTP requests) that logs
//!   every request it carries, optionally demanding `Proxy-Authorization`;
//! - [`SilentServer`]: accepts connections and never answers (for the timeout setting);
//! - [`run_with_env`]: a CLI run with exactly the given proxy variables in its environment.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A private CA and a server certificate it signed (SAN IP:127.0.0.1, DNS:localhost).
pub struct PrivateCa {
    pub dir: tempfile::TempDir,
}

impl PrivateCa {
    pub fn new() -> PrivateCa {
        let dir = tempfile::tempdir().expect("tempdir");
        let run = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(dir.path())
                .output()
                .expect("openssl is installed");
            assert!(
                out.status.success(),
                "openssl {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
        let mut ca = vec!["req", "-x509"];
        ca.extend(ec);
        ca.extend([
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=OAuth Desk Test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        run(&ca);
        let mut csr = vec!["req"];
        csr.extend(ec);
        csr.extend([
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ]);
        run(&csr);
        std::fs::write(
            dir.path().join("ext.cnf"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
        )
        .expect("write ext.cnf");
        run(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ]);
        PrivateCa { dir }
    }

    /// The CA certificate (PEM): what a user adds in Settings → Network.
    pub fn ca_pem_path(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    pub fn ca_pem(&self) -> String {
        std::fs::read_to_string(self.ca_pem_path()).expect("ca.pem")
    }

    fn server_files(&self) -> (PathBuf, PathBuf) {
        (
            self.dir.path().join("server.key"),
            self.dir.path().join("server.pem"),
        )
    }
}

impl Default for PrivateCa {
    fn default() -> Self {
        Self::new()
    }
}

/// The TLS authorization-server stub; killed on drop.
pub struct TlsStub {
    child: Child,
    /// `https://127.0.0.1:PORT`, also its issuer.
    pub issuer: String,
}

impl TlsStub {
    pub fn start(ca: &PrivateCa) -> TlsStub {
        let (key, cert) = ca.server_files();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("provider");
        let mut child = Command::new("node")
            .arg("tls_stub.mjs")
            .arg(&key)
            .arg(&cert)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node is installed");
        let line = crate::provider::first_line(&mut child, Duration::from_secs(30));
        let Some(issuer) = line.trim().strip_prefix("READY ") else {
            let _ = child.kill();
            panic!("the TLS stub did not start: {line:?}");
        };
        TlsStub {
            issuer: issuer.to_owned(),
            child,
        }
    }
}

impl Drop for TlsStub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A forward proxy on 127.0.0.1 that logs what it carries: `CONNECT host:port` for tunnels,
/// `GET http://host:port/path` for plain requests, `refused …` for requests it answered 407.
pub struct HttpProxy {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl HttpProxy {
    /// `auth`: the exact `Proxy-Authorization` value to demand (`Basic …`), or none.
    pub fn start(auth: Option<String>) -> HttpProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let shared = log.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (log, auth) = (shared.clone(), auth.clone());
                std::thread::spawn(move || {
                    let _ = serve(conn, &log, auth.as_deref());
                });
            }
        });
        HttpProxy { url, log }
    }

    /// Every request carried (or refused) so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Requests carried (not refused).
    pub fn carried(&self) -> usize {
        self.log()
            .iter()
            .filter(|l| !l.starts_with("refused"))
            .count()
    }
}

fn serve(client: TcpStream, log: &Mutex<Vec<String>>, auth: Option<&str>) -> std::io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || head.len() > 200 {
            return Ok(());
        }
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        head.push(line);
    }
    let mut parts = head[0].split(' ');
    let (method, target) = (
        parts.next().unwrap_or("").to_owned(),
        parts.next().unwrap_or("").to_owned(),
    );
    let header = |name: &str| {
        head[1..].iter().find_map(|h| {
            let (n, v) = h.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let mut client = client;
    if let Some(expected) = auth
        && header("proxy-authorization").as_deref() != Some(expected)
    {
        push(log, format!("refused {method} {target}"));
        client.write_all(
            b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )?;
        return Ok(());
    }
    push(log, format!("{method} {target}"));
    if method == "CONNECT" {
        let upstream = TcpStream::connect(&target)?;
        client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
        let (mut up_read, mut up_write) = (upstream.try_clone()?, upstream);
        let mut client_write = client.try_clone()?;
        let upward = std::thread::spawn(move || {
            let _ = std::io::copy(&mut reader, &mut up_write);
            let _ = up_write.shutdown(std::net::Shutdown::Write);
        });
        let _ = std::io::copy(&mut up_read, &mut client_write);
        let _ = client_write.shutdown(std::net::Shutdown::Both);
        let _ = upward.join();
        return Ok(());
    }
    // Absolute form (RFC 9112 §3.2.2) → origin form, one request per connection.
    let rest = target.strip_prefix("http://").unwrap_or(&target);
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut upstream = TcpStream::connect(authority)?;
    let mut out = format!("{method} {path} HTTP/1.1\r\n");
    for h in &head[1..] {
        let name = h
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !matches!(
            name.as_str(),
            "proxy-authorization" | "proxy-connection" | "connection"
        ) {
            out.push_str(h);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    upstream.write_all(out.as_bytes())?;
    let length: u64 = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    std::io::copy(&mut (&mut reader).take(length), &mut upstream)?;
    std::io::copy(&mut upstream, &mut client)?;
    let _ = client.shutdown(std::net::Shutdown::Both);
    Ok(())
}

fn push(log: &Mutex<Vec<String>>, entry: String) {
    if let Ok(mut l) = log.lock() {
        l.push(entry);
    }
}

/// Accepts connections and never answers: a server that hangs.
pub struct SilentServer {
    /// `http://127.0.0.1:PORT`
    pub url: String,
}

impl SilentServer {
    pub fn start() -> SilentServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind silent server");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for conn in listener.incoming().flatten() {
                held.push(conn);
            }
        });
        SilentServer { url }
    }
}

/// A CLI run with the proxy variables of the environment set to exactly `env`.
pub fn run_with_env(
    d: &crate::Desk,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> crate::Run {
    use std::io::Write;
    let mut cmd = d.command(args, "consent");
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("oauthdesk runs");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.unwrap_or("").as_bytes())
            .expect("stdin");
    }
    crate::Run::from(crate::wait_with_timeout(child, Duration::from_secs(90)))
}

//! `oauthdesk kubectl` as kubectl's exec credential plugin, end to end: the real kubectl (the
//! one on PATH, or `$OAUTHDESK_TEST_KUBECTL`) runs `kubectl --kubeconfig F get --raw /api`
//! against a TLS stand-in for an API server (tests/provider/kube_api_stub.mjs, certificate from a
//! private CA made at test time) that answers only requests whose bearer token the real test
//! authorization server introspects as active. The kubeconfig's user block is the one
//! `--kubeconfig-snippet` prints, so the snippet is tested as it would be pasted.
//!
//! kubectl 1.20 (Debian 12's `kubernetes-client`) speaks only v1beta1 and refuses v1; kubectl
//! ≥ 1.22 speaks both. The v1 test runs kubectl with v1 when it can, and otherwise checks that
//! the old kubectl refuses v1 and drives the plugin with the v1 `KUBERNETES_EXEC_INFO` a newer
//! kubectl sends.

use base64::Engine;
use oauthdesk_tests::network::PrivateCa;
use oauthdesk_tests::{Desk, Run, http, wait_with_timeout};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The API server stand-in; killed on drop.
struct KubeApi {
    child: Child,
    /// `https://127.0.0.1:PORT`
    url: String,
    ca: PrivateCa,
}

impl KubeApi {
    fn start(issuer: &str) -> KubeApi {
        let ca = PrivateCa::new();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("provider");
        let mut child = Command::new("node")
            .arg("kube_api_stub.mjs")
            .arg(ca.dir.path().join("server.key"))
            .arg(ca.dir.path().join("server.pem"))
            .arg(issuer)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node is installed");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        let Some(url) = line.trim().strip_prefix("READY ") else {
            let _ = child.kill();
            panic!("the API server stub did not start: {line:?}");
        };
        KubeApi {
            url: url.to_owned(),
            child,
            ca,
        }
    }

    /// Paths of the requests it accepted and refused so far (`/__stats`, through curl with the CA).
    fn stats(&self) -> (Vec<String>, Vec<String>) {
        let out = Command::new("curl")
            .args(["-sS", "--cacert"])
            .arg(self.ca.ca_pem_path())
            .arg(format!("{}/__stats", self.url))
            .output()
            .expect("curl is installed");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stub stats are JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let paths = |k: &str| {
            v[k].as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        (paths("accepted"), paths("refused"))
    }

    /// A kubeconfig for this server, its CA inline, with `user` (YAML lines of a
    /// `users[].user`, e.g. the snippet) as the user.
    fn kubeconfig(&self, dir: &Path, file: &str, user: &str) -> PathBuf {
        let ca = base64::engine::general_purpose::STANDARD.encode(self.ca.ca_pem());
        let user: String = user.lines().map(|l| format!("    {l}\n")).collect();
        let config = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: stub\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\nusers:\n- name: me\n  user:\n{user}contexts:\n- name: stub\n  context:\n    cluster: stub\n    user: me\ncurrent-context: stub\n",
            self.url
        );
        let path = dir.join(file);
        std::fs::write(&path, config).expect("write kubeconfig");
        path
    }
}

impl Drop for KubeApi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The kubectl under test and its client minor version.
struct Kubectl {
    path: PathBuf,
    minor: u32,
}

fn kubectl() -> Kubectl {
    let path = PathBuf::from(
        std::env::var_os("OAUTHDESK_TEST_KUBECTL").unwrap_or_else(|| "kubectl".into()),
    );
    let out = Command::new(&path)
        .args(["version", "--client", "-o", "json"])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "kubectl ({}) runs ({e}); scripts/deps.sh installs Debian's kubernetes-client when none is present",
                path.display()
            )
        });
    let v: Value = serde_json::from_slice(&out.stdout).expect("kubectl version -o json");
    let minor = v["clientVersion"]["minor"]
        .as_str()
        .map(|m| {
            m.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|m| m.parse().ok())
        .expect("kubectl reports its minor version");
    Kubectl { path, minor }
}

/// `kubectl --kubeconfig CONFIG ARGS` with the installation's environment (so the plugin it
/// runs finds this test's data dir and test browser), a throwaway HOME and no stdin.
fn run_kubectl(desk: &Desk, k: &Kubectl, config: &Path, args: &[&str]) -> Run {
    let template = desk.command(&[], "consent");
    let mut cmd = Command::new(&k.path);
    for (key, value) in template.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    cmd.env("HOME", desk.home.path())
        .env("KUBECONFIG", config)
        .arg("--kubeconfig")
        .arg(config)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd.spawn().expect("kubectl runs");
    Run::from(wait_with_timeout(child, Duration::from_secs(120)))
}

fn snippet(desk: &Desk, name: &str, extra: &[&str]) -> String {
    let mut args = vec!["kubectl", name, "--kubeconfig-snippet"];
    args.extend_from_slice(extra);
    desk.run(&args).ok().stdout
}

fn history_details(desk: &Desk, name: &str) -> Vec<String> {
    let v = desk.run(&["history", name, "--json"]).ok().json();
    v.as_array()
        .map(|a| {
            a.iter()
                .filter(|e| e["kind"] == "handoff")
                .filter_map(|e| e["detail"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn api_answer(run: &Run) -> Value {
    assert_eq!(
        run.code, 0,
        "kubectl get --raw /api succeeds:\nstdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn kubectl_reaches_the_api_with_a_v1beta1_credential_from_the_snippet() {
    let desk = Desk::new();
    desk.add_sandbox_and_service();
    desk.run(&["login", "sandbox"]).ok();
    let api = KubeApi::start(&desk.provider.issuer);
    let k = kubectl();

    let block = snippet(&desk, "sandbox", &[]);
    assert!(
        block.starts_with("exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n"),
        "the default snippet is v1beta1, which every kubectl since 1.11 speaks: {block}"
    );
    let exe = oauthdesk_tests::bin("oauthdesk")
        .canonicalize()
        .expect("binary path");
    assert!(
        block.contains(&format!("  command: {:?}\n", exe.display().to_string())),
        "the snippet runs this binary by its absolute path: {block}"
    );
    let config = api.kubeconfig(desk.home.path(), "v1beta1.yaml", &block);
    let answer = api_answer(&run_kubectl(&desk, &k, &config, &["get", "--raw", "/api"]));
    assert_eq!(
        answer["kind"], "APIVersions",
        "the API answered the plugin's token: {answer}"
    );
    let (accepted, _) = api.stats();
    assert!(
        accepted.contains(&"/api".to_owned()),
        "the stub saw /api with an active bearer token: {accepted:?}"
    );

    // The same API refuses a token its authorization server does not know: the success
    // above is the plugin's token, not a stub that lets anything through.
    let forged = api.kubeconfig(desk.home.path(), "forged.yaml", "token: not-a-real-token");
    let refused = run_kubectl(&desk, &k, &forged, &["get", "--raw", "/api"]);
    assert_ne!(refused.code, 0, "a forged token is refused");
    assert!(
        refused.stderr.contains("Unauthorized") || refused.stderr.contains("401"),
        "kubectl reports the 401: {}",
        refused.stderr
    );
    assert!(
        api.stats().1.contains(&"/api".to_owned()),
        "the refusal was the stub's"
    );

    let details = history_details(&desk, "sandbox");
    assert!(
        details.iter().any(|d| d == "token handed to kubectl"),
        "the handoff is a history event: {details:?}"
    );
    let grants = desk.run(&["grants", "sandbox", "--json"]).ok().json();
    assert_eq!(
        grants[0]["last_used_by"], "kubectl",
        "the grant shows kubectl as its last user: {grants}"
    );
}

#[test]
fn v1_credentials_for_kubectl_that_asks_for_v1() {
    let desk = Desk::new();
    desk.add_sandbox_and_service();
    let login = desk.run(&["login", "sandbox", "--json"]).ok().json();
    let api = KubeApi::start(&desk.provider.issuer);
    let k = kubectl();
    let block = snippet(&desk, "sandbox", &["--api-version", "v1"]);
    assert!(
        block.contains("apiVersion: client.authentication.k8s.io/v1\n")
            && block.contains("interactiveMode: IfAvailable"),
        "a v1 snippet carries the interactiveMode v1 requires: {block}"
    );
    // With provideClusterInfo kubectl tells the plugin which cluster it talks to.
    let block = block.replace("provideClusterInfo: false", "provideClusterInfo: true");
    let config = api.kubeconfig(desk.home.path(), "v1.yaml", &block);
    let run = run_kubectl(&desk, &k, &config, &["get", "--raw", "/api"]);
    if k.minor >= 22 {
        assert_eq!(
            api_answer(&run)["kind"],
            "APIVersions",
            "v1 works end to end"
        );
    } else {
        assert!(
            run.code != 0 && run.stderr.contains("invalid apiVersion"),
            "kubectl 1.{} refuses v1 itself, before running the plugin: {}",
            k.minor,
            run.stderr
        );
    }

    // The plugin as kubectl ≥ 1.22 runs it for v1 (whatever this machine's kubectl is).
    let info = format!(
        r#"{{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{{"cluster":{{"server":"{}","config":null}},"interactive":false}}}}"#,
        api.url
    );
    let mut cmd = desk.command(&["kubectl", "sandbox"], "none");
    cmd.env("KUBERNETES_EXEC_INFO", info)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let direct = Run::from(wait_with_timeout(
        cmd.spawn().expect("oauthdesk runs"),
        Duration::from_secs(60),
    ))
    .ok();
    let cred = direct.json();
    assert_eq!(cred["kind"], "ExecCredential");
    assert_eq!(
        cred["apiVersion"], "client.authentication.k8s.io/v1",
        "the answer has the apiVersion kubectl asked for (the credential is not printed: it holds the token)"
    );
    let token = cred["status"]["token"].as_str().expect("status.token");
    let (status, introspection) = http(
        reqwest::Method::POST,
        &format!("{}/token/introspection", desk.provider.issuer),
        &[("token", token)],
        Some(("service", "service-secret")),
    );
    assert_eq!(
        (status, &introspection["active"]),
        (200, &Value::Bool(true)),
        "status.token is an active access token"
    );
    let expires = login["expires_at"].as_i64().expect("expires_at");
    assert_eq!(
        cred["status"]["expirationTimestamp"],
        oauthdesk_core::desk::iso8601(expires),
        "expirationTimestamp is the token's expiry in RFC 3339 UTC"
    );
    let details = history_details(&desk, "sandbox");
    assert!(
        details
            .iter()
            .any(|d| d == &format!("token handed to kubectl for {}", api.url)),
        "with cluster info the history names the cluster: {details:?}"
    );
}

#[test]
fn an_expired_token_is_refreshed_when_kubectl_asks() {
    let desk = Desk::new();
    desk.add_client("brief", "short-lived", None, &["--scope", "openid"])
        .ok();
    let login = desk.run(&["login", "brief", "--json"]).ok().json();
    assert!(
        login["expires_at"].as_i64().unwrap_or(i64::MAX) - login["issued_at"].as_i64().unwrap_or(0)
            <= 1,
        "the test server issues a 1 s token: {login}"
    );
    std::thread::sleep(Duration::from_millis(2100));
    let api = KubeApi::start(&desk.provider.issuer);
    let k = kubectl();
    desk.provider.reset_stats();
    let config = api.kubeconfig(
        desk.home.path(),
        "brief.yaml",
        &snippet(&desk, "brief", &[]),
    );
    let answer = api_answer(&run_kubectl(&desk, &k, &config, &["get", "--raw", "/api"]));
    assert_eq!(
        answer["kind"], "APIVersions",
        "the refreshed token is accepted"
    );
    assert_eq!(
        desk.provider.refresh_requests(),
        1,
        "the expired token was refreshed once, for kubectl"
    );
}

#[test]
fn a_needed_login_is_named_on_kubectl_stderr_or_done_with_login_if_needed() {
    let desk = Desk::new();
    desk.add_client("brief", "short-lived", None, &["--scope", "openid"])
        .ok();
    let login = desk.run(&["login", "brief", "--json"]).ok().json();
    let key = format!("grant/{}", login["id"].as_str().expect("grant id"));
    let item = desk.keychain_item(&key).expect("the grant's keychain item");
    let rt = item["refresh_token"].as_str().expect("a refresh token");
    let (status, _) = http(
        reqwest::Method::POST,
        &format!("{}/token/revocation", desk.provider.issuer),
        &[("token", rt), ("client_id", "short-lived")],
        None,
    );
    assert_eq!(
        status, 200,
        "the refresh token is revoked behind OAuth Desk's back"
    );
    std::thread::sleep(Duration::from_millis(1200));
    let api = KubeApi::start(&desk.provider.issuer);
    let k = kubectl();

    let config = api.kubeconfig(
        desk.home.path(),
        "plain.yaml",
        &snippet(&desk, "brief", &[]),
    );
    let logins_before = desk.read_browser_log().lines().count();
    let failed = run_kubectl(&desk, &k, &config, &["get", "--raw", "/api"]);
    assert_ne!(failed.code, 0, "no token, no API call");
    assert!(
        failed.stderr.contains("oauthdesk login brief")
            && failed.stderr.contains("--login-if-needed"),
        "kubectl shows the plugin's stderr, which names the command to run: {}",
        failed.stderr
    );
    assert_eq!(
        desk.read_browser_log().lines().count(),
        logins_before,
        "no browser was opened for a non-interactive kubectl"
    );

    let config = api.kubeconfig(
        desk.home.path(),
        "relogin.yaml",
        &snippet(&desk, "brief", &["--login-if-needed"]),
    );
    let answer = api_answer(&run_kubectl(&desk, &k, &config, &["get", "--raw", "/api"]));
    assert_eq!(
        answer["kind"], "APIVersions",
        "with --login-if-needed the plugin logged in and kubectl got through"
    );
    let grants = desk.run(&["grants", "brief", "--json"]).ok().json();
    assert!(
        grants.as_array().is_some_and(|g| g.len() == 2),
        "the login made a second grant: {grants}"
    );
}

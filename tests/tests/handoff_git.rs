//! The git credential helper (`oauthdesk git-credential`) driven by the real git: `git clone`
//! and `git push` over HTTP against the real `git http-backend`, behind a test gate that lets
//! through only access tokens the test oidc-provider introspects as active
//! (`tests/src/token_gate`). The helper is configured with the README's `git config` line in a
//! throwaway `GIT_CONFIG_GLOBAL`, never the machine's.
//!
//! The `short-lived` client gets 1 s access tokens at login and 3600 s ones from a refresh, so
//! "expired" is real at the server, not simulated.

use oauthdesk_tests::token_gate::{Backend, TokenGate};
use oauthdesk_tests::{Desk, Run, bin, http, wait_with_timeout};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// One installation, a bare repository behind the gate, and git configured with the helper.
struct Forge {
    desk: Desk,
    gate: TokenGate,
    /// HOME, the git config, the clones.
    work: tempfile::TempDir,
    repo: PathBuf,
}

impl Forge {
    /// A bare `repo.git` with one commit, served by the gate; the client `forge` (the server's
    /// `short-lived` client) logged in; git's global config holding the helper line.
    fn new() -> Forge {
        let desk = Desk::new();
        let work = tempfile::tempdir().expect("tempdir");
        let root = work.path().join("srv");
        std::fs::create_dir_all(&root).expect("srv dir");
        let repo = root.join("repo.git");
        let gate = TokenGate::start(
            &desk.provider.issuer,
            Backend::Git {
                project_root: root.clone(),
            },
        );
        let forge = Forge {
            desk,
            gate,
            work,
            repo,
        };
        std::fs::write(forge.config(), "").expect("git config");
        for (k, v) in [
            ("user.name", "Test"),
            ("user.email", "test@example.com"),
            ("init.defaultBranch", "main"),
        ] {
            forge.git(&["config", "--global", k, v], None).ok();
        }
        forge
            .git(&["init", "--bare", "--quiet", &path(&forge.repo)], None)
            .ok();
        let seed = forge.work.path().join("seed");
        forge
            .git(
                &["clone", "--quiet", &path(&forge.repo), &path(&seed)],
                None,
            )
            .ok();
        std::fs::write(seed.join("README"), "hello\n").expect("seed file");
        forge.git(&["add", "README"], Some(&seed)).ok();
        forge
            .git(&["commit", "-q", "-m", "first"], Some(&seed))
            .ok();
        forge
            .git(&["push", "-q", "origin", "HEAD:main"], Some(&seed))
            .ok();
        // The README's line, as a user types it (with the helper's absolute path).
        let helper = format!(
            "!'{}' git-credential --client forge",
            bin("oauthdesk").display()
        );
        let key = format!("credential.{}.helper", forge.gate.url);
        forge.git(&["config", "--global", &key, &helper], None).ok();
        forge
            .desk
            .add_client("forge", "short-lived", None, &["--scope", "openid"])
            .ok();
        forge
    }

    fn config(&self) -> PathBuf {
        self.work.path().join("gitconfig")
    }

    fn url(&self) -> String {
        format!("{}/repo.git", self.gate.url)
    }

    /// git with the throwaway config and this installation's environment (the helper inherits
    /// it): never a prompt, never the machine's config.
    fn git_command(&self, args: &[&str], cwd: Option<&Path>) -> Command {
        let mut cmd = Command::new("git");
        cmd.args(args)
            .current_dir(cwd.unwrap_or(self.work.path()))
            .env("GIT_CONFIG_GLOBAL", self.config())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.work.path())
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_ASKPASS")
            .env_remove("SSH_ASKPASS")
            .env("OAUTHDESK_HOME", self.desk.home.path())
            .env("BROWSER", bin("oauthdesk-test-browser"))
            .env("OAUTHDESK_TEST_BROWSER_MODE", "consent")
            .env("OAUTHDESK_TEST_BROWSER_LOG", &self.desk.browser_log)
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn git_with_input(&self, args: &[&str], cwd: Option<&Path>, input: &str) -> Run {
        let mut child = self.git_command(args, cwd).spawn().expect("git runs");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(input.as_bytes()).expect("write stdin");
        }
        Run::from(wait_with_timeout(child, Duration::from_secs(90)))
    }

    fn git(&self, args: &[&str], cwd: Option<&Path>) -> Run {
        self.git_with_input(args, cwd, "")
    }

    fn clone_into(&self, dir: &str) -> Run {
        let target = self.work.path().join(dir);
        self.git(&["clone", "--quiet", &self.url(), &path(&target)], None)
    }

    /// Logs `forge` in (a 1 s access token) and waits until that token has expired.
    fn login_and_let_expire(&self) -> String {
        let v = self.desk.run(&["login", "forge", "--json"]).ok().json();
        let (issued, expires) = (v["issued_at"].as_i64(), v["expires_at"].as_i64());
        assert!(
            matches!((issued, expires), (Some(i), Some(e)) if e - i <= 1),
            "the test server issues `short-lived` a 1 s token at login: {v}"
        );
        std::thread::sleep(Duration::from_millis(2100));
        self.grant_tokens()["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The grant's keychain item (its tokens), read straight from the Secret Service.
    fn grant_tokens(&self) -> serde_json::Value {
        let grants = self.desk.run(&["grants", "forge", "--json"]).ok().json();
        let id = grants[0]["id"].as_str().expect("a grant id").to_owned();
        self.desk
            .keychain_item(&format!("grant/{id}"))
            .expect("the grant's keychain item")
    }

    /// The status the gate answers a fetch with this token (no git, no helper).
    fn gate_status_for(&self, token: &str) -> u16 {
        let url = format!("{}/info/refs?service=git-upload-pack", self.url());
        http(reqwest::Method::GET, &url, &[], Some(("oauth2", token))).0
    }
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn clone_push_refresh_when_expired_and_after_erase() {
    let forge = Forge::new();
    let expired = forge.login_and_let_expire();
    assert_eq!(
        forge.gate_status_for(&expired),
        401,
        "the gate refuses the expired login token: it really checks tokens at the server"
    );
    forge.desk.provider.reset_stats();

    let cloned = forge.clone_into("first");
    assert_eq!(
        cloned.code, 0,
        "git clone through the helper works: {}",
        cloned.stderr
    );
    assert_eq!(
        std::fs::read_to_string(forge.work.path().join("first/README"))
            .ok()
            .as_deref(),
        Some("hello\n"),
        "the clone has the repository's file"
    );
    assert_eq!(
        forge.desk.provider.refresh_requests(),
        1,
        "the helper refreshed the expired token once before handing it to git"
    );
    let log = forge.gate.log();
    let first = log.accepted.last().cloned().unwrap_or_default();
    assert!(
        !first.is_empty() && first != expired,
        "git sent a fresh token, not the expired one"
    );
    assert!(
        log.usernames.iter().all(|u| u == "oauth2"),
        "the default username is oauth2: {:?}",
        log.usernames
    );

    // push: the same fresh token, no second refresh.
    let clone = forge.work.path().join("first");
    std::fs::write(clone.join("CHANGES"), "pushed through the helper\n").expect("write");
    forge.git(&["add", "CHANGES"], Some(&clone)).ok();
    forge
        .git(&["commit", "-q", "-m", "second"], Some(&clone))
        .ok();
    let pushed = forge.git(&["push", "-q", "origin", "HEAD:main"], Some(&clone));
    assert_eq!(
        pushed.code, 0,
        "git push through the helper works: {}",
        pushed.stderr
    );
    let head = forge
        .git(
            &[
                "--git-dir",
                &path(&forge.repo),
                "log",
                "-1",
                "--format=%s",
                "main",
            ],
            None,
        )
        .ok();
    assert_eq!(
        head.stdout.trim(),
        "second",
        "the pushed commit is in the served repository"
    );
    assert_eq!(
        forge.desk.provider.refresh_requests(),
        1,
        "a token still fresh is handed out again without a refresh"
    );
    assert_eq!(
        forge.gate.last_token().as_deref(),
        Some(first.as_str()),
        "push used the same token"
    );

    // The handoff is recorded: history and "last used by".
    let history = forge.desk.run(&["history", "forge", "--json"]).ok().stdout;
    let who = format!("token handed to git for {}", forge.gate.host);
    assert!(
        history.contains(&who),
        "the history says {who:?}: {history}"
    );
    let grants = forge.desk.run(&["grants", "forge", "--json"]).ok().stdout;
    assert!(
        grants.contains(&format!("git for {}", forge.gate.host)),
        "the grant is last used by git for the host: {grants}"
    );

    // erase (git's "this credential was refused") → the next get refreshes.
    let erase = format!(
        "protocol=http\nhost={}\nusername=oauth2\npassword={first}\n\n",
        forge.gate.host
    );
    let rejected = forge.git_with_input(&["credential", "reject"], None, &erase);
    assert_eq!(
        rejected.code, 0,
        "git credential reject runs the helper's erase: {}",
        rejected.stderr
    );
    let again = forge.clone_into("second");
    assert_eq!(
        again.code, 0,
        "the clone after erase works: {}",
        again.stderr
    );
    assert_eq!(
        forge.desk.provider.refresh_requests(),
        2,
        "erase made the next get refresh although the token had not expired"
    );
    let second = forge.gate.last_token().unwrap_or_default();
    assert_ne!(second, first, "git got the new token after erase");

    // store (git's "this credential worked", or a password typed by hand) keeps nothing.
    let typed = format!(
        "protocol=http\nhost={}\nusername=someone\npassword=typed-by-hand\n\n",
        forge.gate.host
    );
    let approved = forge.git_with_input(&["credential", "approve"], None, &typed);
    assert_eq!(
        approved.code, 0,
        "store is a quiet no-op: {}",
        approved.stderr
    );
    let fill = format!("protocol=http\nhost={}\n\n", forge.gate.host);
    let filled = forge.git_with_input(&["credential", "fill"], None, &fill);
    assert!(
        filled.stdout.contains(&format!("password={second}\n"))
            && !filled.stdout.contains("typed-by-hand"),
        "after store, get still answers the OAuth token, not what was stored: {}",
        filled.stderr
    );

    for run in [&cloned, &pushed, &again, &rejected] {
        for token in [&expired, &first, &second] {
            assert!(
                !run.stderr.contains(token.as_str()) && !run.stdout.contains(token.as_str()),
                "no token appears in git's output"
            );
        }
    }
}

#[test]
fn a_refused_token_is_erased_and_a_revoked_grant_names_the_login_command() {
    let forge = Forge::new();
    forge.login_and_let_expire();
    let cloned = forge.clone_into("first");
    assert_eq!(cloned.code, 0, "the first clone works: {}", cloned.stderr);
    let token = forge.gate.last_token().unwrap_or_default();

    // The server revokes the grant (its refresh token, and with it its access tokens).
    let refresh = forge.grant_tokens()["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_owned();
    let (status, body) = http(
        reqwest::Method::POST,
        &format!("{}/token/revocation", forge.desk.provider.issuer),
        &[
            ("token", refresh.as_str()),
            ("token_type_hint", "refresh_token"),
            ("client_id", "short-lived"),
        ],
        None,
    );
    assert_eq!(status, 200, "the server revokes the refresh token: {body}");
    assert_eq!(
        forge.gate_status_for(&token),
        401,
        "revoking the grant revoked its access token at the server"
    );

    // git is refused with the helper's token → git erases it → this command fails.
    let refused = forge.clone_into("refused");
    assert_ne!(refused.code, 0, "a clone with a revoked token fails");
    // The next command: get must refresh (the erase git sent after the 401: the token itself
    // had an hour left), the server refuses → a login is needed, and the helper says which.
    let needs_login = forge.clone_into("needs-login");
    assert_ne!(needs_login.code, 0, "no clone without a grant");
    assert!(
        needs_login.stderr.contains("oauthdesk login forge"),
        "git's stderr names the command to run: {}",
        needs_login.stderr
    );
    assert!(
        !needs_login.stderr.contains("Username for")
            && !needs_login.stderr.contains("Password for"),
        "git does not fall back to asking for a password (the helper said quit): {}",
        needs_login.stderr
    );
    // With --login-if-needed the helper logs in (the test browser consents) and git goes on.
    let helper = format!(
        "!'{}' git-credential --client forge --login-if-needed",
        bin("oauthdesk").display()
    );
    let key = format!("credential.{}.helper", forge.gate.url);
    forge.git(&["config", "--global", &key, &helper], None).ok();
    let opened_before = forge.desk.read_browser_log().lines().count();
    let relogged = forge.clone_into("relogged");
    assert_eq!(
        relogged.code, 0,
        "with --login-if-needed git's clone goes on after a browser login: {}",
        relogged.stderr
    );
    assert!(
        forge.desk.read_browser_log().lines().count() > opened_before,
        "the helper opened the browser for the new login: {}",
        forge.desk.read_browser_log()
    );
    for run in [&refused, &needs_login] {
        assert!(
            !run.stderr.contains(token.as_str()) && !run.stderr.contains(refresh.as_str()),
            "no token in git's output"
        );
    }
}

#[test]
fn git_kubectl_token_and_exec_at_the_same_moment_refresh_once() {
    let forge = Forge::new();
    forge.login_and_let_expire();
    forge.desk.provider.reset_stats();
    let fill = format!("protocol=http\nhost={}\n\n", forge.gate.host);
    let spawn = |mut cmd: Command| {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd.spawn().expect("spawn")
    };
    let mut git = spawn(forge.git_command(&["credential", "fill"], None));
    {
        use std::io::Write;
        let mut stdin = git.stdin.take().expect("stdin");
        stdin.write_all(fill.as_bytes()).expect("write");
    }
    let token = spawn(forge.desk.command(&["token", "forge"], "none"));
    let exec = spawn(forge.desk.command(
        &[
            "exec",
            "forge",
            "--",
            "sh",
            "-c",
            "printf %s \"$OAUTHDESK_TOKEN\"",
        ],
        "none",
    ));
    let kubectl = spawn(forge.desk.command(&["kubectl", "forge"], "none"));
    let runs: Vec<Run> = [git, token, exec, kubectl]
        .into_iter()
        .map(|c| Run::from(wait_with_timeout(c, Duration::from_secs(60))))
        .collect();
    for (who, run) in [
        "git credential fill",
        "oauthdesk token",
        "oauthdesk exec",
        "oauthdesk kubectl",
    ]
    .iter()
    .zip(&runs)
    {
        assert_eq!(run.code, 0, "{who} gets a token: {}", run.stderr);
    }
    let from_git = runs[0]
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("password="))
        .unwrap_or_default()
        .to_owned();
    assert!(
        !from_git.is_empty(),
        "git credential fill printed the helper's password"
    );
    assert_eq!(
        runs[1].stdout.trim(),
        from_git,
        "token and git got the same token"
    );
    assert_eq!(
        runs[2].stdout.trim(),
        from_git,
        "exec's command got the same token"
    );
    let credential: serde_json::Value = serde_json::from_str(&runs[3].stdout).unwrap_or_default();
    assert_eq!(
        credential["status"]["token"].as_str(),
        Some(from_git.as_str()),
        "kubectl's ExecCredential carries the same token: {}",
        runs[3].stdout
    );
    assert_eq!(
        forge.desk.provider.refresh_requests(),
        1,
        "four tools asking at once for an expired token make one refresh at the server"
    );
    let expiry = runs[0]
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("password_expiry_utc="))
        .and_then(|s| s.parse::<i64>().ok());
    assert!(
        !git_reads_expiry() || expiry.is_some_and(|e| e > 1_700_000_000),
        "the helper tells git when the token expires: {}",
        runs[0].stdout
    );
}

/// git ≥ 2.41 reads (and `credential fill` prints) `password_expiry_utc`; Debian 12's 2.39 not.
fn git_reads_expiry() -> bool {
    let out = Command::new("git")
        .arg("--version")
        .output()
        .expect("git runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut numbers = text
        .split_whitespace()
        .nth(2)
        .unwrap_or("")
        .split('.')
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let (major, minor) = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    (major, minor) >= (2, 41)
}

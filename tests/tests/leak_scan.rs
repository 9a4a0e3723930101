//! Secrets by construction: every CLI command a user meets, against the real oidc-provider and
//! the real keychain, then a scan of everything OAuth Desk wrote or printed — the data dir
//! (database, WAL, shared memory, exports, lock files) and every command's stdout and stderr —
//! for every secret value that passed through: client secrets, authorization codes (read from
//! the test browser's log), and every access, refresh and ID token that ever sat in the
//! keychain (collected after each command, so rotated ones count too).
//!
//! `token` prints an access token by design (that is its job) and is the one output not
//! scanned; its stderr is.

use oauthdesk_tests::Desk;
use oauthdesk_tests::json::str;
use std::collections::BTreeSet;
use std::path::Path;

const WEB_SECRET: &str = "s3cr3t:with/special+chars%&=";
const SERVICE_SECRET: &str = "service-secret";

/// Every token held in the keychain for the installation's grants right now.
fn keychain_tokens(desk: &Desk, secrets: &mut BTreeSet<String>) {
    let grants = desk.run(&["grants", "--json"]).ok().json();
    for g in grants.as_array().expect("grants --json is a list") {
        let id = str(&g["id"], "a grant's id");
        if let Some(item) = desk.keychain_item(&format!("grant/{id}")) {
            for kind in ["access_token", "refresh_token", "id_token"] {
                if let Some(t) = item[kind].as_str() {
                    secrets.insert(t.to_owned());
                }
            }
        }
    }
}

/// Authorization codes the browser received (`code=` in the callback URLs it followed).
fn codes_from_browser(desk: &Desk, secrets: &mut BTreeSet<String>) {
    for line in desk.read_browser_log().lines() {
        for part in line.split(['?', '&', ' ', '#']) {
            if let Some(code) = part.strip_prefix("code=")
                && code.len() >= 16
            {
                secrets.insert(code.to_owned());
            }
        }
    }
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("the data dir reads")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn no_secret_reaches_the_data_dir_or_any_output() {
    let desk = Desk::new();
    let mut outputs: Vec<(String, String)> = Vec::new();
    let mut secrets: BTreeSet<String> = [WEB_SECRET, SERVICE_SECRET]
        .into_iter()
        .map(str::to_owned)
        .collect();
    // The form-encoded spelling of the secret travels in Basic credentials.
    secrets.insert(url::form_urlencoded::byte_serialize(WEB_SECRET.as_bytes()).collect());
    let mut record = |label: &str, run: oauthdesk_tests::Run, scan_stdout: bool| {
        if scan_stdout {
            outputs.push((format!("{label} stdout"), run.stdout));
        }
        outputs.push((format!("{label} stderr"), run.stderr));
    };

    let add = desk.add_client(
        "web",
        "web-basic",
        Some(WEB_SECRET),
        &["--scope", "openid email"],
    );
    record("client add web", add.ok(), true);
    let add = desk.add_client("svc", "service", Some(SERVICE_SECRET), &[]);
    record("client add svc", add.ok(), true);
    let add = desk.add_client("app", "native-public", None, &["--scope", "openid"]);
    record("client add app", add.ok(), true);

    for args in [
        vec!["login", "web"],
        vec!["login", "app", "--json"],
        vec!["login", "svc", "--grant", "client_credentials", "--json"],
    ] {
        let run = desk.run(&args);
        keychain_tokens(&desk, &mut secrets);
        record(&args.join(" "), run.ok(), true);
    }
    for args in [
        vec!["refresh", "web", "--json"],
        vec!["refresh", "app"],
        vec!["inspect", "web", "--json"],
        vec!["inspect", "app"],
        vec!["introspect", "web"],
        vec!["userinfo", "app"],
        vec!["grants"],
        vec!["grants", "--json"],
        vec!["history"],
        vec!["log", "web"],
        vec!["log", "web", "--curl"],
        vec!["audit"],
        vec!["audit", "--json"],
        vec!["audit", "--csv"],
        vec!["audit", "--markdown"],
        vec!["report", "web", "--json"],
        vec!["client", "list"],
        vec!["client", "show", "web"],
        vec!["client", "export"],
    ] {
        let run = desk.run(&args);
        keychain_tokens(&desk, &mut secrets);
        assert_eq!(
            run.code,
            0,
            "{} succeeds so that its output is worth scanning: {}",
            args.join(" "),
            run.stderr
        );
        record(&args.join(" "), run, true);
    }
    let token = desk.run(&["token", "app"]).ok();
    let access = token.stdout.trim().to_owned();
    assert!(
        access.len() > 20,
        "token prints the access token: {access:?}"
    );
    secrets.insert(access.clone());
    record("token app", token, false);
    let decoded = desk.run_mode(&["decode", "-", "--json"], Some(&access), "consent");
    record("decode -", decoded, true);
    keychain_tokens(&desk, &mut secrets);
    let revoke = desk.run(&["revoke", "web"]);
    record("revoke web", revoke.ok(), true);
    codes_from_browser(&desk, &mut secrets);

    let tokens = secrets.iter().filter(|s| s.len() > 30).count();
    assert!(
        tokens >= 6,
        "the scan knows the issued tokens (access, refresh, ID; rotated ones too): {tokens}"
    );
    for (label, text) in &outputs {
        for s in &secrets {
            assert!(
                !text.contains(s.as_str()),
                "{label} holds a secret ({} chars, starting {:?})",
                s.len(),
                s.chars().take(4).collect::<String>()
            );
        }
    }
    let mut files = Vec::new();
    files_under(desk.home.path(), &mut files);
    let browser_log = desk.browser_log.clone();
    let scanned: Vec<_> = files.into_iter().filter(|f| *f != browser_log).collect();
    assert!(
        scanned.iter().any(|f| f.ends_with("oauthdesk.db")),
        "the database is among the scanned files: {scanned:?}"
    );
    for file in &scanned {
        let bytes = std::fs::read(file).expect("a data dir file reads");
        for s in &secrets {
            assert!(
                !oauthdesk_tests::contains_bytes(&bytes, s),
                "{} holds a secret ({} chars, starting {:?})",
                file.display(),
                s.len(),
                s.chars().take(4).collect::<String>()
            );
        }
    }
}

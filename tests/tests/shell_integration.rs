//! Shell integration of the real `oauthdesk` binary: the completion scripts (`completions
//! bash|zsh|fish|powershell`), loaded and asked by a real bash; the man pages (the hidden `man`
//! the bundle step runs), rendered by the machine's `man` (or groff); and the bundle config that
//! puts both the binary and its pages into the `.deb`. None of these opens the store.

use oauthdesk_tests::{Run, bin, workspace_root};
use std::path::Path;
use std::process::{Command, Stdio};

/// `oauthdesk ARGS` with a data dir that does not exist: a command that opened the store would
/// create it.
fn run(args: &[&str], home: &Path) -> Run {
    // `output` reads while the command runs: a completion script is larger than a pipe's buffer.
    let out = Command::new(bin("oauthdesk"))
        .args(args)
        .env("OAUTHDESK_HOME", home)
        .stdin(Stdio::null())
        .output()
        .expect("oauthdesk runs");
    Run::from(out).ok()
}

fn has(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What bash's completion function offers for the words typed so far (the last one partial).
fn bash_completes(words: &[&str]) -> Vec<String> {
    let script = format!(
        "source <({exe:?} completions bash) || exit 9\n\
         complete -p oauthdesk >/dev/null || exit 8\n\
         COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n\
         _oauthdesk oauthdesk {current:?} {previous:?}\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        exe = bin("oauthdesk").display().to_string(),
        words = words
            .iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(" "),
        cword = words.len() - 1,
        line = words.join(" "),
        current = words[words.len() - 1],
        previous = words[words.len() - 2],
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "bash loads the completion script and runs its function ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_loads_the_completion_script_and_completes_subcommands_and_options() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("never-created");
    let script = run(&["completions", "bash"], &data).stdout;
    assert!(
        !data.exists(),
        "printing completions does not open (create) the store"
    );
    let exe = bin("oauthdesk").display().to_string();
    let out = Command::new("bash")
        .args([
            "-c",
            &format!("source <({exe:?} completions bash); complete -p oauthdesk"),
        ])
        .output()
        .expect("bash runs");
    let registered = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && registered.contains("-F _oauthdesk oauthdesk"),
        "sourcing the script registers a completion function for oauthdesk: {registered} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for sub in ["kubectl", "completions", "login", "token"] {
        assert!(
            script.contains(&format!("oauthdesk,{sub})")),
            "the script knows the subcommand {sub}"
        );
    }
    assert_eq!(
        bash_completes(&["oauthdesk", "kub"]),
        vec!["kubectl".to_owned()],
        "`oauthdesk kub<TAB>` completes to kubectl"
    );
    assert!(
        bash_completes(&["oauthdesk", "kubectl", "--kube"])
            .contains(&"--kubeconfig-snippet".into()),
        "options of a subcommand complete too"
    );
    assert!(
        bash_completes(&["oauthdesk", "completions", "z"]).contains(&"zsh".into()),
        "the shells are offered as values"
    );
}

#[test]
fn zsh_fish_and_powershell_scripts_name_the_command_and_its_subcommands() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("never-created");
    let cases = [
        ("zsh", "#compdef oauthdesk", "'kubectl:"),
        ("fish", "complete -c oauthdesk", "-a \"kubectl\""),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'oauthdesk'",
            "'kubectl'",
        ),
    ];
    for (shell, header, kubectl) in cases {
        let script = run(&["completions", shell], &data).stdout;
        assert!(
            script.contains(header),
            "the {shell} script registers oauthdesk"
        );
        assert!(
            script.contains(kubectl),
            "the {shell} script offers the kubectl subcommand"
        );
        if has(shell) {
            let check = Command::new(shell)
                .args(["-n", "-c", &script])
                .output()
                .expect("the shell runs");
            assert!(
                check.status.success(),
                "{shell} parses its script: {}",
                String::from_utf8_lossy(&check.stderr)
            );
        }
    }
    let refused = Command::new(bin("oauthdesk"))
        .args(["completions", "tcsh"])
        .output()
        .expect("oauthdesk runs");
    assert_eq!(
        refused.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn the_man_pages_render_and_list_the_subcommands() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("never-created");
    let dir = home.path().join("man1");
    run(&["man", "--out", &dir.display().to_string()], &data);
    assert!(!data.exists(), "writing man pages does not open the store");
    let main = dir.join("oauthdesk.1");
    let roff = std::fs::read_to_string(&main).expect("oauthdesk.1 is written");
    assert!(
        roff.contains(".TH oauthdesk 1 ") && roff.contains("\"OAuth Desk\""),
        "the page's .TH header names it, its section and the manual: {roff:.300}"
    );
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(roff.contains(section), "oauthdesk.1 has {section}");
    }
    for page in [
        "oauthdesk-kubectl.1",
        "oauthdesk-completions.1",
        "oauthdesk-client-add.1",
    ] {
        assert!(dir.join(page).exists(), "{page} is written");
    }
    assert!(
        !dir.join("oauthdesk-man.1").exists(),
        "the hidden man generator has no page of its own"
    );
    let stdout = run(&["man"], &data).stdout;
    assert_eq!(stdout, roff, "`oauthdesk man` prints the same oauthdesk.1");

    let rendered = if has("man") {
        Command::new("man")
            .arg("-l")
            .arg(&main)
            .env("MANWIDTH", "120")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MAN_KEEP_FORMATTING", "")
            .output()
    } else if has("groff") {
        Command::new("groff")
            .args(["-man", "-Tutf8", "-P-cbou"])
            .arg(&main)
            .output()
    } else {
        eprintln!("neither man nor groff is installed: the roff source was checked above");
        return;
    };
    let rendered = rendered.expect("the formatter runs");
    let text = String::from_utf8_lossy(&rendered.stdout);
    assert!(
        rendered.status.success() && text.contains("SUBCOMMANDS"),
        "the page renders: {} {text:.400}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    for sub in [
        "oauthdesk-kubectl(1)",
        "oauthdesk-completions(1)",
        "oauthdesk-login(1)",
    ] {
        assert!(
            text.contains(sub),
            "the rendered page lists {sub}: {text:.2000}"
        );
    }
    assert!(
        !text.contains("oauthdesk-man("),
        "the hidden generator is not listed"
    );
}

#[test]
fn the_deb_bundle_carries_the_binary_and_the_man_pages_it_generates() {
    let conf_path = workspace_root().join("src-tauri/tauri.conf.json");
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&conf_path).expect("tauri.conf.json"))
            .expect("tauri.conf.json is JSON");
    let hook = &conf["build"]["beforeBundleCommand"];
    let script = hook["script"].as_str().unwrap_or_default();
    let cwd = hook["cwd"].as_str().unwrap_or_default();
    assert!(
        script.contains("-p oauthdesk-cli") && script.contains("-- man --out target/release/man"),
        "the bundle step builds the release CLI and writes its man pages: {hook}"
    );
    let src_tauri = conf_path.parent().expect("src-tauri");
    assert_eq!(
        src_tauri.join(cwd).canonicalize().ok(),
        workspace_root().canonicalize().ok(),
        "the hook runs at the workspace root, where target/ is"
    );
    let files = &conf["bundle"]["linux"]["deb"]["files"];
    let mapped = |dest: &str| {
        files[dest]
            .as_str()
            .map(|src| lexical(&src_tauri.join(src)))
    };
    assert_eq!(
        mapped("/usr/share/man/man1"),
        Some(lexical(&workspace_root().join("target/release/man"))),
        "the .deb maps /usr/share/man/man1 to the directory the hook writes: {files}"
    );
    assert_eq!(
        mapped("/usr/bin/oauthdesk"),
        Some(lexical(&workspace_root().join("target/release/oauthdesk"))),
        "the .deb installs the release CLI the pages describe: {files}"
    );
}

/// `a/b/../c/` as `a/c`: the path's components with `..` applied, without touching the disk
/// (the release build may not exist).
fn lexical(path: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

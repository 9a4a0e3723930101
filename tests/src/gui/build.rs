//! What the GUI tests need before a scenario: a display, WebKitWebDriver, xwd and tauri-driver,
//! and the app binary under test (built once per test process, with `ui/dist` embedded).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

use crate::workspace_root;

/// Fails early, in words, when there is no display or no tauri-driver.
pub fn require_gui_environment() {
    assert!(
        std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()),
        "GUI tests need an X display: run them under `xvfb-run -a -s \"-screen 0 1440x900x24\"` (scripts/test does)"
    );
    assert!(
        Path::new("/usr/bin/WebKitWebDriver").exists() || which("WebKitWebDriver").is_some(),
        "WebKitWebDriver is missing: apt-get install webkit2gtk-driver (scripts/test does)"
    );
    assert!(
        which("xwd").is_some(),
        "xwd is missing (screenshots): apt-get install x11-apps (scripts/test does)"
    );
    let _ = tauri_driver();
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// `tauri-driver` from `$PATH` or `~/.cargo/bin`.
pub fn tauri_driver() -> PathBuf {
    which("tauri-driver")
        .or_else(|| {
            let cargo_home = std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
            Some(cargo_home.join("bin/tauri-driver")).filter(|p| p.is_file())
        })
        .expect("tauri-driver is missing: cargo install tauri-driver --locked --version ^2 (scripts/test does)")
}

fn newest_mtime(dir: &Path) -> Option<std::time::SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let t = if path.is_dir() {
            newest_mtime(&path)
        } else {
            entry.metadata().ok().and_then(|m| m.modified().ok())
        };
        newest = newest.max(t);
    }
    newest
}

/// The app binary under test, built once per test process with `custom-protocol` (it embeds
/// `ui/dist`; cargo rebuilds it when ui/dist changes). The UI is rebuilt first when a file in
/// `ui/src` is newer than `ui/dist/index.html`. The binary is copied aside, so a later plain
/// `cargo build` (which overwrites target/<profile>/oauth-desk with a devUrl build) cannot
/// swap it under a running test.
pub fn app_binary() -> PathBuf {
    static BUILT: Once = Once::new();
    let exe = std::env::current_exe().expect("current exe");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>")
        .to_path_buf();
    let copy = profile_dir.join("gui-e2e").join("oauth-desk");
    BUILT.call_once(|| {
        let ui = workspace_root().join("ui");
        let dist = ui.join("dist/index.html");
        let dist_time = std::fs::metadata(&dist).and_then(|m| m.modified()).ok();
        if dist_time.is_none() || newest_mtime(&ui.join("src")) > dist_time {
            let status = Command::new("npm")
                .args(["run", "build", "--silent"])
                .current_dir(&ui)
                .status()
                .expect("npm runs");
            assert!(
                status.success(),
                "building the UI (cd ui && npm run build) failed"
            );
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args([
            "build",
            "--quiet",
            "-p",
            "oauthdesk-app",
            "--features",
            "custom-protocol",
            "-p",
            "oauthdesk-cli",
            "-p",
            "oauthdesk-tests",
            "--bins",
        ]);
        if profile_dir.ends_with("release") {
            cmd.arg("--release");
        }
        assert!(
            cmd.status().expect("cargo runs").success(),
            "building the app with --features custom-protocol failed"
        );
        std::fs::create_dir_all(copy.parent().expect("parent")).expect("create gui-e2e dir");
        let _ = std::fs::remove_file(&copy);
        std::fs::copy(profile_dir.join("oauth-desk"), &copy).expect("copy the app binary aside");
    });
    copy
}

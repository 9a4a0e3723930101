//! GUI end to end: the real `oauth-desk` app (built with `custom-protocol`, so it serves
//! `ui/dist`) under Xvfb, driven through `tauri-driver` → WebKitWebDriver with fantoccini.
//!
//! One scenario = one tauri-driver on free ports, one app process, one WebDriver session.
//! [`run`] always closes the session and stops the driver (SIGTERM, so WebKitWebDriver and the
//! app go too; leftovers are killed by PID) before it returns the scenario's `Result`: a test
//! asserts only after that, so a failed assertion never leaves a window behind or hangs
//! `cargo test`. Scenarios in one test process run one at a time: the app is single-instance
//! (a second launch on the same D-Bus session would hand over to the first and exit).
//!
//! Screenshots come from the X server (`xwd`), not WebDriver: see [`Gui::screenshot`].
//!
//! The app sees the environment of `tauri-driver`: [`Launch`] sets the data dir
//! (`OAUTHDESK_HOME`), the test browser as `$BROWSER` with its mode, private XDG dirs (window
//! state, WebKit storage), and optionally a D-Bus address that leads nowhere (no keychain).

use std::future::Future;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

pub use fantoccini::elements::Element;
use fantoccini::{ClientBuilder, Locator};

/// Errors of a scenario: a WebDriver error or a message saying what was awaited.
pub type GuiResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// How long a single wait ([`Gui::wait_for`], [`Gui::wait_text`]) lasts by default.
pub const WAIT: Duration = Duration::from_secs(15);
/// The size of the screenshots in docs/screenshots (and of the Xvfb screen in scripts/test).
pub const SCREEN: (u32, u32) = (1280, 800);

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// Fails early, in words, when there is no display or no tauri-driver.
pub fn require_gui_environment() {
    assert!(
        std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()),
        "GUI tests need an X display: run them under `xvfb-run -a -s \"-screen 0 1280x800x24\"` (scripts/test does)"
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
        let ui = repo_root().join("ui");
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

/// How to start the app: its environment (inherited through tauri-driver and WebKitWebDriver).
#[derive(Clone, Debug)]
pub struct Launch {
    pub home: PathBuf,
    env: Vec<(String, String)>,
}

impl Launch {
    /// The app on data dir `home`, the test browser as `$BROWSER` in mode `consent`, its log in
    /// `<home>/browser.log`, and XDG dirs of its own under `<home>/xdg`.
    pub fn new(home: &Path) -> Launch {
        let xdg = home.join("xdg");
        let mut launch = Launch {
            home: home.to_path_buf(),
            env: Vec::new(),
        };
        for (k, v) in [
            ("OAUTHDESK_HOME", home.to_path_buf()),
            ("BROWSER", crate::bin("oauthdesk-test-browser")),
            ("OAUTHDESK_TEST_BROWSER_LOG", home.join("browser.log")),
            ("XDG_CONFIG_HOME", xdg.join("config")),
            ("XDG_CACHE_HOME", xdg.join("cache")),
            ("XDG_DATA_HOME", xdg.join("data")),
        ] {
            launch = launch.env(k, &v.display().to_string());
        }
        launch.env("OAUTHDESK_TEST_BROWSER_MODE", "consent")
    }

    /// For a CLI installation: same data dir and browser log as the `oauthdesk` runs.
    pub fn for_desk(desk: &crate::Desk) -> Launch {
        Launch::new(desk.home.path()).env(
            "OAUTHDESK_TEST_BROWSER_LOG",
            &desk.browser_log.display().to_string(),
        )
    }

    /// The test browser's mode: consent, deny, device, device-deny, tamper-state, none.
    pub fn mode(self, mode: &str) -> Launch {
        self.env("OAUTHDESK_TEST_BROWSER_MODE", mode)
    }

    pub fn env(mut self, key: &str, value: &str) -> Launch {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// A session bus address that leads nowhere: no Secret Service, so no keychain.
    pub fn without_keychain(self) -> Launch {
        self.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Parent pid of every process, from /proc/<pid>/stat.
fn parents() -> Vec<(u32, u32)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            all.push((pid, ppid));
        }
    }
    all
}

/// Every descendant of `root` (children first found, then theirs).
pub fn descendants(root: u32) -> Vec<u32> {
    let all = parents();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let p = found[i];
        found.extend(all.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    found.remove(0);
    found
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rfind(')')
            .and_then(|i| s[i + 1..].split_whitespace().next())
            != Some("Z")
    })
}

fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .args([sig, &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A running tauri-driver; stopped (and everything it started) on drop.
struct Driver {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Driver {
    fn start(launch: &Launch) -> GuiResult<Driver> {
        let (port, native) = (free_port(), free_port());
        let log = launch.home.join("tauri-driver.log");
        let out = std::fs::File::create(&log)?;
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .env_remove("RUST_LOG");
        for (k, v) in &launch.env {
            cmd.env(k, v);
        }
        let mut driver = Driver {
            child: cmd.spawn()?,
            port,
            log,
        };
        let start = Instant::now();
        // tauri-driver starts WebKitWebDriver on the native port: both must listen before a
        // session request, else it fails with "tcp connect error".
        while TcpStream::connect(("127.0.0.1", port)).is_err()
            || TcpStream::connect(("127.0.0.1", native)).is_err()
        {
            if start.elapsed() > Duration::from_secs(20) || driver.child.try_wait()?.is_some() {
                return Err(format!(
                    "tauri-driver did not listen on {port} and WebKitWebDriver on {native}: {}",
                    driver.log_text()
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    fn log_text(&self) -> String {
        let mut s = String::new();
        let _ = std::fs::File::open(&self.log).and_then(|mut f| f.read_to_string(&mut s));
        s
    }

    /// SIGTERM (SIGKILL would leave WebKitWebDriver running), then whatever survived, by PID.
    fn stop(&mut self) {
        if self.child.try_wait().ok().flatten().is_some() {
            return;
        }
        let family = descendants(self.child.id());
        signal(self.child.id(), "-TERM");
        let start = Instant::now();
        while self.child.try_wait().ok().flatten().is_none()
            && start.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let start = Instant::now();
        while family.iter().any(|p| alive(*p)) && start.elapsed() < Duration::from_secs(3) {
            std::thread::sleep(Duration::from_millis(50));
        }
        for pid in family.into_iter().filter(|p| alive(*p)) {
            signal(pid, "-KILL");
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs one scenario against a freshly started app and returns its result once the session
/// is closed and every process is gone. On failure the error carries the page's text and a
/// screenshot is left in target/gui-failures/<name>.png.
pub fn run<F, Fut>(name: &str, launch: Launch, limit: Duration, scenario: F) -> GuiResult
where
    F: FnOnce(Gui) -> Fut,
    Fut: Future<Output = GuiResult>,
{
    require_gui_environment();
    let app = app_binary();
    crate::bin("oauthdesk-test-browser");
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut driver = Driver::start(&launch)?;
    let result = rt.block_on(async {
        let caps =
            serde_json::json!({ "browserName": "wry", "tauri:options": { "application": app } });
        let caps = caps.as_object().cloned().unwrap_or_default();
        let url = format!("http://127.0.0.1:{}", driver.port);
        let client = match tokio::time::timeout(
            Duration::from_secs(60),
            ClientBuilder::native().capabilities(caps).connect(&url),
        )
        .await
        {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                return Err(format!("no WebDriver session: {e}\n{}", driver.log_text()).into());
            }
            Err(_) => {
                return Err(
                    format!("no WebDriver session within 60 s\n{}", driver.log_text()).into(),
                );
            }
        };
        let gui = Gui {
            client: client.clone(),
            home: launch.home.clone(),
        };
        let result = match tokio::time::timeout(limit, async {
            gui.ready().await?;
            scenario(gui.clone()).await
        })
        .await
        {
            Ok(r) => r,
            Err(_) => Err(format!("scenario {name} did not finish within {limit:?}").into()),
        };
        let result = match result {
            Ok(()) => Ok(()),
            Err(e) => Err(gui.explain_failure(name, e).await),
        };
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        result
    });
    driver.stop();
    drop(rt);
    result
}

/// The app's window, as the user sees it.
#[derive(Clone)]
pub struct Gui {
    pub client: fantoccini::Client,
    /// The app's data dir.
    pub home: PathBuf,
}

/// `[data-testid="…"]` for a test id (quotes escaped).
pub fn by_id(testid: &str) -> String {
    format!(
        "[data-testid=\"{}\"]",
        testid.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

const TEXT_JS: &str = r#"
const el = document.querySelector(arguments[0]);
if (!el) return null;
if (el.tagName === 'SELECT') return (el.selectedOptions[0] ? el.selectedOptions[0].textContent + ' ' : '') + el.value;
if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') return el.value;
return el.innerText;
"#;

impl Gui {
    /// Waits for the page to be loaded and React to have rendered something.
    async fn ready(&self) -> GuiResult {
        let (w, h) = SCREEN;
        // No window manager under Xvfb: the window is placed and sized exactly, covering the
        // screen (screenshots are taken of the screen).
        self.client.set_window_rect(0, 0, w, h).await?;
        let rect = self.client.get_window_rect().await?;
        if rect != (0, 0, u64::from(w), u64::from(h)) {
            return Err(format!("the window is at {rect:?}, not (0, 0, {w}, {h})").into());
        }
        self.wait_js(
            "document.readyState === 'complete' && !!document.querySelector('#root *')",
            "the UI to render",
        )
        .await?;
        Ok(())
    }

    async fn explain_failure(
        &self,
        name: &str,
        e: Box<dyn std::error::Error + Send + Sync>,
    ) -> Box<dyn std::error::Error + Send + Sync> {
        let dir = repo_root().join("target/gui-failures");
        let shot = dir.join(format!("{name}.png"));
        let saved = match capture_screen() {
            Ok(png) => std::fs::create_dir_all(&dir)
                .and_then(|_| std::fs::write(&shot, png))
                .map(|_| format!("screenshot: {}", shot.display()))
                .unwrap_or_default(),
            Err(e) => format!("no screenshot: {e}"),
        };
        let text = tokio::time::timeout(Duration::from_secs(10), self.body_text())
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        format!("{e}\n{saved}\n--- page text ---\n{text}\n---").into()
    }

    /// Runs a script (a function body; `arguments` are `args`) and returns its value.
    pub async fn js(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> GuiResult<serde_json::Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Polls until `expr` (a JS expression) is truthy.
    pub async fn wait_js(&self, expr: &str, what: &str) -> GuiResult<serde_json::Value> {
        let script = format!("return ({expr});");
        let start = Instant::now();
        loop {
            let v = self.js(&script, vec![]).await?;
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return Ok(v);
            }
            if start.elapsed() > WAIT {
                return Err(format!("timed out after {WAIT:?} waiting for {what}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn body_text(&self) -> GuiResult<String> {
        Ok(self
            .js(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Whether an element with this test id is in the page and rendered.
    pub async fn visible(&self, testid: &str) -> GuiResult<bool> {
        let v = self.js("const e = document.querySelector(arguments[0]); return !!e && e.getClientRects().length > 0;", vec![by_id(testid).into()]).await?;
        Ok(v == true)
    }

    /// Waits up to `limit` for a rendered element with this test id.
    pub async fn wait_for_within(&self, testid: &str, limit: Duration) -> GuiResult<Element> {
        let start = Instant::now();
        loop {
            if self.visible(testid).await? {
                return Ok(self.client.find(Locator::Css(&by_id(testid))).await?);
            }
            if start.elapsed() > limit {
                return Err(format!(
                    "timed out after {limit:?} waiting for [data-testid={testid}]"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_for(&self, testid: &str) -> GuiResult<Element> {
        self.wait_for_within(testid, WAIT).await
    }

    /// Waits until no element with this test id is rendered.
    pub async fn wait_gone(&self, testid: &str) -> GuiResult {
        let start = Instant::now();
        while self.visible(testid).await? {
            if start.elapsed() > WAIT {
                return Err(format!("[data-testid={testid}] is still shown after {WAIT:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Test ids present in the page that start with `prefix`, in document order.
    pub async fn testids(&self, prefix: &str) -> GuiResult<Vec<String>> {
        let v = self.js("return [...document.querySelectorAll('[data-testid]')].map(e => e.dataset.testid).filter(t => t.startsWith(arguments[0]));", vec![prefix.into()]).await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The visible text (or an input's value; a select's chosen label and value).
    pub async fn text(&self, testid: &str) -> GuiResult<String> {
        let v = self.js(TEXT_JS, vec![by_id(testid).into()]).await?;
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no [data-testid={testid}] in the page").into())
    }

    /// Waits until the element's text contains every needle (case-insensitive), up to `limit`.
    pub async fn wait_text_within(
        &self,
        testid: &str,
        needles: &[&str],
        limit: Duration,
    ) -> GuiResult<String> {
        let start = Instant::now();
        let mut last = None;
        loop {
            if let Some(t) = self.js(TEXT_JS, vec![by_id(testid).into()]).await?.as_str() {
                let lower = t.to_lowercase();
                if needles.iter().all(|n| lower.contains(&n.to_lowercase())) {
                    return Ok(t.to_owned());
                }
                last = Some(t.to_owned());
            }
            if start.elapsed() > limit {
                return Err(format!("timed out after {limit:?} waiting for [data-testid={testid}] to contain {needles:?}; it shows {last:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_text(&self, testid: &str, needles: &[&str]) -> GuiResult<String> {
        self.wait_text_within(testid, needles, WAIT).await
    }

    /// Clicks like a user (WebDriver element click, after scrolling it into view).
    pub async fn click(&self, testid: &str) -> GuiResult {
        let el = self.wait_for(testid).await?;
        self.js(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&el)?],
        )
        .await?;
        el.click()
            .await
            .map_err(|e| format!("clicking [data-testid={testid}]: {e}"))?;
        Ok(())
    }

    /// Replaces an input's value by typing `text` (real key events, so React sees them).
    pub async fn fill(&self, testid: &str, text: &str) -> GuiResult {
        let el = self.wait_for(testid).await?;
        el.clear().await?;
        // WebDriver's clear does not always reach React's state; select-all + delete does.
        if !self.text(testid).await?.is_empty() {
            el.send_keys("\u{E009}a\u{E000}\u{E017}").await?;
        }
        if text.is_empty() {
            // WebDriver sends no empty text; a typed and deleted character leaves React "" too.
            el.send_keys("x\u{E003}").await?;
        } else {
            el.send_keys(text).await?;
        }
        let now = self.text(testid).await?;
        if now != text {
            return Err(
                format!("[data-testid={testid}] holds {now:?} after typing {text:?}").into(),
            );
        }
        Ok(())
    }

    /// Presses Enter in an element.
    pub async fn press_enter(&self, testid: &str) -> GuiResult {
        self.wait_for(testid).await?.send_keys("\u{E007}").await?;
        Ok(())
    }

    /// Chooses an option of a `<select>` by value, else by exact label, else by a label that
    /// contains `choice`; fails when none matches (listing the options).
    pub async fn select(&self, testid: &str, choice: &str) -> GuiResult {
        // Options may still be loading (lists arrive over IPC): wait for the one asked for.
        let start = Instant::now();
        loop {
            let el = self.wait_for(testid).await?;
            match self.try_select(&el, testid, choice).await {
                Err(e) if e.to_string().contains("has no option") && start.elapsed() < WAIT => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                other => return other,
            }
        }
    }

    async fn try_select(&self, el: &Element, testid: &str, choice: &str) -> GuiResult {
        let el = el.clone();
        let found = self
            .js(
                r#"const s = arguments[0], c = arguments[1];
                const opts = [...s.options];
                const o = opts.find(o => o.value === c) || opts.find(o => o.textContent.trim() === c)
                    || opts.find(o => o.textContent.toLowerCase().includes(c.toLowerCase()));
                return o ? {value: o.value, index: opts.indexOf(o)} : {options: opts.map(o => o.value + '=' + o.textContent.trim())};"#,
                vec![serde_json::to_value(&el)?, choice.into()],
            )
            .await?;
        let (Some(value), Some(index)) = (found["value"].as_str(), found["index"].as_u64()) else {
            return Err(format!(
                "[data-testid={testid}] has no option {choice:?}; options: {}",
                found["options"]
            )
            .into());
        };
        // By index: an <option> without a value attribute has no [value=…] to select by.
        el.select_by_index(index as usize)
            .await
            .map_err(|e| format!("choosing {choice:?} in [data-testid={testid}]: {e:?}"))?;
        let chosen = self
            .js(
                "return arguments[0].value;",
                vec![serde_json::to_value(&el)?],
            )
            .await?;
        if chosen != value {
            return Err(
                format!("[data-testid={testid}] shows {chosen} after choosing {value:?}").into(),
            );
        }
        Ok(())
    }

    /// Goes to a screen (clients, authorize, tokens, decode, api, history, settings): clicks
    /// `nav-<screen>`, or else the navigation button with the screen's visible label.
    pub async fn nav(&self, screen: &str) -> GuiResult {
        let label = match screen {
            "clients" => "Clients",
            "authorize" => "Authorize",
            "tokens" => "Tokens",
            "decode" => "Decode",
            "api" => "Call API",
            "audit" => "Audit",
            "report" => "Provider report",
            "history" => "History",
            "settings" => "Settings",
            other => return Err(format!("no screen {other:?}").into()),
        };
        let id = if screen == "api" {
            "nav-call-api".to_owned()
        } else {
            format!("nav-{screen}")
        };
        if self.visible(&id).await? {
            self.click(&id).await?;
        } else {
            let xpath = format!("//nav//*[self::button or self::a][normalize-space(.)='{label}']");
            let el = self
                .client
                .find(Locator::XPath(&xpath))
                .await
                .map_err(|e| format!("no [data-testid={id}] nor a nav button {label:?}: {e}"))?;
            el.click().await?;
        }
        self.wait_js(
            &format!(
                "[...document.querySelectorAll('h1')].some(h => h.innerText.trim() === {label:?})"
            ),
            &format!("the {label} screen"),
        )
        .await?;
        Ok(())
    }

    /// An attribute of every element matching `css`, in document order.
    pub async fn attrs(&self, css: &str, attr: &str) -> GuiResult<Vec<String>> {
        let v = self.js("return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]) || '');", vec![css.into(), attr.into()]).await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits until at least `n` elements with test ids starting with `prefix` exist; returns them.
    pub async fn wait_testids(&self, prefix: &str, n: usize) -> GuiResult<Vec<String>> {
        let start = Instant::now();
        loop {
            let ids = self.testids(prefix).await?;
            if ids.len() >= n {
                return Ok(ids);
            }
            if start.elapsed() > WAIT {
                return Err(format!("timed out after {WAIT:?} waiting for {n} [data-testid^={prefix}]; found {ids:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Answers an "are you sure?" prompt: a native confirm() dialog, or an in-page button
    /// `confirm_testid` (if given) or any rendered `[data-testid^="confirm"]`.
    pub async fn confirm(&self, confirm_testid: Option<&str>) -> GuiResult {
        let start = Instant::now();
        loop {
            if self.client.accept_alert().await.is_ok() {
                return Ok(());
            }
            if let Some(id) = confirm_testid
                && self.visible(id).await?
            {
                return self.click(id).await;
            }
            let any = self.js("const e = [...document.querySelectorAll('[data-testid^=\"confirm\"]')].find(e => e.getClientRects().length && (e.tagName === 'BUTTON' || e.getAttribute('role') === 'button')); return e ? e.dataset.testid : null;", vec![]).await?;
            if let Some(id) = any.as_str() {
                return self.click(id).await;
            }
            if start.elapsed() > WAIT {
                return Err(
                    "no confirmation (dialog or [data-testid^=confirm] button) appeared".into(),
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Scrolls an element to the middle of its scrolling container (for a screenshot).
    pub async fn scroll_to(&self, testid: &str) -> GuiResult {
        let el = self.wait_for(testid).await?;
        self.js(
            "arguments[0].scrollIntoView({block: arguments[1]});",
            vec![serde_json::to_value(&el)?, "center".into()],
        )
        .await?;
        Ok(())
    }

    /// Waits for two animation frames, so the next screenshot shows the current DOM.
    pub async fn settle(&self) -> GuiResult {
        self.client.execute_async("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));", vec![]).await?;
        Ok(())
    }

    /// Saves docs/screenshots/<name>.png (the window at 1280×800) after two frames.
    ///
    /// The picture comes from the X server ([`capture_screen`]), not from WebDriver's
    /// screenshot command: that one hangs, blocking the session, when WebKit's compositing mode
    /// is off (`WEBKIT_DISABLE_COMPOSITING_MODE=1`, which the app sets for itself on Linux). The
    /// window covers the whole 1280×800 screen ([`Gui::ready`] checks it), so the two agree.
    pub async fn screenshot(&self, name: &str) -> GuiResult<PathBuf> {
        // Moves the caret out of the way of a stable picture.
        self.js("document.activeElement && document.activeElement.blur && document.activeElement.blur();", vec![]).await?;
        self.settle().await?;
        let png = capture_screen()?;
        let size = png_size(&png).ok_or("the screenshot is not a PNG")?;
        if size != SCREEN {
            return Err(format!("screenshot {name} is {}×{}, not {}×{}: run the tests on a 1280x800 screen (xvfb-run -s \"-screen 0 1280x800x24\")", size.0, size.1, SCREEN.0, SCREEN.1).into());
        }
        let dir = repo_root().join("docs/screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }
}

/// The whole X screen (`$DISPLAY`) as a PNG: `xwd -root` (x11-apps), converted here.
pub fn capture_screen() -> GuiResult<Vec<u8>> {
    let out = Command::new("xwd")
        .args(["-root", "-silent"])
        .output()
        .map_err(|e| format!("xwd (apt-get install x11-apps): {e}"))?;
    if !out.status.success() {
        return Err(format!("xwd failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    xwd_to_png(&out.stdout)
}

/// An XWD dump (big-endian header; 24/32-bit TrueColor pixels as xwd writes them for Xvfb's
/// default visual) as an RGB PNG.
pub fn xwd_to_png(xwd: &[u8]) -> GuiResult<Vec<u8>> {
    let field = |i: usize| {
        xwd.get(i * 4..i * 4 + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or("short XWD header")
    };
    let (header_size, width, height, byte_order, bits_per_pixel, bytes_per_line, ncolors) = (
        field(0)?,
        field(4)?,
        field(5)?,
        field(7)?,
        field(11)?,
        field(12)?,
        field(19)?,
    );
    let (red_mask, green_mask, blue_mask) = (field(14)?, field(15)?, field(16)?);
    if bits_per_pixel != 32 {
        return Err(format!(
            "XWD with {bits_per_pixel} bits per pixel: use a 24-bit screen (-screen 0 1280x800x24)"
        )
        .into());
    }
    let start = header_size as usize + ncolors as usize * 12;
    let image = xwd
        .get(start..start + (bytes_per_line * height) as usize)
        .ok_or("short XWD image")?;
    let channel = |p: u32, mask: u32| ((p & mask) >> mask.trailing_zeros()) as u8;
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    for row in image.chunks_exact(bytes_per_line as usize) {
        for px in row[..(width * 4) as usize].chunks_exact(4) {
            let p = if byte_order == 0 {
                u32::from_le_bytes([px[0], px[1], px[2], px[3]])
            } else {
                u32::from_be_bytes([px[0], px[1], px[2], px[3]])
            };
            rgb.extend_from_slice(&[
                channel(p, red_mask),
                channel(p, green_mask),
                channel(p, blue_mask),
            ]);
        }
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(png)
}

/// Width and height from a PNG's IHDR chunk.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.len() < 24 || &png[..8] != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let n = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    Some((n(16), n(20)))
}

/// The keychain item `username=<key>` of service `oauthdesk`, if any (`secret-tool lookup`).
pub fn keychain_has(key: &str) -> bool {
    Command::new("secret-tool")
        .args(["lookup", "service", "oauthdesk", "username", key])
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
}

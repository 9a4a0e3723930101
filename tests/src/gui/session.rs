//! One scenario: a driver, an app, a WebDriver session, and the window as the user sees it.

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fantoccini::ClientBuilder;

use super::build::{app_binary, require_gui_environment};
use super::driver::Driver;
use super::screenshot::capture_screen;
use super::{GuiResult, Launch, SCREEN};

/// Scenarios of one test process run one at a time: the app is single-instance, and the
/// screenshots are of the one X screen.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs one scenario against a freshly started app and returns its result once the session
/// is closed and every process is gone. On failure the error carries the page's text and a
/// screenshot is left in <target dir>/gui-failures/<name>.png.
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
            size: Arc::new(Mutex::new(launch.window)),
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
    /// The window's size: set by [`Gui::ready`] and [`Gui::resize`], used by screenshots.
    size: Arc<Mutex<(u32, u32)>>,
}

impl Gui {
    /// Waits for the page to be loaded and React to have rendered something.
    pub(super) async fn ready(&self) -> GuiResult {
        let (w, h) = self.size();
        self.resize(w, h).await?;
        self.wait_js(
            "document.readyState === 'complete' && !!document.querySelector('#root *')",
            "the UI to render",
        )
        .await?;
        Ok(())
    }

    /// The window's current size.
    pub fn size(&self) -> (u32, u32) {
        *self.size.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Resizes the window to `w`×`h` at the screen's top-left corner and waits until the page
    /// has the new viewport. No window manager runs under Xvfb, so the size is exact.
    pub async fn resize(&self, w: u32, h: u32) -> GuiResult {
        let (sw, sh) = SCREEN;
        if w > sw || h > sh {
            return Err(format!("a {w}×{h} window does not fit the {sw}×{sh} screen").into());
        }
        self.client.set_window_rect(0, 0, w, h).await?;
        let rect = self.client.get_window_rect().await?;
        if rect != (0, 0, u64::from(w), u64::from(h)) {
            return Err(format!("the window is at {rect:?}, not (0, 0, {w}, {h})").into());
        }
        *self.size.lock().unwrap_or_else(|p| p.into_inner()) = (w, h);
        self.wait_js(
            &format!("window.innerWidth === {w} && window.innerHeight <= {h}"),
            &format!("the page to take the {w}×{h} window"),
        )
        .await
        .map(|_| ())
    }

    async fn explain_failure(
        &self,
        name: &str,
        e: Box<dyn std::error::Error + Send + Sync>,
    ) -> Box<dyn std::error::Error + Send + Sync> {
        let dir = crate::target_dir().join("gui-failures");
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
}

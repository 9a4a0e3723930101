//! How to start the app: its environment, inherited through tauri-driver and WebKitWebDriver.

use std::path::{Path, PathBuf};

/// How to start the app: its environment (inherited through tauri-driver and WebKitWebDriver).
#[derive(Clone, Debug)]
pub struct Launch {
    pub home: PathBuf,
    pub(super) env: Vec<(String, String)>,
    /// The window's size when the scenario starts ([`super::LAPTOP`] unless [`Launch::window`]).
    pub(super) window: (u32, u32),
}

impl Launch {
    /// The app on data dir `home`, the test browser as `$BROWSER` in mode `consent`, its log in
    /// `<home>/browser.log`, and XDG dirs of its own under `<home>/xdg`.
    pub fn new(home: &Path) -> Launch {
        let xdg = home.join("xdg");
        let mut launch = Launch {
            home: home.to_path_buf(),
            env: Vec::new(),
            window: super::LAPTOP,
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

    /// Starts the scenario with the window at `w`×`h` (at most [`super::SCREEN`]).
    pub fn window(mut self, w: u32, h: u32) -> Launch {
        self.window = (w, h);
        self
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

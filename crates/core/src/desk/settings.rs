//! The app's settings (theme, clock-skew tolerance, network), the keychain's status, and opening a URL
//! in the system browser.

use super::Desk;
use crate::error::{CoreError, Result};
use crate::store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS, PartialEq)]
pub struct Settings {
    /// `system`, `light` or `dark`.
    pub theme: String,
    /// Clock-skew tolerance for expiry checks, in seconds.
    pub clock_skew_secs: i64,
    /// Proxy, extra trusted CA certificates and request timeout (see `desk/network.rs`).
    #[serde(default)]
    pub network: super::network::NetworkSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: "system".into(),
            clock_skew_secs: 60,
            network: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct KeychainStatus {
    pub available: bool,
    pub backend: String,
    pub problem: Option<String>,
}

impl Desk {
    pub async fn keychain(&self) -> KeychainStatus {
        let problem = self.keychain_status().await.err().map(|e| e.to_string());
        KeychainStatus {
            available: problem.is_none(),
            backend: self.keychain_description(),
            problem,
        }
    }

    pub async fn settings(&self) -> Result<Settings> {
        Ok(store::settings::setting(&self.db, "app")
            .await?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    pub async fn set_settings(&self, s: Settings) -> Result<Settings> {
        if !["system", "light", "dark"].contains(&s.theme.as_str()) {
            return Err(CoreError::InvalidInput(format!(
                "unknown theme {:?}",
                s.theme
            )));
        }
        if !(0..=3600).contains(&s.clock_skew_secs) {
            return Err(CoreError::InvalidInput(
                "clock skew tolerance must be between 0 and 3600 seconds".into(),
            ));
        }
        self.save_settings_row(s).await
    }

    /// Opens an http(s) URL in the system browser (the window itself never navigates: RFC 8252 §8.12).
    pub fn open_in_browser(&self, url: &str) -> Result<()> {
        let parsed = url::Url::parse(url)
            .map_err(|e| CoreError::InvalidInput(format!("{url:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(CoreError::InvalidInput(format!(
                "only http(s) URLs are opened, not {:?}",
                parsed.scheme()
            )));
        }
        self.config.launcher.open(parsed.as_str())
    }
}

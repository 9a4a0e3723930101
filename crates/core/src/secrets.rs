//! Where secrets live. [`KeyringStore`] is the OS keychain through keyring-core: the Secret
//! Service (GNOME Keyring, KeePassXC) on Linux. Builds for other platforms have no keychain
//! store yet and say so in words when one is needed. [`MemoryStore`] is for tests.
//! Items are named by stable keys kept in SQLite (`client/<uuid>`, `grant/<uuid>`); SQLite
//! never holds the values. The calls block, so `Desk` runs them on the blocking pool.

use crate::error::{CoreError, Result};
use oauthdesk_protocol::{AccessToken, IdToken, KeychainValue, RefreshToken};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The keychain service name under which every item is stored.
pub const SERVICE: &str = "oauthdesk";

pub trait SecretStore: Send + Sync + 'static {
    fn get(&self, key: &str) -> Result<Option<KeychainValue>>;
    fn set(&self, key: &str, value: &KeychainValue) -> Result<()>;
    /// Deleting a missing item is not an error.
    fn delete(&self, key: &str) -> Result<()>;
    /// Fails with a clear [`CoreError::Keychain`] when the store cannot be used.
    fn check(&self) -> Result<()> {
        self.get("probe/availability").map(|_| ())
    }
    fn describe(&self) -> String;
}

/// In-memory store for tests and throwaway sessions.
#[derive(Default)]
pub struct MemoryStore(Mutex<HashMap<String, KeychainValue>>);

impl SecretStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<KeychainValue>> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned())
    }
    fn set(&self, key: &str, value: &KeychainValue) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.to_owned(), value.clone());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<()> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
        Ok(())
    }
    fn describe(&self) -> String {
        "in-memory store (secrets are lost when the process ends)".into()
    }
}

/// The OS keychain. The platform store is opened on first use, so commands that need no
/// secret never touch D-Bus.
#[derive(Default)]
pub struct KeyringStore {
    store: OnceLock<std::result::Result<Arc<keyring_core::api::CredentialStore>, String>>,
}

impl KeyringStore {
    fn store(&self) -> Result<&Arc<keyring_core::api::CredentialStore>> {
        self.store
            .get_or_init(open_platform_store)
            .as_ref()
            .map_err(|cause| CoreError::Keychain {
                cause: cause.clone(),
                fix: FIX_NO_SERVICE,
            })
    }

    fn entry(&self, key: &str) -> Result<keyring_core::Entry> {
        self.store()?.build(SERVICE, key, None).map_err(map_err)
    }
}

#[cfg(target_os = "linux")]
fn open_platform_store() -> std::result::Result<Arc<keyring_core::api::CredentialStore>, String> {
    let store = zbus_secret_service_keyring_store::Store::new().map_err(|e| describe(&e))?;
    Ok(store)
}

#[cfg(not(target_os = "linux"))]
fn open_platform_store() -> std::result::Result<Arc<keyring_core::api::CredentialStore>, String> {
    Err("this build has no keychain store for this platform yet".into())
}

const FIX_NO_SERVICE: &str = "start a Secret Service provider (GNOME Keyring or KeePassXC) in your desktop session; \
    headless: `dbus-run-session -- sh -c 'echo -n PASS | gnome-keyring-daemon --unlock --components=secrets; exec oauthdesk …'`";
const FIX_LOCKED: &str = "unlock your login keyring (log in to the desktop session, or `gnome-keyring-daemon --unlock` with its password) and try again";

fn describe(e: &keyring_core::Error) -> String {
    match e {
        keyring_core::Error::NoStorageAccess(inner) => {
            format!("the keychain refused access; it is probably locked ({inner})")
        }
        keyring_core::Error::PlatformFailure(inner) => {
            format!("no Secret Service answered on the D-Bus session bus ({inner})")
        }
        other => other.to_string(),
    }
}

fn map_err(e: keyring_core::Error) -> CoreError {
    let fix = match e {
        keyring_core::Error::NoStorageAccess(_) => FIX_LOCKED,
        _ => FIX_NO_SERVICE,
    };
    CoreError::Keychain {
        cause: describe(&e),
        fix,
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &str) -> Result<Option<KeychainValue>> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(KeychainValue::new(v))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(e)),
        }
    }
    fn set(&self, key: &str, value: &KeychainValue) -> Result<()> {
        self.entry(key)?
            .set_password(value.expose())
            .map_err(map_err)
    }
    fn delete(&self, key: &str) -> Result<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }
    fn describe(&self) -> String {
        format!("OS keychain (service {SERVICE:?})")
    }
}

/// The tokens of one grant, stored as one keychain item so a rotation replaces access and
/// refresh token together or not at all.
#[derive(Debug, Clone, Default)]
pub struct GrantTokens {
    pub access_token: Option<AccessToken>,
    pub refresh_token: Option<RefreshToken>,
    pub id_token: Option<IdToken>,
}

impl GrantTokens {
    /// The keychain item: `{"access_token": …, "refresh_token": …, "id_token": …}`.
    pub fn to_keychain(&self) -> KeychainValue {
        let field = |s: Option<&str>| {
            s.map(|s| serde_json::Value::String(s.to_owned()))
                .unwrap_or(serde_json::Value::Null)
        };
        let v = serde_json::json!({
            "access_token": field(self.access_token.as_ref().map(AccessToken::expose)),
            "refresh_token": field(self.refresh_token.as_ref().map(RefreshToken::expose)),
            "id_token": field(self.id_token.as_ref().map(IdToken::expose)),
        });
        KeychainValue::new(v.to_string())
    }

    pub fn from_keychain(s: &KeychainValue) -> Result<Self> {
        let v: serde_json::Value = serde_json::from_str(s.expose()).map_err(|_| {
            CoreError::InvalidInput("a grant's keychain item is not in OAuth Desk's format".into())
        })?;
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
        Ok(Self {
            access_token: field("access_token").map(AccessToken::new),
            refresh_token: field("refresh_token").map(RefreshToken::new),
            id_token: field("id_token").map(IdToken::new),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_tokens_round_trip_and_memory_store() {
        let t = GrantTokens {
            access_token: Some(AccessToken::new("a")),
            refresh_token: None,
            id_token: Some(IdToken::new("i")),
        };
        let back = GrantTokens::from_keychain(&t.to_keychain()).unwrap();
        assert_eq!(
            back.access_token.unwrap().expose(),
            "a",
            "the access token survives the round trip"
        );
        assert!(back.refresh_token.is_none(), "absent stays absent");
        let m = MemoryStore::default();
        m.set("k", &KeychainValue::new("v")).unwrap();
        assert_eq!(
            m.get("k").unwrap().unwrap().expose(),
            "v",
            "the memory store returns what was set"
        );
        m.delete("k").unwrap();
        m.delete("k").unwrap();
        assert!(
            m.get("k").unwrap().is_none(),
            "deleted, and a second delete is fine"
        );
    }
}

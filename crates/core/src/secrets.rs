//! Where secrets live. [`KeyringStore`] is the OS keychain through keyring-core: the Secret
//! Service (GNOME Keyring, KeePassXC) on Linux, the login keychain on macOS, the Credential
//! Manager on Windows (see `open_platform_store`). [`MemoryStore`] is for tests.
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

// The platform stores. Every platform names an item the same way, service `oauthdesk` and
// user = the key (`grant/<uuid>`), so an item means the same thing everywhere:
// - Linux: a Secret Service item with attributes `service=oauthdesk username=<key>`;
// - macOS: a generic password in the login keychain, service `oauthdesk`, account `<key>`;
// - Windows: a generic credential with target name `<key>.oauthdesk` (the store's default
//   `<user>.<service>` naming; keys never contain a '.') and username `<key>`.
// What was compiled where: the Linux store is built and tested on the development machine and
// in CI. The macOS and Windows arms cannot be compiled there (no macOS or Windows target can
// be installed): the Windows arm was type-checked only as a copy in a scratch crate against
// windows-native-keyring-store 1.1.0 (that crate builds on any host); the macOS arm was not
// compiled at all (apple-native-keyring-store's modules exist only on macOS). Both are built,
// and `keychain_round_trip_through_the_platform_store` run, by .github/workflows/ci.yml on
// macos-latest and windows-latest. The store is held here rather than made keyring-core's
// default store, so `build` on it is what `Entry::new` does with the default.
#[cfg(target_os = "linux")]
fn open_platform_store() -> std::result::Result<Arc<keyring_core::api::CredentialStore>, String> {
    let store = zbus_secret_service_keyring_store::Store::new().map_err(|e| describe(&e))?;
    Ok(store)
}

/// The login keychain ("legacy keychain" store): the one for apps that are not signed with a
/// provisioning profile, as the crate's README says; the `protected` store would need one.
#[cfg(target_os = "macos")]
fn open_platform_store() -> std::result::Result<Arc<keyring_core::api::CredentialStore>, String> {
    let store = apple_native_keyring_store::keychain::Store::new().map_err(|e| describe(&e))?;
    Ok(store)
}

/// The Windows Credential Manager with the store's default configuration (empty prefix and
/// suffix, '.' divider; credentials created with Enterprise persistence).
#[cfg(target_os = "windows")]
fn open_platform_store() -> std::result::Result<Arc<keyring_core::api::CredentialStore>, String> {
    let store = windows_native_keyring_store::Store::new().map_err(|e| describe(&e))?;
    Ok(store)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn open_platform_store() -> std::result::Result<Arc<keyring_core::api::CredentialStore>, String> {
    Err("this build has no keychain store for this platform".into())
}

#[cfg(target_os = "linux")]
mod platform {
    pub(super) const KEYCHAIN: &str = "the keychain";
    pub(super) const UNREACHABLE: &str = "no Secret Service answered on the D-Bus session bus";
    pub(super) const FIX_NO_SERVICE: &str = "start a Secret Service provider (GNOME Keyring or KeePassXC) in your desktop session; \
    headless: `dbus-run-session -- sh -c 'echo -n PASS | gnome-keyring-daemon --unlock --components=secrets; exec oauthdesk …'`";
    pub(super) const FIX_LOCKED: &str = "unlock your login keyring (log in to the desktop session, or `gnome-keyring-daemon --unlock` with its password) and try again";
}

#[cfg(target_os = "macos")]
mod platform {
    pub(super) const KEYCHAIN: &str = "the macOS keychain";
    pub(super) const UNREACHABLE: &str = "the macOS keychain failed";
    pub(super) const FIX_NO_SERVICE: &str = "check that your login keychain exists and is the default one (Keychain Access, or `security default-keychain`), then try again";
    pub(super) const FIX_LOCKED: &str = "unlock your login keychain (`security unlock-keychain`) and allow OAuth Desk when macOS asks, then try again";
}

#[cfg(target_os = "windows")]
mod platform {
    pub(super) const KEYCHAIN: &str = "the Windows Credential Manager";
    pub(super) const UNREACHABLE: &str = "the Windows Credential Manager failed";
    pub(super) const FIX_NO_SERVICE: &str = "check that the Credential Manager service (VaultSvc) runs in your Windows session, then try again";
    pub(super) const FIX_LOCKED: &str = "run OAuth Desk as the Windows user who owns these credentials, in an interactive session, then try again";
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
mod platform {
    pub(super) const KEYCHAIN: &str = "the keychain";
    pub(super) const UNREACHABLE: &str = "no keychain is available";
    pub(super) const FIX_NO_SERVICE: &str = "use a build for Linux, macOS or Windows";
    pub(super) const FIX_LOCKED: &str = FIX_NO_SERVICE;
}

use platform::{FIX_LOCKED, FIX_NO_SERVICE};
/// The Windows Credential Manager holds at most 2560 bytes per item (1280 characters as
/// keyring-core stores a password); no other store here has a limit that small.
const FIX_TOO_LARGE: &str = "this keychain cannot hold an item this large; on Windows long JWTs or an RSA private key can exceed the Credential Manager's 2560-byte limit (see README, Platforms)";

fn describe(e: &keyring_core::Error) -> String {
    match e {
        keyring_core::Error::NoStorageAccess(inner) => {
            format!(
                "{} refused access; it is probably locked ({inner})",
                platform::KEYCHAIN
            )
        }
        keyring_core::Error::PlatformFailure(inner) => {
            format!("{} ({inner})", platform::UNREACHABLE)
        }
        keyring_core::Error::TooLong(what, limit) => {
            format!(
                "the item is larger than {} allows ({what} is limited to {limit})",
                platform::KEYCHAIN
            )
        }
        other => other.to_string(),
    }
}

fn map_err(e: keyring_core::Error) -> CoreError {
    let fix = match e {
        keyring_core::Error::NoStorageAccess(_) => FIX_LOCKED,
        keyring_core::Error::TooLong(..) => FIX_TOO_LARGE,
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

    #[test]
    fn keychain_errors_name_the_cause_and_the_fix() {
        let too_long = map_err(keyring_core::Error::TooLong("password".into(), 2560)).to_string();
        assert!(
            too_long.contains("password is limited to 2560") && too_long.contains(FIX_TOO_LARGE),
            "an item too large for the store (Windows) names the limit and the fix: {too_long}"
        );
        let locked = map_err(keyring_core::Error::NoStorageAccess(Box::new(
            std::io::Error::other("prompt dismissed"),
        )))
        .to_string();
        assert!(
            locked.contains("probably locked (prompt dismissed)") && locked.contains(FIX_LOCKED),
            "a refused access says the keychain is locked and how to unlock it: {locked}"
        );
        let down = map_err(keyring_core::Error::PlatformFailure(Box::new(
            std::io::Error::other("no bus"),
        )))
        .to_string();
        assert!(
            down.contains(platform::UNREACHABLE) && down.contains(FIX_NO_SERVICE),
            "an unreachable keychain names this platform's store and its fix: {down}"
        );
    }

    /// Removes the test item even when an assertion fails half-way.
    struct RemoveOnDrop<'a>(&'a KeyringStore, &'a str);
    impl Drop for RemoveOnDrop<'_> {
        fn drop(&mut self) {
            let _ = self.0.delete(self.1);
        }
    }

    /// The platform's real keychain through the `KeyringStore` the app uses: store, read back
    /// from a second, freshly opened store (as another process would), replace, delete. It
    /// writes to this user's keychain, so it runs only when OAUTHDESK_TEST_KEYRING is set:
    /// scripts/test sets it for its private gnome-keyring, and .github/workflows/ci.yml sets it
    /// on the ubuntu (private gnome-keyring), macOS and Windows runners.
    #[test]
    fn keychain_round_trip_through_the_platform_store() {
        if std::env::var_os("OAUTHDESK_TEST_KEYRING").is_none() {
            eprintln!(
                "skipped: set OAUTHDESK_TEST_KEYRING to let this test write to this machine's keychain"
            );
            return;
        }
        let key = format!("test/round-trip-{}", uuid::Uuid::new_v4());
        let first = format!("round-trip value {}", uuid::Uuid::new_v4());
        let second = format!("replaced value {}", uuid::Uuid::new_v4());
        let writer = KeyringStore::default();
        let _cleanup = RemoveOnDrop(&writer, &key);
        if let Err(e) = writer.check() {
            panic!("the platform keychain must be usable here: {e}");
        }
        let read = |store: &KeyringStore| {
            store
                .get(&key)
                .unwrap_or_else(|e| panic!("reading the test item failed: {e}"))
                .map(|v| v.expose().to_owned())
        };
        assert_eq!(
            read(&writer),
            None,
            "a fresh key is not in the keychain yet"
        );
        if let Err(e) = writer.set(&key, &KeychainValue::new(first.as_str())) {
            panic!("the platform keychain must store an item: {e}");
        }
        let reader = KeyringStore::default();
        assert_eq!(
            read(&reader).as_deref(),
            Some(first.as_str()),
            "a second store finds the item under service {SERVICE:?} and the key"
        );
        os_tool_finds(&key, &first);
        if let Err(e) = writer.set(&key, &KeychainValue::new(second.as_str())) {
            panic!("the platform keychain must replace an item: {e}");
        }
        assert_eq!(
            read(&reader).as_deref(),
            Some(second.as_str()),
            "a second write replaces the item rather than adding one"
        );
        if let Err(e) = writer.delete(&key) {
            panic!("the platform keychain must delete an item: {e}");
        }
        assert_eq!(
            read(&reader),
            None,
            "a deleted item is gone for every reader"
        );
        assert!(
            writer.delete(&key).is_ok(),
            "deleting a missing item is not an error"
        );
    }

    /// The OS's own tool sees the item under the documented naming (service `oauthdesk`,
    /// user = the key), so items mean the same on every platform and outside OAuth Desk.
    #[cfg(target_os = "linux")]
    fn os_tool_finds(key: &str, value: &str) {
        let out = std::process::Command::new("secret-tool")
            .args(["lookup", "service", SERVICE, "username", key])
            .output()
            .unwrap_or_else(|e| panic!("secret-tool (libsecret-tools) must be installed: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            value,
            "secret-tool finds the item by service={SERVICE} username=<key>"
        );
    }

    /// Attributes only (no `-w`): reading the password from another program would ask the user.
    #[cfg(target_os = "macos")]
    fn os_tool_finds(key: &str, _value: &str) {
        let status = std::process::Command::new("security")
            .args(["find-generic-password", "-s", SERVICE, "-a", key])
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("/usr/bin/security must run: {e}"));
        assert!(
            status.success(),
            "`security find-generic-password -s {SERVICE} -a <key>` finds the item in the login keychain"
        );
    }

    /// `cmdkey /list:<target>` lists the generic credential (it cannot show the secret).
    #[cfg(target_os = "windows")]
    fn os_tool_finds(key: &str, _value: &str) {
        let target = format!("{key}.{SERVICE}");
        let out = std::process::Command::new("cmdkey")
            .arg(format!("/list:{target}"))
            .output()
            .unwrap_or_else(|e| panic!("cmdkey must run: {e}"));
        let listing = String::from_utf8_lossy(&out.stdout);
        assert!(
            listing
                .lines()
                .any(|l| l.trim_start().starts_with("Target:") && l.trim_end().ends_with(&target)),
            "cmdkey lists the credential under target <key>.{SERVICE}; it printed:\n{listing}"
        );
    }

    #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
    fn os_tool_finds(_key: &str, _value: &str) {}
}

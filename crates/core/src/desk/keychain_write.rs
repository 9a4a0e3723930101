//! The one write path for a secret and its row: the keychain first, SQLite second, as one.
//!
//! - If the SQLite write fails, the keychain changes are undone (a new item deleted, a replaced
//!   or deleted one restored), so nothing is left half-written.
//! - The whole write runs as its own task, which the caller only waits for: a caller that is
//!   cancelled (Cancel in the GUI aborts the login task; a signal ends the CLI's runtime) cannot
//!   stop it between the keychain write and the SQLite commit. sqlx hands a query to SQLite's
//!   worker thread, which commits even if the future that sent it is dropped, so undoing the
//!   keychain on the *caller's* drop could delete a secret whose row did commit.
//! - If the task itself is dropped before it finishes (the runtime shutting down), the guard
//!   undoes the keychain changes on drop, synchronously.

use super::Desk;
use crate::error::{CoreError, Result};
use crate::secrets::SecretStore;
use crate::store;
use oauthdesk_protocol::KeychainValue;
use sqlx::SqlitePool;
use std::future::Future;
use std::sync::Arc;

/// One change to the keychain.
pub(crate) enum SecretChange {
    /// A new item: undone by deleting it.
    Create(String, KeychainValue),
    /// An item that may exist: undone by restoring what was there.
    Replace(String, KeychainValue),
    /// Remove an item: undone by restoring it.
    Delete(String),
    /// Replace an item for good, never undone: what it replaces was spent at the server (a
    /// rotated refresh token, RFC 6749 §6), so the new value is the only one that works. A
    /// failed SQLite write then leaves stale metadata beside working tokens, never the reverse.
    Rotate(String, KeychainValue),
}

impl Desk {
    /// Applies `changes` to the keychain, then runs `write` on the database; undoes the keychain
    /// changes when `write` fails (or the write task is dropped). See the module comment.
    pub(crate) async fn write_together<T, F, Fut>(
        &self,
        changes: Vec<SecretChange>,
        write: F,
    ) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(SqlitePool) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let (store, db) = (self.secrets.clone(), self.db.clone());
        // A signal waits for the write (see `Desk::settled`): the guard lives as long as the task.
        let critical = self.critical_section();
        let created: Vec<String> = changes
            .iter()
            .filter_map(|c| match c {
                SecretChange::Create(key, _) => Some(key.clone()),
                _ => None,
            })
            .collect();
        let now = self.now();
        let task = tokio::spawn(async move {
            let _critical = critical;
            // Noted before the keychain write, so a kill -9 between the two leaves a trace the
            // next start can clean up (`recover_pending_secrets`).
            for key in &created {
                store::history::note_pending_secret(&db, key, now).await?;
            }
            let guard = tokio::task::spawn_blocking(move || apply(store, changes))
                .await
                .map_err(|e| CoreError::Task("keychain worker", e))??;
            let outcome = write(db.clone()).await;
            let result = match outcome {
                Ok(value) => {
                    guard.disarm();
                    Ok(value)
                }
                Err(e) => {
                    // Undo on the blocking pool; the guard would also do it on drop.
                    let _ = tokio::task::spawn_blocking(move || drop(guard)).await;
                    Err(e)
                }
            };
            for key in &created {
                let _ = store::history::clear_pending_secret(&db, key).await;
            }
            result
        });
        task.await.map_err(|e| CoreError::Task("write task", e))?
    }
}

impl Desk {
    /// Deletes keychain items a killed process created without their row (see the
    /// `pending_secrets` table). Runs at open; touches the keychain only when such an entry
    /// exists, and leaves the entries for later when the keychain cannot be used now.
    pub(crate) async fn recover_pending_secrets(&self) {
        let Ok(pending) = store::history::pending_secrets(&self.db).await else {
            return;
        };
        for key in pending {
            match store::history::secret_is_referenced(&self.db, &key).await {
                Ok(true) => {}
                Ok(false) => {
                    let (s, k) = (self.secrets.clone(), key.clone());
                    let deleted = tokio::task::spawn_blocking(move || s.delete(&k)).await;
                    if !matches!(deleted, Ok(Ok(()))) {
                        continue;
                    }
                }
                Err(_) => continue,
            }
            let _ = store::history::clear_pending_secret(&self.db, &key).await;
        }
    }
}

/// Keychain changes made so far, undone on drop unless disarmed.
pub(crate) struct KeychainUndo {
    store: Arc<dyn SecretStore>,
    /// Key and what it held before (`None`: nothing).
    done: Vec<(String, Option<KeychainValue>)>,
    armed: bool,
}

impl KeychainUndo {
    pub(crate) fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for KeychainUndo {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        for (key, before) in self.done.drain(..).rev() {
            let _ = match before {
                Some(value) => self.store.set(&key, &value),
                None => self.store.delete(&key),
            };
        }
    }
}

/// Applies the changes in order; on the first failure, undoes the ones made and fails.
fn apply(store: Arc<dyn SecretStore>, changes: Vec<SecretChange>) -> Result<KeychainUndo> {
    let mut undo = KeychainUndo {
        store: store.clone(),
        done: Vec::new(),
        armed: true,
    };
    for change in changes {
        match change {
            SecretChange::Create(key, value) => {
                store.set(&key, &value)?;
                undo.done.push((key, None));
            }
            SecretChange::Replace(key, value) => {
                let before = store.get(&key)?;
                store.set(&key, &value)?;
                undo.done.push((key, before));
            }
            SecretChange::Rotate(key, value) => store.set(&key, &value)?,
            SecretChange::Delete(key) => {
                let before = store.get(&key)?;
                store.delete(&key)?;
                if before.is_some() {
                    undo.done.push((key, before));
                }
            }
        }
    }
    Ok(undo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    fn store_with(items: &[(&str, &str)]) -> Arc<dyn SecretStore> {
        let m = MemoryStore::default();
        for (k, v) in items {
            m.set(k, &KeychainValue::new(*v))
                .expect("memory store sets");
        }
        Arc::new(m)
    }

    fn value(store: &Arc<dyn SecretStore>, key: &str) -> Option<String> {
        store
            .get(key)
            .expect("memory store reads")
            .map(|v| v.expose().to_owned())
    }

    #[test]
    fn dropping_an_armed_undo_restores_every_item() {
        let store = store_with(&[("old", "1"), ("gone", "2")]);
        let undo = apply(
            store.clone(),
            vec![
                SecretChange::Create("new".into(), KeychainValue::new("n")),
                SecretChange::Replace("old".into(), KeychainValue::new("changed")),
                SecretChange::Delete("gone".into()),
            ],
        )
        .expect("changes apply");
        assert_eq!(
            value(&store, "old").as_deref(),
            Some("changed"),
            "replace applied"
        );
        drop(undo);
        assert_eq!(
            value(&store, "new"),
            None,
            "a created item is deleted again"
        );
        assert_eq!(
            value(&store, "old").as_deref(),
            Some("1"),
            "a replaced item is restored"
        );
        assert_eq!(
            value(&store, "gone").as_deref(),
            Some("2"),
            "a deleted item is restored"
        );
    }

    #[test]
    fn a_disarmed_undo_keeps_the_changes() {
        let store = store_with(&[]);
        apply(
            store.clone(),
            vec![SecretChange::Create("k".into(), KeychainValue::new("v"))],
        )
        .expect("changes apply")
        .disarm();
        assert_eq!(
            value(&store, "k").as_deref(),
            Some("v"),
            "committed changes stay"
        );
    }

    /// A keychain whose writes wait at a gate, to abort a task in the middle of one.
    struct GatedStore {
        inner: MemoryStore,
        entered: std::sync::mpsc::Sender<()>,
        gate: std::sync::Mutex<std::sync::mpsc::Receiver<()>>,
    }

    impl SecretStore for GatedStore {
        fn get(&self, key: &str) -> Result<Option<KeychainValue>> {
            self.inner.get(key)
        }
        fn set(&self, key: &str, value: &KeychainValue) -> Result<()> {
            let _ = self.entered.send(());
            let _ = self.gate.lock().unwrap_or_else(|p| p.into_inner()).recv();
            self.inner.set(key, value)
        }
        fn delete(&self, key: &str) -> Result<()> {
            self.inner.delete(key)
        }
        fn describe(&self) -> String {
            "gated test store".into()
        }
    }

    fn spec(name: &str) -> crate::model::ClientSpec {
        crate::model::ClientSpec {
            name: name.into(),
            client_id: "cid".into(),
            issuer: None,
            endpoints: crate::model::Endpoints {
                authorization: Some("http://127.0.0.1:9/authorize".into()),
                token: Some("http://127.0.0.1:9/token".into()),
                ..Default::default()
            },
            auth_method: Some(oauthdesk_protocol::client_auth::AuthMethod::ClientSecretBasic),
            scopes: String::new(),
            redirect_uri: None,
            extra_params: vec![],
            pkce: true,
            insecure: false,
            id_token_alg: None,
            par: false,
            jar: Default::default(),
            response_mode: None,
            dpop: false,
            ca_pem: None,
            authorization_details: None,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_task_aborted_mid_write_leaves_row_and_secret_together() {
        let home = tempfile::tempdir().expect("a temp dir");
        let (entered_tx, entered) = std::sync::mpsc::channel();
        let (release, gate) = std::sync::mpsc::channel();
        let store = Arc::new(GatedStore {
            inner: MemoryStore::default(),
            entered: entered_tx,
            gate: std::sync::Mutex::new(gate),
        });
        let config =
            super::super::DeskConfig::with_secrets(home.path().to_path_buf(), store.clone());
        let desk = Arc::new(Desk::open(config).await.expect("the desk opens"));
        let adding = {
            let desk = desk.clone();
            tokio::spawn(async move {
                let secret = oauthdesk_protocol::CredentialInput::new("s3cret");
                desk.add_client(spec("aborted"), Some(secret)).await
            })
        };
        tokio::task::spawn_blocking(move || entered.recv())
            .await
            .expect("the wait runs")
            .expect("the keychain write starts");
        // Cancel in the GUI aborts the task exactly here: the keychain write has begun.
        adding.abort();
        assert!(
            adding
                .await
                .expect_err("the task was aborted")
                .is_cancelled(),
            "the caller is gone"
        );
        release.send(()).expect("the gate opens");
        // The write finishes on its own: wait for the row rather than sleeping.
        let mut client = None;
        for _ in 0..200 {
            if let Ok(c) = desk.client("aborted").await {
                client = Some(c);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let client = client.expect("the aborted caller's write completed: the row is there");
        let key = client.secret_ref.expect("the row names its keychain item");
        assert_eq!(
            store
                .get(&key)
                .expect("the store reads")
                .map(|v| v.expose().to_owned()),
            Some("s3cret".to_owned()),
            "the row's keychain item holds the secret: nothing half-written"
        );
    }

    #[tokio::test]
    async fn a_failed_database_write_undoes_the_keychain() {
        let home = tempfile::tempdir().expect("a temp dir");
        let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
        let config =
            super::super::DeskConfig::with_secrets(home.path().to_path_buf(), store.clone());
        let desk = Desk::open(config).await.expect("the desk opens");
        let failed = desk
            .write_together(
                vec![SecretChange::Create(
                    "client/x".into(),
                    KeychainValue::new("v"),
                )],
                |db| async move {
                    sqlx::query("INSERT INTO no_such_table VALUES (1)")
                        .execute(&db)
                        .await?;
                    Ok(())
                },
            )
            .await;
        assert!(failed.is_err(), "the database write fails");
        assert!(
            store.get("client/x").expect("the store reads").is_none(),
            "the keychain item written first is deleted again"
        );
    }

    /// A keychain that locks after `ok` writes (the user locks it mid-operation).
    struct LocksAfter {
        inner: MemoryStore,
        ok: std::sync::atomic::AtomicUsize,
    }

    impl SecretStore for LocksAfter {
        fn get(&self, key: &str) -> Result<Option<KeychainValue>> {
            self.inner.get(key)
        }
        fn set(&self, key: &str, value: &KeychainValue) -> Result<()> {
            if self.ok.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                return Err(CoreError::Keychain {
                    cause: "the keychain refused access; it is probably locked".into(),
                    fix: "unlock it",
                });
            }
            self.inner.set(key, value)
        }
        fn delete(&self, key: &str) -> Result<()> {
            self.inner.delete(key)
        }
        fn describe(&self) -> String {
            "a keychain that locks".into()
        }
    }

    #[tokio::test]
    async fn a_keychain_locked_mid_operation_leaves_nothing_and_says_so() {
        let home = tempfile::tempdir().expect("a temp dir");
        let store = Arc::new(LocksAfter {
            inner: MemoryStore::default(),
            ok: std::sync::atomic::AtomicUsize::new(1),
        });
        let config =
            super::super::DeskConfig::with_secrets(home.path().to_path_buf(), store.clone());
        let desk = Desk::open(config).await.expect("the desk opens");
        let rows_written = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let written = rows_written.clone();
        let err = desk
            .write_together(
                vec![
                    SecretChange::Create("client/a".into(), KeychainValue::new("1")),
                    SecretChange::Create("registration/a".into(), KeychainValue::new("2")),
                ],
                move |_db| async move {
                    written.store(true, std::sync::atomic::Ordering::SeqCst);
                    Ok(())
                },
            )
            .await
            .expect_err("the second keychain write fails");
        assert!(
            err.to_string().contains("locked"),
            "the failure says the keychain is locked: {err}"
        );
        assert!(
            store.get("client/a").expect("the store reads").is_none(),
            "the first item, written before the keychain locked, is removed again"
        );
        assert!(
            !rows_written.load(std::sync::atomic::Ordering::SeqCst),
            "no row is written when the keychain failed"
        );
    }
}

//! Single-flight refresh across processes: an exclusive advisory lock on a file per grant in
//! the data dir (`flock` on Unix, `LockFileEx` on Windows, through `std::fs::File::lock`). The
//! GUI and any number of CLI processes serialise on it, and whoever gets it second re-reads the
//! grant and finds it fresh, so a rotating refresh token is never spent twice.

use crate::error::{CoreError, Result};
use std::fs::{File, OpenOptions};
use std::path::PathBuf;

/// Held while alive; dropping it releases the lock.
pub struct GrantLock {
    _file: File,
}

pub async fn lock_grant(dir: PathBuf, grant_id: &str) -> Result<GrantLock> {
    let path = dir.join(format!("grant-{grant_id}.lock"));
    let shown = path.display().to_string();
    let file = tokio::task::spawn_blocking(move || -> std::io::Result<File> {
        std::fs::create_dir_all(&dir)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        file.lock()?;
        Ok(file)
    })
    .await
    .map_err(|e| CoreError::Task("lock worker", e))?
    .map_err(|e| CoreError::io(format!("cannot lock {shown}"), e))?;
    Ok(GrantLock { _file: file })
}

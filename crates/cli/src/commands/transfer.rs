//! `oauthdesk client export` and `oauthdesk client import`: client settings to and from files
//! (an OAuth Desk export, or a Postman collection with its environment).

use crate::args::ImportArgs;
use crate::output::{self, errln, out};
use oauthdesk_core::{CoreError, Desk};
use std::path::{Path, PathBuf};

pub async fn export(desk: &Desk, names: &[String], out: Option<PathBuf>) -> Result<u8, CoreError> {
    let file = desk.export_clients(names).await?;
    let text = serde_json::to_string_pretty(&file).map_err(|source| CoreError::Json {
        what: "the clients file",
        source,
    })? + "\n";
    match out {
        Some(path) => {
            std::fs::write(&path, text)
                .map_err(|e| CoreError::io(format!("cannot write {}", path.display()), e))?;
            errln!(
                "Wrote {} client(s) to {} (no secrets).",
                file.clients.len(),
                path.display()
            );
        }
        None => out!("{text}"),
    }
    Ok(0)
}

/// Exit 1 when nothing was added and something was skipped.
pub async fn import(desk: &Desk, a: ImportArgs) -> Result<u8, CoreError> {
    let text = read(&a.file)?;
    let env = match &a.postman_env {
        Some(p) => Some(read(p)?),
        None => None,
    };
    let report = desk
        .import_clients(&text, env.as_deref(), a.with_secrets)
        .await?;
    if a.json {
        output::json(&report);
    } else {
        output::import_report(&report);
    }
    Ok(if report.added.is_empty() && !report.skipped.is_empty() {
        1
    } else {
        0
    })
}

fn read(p: &Path) -> Result<String, CoreError> {
    std::fs::read_to_string(p)
        .map_err(|e| CoreError::InvalidInput(format!("cannot read {}: {e}", p.display())))
}

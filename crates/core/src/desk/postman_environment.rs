//! Import of a Postman environment file (`{"name", "values": [{"key", "value", "type",
//! "enabled"}]}`, as Postman exports it) onto the environment of that name: `secret`-typed
//! values into the keychain, disabled entries and invalid names skipped with why.

use super::Desk;
use super::environments::{EnvironmentImport, MAX_VARIABLES};
use crate::error::{CoreError, Result};
use crate::store::environments as envs;
use oauthdesk_protocol::KeychainValue;

impl Desk {
    /// Imports a Postman environment file onto the environment of its name (created when new).
    pub async fn import_postman_environment(&self, text: &str) -> Result<EnvironmentImport> {
        let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            CoreError::InvalidInput(format!("the Postman environment is not JSON: {e}"))
        })?;
        let name = doc.get("name").and_then(|n| n.as_str()).ok_or_else(|| {
            CoreError::InvalidInput("a Postman environment has a \"name\"".into())
        })?;
        let values = doc
            .get("values")
            .and_then(|v| v.as_array())
            .ok_or_else(|| {
                CoreError::InvalidInput("a Postman environment has a \"values\" array".into())
            })?;
        let existed = envs::by_name(&self.db, name.trim()).await.is_ok();
        let env = if existed {
            self.environment(name.trim()).await?
        } else {
            self.create_environment(name).await?
        };
        let mut report = EnvironmentImport {
            environment: env.name.clone(),
            existed,
            variables: 0,
            secrets: 0,
            skipped: Vec::new(),
        };
        let safe = |s: &str| crate::protocol::text::escape_controls(s, false);
        for entry in values.iter().take(MAX_VARIABLES) {
            let key = entry.get("key").and_then(|k| k.as_str()).unwrap_or("");
            if entry.get("enabled").and_then(|e| e.as_bool()) == Some(false) {
                report.skipped.push(format!("{}: disabled", safe(key)));
                continue;
            }
            let value = match entry.get("value") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            let secret = entry.get("type").and_then(|t| t.as_str()) == Some("secret");
            match self
                .set_variable(&env.name, key, KeychainValue::new(value), secret)
                .await
            {
                Ok(_) => {
                    report.variables += 1;
                    report.secrets += u32::from(secret);
                }
                Err(CoreError::InvalidInput(why)) => {
                    report.skipped.push(format!("{}: {why}", safe(key)));
                }
                Err(e) => return Err(e),
            }
        }
        if values.len() > MAX_VARIABLES {
            report.skipped.push(format!(
                "{} more entries: at most {MAX_VARIABLES}",
                values.len() - MAX_VARIABLES
            ));
        }
        Ok(report)
    }
}

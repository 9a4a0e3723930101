//! Environments (dev / staging / prod): named sets of variables used as `{{name}}` in client
//! endpoints, client parameters and Call API requests (syntax: [`crate::variables`]). One is
//! active at a time, or none: a setting the GUI and the CLI share; `--env NAME` overrides it for
//! one CLI command ([`DeskConfig::environment`](super::DeskConfig)).
//!
//! A secret variable's value is a keychain item (`envvar/<variable id>`), written with its row
//! through the one write path; rows, exports, views and logs carry only its name, masked.
//! Postman environment files (`{"name", "values": [{"key", "value", "type", "enabled"}]}`)
//! import onto an environment, `secret`-typed values into the keychain.

use super::Desk;
use super::keychain_write::SecretChange;
use crate::error::{CoreError, Result};
use crate::store::{self, environments as envs};
use crate::variables::{MAX_VALUE, VarValue, Vars, is_valid_name};
use oauthdesk_protocol::KeychainValue;
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS, PartialEq)]
pub struct Environment {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub variables: Vec<Variable>,
}

/// A variable as shown: a secret one has no value here (reveal it explicitly).
#[derive(Debug, Clone, Serialize, TS, PartialEq)]
pub struct Variable {
    pub name: String,
    pub value: Option<String>,
    pub secret: bool,
}

/// What an environment import did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EnvironmentImport {
    pub environment: String,
    /// Whether the environment existed (its variables of the same names were replaced).
    pub existed: bool,
    pub variables: u32,
    /// How many went into the keychain.
    pub secrets: u32,
    /// Entries left out, with why.
    pub skipped: Vec<String>,
}

const MAX_ENVIRONMENTS: usize = 200;
pub(super) const MAX_VARIABLES: usize = 500;

fn secret_key(variable_id: &str) -> String {
    format!("envvar/{variable_id}")
}

fn check_env_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
        return Err(CoreError::InvalidInput(
            "an environment needs a name of 1–100 characters, no control characters".into(),
        ));
    }
    Ok(name.to_owned())
}

fn check_var(name: &str, value: &str) -> Result<()> {
    if !is_valid_name(name) {
        return Err(CoreError::InvalidInput(format!(
            "{:?} is not a variable name: 1–64 of letters, digits, `_`, `-` and `.`",
            crate::protocol::text::escape_controls(name, false)
        )));
    }
    if value.len() > MAX_VALUE {
        return Err(CoreError::InvalidInput(format!(
            "the value of {name} is longer than {} KiB",
            MAX_VALUE / 1024
        )));
    }
    Ok(())
}

impl Desk {
    pub async fn environments(&self) -> Result<Vec<Environment>> {
        let active = self.active_environment_row().await?.map(|e| e.id);
        let mut out = Vec::new();
        for row in envs::list(&self.db).await? {
            out.push(self.environment_view(row, active.as_deref()).await?);
        }
        Ok(out)
    }

    pub async fn environment(&self, name: &str) -> Result<Environment> {
        let row = envs::by_name(&self.db, name).await?;
        let active = self.active_environment_row().await?.map(|e| e.id);
        self.environment_view(row, active.as_deref()).await
    }

    async fn environment_view(
        &self,
        row: envs::EnvironmentRow,
        active: Option<&str>,
    ) -> Result<Environment> {
        let variables = envs::variables(&self.db, &row.id)
            .await?
            .into_iter()
            .map(|v| Variable {
                name: v.name,
                secret: v.secret_ref.is_some(),
                value: v.value,
            })
            .collect();
        Ok(Environment {
            active: active == Some(row.id.as_str()),
            id: row.id,
            name: row.name,
            variables,
        })
    }

    pub async fn create_environment(&self, name: &str) -> Result<Environment> {
        let name = check_env_name(name)?;
        if envs::by_name(&self.db, &name).await.is_ok() {
            return Err(CoreError::InvalidInput(format!(
                "an environment named {name:?} exists already"
            )));
        }
        if envs::list(&self.db).await?.len() >= MAX_ENVIRONMENTS {
            return Err(CoreError::InvalidInput(format!(
                "at most {MAX_ENVIRONMENTS} environments"
            )));
        }
        let row = envs::EnvironmentRow {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            created_at: self.now(),
        };
        envs::insert(&self.db, &row).await?;
        self.environment(&row.name).await
    }

    pub async fn rename_environment(&self, name: &str, new_name: &str) -> Result<Environment> {
        let row = envs::by_name(&self.db, name).await?;
        let new_name = check_env_name(new_name)?;
        if new_name != row.name && envs::by_name(&self.db, &new_name).await.is_ok() {
            return Err(CoreError::InvalidInput(format!(
                "an environment named {new_name:?} exists already"
            )));
        }
        envs::rename(&self.db, &row.id, &new_name).await?;
        self.environment(&new_name).await
    }

    /// Deletes the environment, its secret values from the keychain and its rows together.
    /// Grants obtained in it stay, but are not used under another environment.
    pub async fn delete_environment(&self, name: &str) -> Result<()> {
        let row = envs::by_name(&self.db, name).await?;
        let changes = envs::variables(&self.db, &row.id)
            .await?
            .into_iter()
            .filter_map(|v| v.secret_ref.map(SecretChange::Delete))
            .collect();
        let id = row.id.clone();
        self.write_together(changes, move |db| async move {
            let mut tx = db.begin().await?;
            envs::delete(&mut *tx, &id).await?;
            if store::settings::setting(&mut *tx, envs::ACTIVE_KEY)
                .await?
                .as_deref()
                == Some(&id)
            {
                store::settings::set_setting(&mut *tx, envs::ACTIVE_KEY, "").await?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Makes `name` the active environment (`None`: none), for the GUI and the CLI alike.
    pub async fn use_environment(&self, name: Option<&str>) -> Result<Option<Environment>> {
        let id = match name {
            Some(n) => envs::by_name(&self.db, n).await?.id,
            None => String::new(),
        };
        store::settings::set_setting(&self.db, envs::ACTIVE_KEY, &id).await?;
        match name {
            Some(n) => Ok(Some(self.environment(n).await?)),
            None => Ok(None),
        }
    }

    /// The environment in effect: `--env` when given, else the shared setting.
    pub async fn active_environment(&self) -> Result<Option<Environment>> {
        match self.active_environment_row().await? {
            Some(row) => Ok(Some(self.environment_view(row, None).await.map(
                |mut e| {
                    e.active = true;
                    e
                },
            )?)),
            None => Ok(None),
        }
    }

    pub(super) async fn active_environment_row(&self) -> Result<Option<envs::EnvironmentRow>> {
        if let Some(name) = &self.config.environment {
            return envs::by_name(&self.db, name).await.map(Some);
        }
        let Some(id) = store::settings::setting(&self.db, envs::ACTIVE_KEY)
            .await?
            .filter(|id| !id.is_empty())
        else {
            return Ok(None);
        };
        envs::by_id(&self.db, &id).await
    }

    /// Sets a variable; a secret one's value goes to the keychain (and a plain value that was
    /// secret before leaves it), its row to SQLite, together.
    pub async fn set_variable(
        &self,
        environment: &str,
        name: &str,
        value: KeychainValue,
        secret: bool,
    ) -> Result<Environment> {
        let env = envs::by_name(&self.db, environment).await?;
        let name = name.trim().to_owned();
        check_var(&name, value.expose())?;
        let existing = envs::variables(&self.db, &env.id).await?;
        let old = existing.iter().find(|v| v.name == name).cloned();
        if old.is_none() && existing.len() >= MAX_VARIABLES {
            return Err(CoreError::InvalidInput(format!(
                "at most {MAX_VARIABLES} variables per environment"
            )));
        }
        let id = old
            .as_ref()
            .map(|v| v.id.clone())
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let key = secret_key(&id);
        let (changes, row) = if secret {
            let change = match old.as_ref().and_then(|v| v.secret_ref.clone()) {
                Some(k) => SecretChange::Replace(k, value),
                None => SecretChange::Create(key.clone(), value),
            };
            (vec![change], (None, Some(key)))
        } else {
            let changes = old
                .as_ref()
                .and_then(|v| v.secret_ref.clone())
                .map(SecretChange::Delete)
                .into_iter()
                .collect();
            (changes, (Some(value.expose().to_owned()), None))
        };
        let var = envs::VariableRow {
            id,
            environment_id: env.id.clone(),
            name,
            value: row.0,
            secret_ref: row.1,
        };
        let now = self.now();
        self.write_together(changes, move |db| async move {
            envs::upsert_variable(&db, &var, now).await
        })
        .await?;
        self.environment(&env.name).await
    }

    /// The environment and its variable `name`, or an error naming both.
    async fn find_variable(
        &self,
        environment: &str,
        name: &str,
    ) -> Result<(envs::EnvironmentRow, envs::VariableRow)> {
        let env = envs::by_name(&self.db, environment).await?;
        let var = envs::variables(&self.db, &env.id)
            .await?
            .into_iter()
            .find(|v| v.name == name)
            .ok_or_else(|| {
                CoreError::InvalidInput(format!(
                    "environment {:?} has no variable {name:?}",
                    env.name
                ))
            })?;
        Ok((env, var))
    }

    pub async fn unset_variable(&self, environment: &str, name: &str) -> Result<Environment> {
        let (env, var) = self.find_variable(environment, name).await?;
        let changes = var
            .secret_ref
            .clone()
            .map(SecretChange::Delete)
            .into_iter()
            .collect();
        self.write_together(changes, move |db| async move {
            envs::delete_variable(&db, &var.id).await
        })
        .await?;
        self.environment(&env.name).await
    }

    /// A variable's value, secret ones from the keychain: the explicit reveal path.
    pub async fn reveal_variable(&self, environment: &str, name: &str) -> Result<String> {
        let (_, var) = self.find_variable(environment, name).await?;
        Ok(self.variable_value(&var).await?.value)
    }

    async fn variable_value(&self, var: &envs::VariableRow) -> Result<VarValue> {
        match (&var.value, &var.secret_ref) {
            (Some(v), _) => Ok(VarValue {
                value: v.clone(),
                secret: false,
            }),
            (None, Some(key)) => {
                let v = self
                    .secret_get(key)
                    .await?
                    .ok_or_else(|| CoreError::SecretMissing {
                        key: key.clone(),
                        what: "secret variable",
                    })?;
                Ok(VarValue {
                    value: v.expose().to_owned(),
                    secret: true,
                })
            }
            (None, None) => Ok(VarValue {
                value: String::new(),
                secret: false,
            }),
        }
    }

    /// The variables of `env` with their values (secret ones read from the keychain only when
    /// `needed` names them, so a template without secrets never opens the keychain).
    pub(super) async fn vars_of(
        &self,
        env: Option<&envs::EnvironmentRow>,
        needed: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vars> {
        let Some(env) = env else {
            return Ok(Vars::new(None, BTreeMap::new()));
        };
        let mut values = BTreeMap::new();
        for var in envs::variables(&self.db, &env.id).await? {
            if var.secret_ref.is_some() && !needed(&var.name) {
                continue;
            }
            let value = self.variable_value(&var).await?;
            values.insert(var.name, value);
        }
        Ok(Vars::new(Some(env.name.clone()), values))
    }
}

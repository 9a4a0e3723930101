//! `oauthdesk env …`: environments and their variables. Secret values are read from stdin and
//! shown only by `env get`.

use super::read_stdin_secret;
use crate::args::EnvCommand;
use crate::output::{self, outln};
use oauthdesk_core::protocol::KeychainValue;
use oauthdesk_core::{CoreError, Desk};

pub async fn run(desk: &Desk, command: EnvCommand) -> Result<u8, CoreError> {
    match command {
        EnvCommand::List { json } => {
            let all = desk.environments().await?;
            if json {
                output::json(&all);
            } else {
                output::environment_list(&all);
            }
        }
        EnvCommand::Show { name, json } => {
            let env = match name {
                Some(n) => desk.environment(&n).await?,
                None => desk.active_environment().await?.ok_or_else(|| {
                    CoreError::InvalidInput(
                        "no environment is active: name one, or `oauthdesk env use NAME`".into(),
                    )
                })?,
            };
            if json {
                output::json(&env);
            } else {
                output::environment(&env);
            }
        }
        EnvCommand::Create { name } => {
            let env = desk.create_environment(&name).await?;
            outln!("Created environment {}.", output::safe(&env.name));
        }
        EnvCommand::Rename { name, new_name } => {
            let env = desk.rename_environment(&name, &new_name).await?;
            outln!("Renamed to {}.", output::safe(&env.name));
        }
        EnvCommand::Delete { name } => {
            desk.delete_environment(&name).await?;
            outln!("Deleted environment {}.", output::safe(&name));
        }
        EnvCommand::Use { name, none: _ } => match desk.use_environment(name.as_deref()).await? {
            Some(env) => outln!("Active environment: {}.", output::safe(&env.name)),
            None => outln!("No environment is active."),
        },
        EnvCommand::Set {
            name,
            var,
            value,
            secret,
        } => {
            let value = match value {
                Some(v) if v != "-" => KeychainValue::new(v),
                _ => read_stdin_secret::<String>(&format!("value of {var}"))
                    .map(KeychainValue::new)?,
            };
            desk.set_variable(&name, &var, value, secret).await?;
            outln!(
                "Set {} in {}{}.",
                output::safe(&var),
                output::safe(&name),
                if secret {
                    " (secret, in the keychain)"
                } else {
                    ""
                }
            );
        }
        EnvCommand::Unset { name, var } => {
            desk.unset_variable(&name, &var).await?;
            outln!(
                "Removed {} from {}.",
                output::safe(&var),
                output::safe(&name)
            );
        }
        EnvCommand::Get { name, var } => {
            let value = desk.reveal_variable(&name, &var).await?;
            outln!("{}", output::safe(&value));
        }
        EnvCommand::Import { file, json } => {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                CoreError::InvalidInput(format!("cannot read {}: {e}", file.display()))
            })?;
            let report = desk.import_postman_environment(&text).await?;
            if json {
                output::json(&report);
            } else {
                output::environment_import(&report);
            }
        }
    }
    Ok(0)
}

//! `oauthdesk client register` (RFC 7591 dynamic registration) and `oauthdesk client
//! registration` (RFC 7592: read, change or delete a registration at the server).

use super::read_stdin_secret;
use crate::args::{RegisterArgs, RegistrationArgs};
use crate::output::{self, outln};
use oauthdesk_core::desk::RegistrationRequest;
use oauthdesk_core::{CoreError, Desk};

pub async fn register(desk: &Desk, a: RegisterArgs) -> Result<u8, CoreError> {
    let initial = if a.initial_access_token_stdin {
        Some(read_stdin_secret("initial access token")?)
    } else {
        None
    };
    let req = RegistrationRequest {
        name: a.name,
        issuer: a.issuer,
        scopes: a.scope.unwrap_or_default(),
        auth_method: a.auth_method.into(),
        grant_types: a.grant_type,
        id_token_alg: a.id_token_alg,
        insecure: a.insecure,
        redirect_uri: a.redirect_uri,
        extra_params: vec![],
        dpop: false,
    };
    let client = desk.register_client(req, initial).await?;
    if a.json {
        output::json(&client);
    } else {
        outln!(
            "Registered {:?} at the server as client id {} (RFC 7591); its secrets are in the keychain.",
            client.name,
            output::safe(&client.client_id)
        );
        output::client_details(&client);
    }
    Ok(0)
}

/// Deletes the registration with `--delete`; otherwise prints the registered metadata (as JSON,
/// with or without `--json`), after changing its scope with `--set-scope`.
pub async fn manage(desk: &Desk, a: RegistrationArgs) -> Result<u8, CoreError> {
    let RegistrationArgs {
        name,
        set_scope,
        delete,
        json,
    } = a;
    if delete {
        desk.delete_registration(&name).await?;
        if json {
            output::json(&serde_json::json!({ "deleted": name }));
        } else {
            outln!(
                "Deleted the registration of {name:?} at the server (RFC 7592) and the client here."
            );
        }
    } else {
        let metadata = match &set_scope {
            Some(s) => desk.update_registration_scope(&name, s).await?,
            None => desk.read_registration(&name).await?,
        };
        output::json(&metadata);
    }
    Ok(0)
}

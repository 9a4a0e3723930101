//! `oauthdesk client add|list|show|set-secret|remove` and `oauthdesk presets`: the clients kept
//! here. `client` dispatches its other subcommands to `registration` and `transfer`.

use super::{read_stdin_secret, registration, transfer};
use crate::args::{ClientAddArgs, ClientCommand};
use crate::output::{self, outln};
use oauthdesk_core::model::{ClientSpec, Endpoints};
use oauthdesk_core::{CoreError, Desk};

pub async fn run(desk: &Desk, command: ClientCommand) -> Result<u8, CoreError> {
    match command {
        ClientCommand::Add(a) => add(desk, *a).await,
        ClientCommand::Edit(a) => super::jar::edit(desk, a).await,
        ClientCommand::List { json } => list(desk, json).await,
        ClientCommand::Show { name, json } => show(desk, &name, json).await,
        ClientCommand::Export { names, out } => transfer::export(desk, &names, out).await,
        ClientCommand::Import(a) => transfer::import(desk, a).await,
        ClientCommand::Register(a) => registration::register(desk, a).await,
        ClientCommand::Registration(a) => registration::manage(desk, a).await,
        ClientCommand::SetSecret { name, json } => set_secret(desk, &name, json).await,
        ClientCommand::SetAuthorizationDetails {
            name,
            details,
            none: _,
            json,
        } => super::rar::set(desk, &name, details.as_deref(), json).await,
        ClientCommand::Cert(a) => super::client_cert::run(desk, a.command).await,
        ClientCommand::Ciba(a) => super::ciba::client_ciba(desk, a).await,
        ClientCommand::SetCa {
            name,
            ca_file,
            no_ca: _,
            json,
        } => set_ca(desk, &name, ca_file, json).await,
        ClientCommand::Remove { name, json } => remove(desk, name, json).await,
    }
}

async fn add(desk: &Desk, a: ClientAddArgs) -> Result<u8, CoreError> {
    let secret = if a.client_secret_stdin {
        Some(read_stdin_secret("client secret")?)
    } else {
        None
    };
    if a.resource_url.is_some() {
        return super::resource::add_client(desk, a, secret).await;
    }
    let spec = ClientSpec {
        name: a.name,
        client_id: a.client_id.unwrap_or_default(),
        issuer: a.issuer,
        endpoints: Endpoints {
            authorization: a.authorization_endpoint,
            token: a.token_endpoint,
            revocation: a.revocation_endpoint,
            introspection: a.introspection_endpoint,
            userinfo: a.userinfo_endpoint,
            device_authorization: a.device_authorization_endpoint,
        },
        auth_method: a.auth_method.map(Into::into),
        scopes: a.scope.unwrap_or_default(),
        redirect_uri: a.redirect_uri,
        extra_params: a.param,
        pkce: !a.no_pkce,
        insecure: a.insecure,
        id_token_alg: a.id_token_alg,
        par: a.par,
        jar: a.jar.map(Into::into).unwrap_or_default(),
        response_mode: crate::args::jar::response_mode_setting(a.response_mode.clone()).flatten(),
        dpop: a.dpop,
        ca_pem: a
            .ca_file
            .as_deref()
            .map(super::settings::read_pem)
            .transpose()?,
        authorization_details: super::rar::parse(a.authorization_details.as_deref())?,
    };
    let spec = match &a.preset {
        Some(id) => oauthdesk_core::presets::apply(id, &a.preset_var, spec)?,
        None => spec,
    };
    let client = desk.add_client(spec, secret).await?;
    if a.json {
        output::json(&client);
    } else {
        outln!("Registered client {:?}.", client.name);
        output::client_details(&client);
    }
    Ok(0)
}

async fn list(desk: &Desk, json: bool) -> Result<u8, CoreError> {
    let clients = desk.list_clients().await?;
    if json {
        output::json(&clients)
    } else {
        output::client_table(&clients)
    }
    Ok(0)
}

async fn show(desk: &Desk, name: &str, json: bool) -> Result<u8, CoreError> {
    let client = desk.client(name).await?;
    if json {
        output::json(&client)
    } else {
        output::client_details(&client)
    }
    Ok(0)
}

async fn set_secret(desk: &Desk, name: &str, json: bool) -> Result<u8, CoreError> {
    let secret = read_stdin_secret("client secret")?;
    let client = desk.set_client_secret(name, secret).await?;
    if json {
        output::json(&client)
    } else {
        outln!("Stored the secret of {name:?} in the keychain.")
    }
    Ok(0)
}

async fn set_ca(
    desk: &Desk,
    name: &str,
    ca_file: Option<std::path::PathBuf>,
    json: bool,
) -> Result<u8, CoreError> {
    let pem = ca_file
        .as_deref()
        .map(super::settings::read_pem)
        .transpose()?;
    let client = desk.set_client_ca(name, pem).await?;
    if json {
        output::json(&client)
    } else if client.ca_pem.is_some() {
        outln!("{name:?} now trusts the CA certificates given, besides the global ones.")
    } else {
        outln!("{name:?} trusts the global CA certificates only.")
    }
    Ok(0)
}

async fn remove(desk: &Desk, name: String, json: bool) -> Result<u8, CoreError> {
    desk.remove_client(&name, false).await?;
    if json {
        output::json(&serde_json::json!({ "removed": name }));
    } else {
        outln!(
            "Removed client {name:?} and its keychain items (tokens were not revoked at the server)."
        );
    }
    Ok(0)
}

/// `oauthdesk presets`: the provider presets `client add --preset` starts from.
pub fn presets(json: bool) -> u8 {
    let all = oauthdesk_core::presets::presets();
    if json {
        output::json(&all);
    } else {
        output::presets(&all);
    }
    0
}

//! `oauthdesk`: OAuth Desk's command line. It calls the same `Desk` as the GUI, on the same
//! store. Exit codes: 0 success, 1 error, 2 usage, 3 a login is needed, 4 a check failed
//! (`inspect`, `decode`).

mod args;
mod output;

use args::{Cli, ClientCommand, Command};
use clap::Parser;
use oauthdesk_core::desk::{
    AuditFilter, AuditFormat, ExchangeRequest, InspectOptions, RegistrationRequest, TokenKind,
    TokenSource, VerifyOptions,
};
use oauthdesk_core::model::{ClientSpec, Endpoints, FlowEvent, GrantType};
use oauthdesk_core::protocol::Secret;
use oauthdesk_core::{CoreError, Desk, DeskConfig, GrantRef, LoginOptions, RevokeWhich};
use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return fail(&CoreError::Io(format!(
                "cannot start the async runtime: {e}"
            )));
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => fail(&e),
    }
}

fn fail(e: &CoreError) -> ExitCode {
    eprintln!("oauthdesk: {e}");
    match e {
        CoreError::NeedsLogin { .. } => ExitCode::from(3),
        _ => ExitCode::from(1),
    }
}

async fn run(cli: Cli) -> Result<u8, CoreError> {
    let mut config = DeskConfig::from_env()?;
    config.db_connections = 1;
    let desk = Desk::open(config).await?;
    let now = desk.now();
    match cli.command {
        Command::Client { command } => match command {
            ClientCommand::Add(a) => {
                let secret = if a.client_secret_stdin {
                    Some(read_stdin_secret("client secret")?)
                } else {
                    None
                };
                let spec = ClientSpec {
                    name: a.name,
                    client_id: a.client_id,
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
                    dpop: a.dpop,
                };
                let spec = match &a.preset {
                    Some(id) => oauthdesk_core::presets::apply(id, &a.preset_var, spec)?,
                    None => spec,
                };
                let client = desk.add_client(spec, secret).await?;
                if a.json {
                    output::json(&client);
                } else {
                    println!("Registered client {:?}.", client.name);
                    output::client_details(&client);
                }
            }
            ClientCommand::List { json } => {
                let clients = desk.list_clients().await?;
                if json {
                    output::json(&clients)
                } else {
                    output::client_table(&clients)
                }
            }
            ClientCommand::Show { name, json } => {
                let client = desk.client(&name).await?;
                if json {
                    output::json(&client)
                } else {
                    output::client_details(&client)
                }
            }
            ClientCommand::Export { names, out } => {
                let file = desk.export_clients(&names).await?;
                let text = serde_json::to_string_pretty(&file)
                    .map_err(|e| CoreError::Io(e.to_string()))?
                    + "\n";
                match out {
                    Some(path) => {
                        std::fs::write(&path, text).map_err(|e| {
                            CoreError::Io(format!("cannot write {}: {e}", path.display()))
                        })?;
                        eprintln!(
                            "Wrote {} client(s) to {} (no secrets).",
                            file.clients.len(),
                            path.display()
                        );
                    }
                    None => print!("{text}"),
                }
            }
            ClientCommand::Import {
                file,
                postman_env,
                with_secrets,
                json,
            } => {
                let read = |p: &std::path::Path| {
                    std::fs::read_to_string(p).map_err(|e| {
                        CoreError::InvalidInput(format!("cannot read {}: {e}", p.display()))
                    })
                };
                let text = read(&file)?;
                let env = match &postman_env {
                    Some(p) => Some(read(p)?),
                    None => None,
                };
                let report = desk
                    .import_clients(&text, env.as_deref(), with_secrets)
                    .await?;
                if json {
                    output::json(&report);
                } else {
                    output::import_report(&report);
                }
                if report.added.is_empty() && !report.skipped.is_empty() {
                    return Ok(1);
                }
            }
            ClientCommand::Register {
                name,
                issuer,
                scope,
                auth_method,
                grant_type,
                id_token_alg,
                initial_access_token_stdin,
                insecure,
                json,
            } => {
                let initial = if initial_access_token_stdin {
                    Some(read_stdin_secret("initial access token")?)
                } else {
                    None
                };
                let req = RegistrationRequest {
                    name,
                    issuer,
                    scopes: scope.unwrap_or_default(),
                    auth_method: auth_method.into(),
                    grant_types: grant_type,
                    id_token_alg,
                    insecure,
                };
                let client = desk.register_client(req, initial).await?;
                if json {
                    output::json(&client);
                } else {
                    println!(
                        "Registered {:?} at the server as client id {} (RFC 7591); its secrets are in the keychain.",
                        client.name, client.client_id
                    );
                    output::client_details(&client);
                }
            }
            ClientCommand::Registration {
                name,
                set_scope,
                delete,
                json,
            } => {
                if delete {
                    desk.delete_registration(&name).await?;
                    if json {
                        output::json(&serde_json::json!({ "deleted": name }));
                    } else {
                        println!(
                            "Deleted the registration of {name:?} at the server (RFC 7592) and the client here."
                        );
                    }
                } else {
                    let metadata = match &set_scope {
                        Some(s) => desk.update_registration_scope(&name, s).await?,
                        None => desk.read_registration(&name).await?,
                    };
                    let _ = json;
                    output::json(&metadata);
                }
            }
            ClientCommand::SetSecret { name, json } => {
                let secret = read_stdin_secret("client secret")?;
                let client = desk.set_client_secret(&name, secret).await?;
                if json {
                    output::json(&client)
                } else {
                    println!("Stored the secret of {name:?} in the keychain.")
                }
            }
            ClientCommand::Remove { name, json } => {
                desk.remove_client(&name, false).await?;
                if json {
                    output::json(&serde_json::json!({ "removed": name }));
                } else {
                    println!(
                        "Removed client {name:?} and its keychain items (tokens were not revoked at the server)."
                    );
                }
            }
        },
        Command::Login(a) => {
            let grant = GrantType::parse(&a.grant)
                .ok_or_else(|| CoreError::InvalidInput(format!("unknown grant {:?}", a.grant)))?;
            if let Some(note) = grant.legacy_note() {
                eprintln!("note: {note}");
            }
            let password = if a.password_stdin {
                Some(read_stdin_secret("password")?)
            } else {
                None
            };
            for r in &a.resource {
                if url::Url::parse(r).is_err() {
                    return Err(CoreError::InvalidInput(format!(
                        "--resource {r:?} is not an absolute URI (RFC 8707 §2)"
                    )));
                }
            }
            let mut extra_params = a.param;
            extra_params.extend(a.resource.into_iter().map(|r| ("resource".to_owned(), r)));
            let opts = LoginOptions {
                grant,
                scope: a.scope,
                extra_params,
                username: a.username,
                password,
                no_open: a.no_open,
            };
            let progress = Arc::new(output::progress_printer(std::io::stderr().is_terminal()));
            let login = desk.login(
                &a.name,
                opts,
                progress as Arc<dyn Fn(FlowEvent) + Send + Sync>,
            );
            let view = tokio::select! {
                r = login => r?,
                _ = tokio::signal::ctrl_c() => return Err(CoreError::InvalidInput("cancelled (Ctrl-C); the listener is closed and nothing was stored".into())),
            };
            if a.json {
                output::json(&view)
            } else {
                output::grant_summary("Logged in", &view, now)
            }
        }
        Command::Token {
            name,
            min_ttl,
            json,
        } => {
            let (token, view) = desk.token(GrantRef::Current(&name), min_ttl).await?;
            if json {
                output::json(&serde_json::json!({
                    "access_token": token.expose(),
                    "token_type": view.token_type,
                    "expires_at": view.expires_at,
                    "expires_in": view.expires_in(desk.now()),
                    "scope": view.scopes_granted.as_deref().unwrap_or(&view.scopes_requested),
                    "grant_id": view.id,
                }));
            } else {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{}", token.expose());
            }
        }
        Command::Grants { name, json } => {
            let grants = desk.grants(name.as_deref()).await?;
            if json {
                output::json(&grants)
            } else {
                output::grant_table(&grants, now)
            }
        }
        Command::Refresh { name, json } => {
            let view = desk.refresh(GrantRef::Current(&name)).await?;
            if json {
                output::json(&view)
            } else {
                output::grant_summary("Refreshed", &view, now)
            }
        }
        Command::Revoke { name, token, json } => {
            let which = match token.as_str() {
                "access" => RevokeWhich::Access,
                "refresh" => RevokeWhich::Refresh,
                _ => RevokeWhich::All,
            };
            let view = desk.revoke(GrantRef::Current(&name), which).await?;
            if json {
                output::json(&view)
            } else {
                output::grant_summary("Revoked", &view, now)
            }
        }
        Command::Introspect {
            name,
            refresh_token,
            json: _,
        } => output::json(
            &desk
                .introspect(GrantRef::Current(&name), refresh_token)
                .await?,
        ),
        Command::Userinfo { name, json: _ } => {
            output::json(&desk.userinfo(GrantRef::Current(&name)).await?)
        }
        Command::Log {
            name,
            curl,
            flows,
            json,
        } => {
            let flows = desk.transcripts(&name, flows).await?;
            if json {
                output::json(&flows)
            } else if curl {
                output::transcript_curl(&flows)
            } else {
                output::transcript(&flows)
            }
        }
        Command::History { name, json } => {
            let events = desk.history(name.as_deref()).await?;
            if json {
                output::json(&events)
            } else {
                output::history(&events, now)
            }
        }
        Command::Inspect {
            name,
            grant,
            no_introspect,
            json,
        } => {
            let which = match &grant {
                Some(id) => GrantRef::Id(id),
                None => GrantRef::Current(&name),
            };
            let inspection = desk
                .inspect(
                    which,
                    InspectOptions {
                        introspect: !no_introspect,
                    },
                )
                .await?;
            if json {
                output::json(&inspection)
            } else {
                output::inspection(&inspection)
            }
            return Ok(if inspection.failed > 0 { 4 } else { 0 });
        }
        Command::Decode {
            token,
            issuer,
            jwks,
            client,
            nonce,
            skew,
            json,
        } => {
            let token = match token.as_deref() {
                None | Some("-") => read_stdin_secret("token")?,
                Some(t) => Secret::new(t),
            };
            let keys = match &jwks {
                Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                    CoreError::InvalidInput(format!("cannot read {}: {e}", path.display()))
                })?),
                None => None,
            };
            let v = desk
                .verify_token(
                    token.expose(),
                    VerifyOptions {
                        issuer,
                        keys,
                        client,
                        nonce,
                        skew_secs: skew,
                    },
                )
                .await?;
            if json {
                output::json(&v)
            } else {
                output::verification(&v, now)
            }
            return Ok(if v.failed > 0 { 4 } else { 0 });
        }
        Command::Audit {
            client,
            scope,
            expiring,
            over_privileged,
            hide_revoked,
            json,
            csv,
            markdown,
        } => {
            let filter = AuditFilter {
                client,
                scope,
                expiring_within_secs: expiring,
                over_privileged,
                hide_revoked,
            };
            let format = if json {
                Some(AuditFormat::Json)
            } else if csv {
                Some(AuditFormat::Csv)
            } else if markdown {
                Some(AuditFormat::Markdown)
            } else {
                None
            };
            match format {
                Some(f) => print!("{}", desk.export_audit(&filter, f).await?),
                None => output::audit(&desk.audit(&filter).await?, now),
            }
        }
        Command::Exchange {
            name,
            subject,
            subject_token,
            subject_token_stdin,
            subject_token_type,
            actor,
            requested_token_type,
            audience,
            resource,
            scope,
            json,
        } => {
            let kind = |s: &str| match s {
                "id" => TokenKind::Id,
                "refresh" => TokenKind::Refresh,
                _ => TokenKind::Access,
            };
            let subject = if subject_token_stdin {
                TokenSource::Pasted {
                    token: read_stdin_secret("subject token")?,
                    token_type: subject_token_type.unwrap_or_default(),
                }
            } else {
                let s = subject.unwrap_or_default();
                TokenSource::Grant {
                    grant_id: grant_id_of(&desk, &s).await?,
                    token: kind(&subject_token),
                }
            };
            let actor = match actor {
                Some(a) => Some(TokenSource::Grant {
                    grant_id: grant_id_of(&desk, &a).await?,
                    token: TokenKind::Access,
                }),
                None => None,
            };
            let view = desk
                .exchange(
                    &name,
                    ExchangeRequest {
                        subject,
                        actor,
                        requested_token_type,
                        audience,
                        resource,
                        scope,
                    },
                )
                .await?;
            if json {
                output::json(&view)
            } else {
                output::grant_summary("Exchanged", &view, now)
            }
        }
        Command::AutoRefresh { name, state, json } => {
            let id = grant_id_of(&desk, &name).await?;
            let view = desk.set_auto_refresh(&id, state == "on").await?;
            if json {
                output::json(&view);
            } else {
                println!(
                    "Auto-refresh {} for {name:?} (grant {}); the desktop app refreshes it before it expires while it runs.",
                    if view.auto_refresh { "on" } else { "off" },
                    view.id
                );
            }
        }
        Command::Presets { json } => {
            let all = oauthdesk_core::presets::presets();
            if json {
                output::json(&all);
            } else {
                for p in &all {
                    println!(
                        "{:10} {}  {}",
                        p.id,
                        p.name,
                        p.issuer.unwrap_or("(no discovery: endpoints preset)")
                    );
                    for (k, what) in &p.vars {
                        println!("           --preset-var {k}=…  {what}");
                    }
                    for q in &p.quirks {
                        println!("           quirk: {q}");
                    }
                }
            }
        }
        Command::Logout {
            name,
            grant,
            local,
            no_open,
            json,
        } => {
            let which = match &grant {
                Some(id) => GrantRef::Id(id),
                None => GrantRef::Current(&name),
            };
            let progress = Arc::new(output::progress_printer(std::io::stderr().is_terminal()));
            let logout = desk.logout(
                which,
                local,
                no_open,
                progress as Arc<dyn Fn(FlowEvent) + Send + Sync>,
            );
            let out = tokio::select! {
                r = logout => r?,
                _ = tokio::signal::ctrl_c() => return Err(CoreError::InvalidInput("cancelled (Ctrl-C); nothing was revoked or forgotten".into())),
            };
            if json {
                output::json(&out);
            } else {
                if out.ended_at_server {
                    println!("The server ended the session.");
                }
                for note in out.server_note.iter().chain(out.revoke_note.iter()) {
                    println!("note: {note}");
                }
                println!(
                    "{}",
                    if out.forgotten {
                        if out.revoked {
                            "Tokens revoked and forgotten."
                        } else {
                            "Tokens forgotten."
                        }
                    } else {
                        "The grant was kept."
                    }
                );
            }
        }
        Command::Report { name, json } => {
            let report = desk.provider_report(&name).await?;
            if json {
                output::json(&report)
            } else {
                output::report(&report)
            }
        }
    }
    Ok(0)
}

/// A client name's current grant (refreshed when needed), or a grant id as given.
async fn grant_id_of(desk: &Desk, name_or_id: &str) -> Result<String, CoreError> {
    match desk.client(name_or_id).await {
        Ok(_) => Ok(desk.token(GrantRef::Current(name_or_id), 0).await?.1.id),
        Err(CoreError::ClientNotFound(_)) => Ok(name_or_id.to_owned()),
        Err(e) => Err(e),
    }
}

/// Reads a secret from stdin (never from the command line, where `ps` and shell history see it).
/// The kind (`ClientSecret`, `Password`, …) is the caller's: every secret kind is `From<String>`.
fn read_stdin_secret<S: From<String>>(what: &str) -> Result<S, CoreError> {
    if std::io::stdin().is_terminal() {
        eprint!("{what} (input is read until end of file, Ctrl-D): ");
        let _ = std::io::stderr().flush();
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| CoreError::Io(format!("reading the {what} from stdin: {e}")))?;
    let trimmed = s
        .strip_suffix('\n')
        .map(|x| x.strip_suffix('\r').unwrap_or(x))
        .unwrap_or(&s);
    if trimmed.is_empty() {
        return Err(CoreError::InvalidInput(format!(
            "the {what} on stdin is empty"
        )));
    }
    Ok(S::from(trimmed.to_owned()))
}

//! Client configurations in and out: OAuth Desk's own JSON (never a secret) and the OAuth 2
//! settings of a Postman collection (v2.1) with its environment. A secret is never written to
//! an export; one found in a Postman file is moved into the keychain only when asked for.

use super::Desk;
use super::audit::iso8601;
use crate::error::{CoreError, Result};
use crate::model::{Client, ClientSpec, Endpoints};
use oauthdesk_protocol::ClientSecret;
use oauthdesk_protocol::client_auth::AuthMethod;
use oauthdesk_protocol::client_auth::Credential;
use oauthdesk_protocol::transcript::Transcript;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use ts_rs::TS;

pub const EXPORT_FORMAT: &str = "oauthdesk.clients/1";

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ExportedClient {
    #[serde(flatten)]
    pub spec: ClientSpec,
    /// The client authenticates with a secret, which is not in the file: enter it after import.
    #[serde(default)]
    pub needs_secret: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ClientsFile {
    pub format: String,
    pub exported_at: String,
    pub clients: Vec<ExportedClient>,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct ImportReport {
    /// What the file was read as: `oauthdesk` or `postman`.
    pub source: String,
    pub added: Vec<String>,
    /// Name and reason, for clients that were not added.
    pub skipped: Vec<(String, String)>,
    /// Added clients that still need their secret (`oauthdesk client set-secret NAME`).
    pub need_secret: Vec<String>,
    /// Secrets from the file that were moved into the keychain (`--with-secrets`).
    pub secrets_stored: Vec<String>,
}

impl Desk {
    /// The clients (all when `names` is empty) as a file with no secret in it. Endpoints equal
    /// to the discovered ones are left out, so an import discovers them afresh.
    pub async fn export_clients(&self, names: &[String]) -> Result<ClientsFile> {
        let all = self.list_clients().await?;
        for n in names {
            if !all.iter().any(|c| &c.name == n) {
                return Err(CoreError::ClientNotFound(n.clone()));
            }
        }
        let clients = all
            .iter()
            .filter(|c| names.is_empty() || names.contains(&c.name))
            .map(exported)
            .collect();
        Ok(ClientsFile {
            format: EXPORT_FORMAT.into(),
            exported_at: iso8601(self.now()),
            clients,
        })
    }

    /// Saves an export under `<data dir>/exports/` and returns the file.
    pub async fn save_clients_export(&self, names: &[String]) -> Result<std::path::PathBuf> {
        let file = self.export_clients(names).await?;
        let dir = self.home().join("exports");
        std::fs::create_dir_all(&dir)
            .map_err(|e| CoreError::io(format!("cannot create {}", dir.display()), e))?;
        let path = dir.join(format!(
            "clients-{}.json",
            iso8601(self.now()).replace([':', '-'], "")
        ));
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&file).map_err(|source| CoreError::Json {
                what: "the clients file",
                source,
            })?,
        )
        .map_err(|e| CoreError::io(format!("cannot write {}", path.display()), e))?;
        Ok(path)
    }

    /// Imports an OAuth Desk export or a Postman collection (`postman_env`: its environment, for
    /// `{{variables}}`). Names already taken get " (2)", " (3)"… Each client is registered like a
    /// new one (issuers are discovered again); one that fails is skipped with the reason.
    pub async fn import_clients(
        &self,
        text: &str,
        postman_env: Option<&str>,
        with_secrets: bool,
    ) -> Result<ImportReport> {
        let doc: Value = serde_json::from_str(text)
            .map_err(|e| CoreError::InvalidInput(format!("the file is not JSON: {e}")))?;
        let (source, entries) = if doc.get("format").and_then(Value::as_str) == Some(EXPORT_FORMAT)
        {
            let file: ClientsFile = serde_json::from_value(doc).map_err(|e| {
                CoreError::InvalidInput(format!("not an OAuth Desk clients file: {e}"))
            })?;
            (
                "oauthdesk",
                file.clients
                    .into_iter()
                    .map(|c| (c, None))
                    .collect::<Vec<_>>(),
            )
        } else if is_postman(&doc) {
            let env = match postman_env {
                Some(e) => Some(serde_json::from_str::<Value>(e).map_err(|e| {
                    CoreError::InvalidInput(format!("the Postman environment is not JSON: {e}"))
                })?),
                None => None,
            };
            ("postman", parse_postman(&doc, env.as_ref())?)
        } else {
            return Err(CoreError::InvalidInput(format!(
                "neither an OAuth Desk clients file (format {EXPORT_FORMAT}) nor a Postman collection (v2.1)"
            )));
        };
        let mut report = ImportReport {
            source: source.into(),
            ..Default::default()
        };
        let mut taken: Vec<String> = self
            .list_clients()
            .await?
            .into_iter()
            .map(|c| c.name)
            .collect();
        for (entry, secret) in entries {
            let mut spec = entry.spec;
            let base = spec.name.trim().to_owned();
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base} ({n})");
                n += 1;
            }
            spec.name = name.clone();
            let secret = secret.filter(|_| with_secrets);
            let transcript = Transcript::default();
            let id = uuid::Uuid::new_v4().to_string();
            let built = self
                .build_client(id, spec, secret.is_some(), self.now(), &transcript, true)
                .await;
            let client = match built {
                Ok(c) => c,
                Err(e) => {
                    report.skipped.push((name, e.to_string()));
                    continue;
                }
            };
            let stores_secret = client.secret_ref.is_some() && secret.is_some();
            let credential = secret.map(Credential::Secret);
            if let Err(e) = self.insert_client(&client, credential).await {
                if matches!(e, CoreError::Keychain { .. }) {
                    return Err(e);
                }
                report.skipped.push((name, e.to_string()));
                continue;
            }
            if stores_secret {
                report.secrets_stored.push(name.clone());
            }
            self.save_transcript(&client.id, None, "discovery", &transcript)
                .await;
            self.event(
                &client.id,
                None,
                "client_added",
                &format!("imported from {source}"),
            )
            .await;
            if client.auth_method.needs_secret() && client.secret_ref.is_none() {
                report.need_secret.push(name.clone());
            }
            taken.push(name.clone());
            report.added.push(name);
        }
        Ok(report)
    }
}

fn exported(c: &Client) -> ExportedClient {
    let explicit = match &c.metadata {
        Some(m) => {
            let d = Endpoints::default().or_discovered(m);
            let keep = |mine: &Option<String>, found: &Option<String>| {
                if mine == found { None } else { mine.clone() }
            };
            Endpoints {
                authorization: keep(&c.endpoints.authorization, &d.authorization),
                token: keep(&c.endpoints.token, &d.token),
                revocation: keep(&c.endpoints.revocation, &d.revocation),
                introspection: keep(&c.endpoints.introspection, &d.introspection),
                userinfo: keep(&c.endpoints.userinfo, &d.userinfo),
                device_authorization: keep(
                    &c.endpoints.device_authorization,
                    &d.device_authorization,
                ),
            }
        }
        None => c.endpoints.clone(),
    };
    ExportedClient {
        spec: ClientSpec {
            endpoints: explicit,
            ..super::substitution::spec_of(c)
        },
        needs_secret: c.auth_method.needs_secret(),
    }
}

fn is_postman(doc: &Value) -> bool {
    doc.pointer("/info/schema")
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("getpostman.com") || s.contains("postman"))
}

/// Every `oauth2` auth block in a Postman collection (collection, folders, requests), as client
/// specs plus the secret the block holds, if any.
pub fn parse_postman(
    doc: &Value,
    env: Option<&Value>,
) -> Result<Vec<(ExportedClient, Option<ClientSecret>)>> {
    let mut vars: HashMap<String, String> = HashMap::new();
    let mut add_vars = |list: Option<&Value>| {
        for v in list.and_then(Value::as_array).into_iter().flatten() {
            if v.get("enabled").and_then(Value::as_bool) == Some(false) {
                continue;
            }
            if let (Some(k), Some(val)) = (v.get("key").and_then(Value::as_str), v.get("value")) {
                let val = match val {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                vars.insert(k.to_owned(), val);
            }
        }
    };
    add_vars(doc.get("variable"));
    add_vars(env.and_then(|e| e.get("values")));
    let collection = doc
        .pointer("/info/name")
        .and_then(Value::as_str)
        .unwrap_or("Postman")
        .to_owned();
    let mut out = Vec::new();
    walk(doc, &collection, &vars, &mut out);
    if out.is_empty() {
        return Err(CoreError::InvalidInput(
            "the Postman collection has no OAuth 2.0 authorization (auth type oauth2) anywhere"
                .into(),
        ));
    }
    Ok(out)
}

fn walk(
    node: &Value,
    name: &str,
    vars: &HashMap<String, String>,
    out: &mut Vec<(ExportedClient, Option<ClientSecret>)>,
) {
    let auth = node.get("auth").or_else(|| node.pointer("/request/auth"));
    if let Some(a) = auth
        && a.get("type").and_then(Value::as_str) == Some("oauth2")
        && let Some(c) = postman_client(a, name, vars)
    {
        out.push(c);
    }
    for item in node
        .get("item")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let child = item.get("name").and_then(Value::as_str).unwrap_or(name);
        walk(item, child, vars, out);
    }
}

fn postman_client(
    auth: &Value,
    name: &str,
    vars: &HashMap<String, String>,
) -> Option<(ExportedClient, Option<ClientSecret>)> {
    let resolve = |s: &str| -> String {
        let mut out = s.to_owned();
        for _ in 0..5 {
            let Some(start) = out.find("{{") else { break };
            let Some(len) = out[start..].find("}}") else {
                break;
            };
            let key = out[start + 2..start + len].trim().to_owned();
            let value = vars.get(&key).cloned().unwrap_or_default();
            out.replace_range(start..start + len + 2, &value);
        }
        out
    };
    let fields: HashMap<String, String> = auth
        .get("oauth2")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(|kv| {
            Some((
                kv.get("key")?.as_str()?.to_owned(),
                kv.get("value").map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string())
                })?,
            ))
        })
        .map(|(k, v)| (k, resolve(&v)))
        .collect();
    let get = |k: &str| {
        fields
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let client_id = get("clientId")?;
    let secret = get("clientSecret").map(ClientSecret::new);
    let auth_method = match (secret.is_some(), get("client_authentication").as_deref()) {
        (false, _) => AuthMethod::None,
        (true, Some("body")) => AuthMethod::ClientSecretPost,
        (true, _) => AuthMethod::ClientSecretBasic,
    };
    let grant = get("grant_type").unwrap_or_else(|| "authorization_code".into());
    let mut extra = Vec::new();
    for (k, p) in [("audience", "audience"), ("resource", "resource")] {
        if let Some(v) = get(k) {
            extra.push((p.to_owned(), v));
        }
    }
    // Postman's callback is usually a hosted page (oauth.pstmn.io); OAuth Desk receives on loopback.
    let redirect = get("redirect_uri").filter(|r| {
        r.starts_with("http://127.0.0.1")
            || r.starts_with("http://localhost")
            || r.starts_with("http://[::1]")
    });
    let spec = ClientSpec {
        name: get("tokenName").unwrap_or_else(|| name.to_owned()),
        client_id,
        issuer: None,
        endpoints: Endpoints {
            authorization: get("authUrl"),
            token: get("accessTokenUrl"),
            ..Default::default()
        },
        auth_method: Some(auth_method),
        scopes: get("scope").unwrap_or_default(),
        redirect_uri: redirect,
        extra_params: extra,
        pkce: grant == "authorization_code_with_pkce"
            || get("challengeAlgorithm").is_some()
            || grant == "authorization_code",
        insecure: false,
        id_token_alg: None,
        par: false,
        jar: Default::default(),
        response_mode: None,
        dpop: false,
        ca_pem: None,
        authorization_details: None,
    };
    Some((
        ExportedClient {
            needs_secret: auth_method.needs_secret(),
            spec,
        },
        secret,
    ))
}

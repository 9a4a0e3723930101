//! Registering, listing and removing clients.

use super::Desk;
use crate::error::{CoreError, Result};
use crate::model::{Client, ClientSpec, DEFAULT_REDIRECT_URI, Endpoints};
use crate::store;
use oauthdesk_protocol::client_auth::{AuthMethod, ClientAuth};
use oauthdesk_protocol::discovery::{self, check_transport_security};
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::Secret;

impl Desk {
    /// Registers a client: discovers the issuer's metadata when given (explicit endpoints win),
    /// checks every URL, stores the secret in the keychain first and the metadata second, so a
    /// keychain failure leaves nothing behind.
    pub async fn add_client(&self, spec: ClientSpec, secret: Option<Secret>) -> Result<Client> {
        let name = spec.name.trim().to_owned();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(CoreError::InvalidInput("a client needs a name (no control characters)".into()));
        }
        if spec.client_id.trim().is_empty() {
            return Err(CoreError::InvalidInput("a client needs a client id".into()));
        }
        let secret = secret.filter(|s| !s.expose().is_empty());
        let auth_method = spec.auth_method.unwrap_or(if secret.is_some() { AuthMethod::ClientSecretBasic } else { AuthMethod::None });
        match (auth_method, &secret) {
            (AuthMethod::None, Some(_)) => return Err(CoreError::InvalidInput("auth method 'none' is for public clients; drop the secret or choose client_secret_basic/client_secret_post".into())),
            (AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost, None) => {
                return Err(CoreError::InvalidInput(format!("{} needs a client secret (give it on stdin with --client-secret-stdin)", auth_method.as_str())));
            }
            _ => {}
        }
        let redirect_uri = spec.redirect_uri.clone().unwrap_or_else(|| DEFAULT_REDIRECT_URI.into());
        let parsed = url::Url::parse(&redirect_uri).map_err(|e| CoreError::InvalidInput(format!("redirect URI {redirect_uri:?}: {e}")))?;
        if parsed.scheme() != "http" || !discovery::is_loopback_host(&parsed) {
            return Err(CoreError::InvalidInput(format!(
                "redirect URI {redirect_uri:?} is not a loopback http URI; OAuth Desk receives the response on 127.0.0.1 (RFC 8252 §7.3), e.g. http://127.0.0.1/callback or http://127.0.0.1:8765/callback"
            )));
        }
        for (param, value) in &spec.extra_params {
            if param.is_empty() {
                return Err(CoreError::InvalidInput(format!("extra parameter with empty name (value {value:?})")));
            }
        }
        for (label, url) in spec.endpoints.all() {
            if let Some(u) = url {
                check_transport_security(u, spec.insecure).map_err(|e| CoreError::InvalidInput(format!("{label} endpoint: {e}")))?;
            }
        }
        let transcript = Transcript::default();
        let (endpoints, metadata) = match &spec.issuer {
            Some(issuer) => {
                check_transport_security(issuer, spec.insecure)?;
                let (meta, _) = discovery::discover(self.http(), &transcript, issuer).await?;
                (spec.endpoints.or_discovered(&meta), Some(meta))
            }
            None => (spec.endpoints.clone(), None),
        };
        for (label, url) in endpoints.all() {
            if let Some(u) = url {
                check_transport_security(u, spec.insecure).map_err(|e| CoreError::InvalidInput(format!("discovered {label} endpoint: {e}")))?;
            }
        }
        if endpoints.token.is_none() && endpoints.authorization.is_none() {
            return Err(CoreError::InvalidInput("no endpoints: give --issuer for discovery, or --token-endpoint (and --authorization-endpoint for browser logins)".into()));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let secret_ref = secret.as_ref().map(|_| format!("client/{id}"));
        let client = Client {
            id,
            name,
            client_id: spec.client_id.trim().to_owned(),
            issuer: spec.issuer.clone(),
            endpoints,
            auth_method,
            scopes: normalize_scopes(&spec.scopes),
            redirect_uri,
            extra_params: spec.extra_params.clone(),
            pkce: spec.pkce,
            insecure: spec.insecure,
            has_secret: secret.is_some(),
            secret_ref: secret_ref.clone(),
            metadata,
            created_at: self.now(),
        };
        if let (Some(key), Some(value)) = (&secret_ref, secret) {
            self.secret_set(key, value).await?;
        }
        if let Err(e) = store::clients::insert(&self.db, &client).await {
            if let Some(key) = &secret_ref {
                let _ = self.secret_delete(key).await;
            }
            return Err(e);
        }
        self.save_transcript(&client.id, None, "discovery", &transcript).await;
        self.event(&client.id, None, "client_added", &format!("client id {}", client.client_id)).await;
        Ok(client)
    }

    pub async fn list_clients(&self) -> Result<Vec<Client>> {
        store::clients::list(&self.db).await
    }

    pub async fn client(&self, name: &str) -> Result<Client> {
        store::clients::by_name(&self.db, name).await
    }

    /// Removes a client, its grants' tokens and its secret from the keychain, then its records.
    /// Tokens are not revoked at the server; revoke first when that matters.
    pub async fn remove_client(&self, name: &str) -> Result<()> {
        let client = self.client(name).await?;
        let mut keys = store::grants::secret_refs_of_client(&self.db, &client.id).await?;
        keys.extend(client.secret_ref.clone());
        for key in &keys {
            self.secret_delete(key).await?;
        }
        store::clients::delete(&self.db, &client.id).await
    }

    /// The client's credentials with its secret read from the keychain.
    pub(super) async fn client_auth(&self, client: &Client) -> Result<ClientAuth> {
        let secret = match &client.secret_ref {
            Some(key) => Some(self.secret_get(key).await?.ok_or_else(|| CoreError::SecretMissing { key: key.clone(), what: "client secret" })?),
            None => None,
        };
        Ok(ClientAuth { client_id: client.client_id.clone(), method: client.auth_method, secret })
    }
}

/// Space-separated, deduplicated, in the order given; commas accepted as separators.
pub fn normalize_scopes(s: &str) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for scope in s.split(|c: char| c.is_whitespace() || c == ',').filter(|x| !x.is_empty()) {
        if !seen.contains(&scope) {
            seen.push(scope);
        }
    }
    seen.join(" ")
}

pub(super) fn endpoint(client: &Client, value: &Option<String>, name: &'static str) -> Result<url::Url> {
    let raw = value.as_deref().ok_or(CoreError::MissingEndpoint(name))?;
    Ok(check_transport_security(raw, client.insecure)?)
}

impl Endpoints {
    pub fn is_empty(&self) -> bool {
        self.all().iter().all(|(_, v)| v.is_none())
    }
}

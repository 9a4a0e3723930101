//! Registering, listing and removing clients.

use super::Desk;
pub(super) use super::credentials::{client_key, credential_of, keychain};
use super::keychain_write::SecretChange;
use crate::error::{CoreError, Result};
use crate::model::{Client, ClientSpec, DEFAULT_REDIRECT_URI, Endpoints};
use crate::store;
use oauthdesk_protocol::client_auth::{AuthMethod, ClientAuth, Credential};
use oauthdesk_protocol::discovery::{self, check_transport_security};
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::{ClientSecret, CredentialInput, KeychainValue, PrivateKey};

impl Desk {
    /// Registers a client: discovers the issuer's metadata when given (explicit endpoints win),
    /// checks every URL, stores the secret in the keychain first and the metadata second, so a
    /// keychain failure leaves nothing behind.
    pub async fn add_client(
        &self,
        spec: ClientSpec,
        secret: Option<CredentialInput>,
    ) -> Result<Client> {
        let secret = secret.filter(|s| !s.expose().is_empty());
        let (secret, public_jwk) = client_key(spec.auth_method, secret)?;
        let transcript = Transcript::default();
        let id = uuid::Uuid::new_v4().to_string();
        let mut client = self
            .build_client(id, spec, secret.is_some(), self.now(), &transcript, false)
            .await?;
        client.public_jwk = public_jwk;
        self.insert_client(&client, secret).await?;
        self.save_transcript(&client.id, None, "discovery", &transcript)
            .await;
        self.event(
            &client.id,
            None,
            "client_added",
            &format!("client id {}", client.client_id),
        )
        .await;
        Ok(client)
    }

    /// Changes a client's settings, keeping its grants. `secret`: `Some` replaces the stored one;
    /// `None` keeps it (or deletes it when the new auth method is `none`).
    pub async fn update_client(
        &self,
        name: &str,
        spec: ClientSpec,
        secret: Option<CredentialInput>,
    ) -> Result<Client> {
        let old = self.client(name).await?;
        let secret = secret.filter(|s| !s.expose().is_empty());
        let was_key = old.auth_method == AuthMethod::PrivateKeyJwt;
        let is_key = spec.auth_method == Some(AuthMethod::PrivateKeyJwt);
        // A key pair stays with a private_key_jwt client unless a new key is given; switching
        // to private_key_jwt without one generates it; any other switch drops the old secret.
        let (secret, public_jwk) = match (was_key, is_key, &secret) {
            (true, true, None) => (None, old.public_jwk.clone()),
            _ => client_key(spec.auth_method, secret)?,
        };
        let keeps_secret =
            old.has_secret && spec.auth_method != Some(AuthMethod::None) && (was_key == is_key);
        let transcript = Transcript::default();
        let mut client = self
            .build_client(
                old.id.clone(),
                spec,
                secret.is_some() || keeps_secret,
                old.created_at,
                &transcript,
                false,
            )
            .await?;
        client.registration_client_uri = old.registration_client_uri.clone();
        // The certificate is not part of the spec: it stays (`client cert remove` drops it).
        client.tls_cert_pem = old.tls_cert_pem.clone();
        client.tls_certificate = old.tls_certificate.clone();
        client.public_jwk = public_jwk;
        let changes = match (&client.secret_ref, secret) {
            (Some(key), Some(value)) => vec![SecretChange::Replace(key.clone(), keychain(value))],
            (None, _) if old.has_secret => old
                .secret_ref
                .iter()
                .map(|k| SecretChange::Delete(k.clone()))
                .collect(),
            _ => vec![],
        };
        let (row, now) = (client.clone(), self.now());
        self.write_together(changes, move |db| async move {
            store::clients::update(&db, &row, now).await
        })
        .await?;
        self.save_transcript(&client.id, None, "discovery", &transcript)
            .await;
        self.event(&client.id, None, "client_updated", "").await;
        Ok(client)
    }

    /// Stores (or replaces) a client's secret in the keychain.
    pub async fn set_client_secret(&self, name: &str, secret: CredentialInput) -> Result<Client> {
        if secret.expose().is_empty() {
            return Err(CoreError::InvalidInput("the secret is empty".into()));
        }
        let mut client = self.client(name).await?;
        if client.auth_method == AuthMethod::None {
            return Err(CoreError::InvalidInput(format!(
                "client {name:?} is public (auth method none): it has no secret; change its auth method first"
            )));
        }
        let (secret, public_jwk) = client_key(Some(client.auth_method), Some(secret))?;
        let secret = secret.ok_or_else(|| CoreError::InvalidInput("the secret is empty".into()))?;
        if public_jwk.is_some() {
            client.public_jwk = public_jwk;
        }
        let key = client
            .secret_ref
            .clone()
            .unwrap_or_else(|| format!("client/{}", client.id));
        client.secret_ref = Some(key.clone());
        client.has_secret = true;
        let (row, now) = (client.clone(), self.now());
        self.write_together(
            vec![SecretChange::Replace(key, keychain(secret))],
            move |db| async move { store::clients::update(&db, &row, now).await },
        )
        .await?;
        self.event(
            &client.id,
            None,
            "client_updated",
            "secret stored in the keychain",
        )
        .await;
        Ok(client)
    }

    /// Copies a client's settings and secret under a new name (no grants).
    pub async fn duplicate_client(&self, name: &str, new_name: &str) -> Result<Client> {
        let old = self.client(name).await?;
        let secret = match &old.secret_ref {
            Some(key) => self.secret_get(key).await?,
            None => None,
        };
        let id = uuid::Uuid::new_v4().to_string();
        let client = Client {
            id: id.clone(),
            name: new_name.trim().to_owned(),
            secret_ref: secret.as_ref().map(|_| format!("client/{id}")),
            has_secret: secret.is_some(),
            created_at: self.now(),
            // The registration (RFC 7592) stays with the original, which holds its access token.
            registration_client_uri: None,
            // So does the TLS certificate (RFC 8705): import one for the copy.
            tls_cert_pem: None,
            tls_certificate: None,
            ..old
        };
        if client.name.is_empty() {
            return Err(CoreError::InvalidInput("the copy needs a name".into()));
        }
        let credential = secret.map(|s| credential_of(client.auth_method, &s));
        self.insert_client(&client, credential).await?;
        self.event(&client.id, None, "client_added", &format!("copy of {name}"))
            .await;
        Ok(client)
    }

    /// Fetches an issuer's metadata, for the editor to show what the server supports.
    pub async fn discover(
        &self,
        issuer: &str,
        insecure: bool,
    ) -> Result<discovery::ServerMetadata> {
        // `{{issuer}}`: the editor discovers the active environment's.
        let issuer = &self.fill_from_active(issuer, "the issuer").await?;
        check_transport_security(issuer, insecure)?;
        Ok(
            discovery::discover(&self.http().await?, &Transcript::default(), issuer)
                .await?
                .0,
        )
    }

    /// Validates a spec and resolves its endpoints (discovery when an issuer is given; explicit
    /// endpoints win) into a client record.
    /// `secret_later`: an imported confidential client may come without its secret (imports never
    /// carry one); it is then stored as is and asks for the secret when first used.
    pub(super) async fn build_client(
        &self,
        id: String,
        spec: ClientSpec,
        has_secret: bool,
        created_at: i64,
        transcript: &Transcript,
        secret_later: bool,
    ) -> Result<Client> {
        // `{{variables}}`: checked filled from the active environment, stored as templates.
        if super::substitution::spec_uses_variables(&spec) {
            let filled = self.check_templated_spec(&spec).await?;
            let built = Box::pin(self.build_client(
                id,
                filled,
                has_secret,
                created_at,
                transcript,
                secret_later,
            ))
            .await?;
            return Ok(super::substitution::keep_templates(built, &spec));
        }
        let name = spec.name.trim().to_owned();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(CoreError::InvalidInput(
                "a client needs a name (no control characters)".into(),
            ));
        }
        if spec.client_id.trim().is_empty() {
            return Err(CoreError::InvalidInput("a client needs a client id".into()));
        }
        let auth_method = spec.auth_method.unwrap_or(if has_secret {
            AuthMethod::ClientSecretBasic
        } else {
            AuthMethod::None
        });
        match (auth_method, has_secret) {
            (AuthMethod::None, true) => return Err(CoreError::InvalidInput("auth method 'none' is for public clients; drop the secret or choose client_secret_basic/client_secret_post".into())),
            (AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost | AuthMethod::ClientSecretJwt | AuthMethod::PrivateKeyJwt, false) if !secret_later => {
                return Err(CoreError::InvalidInput(format!("{} needs a client secret (give it on stdin with --client-secret-stdin)", auth_method.as_str())));
            }
            _ => {}
        }
        let redirect_uri = spec
            .redirect_uri
            .clone()
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_REDIRECT_URI.into());
        let parsed = url::Url::parse(&redirect_uri)
            .map_err(|e| CoreError::InvalidInput(format!("redirect URI {redirect_uri:?}: {e}")))?;
        if parsed.scheme() != "http" || !discovery::is_loopback_host(&parsed) {
            return Err(CoreError::InvalidInput(format!(
                "redirect URI {redirect_uri:?} is not a loopback http URI; OAuth Desk receives the response on 127.0.0.1 (RFC 8252 §7.3), e.g. http://127.0.0.1/callback or http://127.0.0.1:8765/callback"
            )));
        }
        for (param, value) in &spec.extra_params {
            if param.is_empty() {
                return Err(CoreError::InvalidInput(format!(
                    "extra parameter with empty name (value {value:?})"
                )));
            }
        }
        let explicit = spec.endpoints.without_blanks();
        for (label, url) in explicit.all() {
            if let Some(u) = url {
                check_transport_security(u, spec.insecure)
                    .map_err(|e| CoreError::InvalidInput(format!("{label} endpoint: {e}")))?;
            }
        }
        let issuer = spec.issuer.clone().filter(|i| !i.trim().is_empty());
        let ca_pem = super::network::client_ca(spec.ca_pem.as_deref())?;
        let (endpoints, metadata) = match &issuer {
            Some(issuer) => {
                check_transport_security(issuer, spec.insecure)?;
                let (meta, _) = discovery::discover(
                    &self.http_with_ca(ca_pem.as_deref()).await?,
                    transcript,
                    issuer,
                )
                .await?;
                (explicit.or_discovered(&meta), Some(meta))
            }
            None => (explicit, None),
        };
        for (label, url) in endpoints.all() {
            if let Some(u) = url {
                check_transport_security(u, spec.insecure).map_err(|e| {
                    CoreError::InvalidInput(format!("discovered {label} endpoint: {e}"))
                })?;
            }
        }
        if endpoints.token.is_none() && endpoints.authorization.is_none() {
            return Err(CoreError::InvalidInput("no endpoints: give --issuer for discovery, or --token-endpoint (and --authorization-endpoint for browser logins)".into()));
        }
        let id_token_alg = spec
            .id_token_alg
            .clone()
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty());
        if let Some(a) = &id_token_alg
            && !ID_TOKEN_ALGS.contains(&a.as_str())
        {
            return Err(CoreError::InvalidInput(format!(
                "ID token algorithm {a:?} is not one of {}",
                ID_TOKEN_ALGS.join(", ")
            )));
        }
        let response_mode = super::login::checked_response_mode(spec.response_mode.as_deref())?;
        let secret_ref = has_secret.then(|| format!("client/{id}"));
        Ok(Client {
            id,
            name,
            client_id: spec.client_id.trim().to_owned(),
            issuer,
            endpoints,
            auth_method,
            scopes: normalize_scopes(&spec.scopes),
            redirect_uri,
            extra_params: spec.extra_params.clone(),
            pkce: spec.pkce,
            insecure: spec.insecure,
            has_secret,
            secret_ref,
            metadata,
            id_token_alg,
            par: spec.par,
            jar: spec.jar,
            response_mode,
            registration_client_uri: None,
            public_jwk: None,
            dpop: spec.dpop,
            ca_pem,
            tls_cert_pem: None,
            tls_certificate: None,
            authorization_details: super::login::rar::client_default(
                spec.authorization_details.as_ref(),
            )?,
            created_at,
        })
    }

    pub async fn list_clients(&self) -> Result<Vec<Client>> {
        store::clients::list(&self.db).await
    }

    pub async fn client(&self, name: &str) -> Result<Client> {
        store::clients::by_name(&self.db, name).await
    }

    /// Removes a client, its grants' tokens and its secret from the keychain, then its records.
    /// Tokens are not revoked at the server; revoke first when that matters.
    pub async fn remove_client(&self, name: &str, revoke_first: bool) -> Result<()> {
        let client = self.client(name).await?;
        if revoke_first {
            for g in store::grants::list(&self.db, Some(&client.id)).await? {
                if g.view.status != crate::model::GrantStatus::Revoked
                    && (g.view.has_access_token || g.view.has_refresh_token)
                {
                    self.revoke(super::GrantRef::Id(&g.view.id), super::RevokeWhich::All)
                        .await?;
                }
            }
        }
        let mut keys = store::grants::secret_refs_of_client(&self.db, &client.id).await?;
        keys.extend(client.secret_ref.clone());
        if client.registration_client_uri.is_some() {
            keys.push(super::registration::registration_key(&client.id));
        }
        if client.dpop {
            keys.push(format!("dpop/{}", client.id));
        }
        if client.tls_cert_pem.is_some() {
            keys.push(super::mtls::tls_key(&client.id));
        }
        if store::ciba::get(&self.db, &client.id)
            .await?
            .is_some_and(|c| c.has_tls_certificate)
        {
            keys.push(super::ciba::tls_key(&client.id));
        }
        let id = client.id.clone();
        let deletes = keys.into_iter().map(SecretChange::Delete).collect();
        self.write_together(deletes, move |db| async move {
            store::clients::delete(&db, &id).await
        })
        .await
    }

    /// Inserts a new client's row with its credential in the keychain, as one.
    pub(super) async fn insert_client(
        &self,
        client: &Client,
        credential: Option<Credential>,
    ) -> Result<()> {
        let changes = match (&client.secret_ref, credential) {
            (Some(key), Some(value)) => vec![SecretChange::Create(key.clone(), keychain(value))],
            _ => vec![],
        };
        let row = client.clone();
        self.write_together(changes, move |db| async move {
            store::clients::insert(&db, &row).await
        })
        .await
    }

    /// The client's credentials with its secret read from the keychain.
    pub(super) async fn client_auth(&self, client: &Client) -> Result<ClientAuth> {
        super::mtls::require_certificate(client)?;
        let credential = match &client.secret_ref {
            Some(key) => {
                let stored =
                    self.secret_get(key)
                        .await?
                        .ok_or_else(|| CoreError::SecretMissing {
                            key: key.clone(),
                            what: if client.auth_method == AuthMethod::PrivateKeyJwt {
                                PrivateKey::KIND
                            } else {
                                ClientSecret::KIND
                            },
                        })?;
                Some(credential_of(client.auth_method, &stored))
            }
            None if client.auth_method.needs_secret() => {
                return Err(CoreError::InvalidInput(format!(
                    "client {:?} authenticates with {} but has no secret stored (imports never carry secrets); set it with `oauthdesk client set-secret {}` or in the client editor",
                    client.name,
                    client.auth_method.as_str(),
                    client.name
                )));
            }
            None => None,
        };
        let audience = client
            .metadata
            .as_ref()
            .map(|m| m.issuer.clone())
            .or_else(|| client.issuer.clone());
        let dpop =
            if client.dpop {
                Some(self.dpop_key(client, true).await?.ok_or_else(|| {
                    CoreError::SecretMissing {
                        key: format!("dpop/{}", client.id),
                        what: PrivateKey::KIND,
                    }
                })?)
            } else {
                None
            };
        let mut auth = ClientAuth::new(client.client_id.clone(), client.auth_method, credential);
        auth.audience = audience;
        auth.dpop = dpop;
        Ok(auth)
    }

    /// The client's DPoP key pair (RFC 9449), made and stored in the keychain on first use
    /// when `create`.
    pub(super) async fn dpop_key(
        &self,
        client: &Client,
        create: bool,
    ) -> Result<Option<oauthdesk_protocol::keys::KeyPair>> {
        let key = format!("dpop/{}", client.id);
        match self.secret_get(&key).await? {
            Some(private) => Ok(Some(
                oauthdesk_protocol::keys::from_stored(&PrivateKey::new(private.expose())).map_err(
                    |e| CoreError::InvalidInput(format!("the DPoP key of {:?}: {e}", client.name)),
                )?,
            )),
            None if create => {
                let pair = oauthdesk_protocol::keys::generate_es256();
                self.secret_set(&key, KeychainValue::new(pair.private.expose()))
                    .await?;
                Ok(Some(pair))
            }
            None => Ok(None),
        }
    }
}

/// The JWS algorithms OAuth Desk verifies (RFC 7518 §3.1 less `none`, plus EdDSA).
pub const ID_TOKEN_ALGS: [&str; 12] = [
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256",
    "HS384", "HS512",
];

/// Space-separated, deduplicated, in the order given; commas accepted as separators.
pub fn normalize_scopes(s: &str) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for scope in s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|x| !x.is_empty())
    {
        if !seen.contains(&scope) {
            seen.push(scope);
        }
    }
    seen.join(" ")
}

pub(super) fn endpoint(
    client: &Client,
    value: &Option<String>,
    name: &'static str,
) -> Result<url::Url> {
    let raw = value.as_deref().ok_or(CoreError::MissingEndpoint(name))?;
    let raw = super::mtls::endpoint_for(client, name, raw);
    Ok(check_transport_security(raw, client.insecure)?)
}

impl Endpoints {
    /// Empty strings (blank form fields) count as "not given".
    pub fn without_blanks(&self) -> Endpoints {
        let keep = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        Endpoints {
            authorization: keep(&self.authorization),
            token: keep(&self.token),
            revocation: keep(&self.revocation),
            introspection: keep(&self.introspection),
            userinfo: keep(&self.userinfo),
            device_authorization: keep(&self.device_authorization),
        }
    }
}

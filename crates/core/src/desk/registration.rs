//! Dynamic client registration from the app (RFC 7591) and management of the registration
//! (RFC 7592). The client secret and the registration access token go to the keychain; the
//! registration's URI is kept with the client.

use super::Desk;
use super::clients::keychain;
use super::clients::normalize_scopes;
use super::keychain_write::SecretChange;
use crate::error::{CoreError, Result};
use crate::model::{Client, ClientSpec, DEFAULT_REDIRECT_URI, Endpoints};
use crate::store;
use oauthdesk_protocol::client_auth::AuthMethod;
use oauthdesk_protocol::client_auth::Credential;
use oauthdesk_protocol::discovery::{self, check_transport_security};
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::{AccessToken, KeychainValue, RegistrationAccessToken, dcr};
use serde::Deserialize;
use serde_json::{Value, json};
use ts_rs::TS;

/// What to register.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct RegistrationRequest {
    /// The local name, also sent as `client_name`.
    pub name: String,
    pub issuer: String,
    #[serde(default)]
    pub scopes: String,
    pub auth_method: AuthMethod,
    /// Defaults to authorization_code and refresh_token.
    #[serde(default)]
    pub grant_types: Vec<String>,
    #[serde(default)]
    pub id_token_alg: Option<String>,
    #[serde(default)]
    pub insecure: bool,
    /// The exact redirect URI to register and use for every login of this client, e.g. a
    /// loopback URI with a fixed port (servers that compare redirect URIs as exact strings,
    /// not by RFC 8252 §7.3's any-port rule). Default: loopback on any port.
    #[serde(default)]
    pub redirect_uri: Option<String>,
    /// Parameters the client sends with every authorization and token request (e.g.
    /// `resource`, RFC 8707).
    #[serde(default)]
    pub extra_params: Vec<(String, String)>,
    /// Bind tokens with DPoP (RFC 9449).
    #[serde(default)]
    pub dpop: bool,
}

pub(super) fn registration_key(client_uuid: &str) -> String {
    format!("registration/{client_uuid}")
}

/// Registration metadata fields a client must not send back in an update (RFC 7592 §2.2).
const SERVER_ONLY: [&str; 5] = [
    "registration_access_token",
    "registration_client_uri",
    "client_secret_expires_at",
    "client_id_issued_at",
    "client_secret",
];

impl Desk {
    /// Registers a new client at the issuer's registration endpoint and stores it.
    pub async fn register_client(
        &self,
        req: RegistrationRequest,
        initial_access_token: Option<AccessToken>,
    ) -> Result<Client> {
        if req.name.trim().is_empty() {
            return Err(CoreError::InvalidInput("a client needs a name".into()));
        }
        super::mtls::refuse_registration(req.auth_method)?;
        if self.client(req.name.trim()).await.is_ok() {
            return Err(CoreError::ClientExists(req.name.trim().to_owned()));
        }
        check_transport_security(&req.issuer, req.insecure)?;
        let transcript = Transcript::default();
        let (meta, _) = discovery::discover(&self.http().await?, &transcript, &req.issuer).await?;
        let endpoint = meta.registration_endpoint.clone().ok_or_else(|| CoreError::InvalidInput(format!("{} offers no dynamic registration (no registration_endpoint in its metadata, RFC 8414 §2)", req.issuer)))?;
        let endpoint = check_transport_security(&endpoint, req.insecure)?;
        let grant_types = if req.grant_types.is_empty() {
            vec!["authorization_code".to_owned(), "refresh_token".to_owned()]
        } else {
            req.grant_types.clone()
        };
        let browser = grant_types
            .iter()
            .any(|g| g == "authorization_code" || g == "implicit");
        let redirect_uri = match req.redirect_uri.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => {
                oauthdesk_protocol::loopback::check_redirect_template(r)?;
                r.to_owned()
            }
            _ => DEFAULT_REDIRECT_URI.to_owned(),
        };
        let mut metadata = json!({
            "client_name": req.name.trim(),
            "application_type": "native",
            "grant_types": grant_types,
            "response_types": if browser { vec!["code"] } else { vec![] },
            "redirect_uris": if browser { vec![redirect_uri.clone()] } else { vec![] },
            "token_endpoint_auth_method": req.auth_method.as_str(),
        });
        let scopes = normalize_scopes(&req.scopes);
        if !scopes.is_empty() {
            metadata["scope"] = json!(scopes);
        }
        if browser && meta.end_session_endpoint.is_some() {
            metadata["post_logout_redirect_uris"] = json!(["http://127.0.0.1/logout"]);
        }
        if let Some(alg) = req.id_token_alg.as_ref().filter(|a| !a.is_empty()) {
            metadata["id_token_signed_response_alg"] = json!(alg);
        }
        // private_key_jwt: a key pair is made here and its public half registered (RFC 7591 §2 `jwks`).
        let key = (req.auth_method == AuthMethod::PrivateKeyJwt)
            .then(oauthdesk_protocol::keys::generate_es256);
        if let Some(k) = &key {
            metadata["jwks"] = json!({ "keys": [k.public_jwk.clone()] });
        }
        let result = dcr::register(
            &self.http().await?,
            &transcript,
            &endpoint,
            &metadata,
            initial_access_token.as_ref(),
        )
        .await;
        let reg = match result {
            Ok(r) => r,
            Err(e) => return Err(e.into()),
        };
        let auth_method = reg
            .metadata
            .get("token_endpoint_auth_method")
            .and_then(Value::as_str)
            .and_then(AuthMethod::parse)
            .unwrap_or(req.auth_method);
        let spec = ClientSpec {
            name: req.name.trim().to_owned(),
            client_id: reg.client_id.clone(),
            issuer: Some(req.issuer.clone()),
            endpoints: Endpoints::default(),
            auth_method: Some(auth_method),
            scopes,
            redirect_uri: (redirect_uri != DEFAULT_REDIRECT_URI).then(|| redirect_uri.clone()),
            extra_params: req.extra_params.clone(),
            pkce: true,
            insecure: req.insecure,
            id_token_alg: req.id_token_alg.clone().filter(|a| !a.is_empty()),
            par: false,
            // RFC 9101 §10.5: a registration that requires signed request objects gets them.
            jar: super::login::registered_jar_mode(&reg.metadata),
            response_mode: None,
            dpop: req.dpop,
            ca_pem: None,
            authorization_details: None,
        };
        let id = uuid::Uuid::new_v4().to_string();
        let (secret, public_jwk) = match key {
            Some(k) => (Some(Credential::PrivateKey(k.private)), Some(k.public_jwk)),
            None => (reg.client_secret.map(Credential::Secret), None),
        };
        let mut client = self
            .build_client(id, spec, secret.is_some(), self.now(), &transcript, true)
            .await?;
        client.registration_client_uri = reg.registration_client_uri.clone();
        client.public_jwk = public_jwk;
        let mut changes = Vec::new();
        if let (Some(key), Some(secret)) = (&client.secret_ref, secret) {
            changes.push(SecretChange::Create(key.clone(), keychain(secret)));
        }
        if let (Some(_), Some(token)) = (
            &client.registration_client_uri,
            reg.registration_access_token,
        ) {
            let value = KeychainValue::new(token.expose());
            changes.push(SecretChange::Create(registration_key(&client.id), value));
        }
        let row = client.clone();
        self.write_together(changes, move |db| async move {
            store::clients::insert(&db, &row).await
        })
        .await?;
        self.save_transcript(&client.id, None, "registration", &transcript)
            .await;
        self.event(
            &client.id,
            None,
            "client_added",
            &format!("registered dynamically at {} (RFC 7591)", req.issuer),
        )
        .await;
        Ok(client)
    }

    async fn registration_handle(
        &self,
        name: &str,
    ) -> Result<(Client, url::Url, RegistrationAccessToken)> {
        let client = self.client(name).await?;
        let uri = client.registration_client_uri.clone().ok_or_else(|| CoreError::InvalidInput(format!("client {name:?} was not registered dynamically, so it has no registration to manage (RFC 7592)")))?;
        let uri = check_transport_security(&uri, client.insecure)?;
        let key = registration_key(&client.id);
        let token = self
            .secret_get(&key)
            .await?
            .ok_or(CoreError::SecretMissing {
                key,
                what: RegistrationAccessToken::KIND,
            })?;
        Ok((client, uri, RegistrationAccessToken::new(token.expose())))
    }

    /// The registration as the server holds it now (RFC 7592 §2.1), without secrets.
    pub async fn read_registration(&self, name: &str) -> Result<Value> {
        let (client, uri, token) = self.registration_handle(name).await?;
        let transcript = Transcript::default();
        let result = dcr::read(&self.http_for(&client).await?, &transcript, &uri, &token).await;
        self.save_transcript(&client.id, None, "registration", &transcript)
            .await;
        Ok(Value::Object(result?.metadata))
    }

    /// Changes the registered scope (RFC 7592 §2.2) and the local default scopes with it.
    pub async fn update_registration_scope(&self, name: &str, scopes: &str) -> Result<Value> {
        let (mut client, uri, token) = self.registration_handle(name).await?;
        let transcript = Transcript::default();
        let current = dcr::read(&self.http_for(&client).await?, &transcript, &uri, &token).await?;
        let mut metadata = current.metadata;
        for k in SERVER_ONLY {
            metadata.remove(k);
        }
        metadata.insert("client_id".into(), json!(client.client_id));
        let scopes = normalize_scopes(scopes);
        metadata.insert("scope".into(), json!(scopes));
        let result = dcr::update(
            &self.http_for(&client).await?,
            &transcript,
            &uri,
            &token,
            &Value::Object(metadata),
        )
        .await;
        self.save_transcript(&client.id, None, "registration", &transcript)
            .await;
        let updated = result?;
        client.scopes = scopes;
        // RFC 7592 §2.2: the server may rotate the registration access token.
        let changes = updated
            .registration_access_token
            .iter()
            .map(|t| {
                let value = KeychainValue::new(t.expose());
                SecretChange::Replace(registration_key(&client.id), value)
            })
            .collect();
        let (row, now) = (client.clone(), self.now());
        self.write_together(changes, move |db| async move {
            store::clients::update(&db, &row, now).await
        })
        .await?;
        self.event(
            &client.id,
            None,
            "client_updated",
            "registration updated (RFC 7592)",
        )
        .await;
        Ok(Value::Object(updated.metadata))
    }

    /// Deletes the registration at the server (RFC 7592 §2.3), then the client here.
    pub async fn delete_registration(&self, name: &str) -> Result<()> {
        let (client, uri, token) = self.registration_handle(name).await?;
        let transcript = Transcript::default();
        let result = dcr::delete(&self.http_for(&client).await?, &transcript, &uri, &token).await;
        self.save_transcript(&client.id, None, "registration", &transcript)
            .await;
        result?;
        self.remove_client(name, false).await
    }
}

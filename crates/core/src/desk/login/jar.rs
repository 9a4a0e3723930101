//! A login's signed request object (RFC 9101): whether one is sent (the client's `jar` setting,
//! or the server's `require_signed_request_object`, §10.5), what signs it (the client's
//! `private_key_jwt` key, ES256, or its secret, HS256), and the decoded object as its own step
//! of the flow's timeline.

use super::browser::event_exchange;
use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::model::Client;
use crate::store::NamedValue;
use oauthdesk_protocol::client_auth::{ClientAuth, Credential};
use oauthdesk_protocol::jar::{self, JarMode};
use oauthdesk_protocol::keys::Signer;
use oauthdesk_protocol::transcript::Transcript;
use url::Url;

impl NamedValue for JarMode {
    const WHAT: &'static str = "request object mode";
    fn name(&self) -> &'static str {
        self.as_str()
    }
    fn from_name(name: &str) -> Option<Self> {
        Self::parse(name)
    }
}

/// The request object to send, and whether it goes through PAR.
pub(super) struct SignedRequest {
    pub(super) jwt: String,
    pub(super) pushed: bool,
}

/// The JAR mode a login uses: the client's, or by value when the server requires signed
/// request objects and the client has none set.
pub(super) fn effective_mode(client: &Client) -> JarMode {
    let required = client
        .metadata
        .as_ref()
        .is_some_and(|m| m.require_signed_request_object);
    match client.jar {
        JarMode::Off if required => JarMode::Value,
        mode => mode,
    }
}

/// The JAR mode a dynamically registered client starts with: by value when its registration
/// says `require_signed_request_object` (RFC 9101 §10.5), else off.
pub(crate) fn registered_jar_mode(
    registration: &serde_json::Map<String, serde_json::Value>,
) -> JarMode {
    match registration.get("require_signed_request_object") {
        Some(serde_json::Value::Bool(true)) => JarMode::Value,
        _ => JarMode::Off,
    }
}

impl Desk {
    /// Changes how a client signs its authorization requests and which response mode it asks
    /// for; `None` keeps a setting, `Some(None)` for the mode returns to the default.
    pub async fn set_client_jar(
        &self,
        name: &str,
        jar: Option<JarMode>,
        response_mode: Option<Option<String>>,
    ) -> Result<Client> {
        let mut client = self.client(name).await?;
        if let Some(jar) = jar {
            client.jar = jar;
        }
        if let Some(mode) = response_mode {
            client.response_mode = super::checked_response_mode(mode.as_deref())?;
        }
        crate::store::clients::update(&self.db, &client, self.now()).await?;
        let detail = format!(
            "request objects: {}; response mode: {}",
            client.jar.as_str(),
            client.response_mode.as_deref().unwrap_or("default")
        );
        self.event(&client.id, None, "client_updated", &detail)
            .await;
        Ok(client)
    }

    /// Signs the parameters of `request_url` into a request object when this login uses JAR,
    /// and records it decoded. `Ok(None)`: plain parameters.
    pub(super) fn signed_request(
        &self,
        client: &Client,
        auth: &ClientAuth,
        authorization_endpoint: &Url,
        request_url: &Url,
        transcript: &Transcript,
    ) -> Result<Option<SignedRequest>> {
        let mode = effective_mode(client);
        if mode == JarMode::Off {
            return Ok(None);
        }
        let why = if client.jar == JarMode::Off {
            "the server requires signed request objects (require_signed_request_object, RFC 9101 §10.5)"
        } else {
            "this client signs its authorization requests (RFC 9101)"
        };
        let (signer, alg, kid) = match &auth.credential {
            Some(Credential::PrivateKey(key)) => (
                Signer::Es256(key),
                "ES256",
                client
                    .public_jwk
                    .as_ref()
                    .and_then(|j| j.get("kid")?.as_str().map(str::to_owned)),
            ),
            Some(Credential::Secret(secret)) => (Signer::Secret(secret), "HS256", None),
            None => {
                return Err(CoreError::InvalidInput(format!(
                    "{why}, but client {:?} has nothing to sign with: a request object is signed with the client's private_key_jwt key (ES256) or its client secret (HS256), and this client has neither (auth method {}). Give it a key or a secret, or turn JAR off",
                    client.name,
                    client.auth_method.as_str()
                )));
            }
        };
        let supported = client
            .metadata
            .as_ref()
            .map(|m| m.request_object_signing_alg_values_supported.clone())
            .unwrap_or_default();
        if !supported.is_empty() && !supported.iter().any(|a| a == alg) {
            return Err(CoreError::InvalidInput(format!(
                "{why}; this client signs with {alg}, but the server accepts request objects signed with {} only (request_object_signing_alg_values_supported)",
                supported.join(", ")
            )));
        }
        let audience = client
            .metadata
            .as_ref()
            .map(|m| m.issuer.clone())
            .or_else(|| client.issuer.clone())
            .ok_or_else(|| {
                CoreError::InvalidInput(format!(
                    "{why}, and its `aud` must be the issuer (RFC 9101 §4), but client {:?} has no issuer",
                    client.name
                ))
            })?;
        let params = jar::parameters_of(authorization_endpoint, request_url);
        let claims = jar::claims(&params, &client.client_id, &audience, self.now());
        let jwt = jar::sign(&signer, kid.as_deref(), &claims)?;
        let pushed = mode == JarMode::Par
            || client.par
            || client
                .metadata
                .as_ref()
                .is_some_and(|m| m.require_pushed_authorization_requests);
        let mut entry = event_exchange(
            "request object (JAR)",
            "JWT",
            authorization_endpoint.as_str(),
            &format!(
                "{why}: signed with {alg}{}, sent {}",
                kid.map(|k| format!(" (key {k})")).unwrap_or_default(),
                if pushed {
                    "by reference through the pushed authorization request (RFC 9126 §3)"
                } else {
                    "by value in the `request` parameter (RFC 9101 §5.1)"
                }
            ),
        );
        entry.request.body = Some(jar::decoded_for_transcript(&jwt));
        // Its own step in the live timeline: no flow event reports it otherwise.
        transcript.push(entry);
        Ok(Some(SignedRequest { jwt, pushed }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_mode_follows_the_client_and_the_server() {
        let mut client = Client::bare(Some("https://as.example".into()));
        assert_eq!(effective_mode(&client), JarMode::Off, "off by default");
        client.metadata = Some(
            serde_json::from_value(
                json!({"issuer": "https://as.example", "require_signed_request_object": true}),
            )
            .unwrap(),
        );
        assert_eq!(
            effective_mode(&client),
            JarMode::Value,
            "a server that requires signed request objects gets one by value (RFC 9101 §10.5)"
        );
        client.jar = JarMode::Par;
        assert_eq!(
            effective_mode(&client),
            JarMode::Par,
            "the client's own choice stands"
        );
        let registered = |v: serde_json::Value| registered_jar_mode(v.as_object().unwrap());
        assert_eq!(
            registered(json!({"require_signed_request_object": true})),
            JarMode::Value,
            "a registration that requires signed request objects starts with JAR on"
        );
        assert_eq!(
            registered(json!({"require_signed_request_object": "yes"})),
            JarMode::Off,
            "only a JSON true turns it on"
        );
    }
}

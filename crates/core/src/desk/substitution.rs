//! Variables applied at the moment of use: a stored client keeps its `{{templates}}`; every
//! login, refresh, revocation, inspection and Call API request works on a copy filled from the
//! active environment and checked as a typed value would be (URLs must parse, transport
//! security, a loopback redirect URI).
//!
//! - A client whose issuer is a template is discovered per issuer it resolves to (cached a day
//!   in `client_discovery`), since its endpoints differ per environment.
//! - A grant of a client with variables remembers the environment it was obtained in, and its
//!   client is filled from that environment whichever is active: a dev refresh token is never
//!   sent to prod's token endpoint. `token NAME` picks the newest grant of the active one.
//! - Secret values substituted are remembered for this `Desk`'s life and masked in every
//!   transcript it saves or streams ([`crate::variables::mask_values`]).

use super::Desk;
use crate::error::{CoreError, Result};
use crate::model::{Client, ClientSpec};
use crate::store::{self, environments as envs, grants::GrantRecord};
use crate::variables::{Vars, has_placeholders, mask_values};
use oauthdesk_protocol::discovery::{self, ServerMetadata, check_transport_security};
use oauthdesk_protocol::transcript::{Exchange, Transcript};

/// How long a template issuer's discovery document is reused.
const DISCOVERY_MAX_AGE: i64 = 24 * 3600;

/// A client as it will be used, and the environment that filled it.
pub(super) struct InUse {
    pub client: Client,
    pub environment: Option<envs::EnvironmentRow>,
    /// Whether the stored client has templates at all.
    pub templated: bool,
    pub secrets: Vec<String>,
}

/// Whether a stored client has a `{{variable}}` in any field (the spec it was made from does).
pub fn client_uses_variables(c: &Client) -> bool {
    spec_uses_variables(&spec_of(c))
}

pub fn spec_uses_variables(s: &ClientSpec) -> bool {
    let t = |s: &str| has_placeholders(s);
    let o = |s: &Option<String>| s.as_deref().is_some_and(t);
    t(&s.client_id)
        || o(&s.issuer)
        || s.endpoints.all().iter().any(|(_, u)| o(u))
        || o(&s.redirect_uri)
        || t(&s.scopes)
        || s.extra_params.iter().any(|(k, v)| t(k) || t(v))
}

/// Every text field of a client spec, filled.
fn fill_spec(spec: &ClientSpec, vars: &mut Vars) -> Result<ClientSpec> {
    let mut out = spec.clone();
    out.client_id = vars.fill(&spec.client_id, "the client id")?;
    out.issuer = vars.fill_opt(&spec.issuer, "the issuer")?;
    out.redirect_uri = vars.fill_opt(&spec.redirect_uri, "the redirect URI")?;
    out.scopes = vars.fill(&spec.scopes, "the scopes")?;
    let e = &spec.endpoints;
    let ep = |v: &mut Vars, u: &Option<String>, label: &str| {
        v.fill_opt(u, &format!("the {label} endpoint"))
    };
    out.endpoints.authorization = ep(vars, &e.authorization, "authorization")?;
    out.endpoints.token = ep(vars, &e.token, "token")?;
    out.endpoints.revocation = ep(vars, &e.revocation, "revocation")?;
    out.endpoints.introspection = ep(vars, &e.introspection, "introspection")?;
    out.endpoints.userinfo = ep(vars, &e.userinfo, "userinfo")?;
    out.endpoints.device_authorization = ep(vars, &e.device_authorization, "device-authorization")?;
    out.extra_params = spec
        .extra_params
        .iter()
        .map(|(k, v)| {
            let field = format!("the parameter {k}");
            Ok((vars.fill(k, &field)?, vars.fill(v, &field)?))
        })
        .collect::<Result<_>>()?;
    Ok(out)
}

/// The spec a stored client was made from (what an edit or an export starts from).
pub(crate) fn spec_of(c: &Client) -> ClientSpec {
    ClientSpec {
        name: c.name.clone(),
        client_id: c.client_id.clone(),
        issuer: c.issuer.clone(),
        endpoints: c.endpoints.clone(),
        auth_method: Some(c.auth_method),
        scopes: c.scopes.clone(),
        redirect_uri: Some(c.redirect_uri.clone()),
        extra_params: c.extra_params.clone(),
        pkce: c.pkce,
        insecure: c.insecure,
        id_token_alg: c.id_token_alg.clone(),
        par: c.par,
        jar: c.jar,
        response_mode: c.response_mode.clone(),
        dpop: c.dpop,
        ca_pem: c.ca_pem.clone(),
        authorization_details: c.authorization_details.clone(),
    }
}

/// What only substitution can get wrong, checked as `build_client` checks typed values.
fn check_filled(c: &Client, env: Option<&str>) -> Result<()> {
    let after = match env {
        Some(e) => format!(" (after substituting environment {e:?})"),
        None => String::new(),
    };
    if c.client_id.trim().is_empty() {
        return Err(CoreError::InvalidInput(format!(
            "the client id is empty{after}"
        )));
    }
    if let Some(i) = &c.issuer {
        check_transport_security(i, c.insecure)
            .map_err(|e| CoreError::InvalidInput(format!("issuer: {e}{after}")))?;
    }
    for (label, url) in c.endpoints.all() {
        if let Some(u) = url {
            check_transport_security(u, c.insecure)
                .map_err(|e| CoreError::InvalidInput(format!("{label} endpoint: {e}{after}")))?;
        }
    }
    let parsed = url::Url::parse(&c.redirect_uri).map_err(|e| {
        CoreError::InvalidInput(format!("redirect URI {:?}: {e}{after}", c.redirect_uri))
    })?;
    if parsed.scheme() != "http" || !discovery::is_loopback_host(&parsed) {
        return Err(CoreError::InvalidInput(format!(
            "redirect URI {:?} is not a loopback http URI{after}",
            c.redirect_uri
        )));
    }
    Ok(())
}

impl Desk {
    /// The variables of the active environment; secret values read only when `used` names them.
    async fn active_vars(&self, used: &[&str]) -> Result<(Option<envs::EnvironmentRow>, Vars)> {
        let env = self.active_environment_row().await?;
        let joined = used.join("\u{0}");
        let vars = self
            .vars_of(env.as_ref(), &|name| joined.contains(name))
            .await?;
        Ok((env, vars))
    }

    /// `client` as it is used now: templates filled from the active environment, a template
    /// issuer discovered, and the result checked. A client without templates is returned as is.
    pub(super) async fn client_in_use(&self, client: Client) -> Result<InUse> {
        let env = self.active_environment_row().await?;
        self.client_in(client, env).await
    }

    /// `client` filled from `env` (`None`: no environment), discovered and checked.
    async fn client_in(&self, client: Client, env: Option<envs::EnvironmentRow>) -> Result<InUse> {
        if !client_uses_variables(&client) {
            return Ok(InUse {
                client,
                environment: None,
                templated: false,
                secrets: Vec::new(),
            });
        }
        let spec = spec_of(&client);
        let texts = serde_json::to_string(&spec).unwrap_or_default();
        let mut vars = self
            .vars_of(env.as_ref(), &|name| texts.contains(name))
            .await?;
        let filled = fill_spec(&spec, &mut vars)?;
        let mut c = client.clone();
        c.client_id = filled.client_id;
        c.scopes = filled.scopes;
        c.redirect_uri = filled.redirect_uri.unwrap_or_default();
        c.extra_params = filled.extra_params;
        c.endpoints = filled.endpoints.without_blanks();
        let issuer_templated = client.issuer.as_deref().is_some_and(has_placeholders);
        c.issuer = filled.issuer.filter(|i| !i.trim().is_empty());
        if issuer_templated && let Some(issuer) = c.issuer.clone() {
            check_transport_security(&issuer, c.insecure)?;
            let meta = self.discovered(&client.id, &issuer).await?;
            c.endpoints = c.endpoints.or_discovered(&meta);
            c.metadata = Some(meta);
        }
        check_filled(&c, env.as_ref().map(|e| e.name.as_str()))?;
        let secrets = vars.used_secrets().to_vec();
        self.remember_secret_values(&secrets);
        Ok(InUse {
            client: c,
            environment: env,
            templated: true,
            secrets,
        })
    }

    /// The discovery document of a template issuer as resolved, cached a day per client.
    async fn discovered(&self, client_id: &str, issuer: &str) -> Result<ServerMetadata> {
        if let Some((json, at)) = envs::cached_discovery(&self.db, client_id, issuer).await?
            && self.now().saturating_sub(at) < DISCOVERY_MAX_AGE
            && let Ok(meta) = serde_json::from_str(&json)
        {
            return Ok(meta);
        }
        let transcript = Transcript::default();
        let (meta, _) = discovery::discover(
            &self
                .http_for(&store::clients::by_id(&self.db, client_id).await?)
                .await?,
            &transcript,
            issuer,
        )
        .await?;
        if let Ok(json) = serde_json::to_string(&meta) {
            let _ = envs::cache_discovery(&self.db, client_id, issuer, &json, self.now()).await;
        }
        Ok(meta)
    }

    /// The client's current grant: for a client with variables, the newest one obtained in the
    /// active environment.
    pub(super) async fn current_grant_of(&self, client: &Client) -> Result<Option<GrantRecord>> {
        if !client_uses_variables(client) {
            return store::grants::current(&self.db, &client.id).await;
        }
        let env = self.active_environment_row().await?;
        let id = envs::current_grant_in(&self.db, &client.id, env.as_ref().map(|e| e.id.as_str()))
            .await?;
        match id {
            Some(id) => store::grants::by_id(&self.db, &id).await,
            None => Ok(None),
        }
    }

    /// `client` filled for use with `rec`: from the environment the grant was obtained in (so
    /// its tokens only ever go to that environment's servers, whichever is active), else from
    /// the active one (a grant from before the client had variables).
    pub(super) async fn client_for_grant(
        &self,
        client: Client,
        rec: &GrantRecord,
    ) -> Result<Client> {
        if !client_uses_variables(&client) {
            return Ok(client);
        }
        let env = match envs::grant_binding(&self.db, &rec.view.id).await? {
            Some((env_id, env_name)) => Some(envs::by_id(&self.db, &env_id).await?.ok_or_else(|| {
                CoreError::InvalidInput(format!(
                    "this grant was obtained in environment {env_name:?}, which was deleted: its servers are unknown now (forget the grant, and log in under another environment)"
                ))
            })?),
            None => self.active_environment_row().await?,
        };
        Ok(self.client_in(client, env).await?.client)
    }

    /// Records the environment a new grant of a client with variables was obtained in.
    pub(super) async fn bind_grant_environment(
        &self,
        in_use: &InUse,
        grant_id: &str,
    ) -> Result<()> {
        match (&in_use.environment, in_use.templated) {
            (Some(env), true) => envs::bind_grant(&self.db, grant_id, env).await,
            _ => Ok(()),
        }
    }

    /// Validates a spec with templates by filling it from the active environment and building
    /// that (discovery included); the stored client keeps the templates, and a template issuer's
    /// endpoints are discovered at use, not stored.
    pub(super) async fn check_templated_spec(&self, spec: &ClientSpec) -> Result<ClientSpec> {
        let texts = serde_json::to_string(spec).unwrap_or_default();
        let (_, mut vars) = self.active_vars(&[&texts]).await?;
        fill_spec(spec, &mut vars)
    }

    /// `text` filled from the active environment (unchanged without placeholders).
    pub(super) async fn fill_from_active(&self, text: &str, field: &str) -> Result<String> {
        if !has_placeholders(text) {
            return Ok(text.to_owned());
        }
        let (_, mut vars) = self.active_vars(&[text]).await?;
        vars.fill(text, field)
    }

    /// Fills a Call API request (URL, headers, body) from the active environment.
    pub(super) async fn request_in_use(
        &self,
        mut req: super::ApiRequest,
    ) -> Result<(super::ApiRequest, Vec<String>)> {
        let any = has_placeholders(&req.url)
            || req
                .headers
                .iter()
                .any(|(k, v)| has_placeholders(k) || has_placeholders(v))
            || req.body.as_deref().is_some_and(has_placeholders);
        if !any {
            return Ok((req, Vec::new()));
        }
        let mut texts: Vec<&str> = vec![&req.url];
        texts.extend(
            req.headers
                .iter()
                .flat_map(|(k, v)| [k.as_str(), v.as_str()]),
        );
        texts.extend(req.body.as_deref());
        let (_, mut vars) = self.active_vars(&texts).await?;
        req.url = vars.fill(&req.url, "the request URL")?;
        req.headers = req
            .headers
            .iter()
            .map(|(k, v)| {
                let field = format!("the header {k}");
                Ok((vars.fill(k, &field)?, vars.fill(v, &field)?))
            })
            .collect::<Result<_>>()?;
        req.body = vars.fill_opt(&req.body, "the request body")?;
        let secrets = vars.used_secrets().to_vec();
        self.remember_secret_values(&secrets);
        Ok((req, secrets))
    }

    fn remember_secret_values(&self, secrets: &[String]) {
        if secrets.is_empty() {
            return;
        }
        let mut hidden = self.hidden_values.lock().unwrap_or_else(|p| p.into_inner());
        for s in secrets {
            if !hidden.contains(s) {
                hidden.push(s.clone());
            }
        }
    }

    /// `e` with every secret variable value this `Desk` substituted masked. Error messages quote
    /// URLs and servers' answers, which may carry a filled-in secret. Fails closed: an error
    /// whose text holds one becomes `InvalidInput` with the masked text (its kind, hint and
    /// OAuth fields are dropped, since they may hold the value too).
    pub(super) fn masked_error(&self, e: CoreError) -> CoreError {
        let hidden = self
            .hidden_values
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if hidden.is_empty() {
            return e;
        }
        let text = e.to_string();
        let masked = crate::variables::mask_values(&text, &hidden);
        let debug = format!("{e:?}");
        if masked == text && crate::variables::mask_values(&debug, &hidden) == debug {
            e
        } else {
            CoreError::InvalidInput(masked)
        }
    }

    /// Exchanges with every secret variable value this `Desk` substituted masked.
    pub(super) fn masked(&self, exchanges: Vec<Exchange>) -> Vec<Exchange> {
        let hidden = self
            .hidden_values
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if hidden.is_empty() {
            return exchanges;
        }
        exchanges
            .into_iter()
            .map(|e| mask_exchange(e, &hidden))
            .collect()
    }
}

/// The client `build_client` made from the filled spec, with the templates put back in the
/// fields that had them (a template issuer's discovered endpoints and metadata left out).
pub(super) fn keep_templates(mut built: Client, spec: &ClientSpec) -> Client {
    let keep = |template: &str, built: &mut String| {
        if has_placeholders(template) {
            *built = template.to_owned();
        }
    };
    keep(&spec.client_id, &mut built.client_id);
    keep(&spec.scopes, &mut built.scopes);
    if let Some(r) = &spec.redirect_uri {
        keep(r, &mut built.redirect_uri);
    }
    if spec
        .extra_params
        .iter()
        .any(|(k, v)| has_placeholders(k) || has_placeholders(v))
    {
        built.extra_params = spec.extra_params.clone();
    }
    let explicit = spec.endpoints.without_blanks();
    if spec.issuer.as_deref().is_some_and(has_placeholders) {
        built.issuer = spec.issuer.clone();
        built.endpoints = explicit;
        built.metadata = None;
        return built;
    }
    let pairs = [
        (&explicit.authorization, &mut built.endpoints.authorization),
        (&explicit.token, &mut built.endpoints.token),
        (&explicit.revocation, &mut built.endpoints.revocation),
        (&explicit.introspection, &mut built.endpoints.introspection),
        (&explicit.userinfo, &mut built.endpoints.userinfo),
        (
            &explicit.device_authorization,
            &mut built.endpoints.device_authorization,
        ),
    ];
    for (template, field) in pairs {
        if template.as_deref().is_some_and(has_placeholders) {
            *field = template.clone();
        }
    }
    built
}

/// One exchange with `secrets` masked everywhere it shows text.
pub(super) fn mask_exchange(mut e: Exchange, secrets: &[String]) -> Exchange {
    if secrets.is_empty() {
        return e;
    }
    let m = |s: &str| mask_values(s, secrets);
    e.request.url = m(&e.request.url);
    e.request.headers = e
        .request
        .headers
        .iter()
        .map(|(k, v)| (m(k), m(v)))
        .collect();
    e.request.body = e.request.body.as_deref().map(m);
    if let Some(r) = e.response.as_mut() {
        r.headers = r.headers.iter().map(|(k, v)| (m(k), m(v))).collect();
        r.body = m(&r.body);
    }
    e.note = e.note.as_deref().map(m);
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Endpoints;

    fn spec(issuer: &str, token: Option<&str>) -> ClientSpec {
        spec_of(&Client {
            endpoints: Endpoints {
                token: token.map(str::to_owned),
                ..Endpoints::default()
            },
            client_id: "{{cid}}".into(),
            redirect_uri: "http://127.0.0.1/callback".into(),
            ..Client::bare(Some(issuer.into()))
        })
    }

    #[test]
    fn the_stored_client_keeps_its_templates_and_no_discovered_endpoints() {
        let template = spec("{{issuer}}", None);
        let built = Client {
            client_id: "dev-client".into(),
            issuer: Some("https://dev.example".into()),
            endpoints: Endpoints {
                token: Some("https://dev.example/token".into()),
                ..Endpoints::default()
            },
            metadata: Some(ServerMetadata::default()),
            ..Client::bare(None)
        };
        let kept = keep_templates(built, &template);
        assert_eq!(
            (kept.client_id.as_str(), kept.issuer.as_deref()),
            ("{{cid}}", Some("{{issuer}}")),
            "templated fields are stored as templates"
        );
        assert!(
            kept.endpoints.token.is_none() && kept.metadata.is_none(),
            "a template issuer's discovered endpoints are not stored: they differ per environment"
        );
        assert!(
            client_uses_variables(&kept),
            "the stored client is recognised as templated"
        );
    }

    #[test]
    fn a_fixed_issuer_keeps_its_discovery_and_only_templated_endpoints_are_templates() {
        let template = spec("https://idp.example", Some("{{api}}/token"));
        let built = Client {
            issuer: Some("https://idp.example".into()),
            endpoints: Endpoints {
                token: Some("https://dev.example/token".into()),
                authorization: Some("https://idp.example/auth".into()),
                ..Endpoints::default()
            },
            metadata: Some(ServerMetadata::default()),
            ..Client::bare(None)
        };
        let kept = keep_templates(built, &template);
        assert_eq!(
            kept.endpoints.token.as_deref(),
            Some("{{api}}/token"),
            "the templated endpoint is stored as written"
        );
        assert_eq!(
            kept.endpoints.authorization.as_deref(),
            Some("https://idp.example/auth"),
            "a discovered endpoint of a fixed issuer stays"
        );
        assert!(kept.metadata.is_some(), "a fixed issuer's metadata stays");
    }
}

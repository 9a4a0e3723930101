//! Provider presets: where each well-known provider's endpoints are, what it needs that the
//! specs do not say, and which of its quirks OAuth Desk handles (and where, in code).

use crate::error::{CoreError, Result};
use crate::model::ClientSpec;
use oauthdesk_protocol::client_auth::AuthMethod;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    /// Issuer with `{placeholders}` (see `vars`), or `null` when the provider has no discovery.
    pub issuer: Option<&'static str>,
    /// Explicit endpoints for providers without discovery.
    pub authorization_endpoint: Option<&'static str>,
    pub token_endpoint: Option<&'static str>,
    pub revocation_endpoint: Option<&'static str>,
    pub device_authorization_endpoint: Option<&'static str>,
    pub scopes: &'static str,
    /// Extra authorization parameters, values may hold `{placeholders}`.
    pub extra_params: Vec<(&'static str, &'static str)>,
    /// The placeholders to fill, with what they mean.
    pub vars: Vec<(&'static str, &'static str)>,
    /// Each quirk in words, and what OAuth Desk does about it.
    pub quirks: Vec<&'static str>,
}

/// Every preset, in the order the UI lists them.
pub fn presets() -> Vec<Preset> {
    let p = |id, name, issuer: Option<&'static str>, scopes| Preset {
        id,
        name,
        issuer,
        authorization_endpoint: None,
        token_endpoint: None,
        revocation_endpoint: None,
        device_authorization_endpoint: None,
        scopes,
        extra_params: vec![],
        vars: vec![],
        quirks: vec![],
    };
    vec![
        Preset {
            extra_params: vec![("access_type", "offline"), ("prompt", "consent")],
            quirks: vec![
                "refresh tokens only with access_type=offline, and again only with prompt=consent: both are preset",
                "the device flow answers verification_url (an older draft's name): read as verification_uri and reported",
            ],
            ..p(
                "google",
                "Google",
                Some("https://accounts.google.com"),
                "openid email profile",
            )
        },
        Preset {
            authorization_endpoint: Some("https://github.com/login/oauth/authorize"),
            token_endpoint: Some("https://github.com/login/oauth/access_token"),
            device_authorization_endpoint: Some("https://github.com/login/device/code"),
            quirks: vec![
                "no discovery: the endpoints are preset",
                "token responses are form-encoded unless the request says Accept: application/json; OAuth Desk sends it, and parses forms anyway",
                "granted scopes come comma-separated: split on commas and reported",
                "OAuth apps get no refresh token (GitHub Apps with expiring tokens do); tokens then have no expiry",
                "errors come with HTTP 200: treated as the errors they are and reported",
            ],
            ..p("github", "GitHub", None, "read:user user:email")
        },
        Preset {
            vars: vec![(
                "tenant",
                "directory (tenant) id or domain; common, organizations or consumers for multi-tenant apps",
            )],
            quirks: vec![
                "the tenant is part of the issuer; multi-tenant issuers publish issuer with a literal {tenantid}, which discovery tolerates for common/organizations/consumers only",
                "scopes of an API are <app id URI>/.default or <app id URI>/<scope>; OpenID scopes as usual",
                "v2.0 endpoints: the issuer ends in /v2.0",
            ],
            ..p(
                "entra",
                "Microsoft Entra ID",
                Some("https://login.microsoftonline.com/{tenant}/v2.0"),
                "openid profile email offline_access",
            )
        },
        Preset {
            quirks: vec!["self-managed instances: replace gitlab.com in the issuer"],
            ..p(
                "gitlab",
                "GitLab",
                Some("https://gitlab.com"),
                "openid profile email read_user",
            )
        },
        Preset {
            vars: vec![("domain", "your Okta domain, e.g. dev-123456.okta.com")],
            quirks: vec![
                "the default custom authorization server is /oauth2/default; the org server (no path) issues tokens for Okta's own APIs only",
            ],
            ..p(
                "okta",
                "Okta",
                Some("https://{domain}/oauth2/default"),
                "openid profile email offline_access",
            )
        },
        Preset {
            vars: vec![
                ("domain", "your tenant's domain, e.g. example.eu.auth0.com"),
                ("audience", "the API identifier the access token is for"),
            ],
            extra_params: vec![("audience", "{audience}")],
            quirks: vec![
                "the issuer ends with a slash: compared with and without",
                "access tokens for an API need the audience parameter (Auth0's own, not RFC 8707); without it they are opaque and only work at userinfo",
            ],
            ..p(
                "auth0",
                "Auth0",
                Some("https://{domain}/"),
                "openid profile email offline_access",
            )
        },
        Preset {
            vars: vec![
                ("base", "the server's URL, e.g. https://sso.example.com"),
                ("realm", "the realm's name"),
            ],
            quirks: vec!["the realm is part of the issuer: {base}/realms/{realm}"],
            ..p(
                "keycloak",
                "Keycloak",
                Some("{base}/realms/{realm}"),
                "openid profile email",
            )
        },
        Preset {
            quirks: vec![
                "Sign in with Slack is OpenID Connect at slack.com; bot and user scopes use the non-OIDC v2 flow instead",
            ],
            ..p(
                "slack",
                "Slack",
                Some("https://slack.com"),
                "openid profile email",
            )
        },
    ]
}

fn fill(template: &str, vars: &[(String, String)], needed: &[(&str, &str)]) -> Result<String> {
    let mut out = template.to_owned();
    for (name, what) in needed {
        let placeholder = format!("{{{name}}}");
        if !out.contains(&placeholder) {
            continue;
        }
        let value = vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty());
        let value = value.ok_or_else(|| {
            CoreError::InvalidInput(format!(
                "this preset needs {name}: {what} (--preset-var {name}=…)"
            ))
        })?;
        out = out.replace(&placeholder, value.trim_end_matches('/'));
    }
    Ok(out)
}

/// A client spec from preset `id`, with `vars` filled in; `spec` fields already set win.
pub fn apply(id: &str, vars: &[(String, String)], mut spec: ClientSpec) -> Result<ClientSpec> {
    let all = presets();
    let p = all.iter().find(|p| p.id == id).ok_or_else(|| {
        CoreError::InvalidInput(format!(
            "no preset {id:?}; presets: {}",
            all.iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
        ))
    })?;
    if spec.issuer.as_deref().unwrap_or("").is_empty() {
        spec.issuer = match p.issuer {
            Some(i) => Some(fill(i, vars, &p.vars)?),
            None => None,
        };
    }
    let e = &mut spec.endpoints;
    let keep = |mine: &mut Option<String>, preset: Option<&str>| {
        if mine.as_deref().unwrap_or("").is_empty() {
            *mine = preset.map(str::to_owned);
        }
    };
    keep(&mut e.authorization, p.authorization_endpoint);
    keep(&mut e.token, p.token_endpoint);
    keep(&mut e.revocation, p.revocation_endpoint);
    keep(&mut e.device_authorization, p.device_authorization_endpoint);
    if spec.scopes.trim().is_empty() {
        spec.scopes = p.scopes.to_owned();
    }
    for (k, v) in &p.extra_params {
        if !spec.extra_params.iter().any(|(key, _)| key == k) {
            spec.extra_params
                .push(((*k).to_owned(), fill(v, vars, &p.vars)?));
        }
    }
    if spec.auth_method.is_none() && id == "github" {
        // GitHub OAuth apps are confidential; PKCE is supported on top.
        spec.auth_method = Some(AuthMethod::ClientSecretPost);
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauthdesk_protocol::grant::parse_token_response;
    use oauthdesk_protocol::http::HttpResponse;

    fn spec() -> ClientSpec {
        serde_json::from_value(serde_json::json!({"name": "x", "client_id": "id"})).unwrap()
    }

    #[test]
    fn presets_fill_placeholders_and_refuse_missing_ones() {
        let entra = apply("entra", &[("tenant".into(), "common".into())], spec()).unwrap();
        assert_eq!(
            entra.issuer.as_deref(),
            Some("https://login.microsoftonline.com/common/v2.0"),
            "the tenant variable is put into the Entra v2.0 issuer"
        );
        let err = apply("entra", &[], spec()).unwrap_err().to_string();
        assert!(
            err.contains("tenant"),
            "the Entra preset without a tenant says which variable is missing: {err}"
        );
        let auth0 = apply(
            "auth0",
            &[
                ("domain".into(), "t.eu.auth0.com".into()),
                ("audience".into(), "https://api.example".into()),
            ],
            spec(),
        )
        .unwrap();
        assert_eq!(
            auth0.issuer.as_deref(),
            Some("https://t.eu.auth0.com/"),
            "the domain variable is put into the issuer, which keeps Auth0's trailing slash"
        );
        assert!(
            auth0
                .extra_params
                .contains(&("audience".into(), "https://api.example".into())),
            "the audience variable becomes Auth0's audience authorization parameter"
        );
        let gh = apply("github", &[], spec()).unwrap();
        assert!(
            gh.issuer.is_none()
                && gh.endpoints.token.as_deref()
                    == Some("https://github.com/login/oauth/access_token"),
            "GitHub has no discovery: no issuer, and the token endpoint is preset"
        );
        let kc = apply(
            "keycloak",
            &[
                ("base".into(), "https://sso.example/".into()),
                ("realm".into(), "dev".into()),
            ],
            spec(),
        )
        .unwrap();
        assert_eq!(
            kc.issuer.as_deref(),
            Some("https://sso.example/realms/dev"),
            "base and realm make the Keycloak issuer, the trailing slash of base trimmed"
        );
        let mut mine = spec();
        mine.scopes = "openid".into();
        assert_eq!(
            apply("google", &[], mine).unwrap().scopes,
            "openid",
            "given fields win"
        );
        assert!(
            apply("nope", &[], spec()).is_err(),
            "an unknown preset id is refused"
        );
    }

    fn recorded(status: u16, content_type: &str, body: &str) -> HttpResponse {
        HttpResponse {
            url: "https://github.com/login/oauth/access_token".into(),
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn github_quirks_from_recorded_responses() {
        // Without Accept: application/json GitHub answers a form, with comma-separated scopes.
        let t = parse_token_response(&recorded(200, "application/x-www-form-urlencoded; charset=utf-8", "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer")).unwrap();
        assert_eq!(
            t.scope.as_deref(),
            Some("repo gist"),
            "GitHub's comma-separated scopes are read as a space-separated list"
        );
        assert!(
            t.token_type.eq_ignore_ascii_case("bearer"),
            "kept as sent, used as Bearer"
        );
        let codes: Vec<&str> = t.deviations.iter().map(|d| d.code.as_str()).collect();
        assert!(
            codes.contains(&"form_encoded_response")
                && codes.contains(&"scope_comma_separated")
                && codes.contains(&"token_type_casing"),
            "GitHub's form body, comma scopes and lowercase bearer are each reported: {codes:?}"
        );
        assert!(
            t.refresh_token.is_none() && t.expires_in.is_none(),
            "OAuth apps: no refresh token, no expiry"
        );
        // Errors arrive with HTTP 200.
        let e = parse_token_response(&recorded(200, "application/json; charset=utf-8", r#"{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired.","error_uri":"https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code"}"#)).unwrap_err();
        assert_eq!(
            e.oauth().map(|o| o.error.as_str()),
            Some("bad_verification_code"),
            "GitHub's error sent with HTTP 200 is read as the OAuth error it is"
        );
    }
}

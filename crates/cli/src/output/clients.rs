//! Rendering of registered clients: the `client list` table, one client's details (`client
//! show`, `add`, `register`) and the `presets` list.

use super::safe;
use oauthdesk_core::model::Client;
use oauthdesk_core::presets::Preset;

pub fn client_table(clients: &[Client]) {
    if clients.is_empty() {
        outln!(
            "No clients yet. Add one with `oauthdesk client add NAME --client-id ID --issuer URL`."
        );
        return;
    }
    let w = clients
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    outln!(
        "{:w$}  {:24}  {:19}  {:6}  WHERE",
        "NAME",
        "CLIENT ID",
        "AUTH",
        "SECRET"
    );
    for c in clients {
        let place = c
            .issuer
            .as_deref()
            .or(c.endpoints.token.as_deref())
            .map(safe)
            .unwrap_or_default();
        outln!(
            "{:w$}  {:24}  {:19}  {:6}  {}",
            safe(&c.name),
            safe(&c.client_id),
            c.auth_method.as_str(),
            if c.has_secret { "yes" } else { "-" },
            place
        );
    }
}

pub fn client_details(c: &Client) {
    outln!("name:          {}", safe(&c.name));
    outln!("client id:     {}", safe(&c.client_id));
    if let Some(i) = &c.issuer {
        outln!("issuer:        {}", safe(i));
    }
    outln!("auth method:   {}", c.auth_method.as_str());
    let secret = match (c.has_secret, c.auth_method) {
        (true, oauthdesk_core::protocol::client_auth::AuthMethod::PrivateKeyJwt) => {
            "private key stored in the OS keychain"
        }
        (true, _) => "stored in the OS keychain",
        (false, oauthdesk_core::protocol::client_auth::AuthMethod::None) => "none (public client)",
        (false, m) if m.is_mtls() => "none (the client certificate authenticates, RFC 8705 §2)",
        (false, _) => "MISSING: set it with `oauthdesk client set-secret NAME`",
    };
    outln!("secret:        {secret}");
    if let Some(cert) = &c.tls_certificate {
        outln!(
            "certificate:   {} (x5t#S256 {})",
            safe(&cert.subject),
            cert.thumbprint
        );
    }
    if let Some(jwk) = &c.public_jwk {
        outln!("public JWK:    {}", safe(&jwk.to_string()));
        outln!(
            "               (register this key at the provider; the private key never leaves the keychain)"
        );
    }
    if c.par {
        outln!("par:           pushed authorization requests (RFC 9126)");
    }
    crate::commands::jar::client_lines(c);
    if c.dpop {
        outln!("dpop:          tokens bound to a key pair in the keychain (RFC 9449)");
    }
    if let Some(pem) = &c.ca_pem {
        let count = oauthdesk_core::protocol::network::parse_pem_bundle(pem)
            .map(|certs| certs.len())
            .unwrap_or(0);
        outln!("trusted CAs:   {count} certificate(s) for this client, besides the global ones");
    }
    if let Some(d) = &c.authorization_details {
        outln!(
            "authorization_details: {} (RFC 9396, sent with every login)",
            safe(&d.to_string())
        );
    }
    if let Some(uri) = &c.registration_client_uri {
        outln!(
            "registration:  {} (RFC 7592; its access token is in the keychain)",
            safe(uri)
        );
    }
    outln!(
        "scopes:        {}",
        if c.scopes.is_empty() {
            "(none)".to_owned()
        } else {
            safe(&c.scopes)
        }
    );
    outln!("redirect uri:  {}", safe(&c.redirect_uri));
    outln!("pkce:          {}", if c.pkce { "S256" } else { "off" });
    for (k, v) in &c.extra_params {
        outln!("param:         {}={}", safe(k), safe(v));
    }
    for (label, url) in c.endpoints.all() {
        outln!(
            "{:<15}{}",
            format!("{label}:"),
            url.as_deref().map(safe).unwrap_or_else(|| "-".into())
        );
    }
    if c.insecure {
        outln!("insecure:      plain http allowed to non-loopback hosts");
    }
}

pub fn presets(all: &[Preset]) {
    for p in all {
        outln!(
            "{:10} {}  {}",
            p.id,
            p.name,
            p.issuer.unwrap_or("(no discovery: endpoints preset)")
        );
        for (k, what) in &p.vars {
            outln!("           --preset-var {k}=…  {what}");
        }
        for q in &p.quirks {
            outln!("           quirk: {q}");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::output::tests::{PWNED, assert_inert, capture};
    use oauthdesk_core::model::Client;

    #[test]
    fn client_details_and_table_escape_discovered_and_imported_text() {
        let mut c = Client::bare(Some(format!("https://issuer.example{PWNED}")));
        c.name = "demo".into();
        c.client_id = format!("id{PWNED}");
        c.scopes = format!("openid {PWNED}");
        c.redirect_uri = format!("http://127.0.0.1/cb{PWNED}");
        c.extra_params = vec![("audience".into(), format!("api{PWNED}"))];
        c.endpoints.token = Some(format!("https://issuer.example/token{PWNED}"));
        c.registration_client_uri = Some(format!("https://issuer.example/reg{PWNED}"));
        c.public_jwk = Some(serde_json::json!({ "kid": format!("k\u{9b}{PWNED}") }));
        let details = capture(|| super::client_details(&c));
        assert_inert(
            &details,
            "client show (issuer, endpoints, scopes, params, JWK)",
        );
        assert!(
            details.contains(r"issuer.example\u{1b}]0;pwned\u{7}"),
            "the escaped text is still shown, visibly: {details}"
        );
        let table = capture(|| super::client_table(std::slice::from_ref(&c)));
        assert_inert(&table, "client list (client id, issuer)");
    }
}

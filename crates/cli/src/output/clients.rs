//! Rendering of registered clients: the `client list` table, one client's details (`client
//! show`, `add`, `register`) and the `presets` list.

use oauthdesk_core::model::Client;
use oauthdesk_core::presets::Preset;

pub fn client_table(clients: &[Client]) {
    if clients.is_empty() {
        println!(
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
    println!(
        "{:w$}  {:24}  {:19}  {:6}  WHERE",
        "NAME", "CLIENT ID", "AUTH", "SECRET"
    );
    for c in clients {
        let place = c
            .issuer
            .clone()
            .or_else(|| c.endpoints.token.clone())
            .unwrap_or_default();
        println!(
            "{:w$}  {:24}  {:19}  {:6}  {}",
            c.name,
            c.client_id,
            c.auth_method.as_str(),
            if c.has_secret { "yes" } else { "-" },
            place
        );
    }
}

pub fn client_details(c: &Client) {
    println!("name:          {}", c.name);
    println!("client id:     {}", c.client_id);
    if let Some(i) = &c.issuer {
        println!("issuer:        {i}");
    }
    println!("auth method:   {}", c.auth_method.as_str());
    let secret = match (c.has_secret, c.auth_method) {
        (true, oauthdesk_core::protocol::client_auth::AuthMethod::PrivateKeyJwt) => {
            "private key stored in the OS keychain"
        }
        (true, _) => "stored in the OS keychain",
        (false, oauthdesk_core::protocol::client_auth::AuthMethod::None) => "none (public client)",
        (false, _) => "MISSING: set it with `oauthdesk client set-secret NAME`",
    };
    println!("secret:        {secret}");
    if let Some(jwk) = &c.public_jwk {
        println!("public JWK:    {jwk}");
        println!(
            "               (register this key at the provider; the private key never leaves the keychain)"
        );
    }
    if c.par {
        println!("par:           pushed authorization requests (RFC 9126)");
    }
    if c.dpop {
        println!("dpop:          tokens bound to a key pair in the keychain (RFC 9449)");
    }
    if let Some(uri) = &c.registration_client_uri {
        println!("registration:  {uri} (RFC 7592; its access token is in the keychain)");
    }
    println!(
        "scopes:        {}",
        if c.scopes.is_empty() {
            "(none)"
        } else {
            &c.scopes
        }
    );
    println!("redirect uri:  {}", c.redirect_uri);
    println!("pkce:          {}", if c.pkce { "S256" } else { "off" });
    for (k, v) in &c.extra_params {
        println!("param:         {k}={v}");
    }
    for (label, url) in c.endpoints.all() {
        println!(
            "{:<15}{}",
            format!("{label}:"),
            url.as_deref().unwrap_or("-")
        );
    }
    if c.insecure {
        println!("insecure:      plain http allowed to non-loopback hosts");
    }
}

pub fn presets(all: &[Preset]) {
    for p in all {
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

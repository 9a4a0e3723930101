//! `oauthdesk resource` and `client add --resource-url`: what the resource answered, where its
//! metadata and authorization servers are, and what departs from the specs.

use super::{finding_list, safe};
use oauthdesk_core::desk::{ResourceClient, ResourceProbe};
use oauthdesk_core::protocol::resource::as_discovery::Attempt;

fn attempts(list: &[Attempt]) {
    for a in list {
        outln!(
            "    {}  {}  ({})",
            safe(&a.url),
            safe(&a.outcome),
            safe(&a.kind)
        );
    }
}

fn words(list: &[String]) -> String {
    if list.is_empty() {
        "none".into()
    } else {
        list.iter().map(|s| safe(s)).collect::<Vec<_>>().join(" ")
    }
}

pub fn resource_probe(p: &ResourceProbe) {
    match (p.status, &p.request_error) {
        (_, Some(e)) => outln!(
            "{} {}: the request failed: {}",
            p.method,
            safe(&p.url),
            safe(e)
        ),
        (Some(s), None) => outln!("{} {} → HTTP {s}", p.method, safe(&p.url)),
        (None, None) => outln!("{} {}", p.method, safe(&p.url)),
    }
    for c in &p.challenges {
        outln!("  challenge {}:", safe(&c.scheme));
        let field = |name: &str, v: Option<&String>| {
            if let Some(v) = v {
                outln!("    {name}: {}", safe(v));
            }
        };
        field("realm", c.realm.as_ref());
        field("error", c.error.as_ref());
        field("error_description", c.error_description.as_ref());
        field("resource_metadata", c.resource_metadata.as_ref());
        if !c.scope.is_empty() {
            outln!("    scope: {}", words(&c.scope));
        }
        if !c.algs.is_empty() {
            outln!("    algs: {}", words(&c.algs));
        }
        if !c.acr_values.is_empty() {
            outln!("    acr_values: {}", words(&c.acr_values));
        }
        if let Some(m) = c.max_age {
            outln!("    max_age: {m}");
        }
    }
    if !p.other_schemes.is_empty() {
        outln!("  other schemes: {}", words(&p.other_schemes));
    }
    if p.request_error.is_some() {
        return;
    }
    outln!(
        "\nProtected resource metadata (RFC 9728) for {}:",
        safe(&p.resource)
    );
    attempts(&p.metadata_tried);
    if let Some(m) = &p.metadata {
        let md = &m.metadata;
        outln!("  resource:               {}", safe(&md.resource));
        outln!(
            "  authorization servers:  {}",
            words(&md.authorization_servers)
        );
        outln!("  scopes supported:       {}", words(&md.scopes_supported));
        outln!(
            "  bearer methods:         {}",
            words(&md.bearer_methods_supported)
        );
        if md.dpop_bound_access_tokens_required {
            outln!("  DPoP-bound tokens:      required");
        }
    } else if let Some(e) = &p.metadata_error {
        outln!("  {}", safe(e));
    }
    for s in &p.servers {
        outln!("\nAuthorization server {}:", safe(&s.issuer));
        attempts(&s.tried);
        if s.metadata.is_some() {
            outln!(
                "  PKCE S256:              {}",
                if s.pkce_s256 {
                    "advertised"
                } else {
                    "NOT advertised"
                }
            );
            outln!(
                "  dynamic registration:   {}",
                s.registration_endpoint
                    .as_deref()
                    .map_or_else(|| "no".into(), safe)
            );
            outln!(
                "  client ID metadata documents: {}",
                if s.client_id_metadata_document_supported {
                    "supported"
                } else {
                    "not advertised"
                }
            );
            if let Some(m) = &s.metadata {
                outln!(
                    "  iss in responses:       {}",
                    if m.authorization_response_iss_parameter_supported {
                        "yes (RFC 9207)"
                    } else {
                        "not advertised"
                    }
                );
            }
            outln!(
                "  resource indicators:    RFC 8707 defines no metadata for them; the login's token shows whether `resource` was honoured"
            );
        } else if let Some(e) = &s.error {
            outln!("  {}", safe(e));
        }
    }
    let scopes = p.suggested_scopes();
    if !scopes.is_empty() {
        outln!("\nScopes a client would ask for: {}", words(&scopes));
    }
    if p.findings.is_empty() {
        outln!("\nNo departures from the specs found.");
    } else {
        outln!("\nFindings:");
        finding_list(&p.findings);
    }
}

pub fn resource_client(r: &ResourceClient) {
    outln!(
        "Registered client {:?} for {} at {}.",
        safe(&r.client.name),
        safe(&r.resource),
        safe(&r.issuer)
    );
    outln!("  client id:     {}", safe(&r.client.client_id));
    outln!("  redirect URI:  {}", safe(&r.redirect_uri));
    outln!(
        "  scopes:        {}",
        if r.scopes.is_empty() {
            "none".into()
        } else {
            safe(&r.scopes)
        }
    );
    for n in &r.notes {
        outln!("  - {}", safe(n));
    }
    outln!("Next: oauthdesk login {:?}", safe(&r.client.name));
}

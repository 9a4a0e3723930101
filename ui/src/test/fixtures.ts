import type { AccessState, Client, GrantView, Headline, IpcError, RefreshState, ServerMetadata, TokenStates } from "../api";

export const NOW = 1_750_000_000;

export function meta(over: Partial<ServerMetadata> = {}): ServerMetadata {
  return {
    issuer: "https://as.example",
    authorization_endpoint: "https://as.example/authorize",
    token_endpoint: "https://as.example/token",
    userinfo_endpoint: "https://as.example/me",
    jwks_uri: "https://as.example/jwks",
    registration_endpoint: null,
    revocation_endpoint: "https://as.example/revoke",
    introspection_endpoint: "https://as.example/introspect",
    device_authorization_endpoint: "https://as.example/device",
    pushed_authorization_request_endpoint: null,
    end_session_endpoint: null,
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "client_credentials"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    code_challenge_methods_supported: ["S256"],
    id_token_signing_alg_values_supported: ["RS256"],
    authorization_response_iss_parameter_supported: true,
    require_pushed_authorization_requests: false,
    // The high-assurance members (issue 15), all absent.
    mtls_endpoint_aliases: {},
    tls_client_certificate_bound_access_tokens: false,
    require_signed_request_object: false,
    request_parameter_supported: null,
    request_object_signing_alg_values_supported: [],
    response_modes_supported: [],
    authorization_signing_alg_values_supported: [],
    authorization_details_types_supported: [],
    dpop_signing_alg_values_supported: [],
    backchannel_authentication_endpoint: null,
    backchannel_token_delivery_modes_supported: [],
    backchannel_user_code_parameter_supported: false,
    token_endpoint_auth_signing_alg_values_supported: [],
    ...over,
  };
}

export function client(over: Partial<Client> = {}): Client {
  return {
    id: `id-${over.name ?? "web"}`,
    name: "web",
    client_id: "web-client",
    issuer: "https://as.example",
    endpoints: {
      authorization: "https://as.example/authorize",
      token: "https://as.example/token",
      revocation: "https://as.example/revoke",
      introspection: null,
      userinfo: null,
      device_authorization: "https://as.example/device",
    },
    auth_method: "client_secret_basic",
    scopes: "openid profile",
    redirect_uri: "http://127.0.0.1/callback",
    extra_params: [],
    pkce: true,
    insecure: false,
    has_secret: true,
    metadata: meta(),
    id_token_alg: null,
    par: false,
    jar: "off",
    response_mode: null,
    registration_client_uri: null,
    public_jwk: null,
    dpop: false,
    ca_pem: null,
    tls_certificate: null,
    authorization_details: null,
    created_at: NOW - 86400,
    ...over,
  };
}

/** A grant's token states at NOW, by the engine's rule (crates/core/src/grant_state.rs), for
 *  fixtures of GrantSummary / GrantInspection / AuditRow. */
export function tokensOf(g: Pick<GrantView, "status" | "has_access_token" | "has_refresh_token" | "has_id_token" | "expires_at">, now = NOW): TokenStates {
  const revoked = g.status === "revoked";
  const access: AccessState = revoked || !g.has_access_token ? "revoked" : g.expires_at !== null && g.expires_at <= now ? "expired" : "active";
  const refresh: RefreshState = g.status === "needs_login" ? "rejected" : revoked || !g.has_refresh_token ? "none" : "present";
  const headline: Headline = revoked
    ? "revoked"
    : access === "active"
      ? "active"
      : g.status === "needs_login"
        ? "needs_login"
        : refresh === "present"
          ? "refreshable"
          : access === "revoked"
            ? "revoked"
            : "expired";
  return {
    headline,
    access,
    refresh,
    id_token: g.has_id_token && !revoked,
    access_expires_at: access === "revoked" ? null : g.expires_at,
    usable: access === "active" || refresh === "present",
  };
}

export function grant(over: Partial<GrantView> = {}): GrantView & { tokens: TokenStates } {
  const view: GrantView = {
    id: "g-1",
    client: "web",
    grant_type: "authorization_code",
    status: "active",
    scopes_requested: "openid profile",
    scopes_granted: "openid profile",
    token_type: "Bearer",
    has_access_token: true,
    has_refresh_token: true,
    has_id_token: true,
    expires_at: NOW + 240,
    issued_at: NOW - 3360,
    refreshed_at: null,
    last_used_at: null,
    refresh_count: 0,
    subject: "alice",
    claims: null,
    deviations: [],
    revoked_at: null,
    auto_refresh: false,
    authorization_details_requested: null,
    authorization_details_granted: null,
    ...over,
  };
  return { ...view, tokens: tokensOf(view) };
}

export function ipcError(over: Partial<IpcError> = {}): IpcError {
  return { code: "error", message: "it failed", hint: null, oauth: null, checks: null, ...over };
}

// Generated from Rust by src-tauri/src/bindings.rs (ts-rs). Do not edit by hand.

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;

export type AuthMethod = "client_secret_basic" | "client_secret_post" | "none";

export type ServerMetadata = { issuer: string, authorization_endpoint: string | null, token_endpoint: string | null, userinfo_endpoint: string | null, jwks_uri: string | null, registration_endpoint: string | null, revocation_endpoint: string | null, introspection_endpoint: string | null, device_authorization_endpoint: string | null, pushed_authorization_request_endpoint: string | null, end_session_endpoint: string | null, scopes_supported: Array<string>, response_types_supported: Array<string>, grant_types_supported: Array<string>, token_endpoint_auth_methods_supported: Array<string>, code_challenge_methods_supported: Array<string>, authorization_response_iss_parameter_supported: boolean, require_pushed_authorization_requests: boolean, };

export type Deviation = { code: string, spec: string, detail: string, };

export type OAuthError = { error: string, error_description: string | null, error_uri: string | null, 
/**
 * HTTP status, when the error came from an endpoint (not from a redirect).
 */
status: number | null, };

export type RecordedRequest = { method: string, url: string, headers: Array<[string, string]>, body: string | null, };

export type RecordedResponse = { status: number, headers: Array<[string, string]>, body: string, };

export type Exchange = { step: string, 
/**
 * Unix time in milliseconds.
 */
started_at_ms: number, duration_ms: number, request: RecordedRequest, response: RecordedResponse | null, 
/**
 * Transport failure or a note on what happened (no secret in it).
 */
note: string | null, };

export type Endpoints = { authorization: string | null, token: string | null, revocation: string | null, introspection: string | null, userinfo: string | null, device_authorization: string | null, };

export type ClientSpec = { name: string, client_id: string, issuer: string | null, endpoints: Endpoints, auth_method: AuthMethod | null, scopes: string, redirect_uri: string | null, extra_params: Array<[string, string]>, pkce: boolean, insecure: boolean, };

export type Client = { id: string, name: string, client_id: string, issuer: string | null, endpoints: Endpoints, auth_method: AuthMethod, scopes: string, redirect_uri: string, extra_params: Array<[string, string]>, pkce: boolean, insecure: boolean, 
/**
 * The secret is in the keychain; the value is never here.
 */
has_secret: boolean, metadata: ServerMetadata | null, created_at: number, };

export type GrantType = "authorization_code" | "device_code" | "client_credentials" | "password" | "implicit";

export type GrantStatus = "active" | "needs_login" | "revoked";

export type GrantView = { id: string, client: string, grant_type: GrantType, status: GrantStatus, scopes_requested: string, 
/**
 * `null` when the server omitted `scope`: same as requested (RFC 6749 §5.1).
 */
scopes_granted: string | null, token_type: string, has_access_token: boolean, has_refresh_token: boolean, has_id_token: boolean, 
/**
 * Unix seconds; `null` when the server gave no `expires_in`.
 */
expires_at: number | null, issued_at: number, refreshed_at: number | null, last_used_at: number | null, refresh_count: number, subject: string | null, 
/**
 * Claims of the ID token and of a JWT access token (decoded, not verified).
 */
claims: JsonValue | null, deviations: Array<Deviation>, revoked_at: number | null, };

export type GrantSummary = { id: string, client: string, grant_type: GrantType, status: GrantStatus, scopes_requested: string, scopes_granted: string | null, has_access_token: boolean, has_refresh_token: boolean, expires_at: number | null, issued_at: number, refreshed_at: number | null, revoked_at: number | null, };

export type FlowEvent = { "kind": "step", name: string, } | { "kind": "authorization_url", url: string, opened: boolean, } | { "kind": "waiting_for_callback", redirect_uri: string, timeout_secs: number, } | { "kind": "callback_received", iss_checked: boolean, } | { "kind": "device_code", user_code: string, verification_uri: string, verification_uri_complete: string | null, expires_in: number, opened: boolean, } | { "kind": "device_poll", remaining_secs: number, next_poll_in_secs: number, interval_secs: number, polls: number, last: string, } | { "kind": "token_received", grant_id: string, } | { "kind": "exchange", exchange: Exchange, };

export type HistoryEvent = { at: number, client: string, grant_id: string | null, kind: string, detail: string, };

export type FlowTranscript = { flow_id: string, operation: string, grant_id: string | null, at: number, exchanges: Array<Exchange>, };

export type RevokeWhich = "access" | "refresh" | "all";

export type JwtParts = { header: JsonValue, 
/**
 * `null` for JWE: the payload is encrypted.
 */
claims: JsonValue | null, encrypted: boolean, signature_length: number, };

export type TokenInfo = { present: boolean, 
/**
 * `eyJhbG…(812 chars)`: enough to recognise, not to use.
 */
preview: string | null, 
/**
 * Decoded when the token is a JWT; `null` for opaque tokens.
 */
jwt: JwtParts | null, };

export type GrantInspection = { grant: GrantView, access_token: TokenInfo, refresh_token: TokenInfo, id_token: TokenInfo, };

export type TokenKind = "access" | "refresh" | "id";

export type DecodedToken = { 
/**
 * `jws`, `jwe` or `opaque`.
 */
kind: string, jwt: JwtParts | null, 
/**
 * The compact serialization's segments, as pasted (base64url).
 */
segments: Array<string>, };

export type ApiRequest = { method: string, url: string, headers: Array<[string, string]>, body: string | null, };

export type ApiResponse = { status: number, headers: Array<[string, string]>, body: string, 
/**
 * The body re-indented when it is JSON.
 */
pretty_json: string | null, duration_ms: number, };

export type SavedRequest = { id: string, name: string, method: string, url: string, headers: Array<[string, string]>, body: string, };

export type Settings = { 
/**
 * `system`, `light` or `dark`.
 */
theme: string, 
/**
 * Clock-skew tolerance for expiry checks, in seconds.
 */
clock_skew_secs: number, };

export type KeychainStatus = { available: boolean, backend: string, problem: string | null, };

export type AppInfo = { name: string, version: string, data_dir: string, };

export type LoginRequest = { grant: GrantType, scope: string | null, extra_params: Array<[string, string]>, username: string | null, 
/**
 * Only for the legacy password grant; goes straight to the token request.
 */
password: string | null, };

export type IpcError = { code: string, message: string, hint: string | null, oauth: OAuthError | null, };

// Generated from Rust by src-tauri/src/bindings.rs (ts-rs). Do not edit by hand.

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;

export type AuthMethod = "client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "private_key_jwt" | "tls_client_auth" | "self_signed_tls_client_auth" | "none";

export type JarMode = "off" | "value" | "par";

export type ServerMetadata = { issuer: string, authorization_endpoint: string | null, token_endpoint: string | null, userinfo_endpoint: string | null, jwks_uri: string | null, registration_endpoint: string | null, revocation_endpoint: string | null, introspection_endpoint: string | null, device_authorization_endpoint: string | null, pushed_authorization_request_endpoint: string | null, end_session_endpoint: string | null, scopes_supported: Array<string>, response_types_supported: Array<string>, grant_types_supported: Array<string>, token_endpoint_auth_methods_supported: Array<string>, code_challenge_methods_supported: Array<string>, id_token_signing_alg_values_supported: Array<string>, authorization_response_iss_parameter_supported: boolean, require_pushed_authorization_requests: boolean, 
/**
 * RFC 8705 §5: the endpoints to use with a TLS client certificate.
 */
mtls_endpoint_aliases: Record<string, string>, 
/**
 * RFC 8705 §3.3.
 */
tls_client_certificate_bound_access_tokens: boolean, 
/**
 * RFC 9101 §10.5.
 */
require_signed_request_object: boolean, 
/**
 * OIDC Discovery §3 (default false when absent).
 */
request_parameter_supported: boolean | null, request_object_signing_alg_values_supported: Array<string>, response_modes_supported: Array<string>, 
/**
 * JARM §6.
 */
authorization_signing_alg_values_supported: Array<string>, 
/**
 * RFC 9396 §10.
 */
authorization_details_types_supported: Array<string>, 
/**
 * RFC 9449 §5.1.
 */
dpop_signing_alg_values_supported: Array<string>, 
/**
 * OpenID CIBA Core §4.
 */
backchannel_authentication_endpoint: string | null, backchannel_token_delivery_modes_supported: Array<string>, backchannel_user_code_parameter_supported: boolean, token_endpoint_auth_signing_alg_values_supported: Array<string>, };

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

export type ClientSpec = { name: string, client_id: string, issuer: string | null, endpoints: Endpoints, auth_method: AuthMethod | null, scopes: string, redirect_uri: string | null, extra_params: Array<[string, string]>, pkce: boolean, insecure: boolean, 
/**
 * The ID token signing algorithm registered for this client (`id_token_signed_response_alg`);
 * `null` accepts what the server advertises, else RS256 (OIDC Registration §2).
 */
id_token_alg: string | null, 
/**
 * Send authorization requests as pushed authorization requests (RFC 9126). Used anyway
 * when the server's metadata says `require_pushed_authorization_requests`.
 */
par: boolean, 
/**
 * Signed request objects (RFC 9101): off, by value, or through PAR. Used by value anyway
 * when the server (or the client's registration) says `require_signed_request_object`.
 */
jar: JarMode, 
/**
 * `response_mode` to ask for: `null` for the default (query for `code`), `form_post`,
 * `fragment`, or a JWT mode (JARM): `jwt`, `query.jwt`, `fragment.jwt`, `form_post.jwt`.
 */
response_mode: string | null, 
/**
 * Bind tokens to a key with DPoP (RFC 9449).
 */
dpop: boolean, 
/**
 * Extra trusted CA certificates (PEM) for this client's requests, added to the global ones
 * (Settings → Network). Public certificates, not secrets.
 */
ca_pem: string | null, 
/**
 * Default `authorization_details` (RFC 9396): a JSON array of objects with a `type`.
 */
authorization_details?: Array<unknown> | null, };

export type CertificateInfo = { 
/**
 * The subject DN (RFC 4514 form, e.g. `CN=desk-client, O=Example`), control characters
 * escaped.
 */
subject: string, issuer: string, 
/**
 * `x5t#S256`: base64url SHA-256 of the certificate's DER (RFC 8705 §3.1).
 */
thumbprint: string, 
/**
 * Unix seconds.
 */
not_before: number, not_after: number, 
/**
 * Subject and issuer are the same name (`self_signed_tls_client_auth`, RFC 8705 §2.2).
 */
self_signed: boolean, 
/**
 * Certificates in the chain, the client's own first.
 */
chain_length: number, };

export type CertificateImport = { "kind": "pem", certificate: string, key: string | null, } | { "kind": "pkcs12_file", path: string, password: string, };

export type Client = { id: string, name: string, client_id: string, issuer: string | null, endpoints: Endpoints, auth_method: AuthMethod, scopes: string, redirect_uri: string, extra_params: Array<[string, string]>, pkce: boolean, insecure: boolean, 
/**
 * The secret is in the keychain; the value is never here.
 */
has_secret: boolean, metadata: ServerMetadata | null, id_token_alg: string | null, par: boolean, 
/**
 * Signed request objects (RFC 9101); see `ClientSpec`.
 */
jar: JarMode, 
/**
 * The `response_mode` asked for (JARM's JWT modes included); see `ClientSpec`.
 */
response_mode: string | null, 
/**
 * Registered dynamically (RFC 7591): where the registration is read, updated and deleted
 * (RFC 7592). Its access token is in the keychain.
 */
registration_client_uri: string | null, 
/**
 * private_key_jwt: the public half of the client's key (RFC 7517), to register at the
 * provider. The private half is the client's keychain secret.
 */
public_jwk: JsonValue | null, 
/**
 * DPoP (RFC 9449): token and API requests carry proofs of the client's DPoP key.
 */
dpop: boolean, 
/**
 * Extra trusted CA certificates (PEM) for this client's requests (see `ClientSpec`).
 */
ca_pem: string | null, 
/**
 * What that certificate says: subject, thumbprint (`x5t#S256`), validity.
 */
tls_certificate: CertificateInfo | null, 
/**
 * Default `authorization_details` (RFC 9396) sent with every login (see `ClientSpec`).
 */
authorization_details: Array<unknown> | null, created_at: number, };

export type GrantType = "authorization_code" | "device_code" | "client_credentials" | "password" | "implicit" | "token_exchange" | "ciba" | "jwt_bearer";

export type GrantStatus = "active" | "needs_login" | "revoked";

export type GrantView = { id: string, client: string, grant_type: GrantType, status: GrantStatus, scopes_requested: string, 
/**
 * `null` when the server omitted `scope`: same as requested (RFC 6749 §5.1).
 */
scopes_granted: string | null, token_type: string, has_access_token: boolean, has_refresh_token: boolean, has_id_token: boolean, 
/**
 * Unix seconds; `null` when the server gave no `expires_in`.
 */
expires_at: number | null, issued_at: number, refreshed_at: number | null, last_used_at: number | null, 
/**
 * The tool the access token was last handed to ("git for github.com", "exec for make");
 * `null` when it was only used inside OAuth Desk.
 */
last_used_by?: string | null, refresh_count: number, subject: string | null, 
/**
 * Claims of the ID token and of a JWT access token (decoded, not verified).
 */
claims: JsonValue | null, deviations: Array<Deviation>, revoked_at: number | null, 
/**
 * Refreshed before it expires while the app runs.
 */
auto_refresh: boolean, 
/**
 * `authorization_details` sent (RFC 9396 §2) and granted (§7: token response, else the JWT
 * access token's claim §9.1). Metadata, not secrets.
 */
authorization_details_requested: Array<unknown> | null, authorization_details_granted: Array<unknown> | null, };

export type AccessState = "active" | "expired" | "revoked";

export type RefreshState = "present" | "rejected" | "none";

export type Headline = "active" | "refreshable" | "expired" | "needs_login" | "revoked";

export type TokenStates = { headline: Headline, access: AccessState, refresh: RefreshState, id_token: boolean, 
/**
 * When the access token expires (Unix seconds), for an active or expired one that had an
 * expiry; `null` otherwise. "expires in" is shown only while `access` is active.
 */
access_expires_at: number | null, 
/**
 * Whether a call with this grant can go ahead now: an active access token, or a refresh
 * token to get one.
 */
usable: boolean, };

export type GrantSummary = { id: string, client: string, grant_type: GrantType, status: GrantStatus, scopes_requested: string, scopes_granted: string | null, has_access_token: boolean, has_refresh_token: boolean, expires_at: number | null, issued_at: number, refreshed_at: number | null, revoked_at: number | null, 
/**
 * The ID token's `sub` (or the introspected one), to tell grants of one client apart.
 */
subject: string | null, last_used_at?: number | null, 
/**
 * The tool the access token was last handed to (see [`GrantView::last_used_by`]).
 */
last_used_by?: string | null, 
/**
 * What the grant holds at the time of the listing (crate::grant_state).
 */
tokens: TokenStates, };

export type GrantPage = { 
/**
 * All grants matching (of the client, or of all clients).
 */
total: number, 
/**
 * Names of the clients that have grants, for the list's filter.
 */
clients: Array<string>, offset: number, rows: Array<GrantSummary>, };

export type FlowEvent = { "kind": "started", flow_id: string, } | { "kind": "step", name: string, } | { "kind": "authorization_url", url: string, opened: boolean, } | { "kind": "waiting_for_callback", redirect_uri: string, timeout_secs: number, } | { "kind": "callback_received", iss_checked: boolean, } | { "kind": "device_code", user_code: string, verification_uri: string, verification_uri_complete: string | null, expires_in: number, opened: boolean, } | { "kind": "device_poll", remaining_secs: number, next_poll_in_secs: number, interval_secs: number, polls: number, last: string, } | { "kind": "token_received", grant_id: string, } | { "kind": "ciba_requested", login_hint: string | null, binding_message: string | null, 
/**
 * `poll` or `ping`.
 */
mode: string, expires_in: number, interval_secs: number, 
/**
 * Ping mode: where the server's notification is awaited.
 */
notification_endpoint: string | null, } | { "kind": "ciba_wait", mode: string, remaining_secs: number, 
/**
 * Poll mode only.
 */
next_poll_in_secs: number | null, interval_secs: number, polls: number, 
/**
 * `waiting`, `authorization_pending`, `slow_down`, or `notified` (ping).
 */
last: string, } | { "kind": "exchange", exchange: Exchange, };

export type HistoryEvent = { at: number, client: string, grant_id: string | null, kind: string, detail: string, 
/**
 * The flow whose transcript this event left (logins), for `flow_transcript`.
 */
flow_id: string | null, 
/**
 * How to run this login again (login events only).
 */
rerun: RerunOptions | null, };

export type RerunOptions = { grant: GrantType, scope: string | null, extra_params: Array<[string, string]>, username: string | null, };

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

export type DetailStatus = "granted" | "narrowed" | "broadened" | "added" | "missing";

export type DetailComparison = { type: string, status: DetailStatus, requested: Array<unknown>, granted: Array<unknown>, 
/**
 * In words, e.g. "granted with less: actions [read_transactions] left out".
 */
note: string, };

export type GrantInspection = { grant: GrantView, access_token: TokenInfo, refresh_token: TokenInfo, id_token: TokenInfo, 
/**
 * What the grant holds now (crate::grant_state): the same words as its list row.
 */
tokens: TokenStates, 
/**
 * `authorization_details` requested beside granted, per type (RFC 9396 §7).
 */
authorization_details: Array<DetailComparison>, };

export type TokenKind = "access" | "refresh" | "id";

export type DecodedToken = { 
/**
 * `jws`, `unsigned` (`alg: none`), `jwe`, `opaque` or `malformed`.
 */
kind: string, 
/**
 * What it is, in words: "signed JWT (JWS, RS256)", "unsigned JWT (alg: none)", …
 */
label: string, jwt: JwtParts | null, 
/**
 * The compact serialization's segments, as pasted (base64url); none for an opaque token.
 */
segments: Array<string>, 
/**
 * Why a malformed JWT does not decode: which segment, and what is wrong with it.
 */
problem: string | null, 
/**
 * The failing segment (from 0), when one is at fault.
 */
problem_segment: number | null, };

export type ApiRequest = { method: string, url: string, headers: Array<[string, string]>, body: string | null, };

export type ApiResponse = { 
/**
 * The grant whose token was sent.
 */
grant_id: string, status: number, headers: Array<[string, string]>, body: string, 
/**
 * The body re-indented when it is JSON.
 */
pretty_json: string | null, duration_ms: number, 
/**
 * A refusal (401, 403, or any failure with a Bearer/DPoP challenge) explained in words.
 */
challenge: CallChallenge | null, 
/**
 * The new login that would satisfy the API, when one could.
 */
step_up: StepUpPlan | null, };

export type ChallengeKind = "insufficient_scope" | "insufficient_user_authentication" | "invalid_token" | "invalid_request" | "use_dpop_nonce" | "invalid_dpop_proof" | "other_error" | "no_error" | "not_oauth" | "no_challenge";

export type TokenVerdict = "revoked" | "expired" | "other_resource" | "not_explained";

export type CallChallenge = { kind: ChallengeKind, 
/**
 * The scheme of the challenge explained (`Bearer`, `DPoP`, as sent).
 */
scheme: string | null, error: string | null, error_description: string | null, summary: string, details: Array<string>, 
/**
 * The challenge's `scope` (RFC 6750 §3).
 */
required_scopes: Array<string>, 
/**
 * Of those, the ones the grant was not granted.
 */
missing_scopes: Array<string>, 
/**
 * RFC 9470 §3.
 */
acr_values: Array<string>, max_age: number | null, token: TokenVerdict | null, 
/**
 * RFC 9728 §5.1, as the challenge named it.
 */
resource_metadata: string | null, 
/**
 * The resource the API's metadata names, when it was fetched and could be used.
 */
api_resource: string | null, problems: Array<string>, };

export type StepUpPlan = { 
/**
 * The grant whose call was refused.
 */
grant_id: string, 
/**
 * Its client's name.
 */
client: string, grant_type: GrantType, 
/**
 * Space-separated: the grant's scopes and the challenge's.
 */
scope: string, 
/**
 * The scopes the grant did not ask for before.
 */
added_scopes: Array<string>, acr_values: Array<string>, max_age: number | null, 
/**
 * `prompt=login` (OIDC Core §3.1.2.1): the user authenticates again.
 */
prompt_login: boolean, 
/**
 * The resource indicator (RFC 8707).
 */
resource: string | null, reason: string, notes: Array<string>, };

export type SteppedUp = { grant: GrantView, response: ApiResponse, 
/**
 * What the new grant holds against what was asked for (an `acr` the server did not give).
 */
notes: Array<string>, };

export type SavedRequest = { id: string, name: string, method: string, url: string, headers: Array<[string, string]>, body: string, };

export type Settings = { 
/**
 * `system`, `light` or `dark`.
 */
theme: string, 
/**
 * Clock-skew tolerance for expiry checks, in seconds.
 */
clock_skew_secs: number, 
/**
 * Proxy, extra trusted CA certificates and request timeout (see `desk/network.rs`).
 */
network: NetworkSettings, };

export type NetworkSettings = { proxy: ProxyMode, 
/**
 * The explicit proxy, e.g. `http://proxy.corp:3128` (http, https, socks5, socks5h); never
 * holds a password (a password given in it goes to the keychain).
 */
proxy_url: string | null, 
/**
 * Hosts the explicit proxy is not used for, comma-separated as `NO_PROXY`
 * (`localhost,127.0.0.1,.corp.example`).
 */
no_proxy: string, 
/**
 * The explicit proxy's password is stored in the keychain. Set it to `false` to forget it.
 */
proxy_password_stored: boolean, 
/**
 * Extra trusted CA certificates (PEM, one or several), added to the system's roots for
 * every request.
 */
ca_pem: string | null, 
/**
 * Request timeout in seconds (1–600); `null` keeps the default (30 s).
 */
timeout_secs: number | null, };

export type ProxyMode = "system" | "none" | "explicit";

export type KeychainStatus = { available: boolean, backend: string, problem: string | null, };

export type CheckStatus = "pass" | "fail" | "warn" | "not_applicable";

export type Check = { name: string, status: CheckStatus, code: string | null, reason: string, spec: string, };

export type TokenFindings = { 
/**
 * `id_token`, `access_token`, `refresh_token`, or `token` (pasted).
 */
token: string, 
/**
 * `jws`, `jwe`, `opaque` or `absent`.
 */
format: string, 
/**
 * What the token was checked as, and why (`ID token (OIDC Core §3.1.3.7)`, …).
 */
checked_as: string | null, header: JsonValue | null, claims: JsonValue | null, checks: Array<Check>, 
/**
 * The introspection response (RFC 7662) for an opaque token, when asked.
 */
introspection: JsonValue | null, };

export type ScopeComparison = { requested: Array<string>, 
/**
 * The token response's `scope`; `null` when the server omitted it.
 */
response: Array<string> | null, 
/**
 * Says what an omitted `scope` means (RFC 6749 §5.1) or where `granted` came from.
 */
note: string, access_token_claim: Array<string> | null, introspection: Array<string> | null, 
/**
 * The best-known granted set: introspection, else the response, else the token's claim,
 * else the requested set (RFC 6749 §5.1).
 */
granted: Array<string>, not_granted: Array<string>, not_requested: Array<string>, };

export type Inspection = { grant: GrantView, issuer: string | null, tokens: Array<TokenFindings>, scopes: ScopeComparison, 
/**
 * Number of failed checks; 0 means every applicable check passed.
 */
failed: number, };

export type VerifyOptions = { issuer: string | null, keys: string | null, 
/**
 * A registered client: its id is the expected audience, its secret the HMAC key.
 */
client: string | null, nonce: string | null, 
/**
 * Overrides the clock-skew setting.
 */
skew_secs: number | null, 
/**
 * A shared secret for HS256/384/512 (RFC 7518 §3.2), verified locally, never stored.
 */
secret: string | null, 
/**
 * Without a key source, decode only ("not verified") instead of discovering the token's
 * own `iss`: the Decode screen verifies live, and a claim is no key source.
 */
skip_token_issuer: boolean, };

export type TokenVerification = { findings: TokenFindings, 
/**
 * Where the keys came from.
 */
keys: string | null, failed: number, 
/**
 * The one answer: valid (signature verified, times valid), invalid with the reason, or
 * decoded but not verified.
 */
verdict: Verdict, };

export type VerdictStatus = "valid" | "invalid" | "unverified";

export type Verdict = { status: VerdictStatus, 
/**
 * `unsigned`, `bad_signature`, `unknown_key`, `expired`, `not_yet_valid`, … or, for
 * an unverified token, `not_verified`, `encrypted`, `opaque`.
 */
code: string | null, 
/**
 * "Expired", "Unsigned token (alg: none)", "Signature verified".
 */
title: string, 
/**
 * The leading check's reason, and the other failures after it.
 */
reason: string, };

export type AuditRow = { grant_id: string, client: string, grant_type: GrantType, status: GrantStatus, subject: string | null, scopes_requested: Array<string>, scopes_granted: Array<string>, 
/**
 * True when the server omitted `scope`, so the granted set is the requested one (RFC 6749 §5.1).
 */
scope_omitted: boolean, not_granted: Array<string>, not_requested: Array<string>, 
/**
 * Granted a strict superset of what was asked.
 */
over_privileged: boolean, expires_at: number | null, has_refresh_token: boolean, issued_at: number, last_used_at: number | null, 
/**
 * The tool the access token was last handed to ("git for github.com").
 */
last_used_by?: string | null, revoked: boolean, revoked_at: number | null, 
/**
 * What the grant holds at the time of the audit (crate::grant_state).
 */
tokens: TokenStates, 
/**
 * `authorization_details` types the grant holds (RFC 9396): granted, else requested.
 */
authorization_details_types: Array<string>, 
/**
 * Requested beside granted, per type; a type added or broadened makes `over_privileged`.
 */
authorization_details: Array<DetailComparison>, };

export type AuditPage = { 
/**
 * All grants matching the filter.
 */
total: number, 
/**
 * Names of the clients that have grants, for the screen's client filter.
 */
clients: Array<string>, offset: number, rows: Array<AuditRow>, };

export type AuditFilter = { client: string | null, 
/**
 * Only grants that were granted this scope.
 */
scope: string | null, 
/**
 * Only grants not revoked whose access token expires within this many seconds (or has expired).
 */
expiring_within_secs: number | null, 
/**
 * Only grants that got more than they asked for.
 */
over_privileged: boolean, 
/**
 * Leave revoked grants out.
 */
hide_revoked: boolean, 
/**
 * Only grants holding this `authorization_details` type (RFC 9396).
 */
authorization_details_type?: string | null, };

export type AuditFormat = "json" | "csv" | "markdown";

export type Severity = "violation" | "advice";

export type Finding = { code: string, severity: Severity, spec: string, detail: string, 
/**
 * What OAuth Desk did about it.
 */
action: string, 
/**
 * Where it was seen: `metadata`, `token endpoint`, `callback`, `grants`, …
 */
source: string, occurrences: number, };

export type ProviderReport = { client: string, issuer: string | null, flows_checked: number, exchanges_checked: number, grants_checked: number, findings: Array<Finding>, };

export type Outcome = "violation" | "advice" | "passed" | "not_observed";

export type ProfileCheck = { code: string, outcome: Outcome, 
/**
 * The profile's section (and item), e.g. `FAPI 2.0 SP §5.3.2.2 (5)`.
 */
section: string, 
/**
 * The rule, in words.
 */
requirement: string, 
/**
 * What was seen (or why nothing could be).
 */
detail: string, 
/**
 * Where: `metadata`, or the recorded step (`pushed authorization request`, …).
 */
source: string, 
/**
 * How many times it was seen (exchanges).
 */
occurrences: number, };

export type ProfileVerdict = "not_conformant" | "conformant_for_what_was_observed";

export type ProfileReport = { client: string, issuer: string | null, 
/**
 * `fapi2`.
 */
profile: string, 
/**
 * The profile's title and version.
 */
profile_name: string, verdict: ProfileVerdict, 
/**
 * "FAPI 2.0: not conformant — 7 violations" / "… conformant for what was observed".
 */
summary: string, violations: number, advice: number, flows_checked: number, exchanges_checked: number, 
/**
 * Violations first, then advice.
 */
findings: Array<Finding>, passed: Array<ProfileCheck>, not_observed: Array<ProfileCheck>, };

export type CibaSettings = { delivery_mode: DeliveryMode, notification_endpoint: string | null, has_tls_certificate: boolean, };

export type DeliveryMode = "poll" | "ping";

export type HighAssuranceLogin = { login_hint: string | null, binding_message: string | null, user_code: string | null, 
/**
 * `null`: the client's registered mode, else poll.
 */
ciba_mode: DeliveryMode | null, requested_expiry: number | null, 
/**
 * A pasted assertion (RFC 7523 §2.1); goes straight to the token request.
 */
assertion: string | null, 
/**
 * Claims (a JSON object) for an assertion signed with the client's key or secret.
 */
assertion_claims: string | null, };

export type CibaSettingsInput = { delivery_mode: DeliveryMode, 
/**
 * `null` keeps the current endpoint, `""` removes it.
 */
notification_endpoint: string | null, 
/**
 * A new certificate chain (PEM) for an https endpoint, with `tls_key_pem`.
 */
tls_cert_pem: string | null, tls_key_pem: string | null, clear_tls: boolean, };

export type ImportReport = { 
/**
 * What the file was read as: `oauthdesk` or `postman`.
 */
source: string, added: Array<string>, 
/**
 * Name and reason, for clients that were not added.
 */
skipped: Array<[string, string]>, 
/**
 * Added clients that still need their secret (`oauthdesk client set-secret NAME`).
 */
need_secret: Array<string>, 
/**
 * Secrets from the file that were moved into the keychain (`--with-secrets`).
 */
secrets_stored: Array<string>, };

export type LogoutOutcome = { grant_id: string, 
/**
 * The server ended the user's session and came back with our `state`.
 */
ended_at_server: boolean, 
/**
 * Why the server was not asked, when it was not.
 */
server_note: string | null, revoked: boolean, revoke_note: string | null, forgotten: boolean, };

export type RegistrationRequest = { 
/**
 * The local name, also sent as `client_name`.
 */
name: string, issuer: string, scopes: string, auth_method: AuthMethod, 
/**
 * Defaults to authorization_code and refresh_token.
 */
grant_types: Array<string>, id_token_alg: string | null, insecure: boolean, 
/**
 * The exact redirect URI to register and use for every login of this client, e.g. a
 * loopback URI with a fixed port (servers that compare redirect URIs as exact strings,
 * not by RFC 8252 §7.3's any-port rule). Default: loopback on any port.
 */
redirect_uri: string | null, 
/**
 * Parameters the client sends with every authorization and token request (e.g.
 * `resource`, RFC 8707).
 */
extra_params: Array<[string, string]>, 
/**
 * Bind tokens with DPoP (RFC 9449).
 */
dpop: boolean, };

export type ExchangeRequest = { subject: TokenSource, actor: TokenSource | null, requested_token_type: string | null, audience: string | null, resource: string | null, scope: string | null, };

export type TokenSource = { "kind": "grant", grant_id: string, token: TokenKind, } | { "kind": "pasted", token: string, token_type: string, };

export type Preset = { id: string, name: string, 
/**
 * Issuer with `{placeholders}` (see `vars`), or `null` when the provider has no discovery.
 */
issuer: string | null, 
/**
 * Explicit endpoints for providers without discovery.
 */
authorization_endpoint: string | null, token_endpoint: string | null, revocation_endpoint: string | null, device_authorization_endpoint: string | null, scopes: string, 
/**
 * Extra authorization parameters, values may hold `{placeholders}`.
 */
extra_params: Array<[string, string]>, 
/**
 * The placeholders to fill, with what they mean.
 */
vars: Array<[string, string]>, 
/**
 * Each quirk in words, and what OAuth Desk does about it.
 */
quirks: Array<string>, };

export type Environment = { id: string, name: string, active: boolean, variables: Array<Variable>, };

export type Variable = { name: string, value: string | null, secret: boolean, };

export type EnvironmentImport = { environment: string, 
/**
 * Whether the environment existed (its variables of the same names were replaced).
 */
existed: boolean, variables: number, 
/**
 * How many went into the keychain.
 */
secrets: number, 
/**
 * Entries left out, with why.
 */
skipped: Array<string>, };

export type ResourceChallenge = { 
/**
 * `Bearer` or `DPoP`, as sent (case kept).
 */
scheme: string, realm: string | null, 
/**
 * RFC 6750 §3: space-delimited.
 */
scope: Array<string>, 
/**
 * `invalid_request`, `invalid_token`, `insufficient_scope` (RFC 6750 §3.1),
 * `insufficient_user_authentication` (RFC 9470 §3), `use_dpop_nonce`, `invalid_dpop_proof`
 * (RFC 9449 §7.1, §9), or any other value as sent.
 */
error: string | null, error_description: string | null, error_uri: string | null, 
/**
 * RFC 9728 §5.1.
 */
resource_metadata: string | null, 
/**
 * DPoP, RFC 9449 §7.1: space-delimited.
 */
algs: Array<string>, 
/**
 * RFC 9470 §3: space-delimited.
 */
acr_values: Array<string>, 
/**
 * RFC 9470 §3, seconds; `None` when absent or not a non-negative integer (then a problem).
 */
max_age: number | null, 
/**
 * What is wrong with this challenge's values, in words (display-safe): duplicated
 * parameters, a `max_age` that is no number, a token68 instead of parameters, ….
 */
problems: Array<string>, };

export type Attempt = { url: string, 
/**
 * "RFC 8414" or "OpenID Connect Discovery".
 */
kind: string, 
/**
 * "found", "HTTP 404", or why the answer could not be used.
 */
outcome: string, };

export type MetadataSource = "challenge" | "well_known" | "well_known_root";

export type ResourceMatch = "identical" | "parent_path";

export type SignedMetadata = { iss: string | null, alg: string | null, 
/**
 * Members whose signed value differs from the plain one (the signed value wins, §2.2).
 */
differs: Array<string>, 
/**
 * Why it could not be read, when it could not.
 */
unreadable: string | null, };

export type ResourceMetadata = { resource: string, authorization_servers: Array<string>, jwks_uri: string | null, scopes_supported: Array<string>, bearer_methods_supported: Array<string>, resource_signing_alg_values_supported: Array<string>, resource_name: string | null, resource_documentation: string | null, tls_client_certificate_bound_access_tokens: boolean, authorization_details_types_supported: Array<string>, dpop_signing_alg_values_supported: Array<string>, dpop_bound_access_tokens_required: boolean, 
/**
 * `signed_metadata` was present (§2.2); see [`SignedMetadata`].
 */
signed: SignedMetadata | null, };

export type FetchedMetadata = { url: string, source: MetadataSource, metadata: ResourceMetadata, matched: ResourceMatch, 
/**
 * Tolerated deviations, in words with their section.
 */
problems: Array<string>, };

export type McpSession = { 
/**
 * Whoever holds it can act in the session, so it is never serialized (CLI JSON, IPC): only
 * whether there is one shows, as `"[redacted]"`. It is redacted in transcripts too.
 */
session_id: string | null, protocol_version: string | null, server_name: string | null, server_version: string | null, };

export type McpTool = { name: string, title: string | null, description: string | null, };

export type ProbeOptions = { 
/**
 * GET (default) or POST.
 */
method: string | null, 
/**
 * Send an MCP `initialize` JSON-RPC POST with the Streamable HTTP headers.
 */
mcp: boolean, 
/**
 * Allow plain http to non-loopback authorization servers.
 */
insecure: boolean, };

export type ServerProbe = { issuer: string, 
/**
 * Every metadata location tried, in order, with what it answered.
 */
tried: Array<Attempt>, found_at: string | null, 
/**
 * Why no metadata could be used, in words.
 */
error: string | null, metadata: ServerMetadata | null, pkce_s256: boolean, registration_endpoint: string | null, 
/**
 * The server accepts a client ID that is the URL of a Client ID Metadata Document.
 */
client_id_metadata_document_supported: boolean, acr_values_supported: Array<string>, dpop_signing_alg_values_supported: Array<string>, };

export type ResourceProbe = { url: string, method: string, 
/**
 * The resource identifier the metadata must name (the URL without its fragment).
 */
resource: string, status: number | null, 
/**
 * Why the request itself failed (unreachable, TLS, timeout), in words.
 */
request_error: string | null, 
/**
 * The Bearer and DPoP challenges, in order.
 */
challenges: Array<ResourceChallenge>, 
/**
 * Other schemes offered (Basic, Negotiate, …).
 */
other_schemes: Array<string>, 
/**
 * What could not be parsed in `WWW-Authenticate`.
 */
challenge_problems: Array<string>, 
/**
 * Every metadata location tried, in order.
 */
metadata_tried: Array<Attempt>, metadata: FetchedMetadata | null, 
/**
 * Why the metadata was refused (RFC 9728 §3.3) or could not be read.
 */
metadata_error: string | null, servers: Array<ServerProbe>, 
/**
 * The MCP protocol revision the server negotiated, when it answered `initialize` without
 * a token (an open server).
 */
mcp_protocol_version: string | null, findings: Array<Finding>, exchanges: Array<Exchange>, };

export type ClientIdentity = { "kind": "existing", client_id: string, } | { "kind": "register" } | { "kind": "metadata_document", url: string, };

export type ResourceClientRequest = { name: string, resource_url: string, 
/**
 * Which of the metadata's authorization servers (required when it names several).
 */
issuer: string | null, identity: ClientIdentity, 
/**
 * Overrides the suggested scopes.
 */
scope: string | null, 
/**
 * Knock with an MCP `initialize` instead of a GET.
 */
mcp: boolean, insecure: boolean, };

export type ResourceClient = { client: Client, resource: string, issuer: string, scopes: string, redirect_uri: string, 
/**
 * What was decided, in words (scopes' origin, redirect URI, CIMD checks).
 */
notes: Array<string>, probe: ResourceProbe, };

export type McpOptions = { 
/**
 * Use this client (by name) instead of finding or making one.
 */
client: string | null, 
/**
 * A Client ID Metadata Document URL to be the client with, when the server supports them.
 */
client_id_metadata_url: string | null, 
/**
 * Present this client's current token (one for another resource, which you accept to show
 * this server) to test that the server checks the audience.
 */
probe_audience: string | null, 
/**
 * Never open a browser: a needed login ends the flow with `login_needed`.
 */
no_login: boolean, 
/**
 * Print the authorization URL instead of opening the browser.
 */
no_open: boolean, insecure: boolean, };

export type McpOutcome = "completed" | "must_broken" | "failed" | "login_needed";

export type McpStep = { name: string, ok: boolean, detail: string, };

export type RevisionVerdict = { revision: string, 
/**
 * The server negotiated this revision in `initialize`.
 */
followed: boolean, musts_broken: number, 
/**
 * What it does right (`passed`) and what it misses, each with the section.
 */
passed: Array<string>, findings: Array<Finding>, };

export type McpReport = { url: string, outcome: McpOutcome, 
/**
 * Why the flow stopped, in words.
 */
error: string | null, steps: Array<McpStep>, probe: ResourceProbe | null, 
/**
 * The client used, by name.
 */
client: string | null, 
/**
 * How the client was obtained, when it was made now.
 */
client_made: string | null, 
/**
 * A browser login happened in this run.
 */
logged_in: boolean, grant_id: string | null, session: McpSession | null, tools: Array<McpTool>, 
/**
 * Deviations of the MCP messages themselves (session id, versions).
 */
problems: Array<string>, revisions: Array<RevisionVerdict>, flow_id: string, };

export type ProbeAnswer = { probe: ResourceProbe, suggested_scopes: Array<string>, };

export type AppInfo = { name: string, version: string, data_dir: string, };

export type LoginRequest = { grant: GrantType, scope: string | null, extra_params: Array<[string, string]>, username: string | null, 
/**
 * Only for the legacy password grant; goes straight to the token request.
 */
password: string | null, 
/**
 * Rich authorization request (RFC 9396) for this login, instead of the client's default.
 */
authorization_details?: Array<unknown> | null, 
/**
 * CIBA and JWT bearer options (login hint, binding message, mode; assertion or claims).
 */
high_assurance?: HighAssuranceLogin | null, };

export type LoginResult = { flow_id: string, grant: GrantView, };

export type IpcError = { code: string, message: string, hint: string | null, 
/**
 * Boxed: most errors have none, and the rest of the error stays small.
 */
oauth: OAuthError | null, 
/**
 * The failed checks of an ID token a login refused (OIDC Core §3.1.3.7).
 */
checks: Array<Check> | null, };

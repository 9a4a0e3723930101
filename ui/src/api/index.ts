// The one module that talks to the Rust side. Components import from here, never from
// @tauri-apps/* directly, so tests mock this file and nothing else. Types come from
// ../bindings.ts, generated from the Rust types (src-tauri/src/bindings.rs).
// Command arguments are camelCase (Tauri converts them); struct fields stay snake_case.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  ApiRequest, ApiResponse, AppInfo, Environment, EnvironmentImport, AuditFilter, ExchangeRequest, AuditFormat, AuditPage, Client, ClientSpec, DecodedToken, FlowEvent, FlowTranscript,
  GrantInspection, GrantPage, GrantSummary, GrantView, HistoryEvent, ImportReport, Inspection, LogoutOutcome, Preset, IpcError, JsonValue, KeychainStatus, LoginRequest, LoginResult,
  ProfileReport, ProviderReport, RecordedRequest, RecordedResponse, RegistrationRequest, RevokeWhich, SavedRequest, ServerMetadata, Settings, TokenKind, TokenVerification, VerifyOptions,
  McpOptions, McpReport, ProbeAnswer, ProbeOptions, ResourceClient, ResourceClientRequest,
  StepUpPlan, SteppedUp,
  CibaSettings, CibaSettingsInput,
  CertificateImport,
} from "../bindings";

export type * from "../bindings";

/** Errors from commands are `IpcError`s: `{ code, message, hint, oauth }`. */
export function isIpcError(e: unknown): e is IpcError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

export const appInfo = () => invoke<AppInfo>("app_info");
export const keychainStatus = () => invoke<KeychainStatus>("keychain_status");
export const getSettings = () => invoke<Settings>("get_settings");
export const setSettings = (settings: Settings) => invoke<Settings>("set_settings", { settings });

export const listClients = () => invoke<Client[]>("list_clients");

// Environments and {{variables}}. A secret variable's value enters the page only through
// revealVariable; every other answer has its name and `secret: true`, no value.
export const listEnvironments = () => invoke<Environment[]>("list_environments");
export const createEnvironment = (name: string) => invoke<Environment>("create_environment", { name });
export const renameEnvironment = (name: string, newName: string) => invoke<Environment>("rename_environment", { name, newName });
/** Deletes its variables too, secret values from the keychain. */
export const deleteEnvironment = (name: string) => invoke<void>("delete_environment", { name });
/** `null`: no environment active. Shared with the CLI. */
export const activateEnvironment = (name: string | null) => invoke<Environment | null>("use_environment", { name });
export const setVariable = (environment: string, name: string, value: string, secret: boolean) =>
  invoke<Environment>("set_variable", { environment, name, value, secret });
export const unsetVariable = (environment: string, name: string) => invoke<Environment>("unset_variable", { environment, name });
/** Explicit reveal: the only call that brings a secret variable's value into the page. */
export const revealVariable = (environment: string, name: string) => invoke<string>("reveal_variable", { environment, name });
/** A Postman environment file's text; `secret`-typed values go to the keychain. */
export const importPostmanEnvironment = (text: string) => invoke<EnvironmentImport>("import_postman_environment", { text });
/** `caPem`: extra CA certificates (PEM) to trust for this discovery, besides Settings → Network's. */
export const discover = (issuer: string, insecure = false, caPem?: string) =>
  invoke<ServerMetadata>("discover", caPem === undefined ? { issuer, insecure } : { issuer, insecure, caPem });
/** The secret goes to the keychain; it is never read back. */
export const addClient = (spec: ClientSpec, secret: string | null) => invoke<Client>("add_client", { spec, secret });
/** `secret: null` keeps the stored one. */
export const updateClient = (name: string, spec: ClientSpec, secret: string | null) => invoke<Client>("update_client", { name, spec, secret });
export const duplicateClient = (name: string, newName: string) => invoke<Client>("duplicate_client", { name, newName });
export const removeClient = (name: string, revokeFirst: boolean) => invoke<void>("remove_client", { name, revokeFirst });
/** mTLS (RFC 8705): the key and password go to the keychain; the answer describes the certificate. */
export const importClientCertificate = (name: string, source: CertificateImport) => invoke<Client>("import_client_certificate", { name, source });
export const removeClientCertificate = (name: string) => invoke<Client>("remove_client_certificate", { name });

/** Starts a flow in the system browser; `onEvent` receives the timeline as it happens, first of all
 *  `started` with the flow's id. Resolves to that id and the new grant. */
export function login(client: string, request: LoginRequest, onEvent: (e: FlowEvent) => void): Promise<LoginResult> {
  const channel = new Channel<FlowEvent>();
  channel.onmessage = onEvent;
  return invoke<LoginResult>("login", { client, request, onEvent: channel });
}
export const cancelLogin = () => invoke<boolean>("cancel_login");

/** One page of the Tokens list (at most 1000 rows, newest activity first), with the total and the
 *  names of the clients that have grants. */
export const grantPage = (client: string | null, offset: number, limit: number) => invoke<GrantPage>("grant_page", { client, offset, limit });
/** List rows (no claims): `inspectGrant` has the details. */
export const listGrants = (client?: string) => invoke<GrantSummary[]>("list_grants", { client: client ?? null });
export const inspectGrant = (id: string) => invoke<GrantInspection>("inspect_grant", { id });
export const refreshGrant = (id: string) => invoke<GrantView>("refresh_grant", { id });
export const revokeGrant = (id: string, which: RevokeWhich) => invoke<GrantView>("revoke_grant", { id, which });
export const introspectGrant = (id: string, refreshToken = false) => invoke<JsonValue>("introspect_grant", { id, refreshToken });
export const userinfoGrant = (id: string) => invoke<JsonValue>("userinfo_grant", { id });
/** RP-initiated logout (unless `localOnly`), then revoke and forget. */
export const logoutGrant = (id: string, localOnly: boolean) => invoke<LogoutOutcome>("logout_grant", { id, localOnly });
/** Token exchange (RFC 8693) authenticating as `client`; the result is a new grant of it. */
export const exchangeToken = (client: string, request: ExchangeRequest) => invoke<GrantView>("exchange_token", { client, request });
/** Refresh this grant before it expires, while the app runs. */
export const setAutoRefresh = (id: string, on: boolean) => invoke<GrantView>("set_auto_refresh", { id, on });
/** Called when the app changed grants on its own (auto-refresh); returns the unsubscribe. */
export const onGrantsChanged = (callback: () => void) => listen("grants-changed", () => callback());
export const forgetGrant = (id: string) => invoke<void>("forget_grant", { id });
/** Explicit reveal: the only call that brings a raw token into the page. */
export const revealToken = (id: string, which: TokenKind) => invoke<string>("reveal_token", { id, which });
/** Copies from Rust (the token never enters the page) and clears the clipboard later. */
export const copyToken = (id: string, which: TokenKind, clearAfterSecs = 30) => invoke<void>("copy_token", { id, which, clearAfterSecs });

export const decodeToken = (token: string) => invoke<DecodedToken>("decode_token", { token });
/** Signs edited JSON as a TEST token with `key` (an HMAC secret or a PEM private key, used once and dropped). */
export const signTestToken = (header: string, claims: string, alg: string, key: string) => invoke<string>("sign_test_token", { header, claims, alg, key });
/** Copies Decode text (a claim, JSON, a test token) from Rust: the page has no clipboard; cleared after 5 min. */
export const copyDecodedText = (text: string) => invoke<void>("copy_decoded_text", { text });
export const callApi = (grantId: string, request: ApiRequest) => invoke<ApiResponse>("call_api", { grantId, request });
/** A refused call's re-authorization: a new login as `plan` says (progress on `onEvent`; `cancelLogin` stops it), then the request once more with the new grant. */
export function stepUpAndRetry(plan: StepUpPlan, request: ApiRequest, onEvent: (e: FlowEvent) => void): Promise<SteppedUp> {
  const channel = new Channel<FlowEvent>();
  channel.onmessage = onEvent;
  return invoke<SteppedUp>("step_up_and_retry", { plan, request, onEvent: channel });
}
export const savedRequests = (client: string) => invoke<SavedRequest[]>("saved_requests", { client });
export const saveRequest = (client: string, request: SavedRequest) => invoke<SavedRequest>("save_request", { client, request });
export const deleteSavedRequest = (id: string) => invoke<void>("delete_saved_request", { id });

export const history = (client?: string) => invoke<HistoryEvent[]>("history", { client: client ?? null });
export const transcripts = (client: string, limit = 10) => invoke<FlowTranscript[]>("transcripts", { client, limit });
/** The redacted HTTP exchanges of one flow (the id from its `started` event), failed flows too; `null` if none was saved. */
export const flowTranscript = (flowId: string) => invoke<FlowTranscript | null>("flow_transcript", { flowId });
export const renderCurl = (request: RecordedRequest) => invoke<string>("render_curl", { request });
/** Copies a recorded request as curl from Rust (redacted again there; secrets stay shell variables). */
export const copyCurl = (request: RecordedRequest) => invoke<void>("copy_curl", { request });
/** Copies a recorded response's body from Rust (redacted again there, JSON pretty-printed). */
export const copyResponse = (response: RecordedResponse) => invoke<void>("copy_response", { response });
/** Opens an http(s) URL in the system browser; the app window never navigates. */
export const openInBrowser = (url: string) => invoke<void>("open_in_browser", { url });

/** Token truth: signatures against the issuer's JWKS, ID token and RFC 9068 checks, scopes. */
export const inspectTokens = (id: string, introspect = false) => invoke<Inspection>("inspect_tokens", { id, introspect });
/** Verifies a pasted token; keys from `options.keys`, the issuer, the client's issuer or the token's `iss`. */
export const verifyToken = (token: string, options: VerifyOptions) => invoke<TokenVerification>("verify_token", { token, options });
/** At most `limit` audit rows from `offset` and how many match `filter` in all: the Audit screen asks for the rows it shows. */
export const auditPage = (filter: AuditFilter, offset: number, limit: number) => invoke<AuditPage>("audit_page", { filter, offset, limit });
/** Writes the audit (no secrets) under the data dir's exports/ and returns the file's path. */
export const exportAudit = (filter: AuditFilter, format: AuditFormat) => invoke<string>("export_audit", { filter, format });
/** Writes the clients (all when `names` is empty) to the data dir's exports/, never with a secret. */
export const exportClients = (names: string[]) => invoke<string>("export_clients", { names });
export const importClients = (text: string, postmanEnv: string | null, withSecrets: boolean) => invoke<ImportReport>("import_clients", { text, postmanEnv, withSecrets });
/** Dynamic client registration (RFC 7591); the issued secret and registration token go to the keychain. */
export const registerClient = (request: RegistrationRequest, initialAccessToken: string | null) =>
  invoke<Client>("register_client", { request, initialAccessToken });
export const readRegistration = (name: string) => invoke<JsonValue>("read_registration", { name });
export const deleteRegistration = (name: string) => invoke<void>("delete_registration", { name });
export const presets = () => invoke<Preset[]>("presets");
/** `spec` completed from a provider preset; fields already set win. */
export const applyPreset = (id: string, vars: [string, string][], spec: ClientSpec) => invoke<ClientSpec>("apply_preset", { id, vars, spec });
export const providerReport = (client: string) => invoke<ProviderReport>("provider_report", { client });
/** The FAPI 2.0 Security Profile verdict: metadata and every recorded exchange, with what passed and what was not observed. */
export const fapi2Report = (client: string) => invoke<ProfileReport>("fapi2_report", { client });
/** A client's CIBA delivery mode and ping-mode notification endpoint (set with `oauthdesk client ciba`). */
export const cibaSettings = (client: string) => invoke<CibaSettings>("ciba_settings", { client });
/** Sets the client's CIBA mode and ping notification endpoint; the endpoint's TLS key goes to the keychain. */
export const setCibaSettings = (client: string, input: CibaSettingsInput) => invoke<CibaSettings>("set_ciba_settings", { client, input });

// Starting from an API (issue 13): a resource probed without a token, a client made of it, the MCP flow.
/** Knocks on `url` without a token (an MCP `initialize` with `options.mcp`) and follows it to its authorization servers. */
export const probeResource = (url: string, options: ProbeOptions) => invoke<ProbeAnswer>("probe_resource", { url, options });
/** Probes the resource again and makes a client of it; `secret` (an existing client's) goes to the keychain. */
export const addResourceClient = (request: ResourceClientRequest, secret: string | null) => invoke<ResourceClient>("add_resource_client", { request, secret });
/** The MCP authorization flow; `onEvent` receives each step, HTTP exchange and browser hand-off. `cancelLogin` stops it. */
export function mcpFlow(url: string, options: McpOptions, onEvent: (e: FlowEvent) => void): Promise<McpReport> {
  const channel = new Channel<FlowEvent>();
  channel.onmessage = onEvent;
  return invoke<McpReport>("mcp_flow", { url, options, onEvent: channel });
}

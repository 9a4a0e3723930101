// The client editor's form: how a Client becomes fields, how fields become a ClientSpec, and the
// checks (with reasons) made before anything is sent.
import type { AuthMethod, Client, ClientSpec, Endpoints, JarMode, ServerMetadata } from "../api";
import { checkDetails, detailsText } from "./authorizationDetails";
import { redirectUriProblem, serverUrlProblem } from "./urls";

export type EndpointKey = keyof Endpoints;

export const ENDPOINTS: readonly { key: EndpointKey; label: string; meta: keyof ServerMetadata }[] = [
  { key: "authorization", label: "Authorization endpoint", meta: "authorization_endpoint" },
  { key: "token", label: "Token endpoint", meta: "token_endpoint" },
  { key: "revocation", label: "Revocation endpoint", meta: "revocation_endpoint" },
  { key: "introspection", label: "Introspection endpoint", meta: "introspection_endpoint" },
  { key: "userinfo", label: "UserInfo endpoint", meta: "userinfo_endpoint" },
  { key: "device_authorization", label: "Device authorization endpoint", meta: "device_authorization_endpoint" },
];

export const AUTH_METHODS: readonly { value: AuthMethod; label: string }[] = [
  { value: "client_secret_basic", label: "client_secret_basic (HTTP Basic with the secret)" },
  { value: "client_secret_post", label: "client_secret_post (secret in the form body)" },
  { value: "client_secret_jwt", label: "client_secret_jwt (HS256 assertion with the secret, RFC 7523)" },
  { value: "private_key_jwt", label: "private_key_jwt (ES256 assertion with a key pair, RFC 7523)" },
  { value: "tls_client_auth", label: "tls_client_auth (mutual TLS, CA-issued certificate, RFC 8705)" },
  { value: "self_signed_tls_client_auth", label: "self_signed_tls_client_auth (mutual TLS, self-signed certificate, RFC 8705)" },
  { value: "none", label: "none (public client, no secret)" },
];

export interface ClientForm {
  name: string;
  clientId: string;
  issuer: string;
  endpoints: Record<EndpointKey, string>;
  authMethod: AuthMethod;
  /** Write-only: empty means "keep the stored secret" for an existing client. */
  secret: string;
  scopes: string;
  redirectUri: string;
  extraParams: [string, string][];
  pkce: boolean;
  insecure: boolean;
  /** Registered ID token signing alg; empty accepts what the server advertises. */
  idTokenAlg: string;
  /** Pushed authorization requests (RFC 9126). */
  par: boolean;
  /** Signed request objects (RFC 9101): off, by value, or through PAR. */
  jar: JarMode;
  /** `response_mode`; empty is the response type's default (JARM's JWT modes included). */
  responseMode: string;
  /** DPoP-bound tokens (RFC 9449). */
  dpop: boolean;
  /** Extra trusted CA certificates (PEM) for this client, added to Settings → Network's. */
  caPem: string;
  /** Default `authorization_details` (RFC 9396) as JSON text; empty: none. */
  authorizationDetails: string;
}

export type FormErrors = Partial<Record<"name" | "clientId" | "issuer" | "secret" | "redirectUri" | "extraParams" | "endpoints" | "authorizationDetails" | EndpointKey, string>>;

function emptyEndpoints(): Record<EndpointKey, string> {
  return { authorization: "", token: "", revocation: "", introspection: "", userinfo: "", device_authorization: "" };
}

export function emptyForm(): ClientForm {
  return {
    name: "",
    clientId: "",
    issuer: "",
    endpoints: emptyEndpoints(),
    authMethod: "none",
    secret: "",
    scopes: "openid",
    redirectUri: "",
    extraParams: [],
    pkce: true,
    insecure: false,
    idTokenAlg: "",
    par: false,
    jar: "off",
    responseMode: "",
    dpop: false,
    caPem: "",
    authorizationDetails: "",
  };
}

/** The editor's fields for a stored client. The secret is never read back: it stays empty. */
export function formFromClient(c: Client): ClientForm {
  const endpoints = emptyEndpoints();
  for (const { key } of ENDPOINTS) endpoints[key] = c.endpoints[key] ?? "";
  return {
    name: c.name,
    clientId: c.client_id,
    issuer: c.issuer ?? "",
    endpoints,
    authMethod: c.auth_method,
    secret: "",
    scopes: c.scopes,
    redirectUri: c.redirect_uri,
    extraParams: c.extra_params.map(([k, v]) => [k, v]),
    pkce: c.pkce,
    insecure: c.insecure,
    idTokenAlg: c.id_token_alg ?? "",
    par: c.par,
    jar: c.jar,
    responseMode: c.response_mode ?? "",
    dpop: c.dpop,
    caPem: c.ca_pem ?? "",
    authorizationDetails: detailsText(c.authorization_details),
  };
}

export function discoveredValue(meta: ServerMetadata | null, key: EndpointKey): string | null {
  if (!meta) return null;
  const entry = ENDPOINTS.find((e) => e.key === key);
  const v = entry ? meta[entry.meta] : null;
  return typeof v === "string" ? v : null;
}

/**
 * Fills endpoints from discovery: empty fields, and fields still holding the previous
 * discovery's value, take the new one; anything typed by hand stays (explicit wins).
 */
export function fillFromDiscovery(form: ClientForm, previous: ServerMetadata | null, found: ServerMetadata): ClientForm {
  const endpoints = { ...form.endpoints };
  for (const { key } of ENDPOINTS) {
    const current = endpoints[key].trim();
    if (current === "" || current === discoveredValue(previous, key)) endpoints[key] = discoveredValue(found, key) ?? "";
  }
  return { ...form, endpoints };
}

/**
 * The spec sent to Rust. Endpoints equal to the discovered value are sent as `null` while an
 * issuer is set, so they keep following discovery; other values are explicit and win.
 */
export function specFromForm(form: ClientForm, meta: ServerMetadata | null): ClientSpec {
  const issuer = form.issuer.trim();
  const pick = (key: EndpointKey): string | null => {
    const v = form.endpoints[key].trim();
    if (v === "") return null;
    if (issuer !== "" && v === discoveredValue(meta, key)) return null;
    return v;
  };
  return {
    name: form.name.trim(),
    client_id: form.clientId.trim(),
    issuer: issuer === "" ? null : issuer,
    endpoints: {
      authorization: pick("authorization"),
      token: pick("token"),
      revocation: pick("revocation"),
      introspection: pick("introspection"),
      userinfo: pick("userinfo"),
      device_authorization: pick("device_authorization"),
    },
    auth_method: form.authMethod,
    scopes: form.scopes.trim().split(/\s+/).filter(Boolean).join(" "),
    redirect_uri: form.redirectUri.trim() === "" ? null : form.redirectUri.trim(),
    extra_params: form.extraParams.filter(([k, v]) => k.trim() !== "" || v.trim() !== "").map(([k, v]) => [k.trim(), v]),
    pkce: form.pkce,
    insecure: form.insecure,
    id_token_alg: form.idTokenAlg === "" ? null : form.idTokenAlg,
    par: form.par,
    jar: form.jar,
    response_mode: form.responseMode === "" ? null : form.responseMode,
    dpop: form.dpop,
    ca_pem: form.caPem.trim() === "" ? null : form.caPem.trim(),
    authorization_details: (() => {
      const d = checkDetails(form.authorizationDetails);
      return d.ok ? d.value : null;
    })(),
  };
}

/** C0 controls and DEL. */
function isControl(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 0x20 || c === 0x7f;
}

/** Every problem with the form, by field, in words. Empty when it may be saved. */
export function validateClientForm(form: ClientForm, hasStoredSecret: boolean): FormErrors {
  const errors: FormErrors = {};
  if (form.name.trim() === "") errors.name = "Name is required: it is how you pick the client on the other screens.";
  else if ([...form.name].some(isControl)) errors.name = "Name may not contain control characters.";
  if (form.clientId.trim() === "") errors.clientId = "Client ID is required: the authorization server issued it when the client was registered.";
  if (form.issuer.trim() !== "") {
    const p = serverUrlProblem("Issuer", form.issuer, form.insecure);
    if (p) errors.issuer = p;
  }
  for (const { key, label } of ENDPOINTS) {
    const v = form.endpoints[key].trim();
    if (v === "") continue;
    const p = serverUrlProblem(label, v, form.insecure);
    if (p) errors[key] = p;
  }
  if (form.issuer.trim() === "" && form.endpoints.token.trim() === "" && form.endpoints.authorization.trim() === "") {
    errors.endpoints = "Give an issuer (and press Discover), or at least a token endpoint (and an authorization endpoint for browser logins).";
  }
  const hasSecret = form.secret !== "" || hasStoredSecret;
  if (form.authMethod === "none" && form.secret !== "") {
    errors.secret = "Auth method \"none\" is for public clients without a secret: clear the secret, or choose client_secret_basic or client_secret_post.";
  } else if (
    form.authMethod !== "none" &&
    form.authMethod !== "private_key_jwt" &&
    form.authMethod !== "tls_client_auth" &&
    form.authMethod !== "self_signed_tls_client_auth" &&
    !hasSecret
  ) {
    errors.secret = `${form.authMethod} needs a client secret; type it here (it goes to the OS keychain), or choose "none" for a public client.`;
  }
  if (form.redirectUri.trim() !== "") {
    const p = redirectUriProblem(form.redirectUri);
    if (p) errors.redirectUri = p;
  }
  const unnamed = form.extraParams.find(([k, v]) => k.trim() === "" && v.trim() !== "");
  if (unnamed) errors.extraParams = `An extra parameter with the value "${unnamed[1]}" has no name.`;
  const details = checkDetails(form.authorizationDetails);
  if (!details.ok) errors.authorizationDetails = `Authorization details: ${details.message}`;
  return errors;
}

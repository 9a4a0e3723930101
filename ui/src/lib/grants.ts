// Grant types as the Authorize screen offers them, and what each needs from a client.
import type { Client, GrantType } from "../api";

export interface GrantChoice {
  value: GrantType;
  label: string;
  /** One line on why a legacy grant should not be used; `null` for current grants. */
  legacy: string | null;
  /** The name in `grant_types_supported` (RFC 8414 §2). */
  metadataName: string;
  /** For list rows, where space is short. */
  short: string;
}

export const GRANTS: readonly GrantChoice[] = [
  { value: "authorization_code", label: "Authorization code (browser, PKCE)", legacy: null, metadataName: "authorization_code", short: "authorization code" },
  { value: "device_code", label: "Device code (RFC 8628)", legacy: null, metadataName: "urn:ietf:params:oauth:grant-type:device_code", short: "device code" },
  { value: "client_credentials", label: "Client credentials (no user)", legacy: null, metadataName: "client_credentials", short: "client credentials" },
  { value: "ciba", label: "CIBA (approve on the user's device)", legacy: null, metadataName: "urn:openid:params:grant-type:ciba", short: "CIBA" },
  { value: "jwt_bearer", label: "JWT bearer assertion (RFC 7523)", legacy: null, metadataName: "urn:ietf:params:oauth:grant-type:jwt-bearer", short: "JWT bearer" },
  {
    value: "password",
    label: "Password (legacy)",
    legacy: "Legacy: the password grant hands the user's password to the client, which OAuth exists to avoid; RFC 9700 says it must not be used.",
    metadataName: "password",
    short: "password (legacy)",
  },
  {
    value: "implicit",
    label: "Implicit (legacy)",
    legacy: "Legacy: the implicit grant exposes tokens in the browser's URL fragment, where they leak and cannot be bound to the client (RFC 9700); use the code grant with PKCE.",
    metadataName: "implicit",
    short: "implicit (legacy)",
  },
];

/** Grants that are not started on Authorize but appear in lists. */
const OTHER_LABELS: Partial<Record<GrantType, { label: string; short: string }>> = {
  token_exchange: { label: "Token exchange (RFC 8693)", short: "token exchange" },
};

export function grantLabel(g: GrantType): string {
  return GRANTS.find((x) => x.value === g)?.label ?? OTHER_LABELS[g]?.label ?? g;
}

export function grantShortLabel(g: GrantType): string {
  return GRANTS.find((x) => x.value === g)?.short ?? OTHER_LABELS[g]?.short ?? g;
}

/** What stops or weakens `grant` for `client`, in words; empty when nothing does. */
export function grantWarnings(client: Client, grant: GrantType): string[] {
  const out: string[] = [];
  const e = client.endpoints;
  const needs = (has: string | null, what: string) => {
    if (!has) out.push(`This client has no ${what} endpoint; add one (or an issuer) on the Clients screen.`);
  };
  if (grant === "authorization_code" || grant === "implicit") needs(e.authorization, "authorization");
  if (grant !== "implicit") needs(e.token, "token");
  if (grant === "device_code") needs(e.device_authorization, "device authorization");
  if (grant === "client_credentials" && !client.has_secret) out.push("Client credentials needs a confidential client: this one has no secret stored.");
  const supported = client.metadata?.grant_types_supported ?? [];
  const choice = GRANTS.find((g) => g.value === grant);
  if (choice && supported.length > 0 && !supported.includes(choice.metadataName)) {
    out.push(`The server does not list ${choice.metadataName} in grant_types_supported; it may refuse.`);
  }
  return out;
}

/**
 * Why `client` cannot run `grant` at all, in words, or `null` when it may: a missing endpoint, a
 * grant that needs a secret the client does not have, or one the server's metadata does not list.
 * The Authorize menu shows such grants disabled with this reason.
 */
export function grantUnavailable(client: Client, grant: GrantType): string | null {
  const e = client.endpoints;
  const choice = GRANTS.find((g) => g.value === grant);
  if ((grant === "authorization_code" || grant === "implicit") && !e.authorization) return "no authorization endpoint";
  if (grant !== "implicit" && !e.token) return "no token endpoint";
  if (grant === "device_code" && !e.device_authorization) return "the server has no device authorization endpoint";
  if (grant === "ciba" && !client.metadata?.backchannel_authentication_endpoint) return "the server has no backchannel authentication endpoint";
  if (grant === "client_credentials" && !client.has_secret) return "needs a confidential client (this one has no secret)";
  const supported = client.metadata?.grant_types_supported ?? [];
  if (choice && supported.length > 0 && !supported.includes(choice.metadataName)) return "not in the server's grant_types_supported";
  return null;
}

// The URL rules of the Rust side, checked in the page first so the reasons show next to the
// field: https anywhere, plain http only on loopback unless "insecure" (RFC 6749 §3.1, RFC 8252
// §8.3); redirect URIs are loopback http (RFC 8252 §7.3). A value with `{{variables}}` is
// checked by the engine once the active environment has filled it in.

import { hasVariables } from "./variables";

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === "localhost" || h === "[::1]" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Why `value` cannot be used as a server URL, or `null` when it can. */
export function serverUrlProblem(label: string, value: string, insecure: boolean): string | null {
  if (hasVariables(value)) return null;
  const url = parse(value.trim());
  if (!url) return `${label} is not a URL; write it in full, like https://login.example.com.`;
  if (url.protocol === "https:") return null;
  if (url.protocol !== "http:") return `${label} must use https (or http on a loopback host), not ${url.protocol.replace(":", "")}.`;
  if (insecure || isLoopbackHost(url.hostname)) return null;
  return `${label} uses plain http on ${url.hostname}; http is allowed only for loopback hosts (127.0.0.1, [::1], localhost) unless "Allow insecure http" is ticked.`;
}

/** Why `value` cannot be a redirect URI, or `null` when it can. */
export function redirectUriProblem(value: string): string | null {
  if (hasVariables(value)) return null;
  const url = parse(value.trim());
  if (!url) return "Redirect URI is not a URL; for example http://127.0.0.1/callback.";
  if (url.protocol !== "http:" || !isLoopbackHost(url.hostname)) {
    return "Redirect URI must be a loopback http URI, where OAuth Desk listens for the answer (RFC 8252 §7.3): for example http://127.0.0.1/callback or http://127.0.0.1:8765/callback.";
  }
  return null;
}

/** Why `value` cannot be called from Call API, or `null` when it can. */
export function requestUrlProblem(value: string): string | null {
  if (hasVariables(value)) return null;
  const url = parse(value.trim());
  if (!url) return "URL is not a URL; write it in full, like https://api.example.com/me.";
  if (url.protocol !== "https:" && url.protocol !== "http:") return "URL must use http or https.";
  return null;
}

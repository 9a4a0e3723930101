// Any failure, put in words for the page: the IpcError from Rust ({ code, message, hint, oauth }),
// a JavaScript Error, or whatever else a promise rejected with. Nothing is dropped silently.
import { type Check, isIpcError, type OAuthError } from "../api";

export interface ErrorInWords {
  code: string;
  message: string;
  hint: string | null;
  oauth: OAuthError | null;
  /** The failed checks of an ID token a login refused, shown as rows. */
  checks?: Check[] | null;
}

/** Hints for codes the server's answer did not explain itself. */
const CODE_HINTS: Record<string, string> = {
  keychain:
    "OAuth Desk keeps secrets and tokens only in the OS keychain, and could not reach it. See Settings for its status.",
  needs_login: "This grant can no longer be refreshed: run the flow again on the Authorize screen.",
  not_found: "It may have been removed meanwhile; the lists are reloaded.",
};

export function errorInWords(e: unknown): ErrorInWords {
  if (isIpcError(e)) {
    const hint = e.hint ?? CODE_HINTS[e.code] ?? null;
    return {
      code: e.code,
      message: e.message || "The operation failed without a message.",
      hint,
      oauth: e.oauth ?? null,
      checks: e.checks ?? null,
    };
  }
  if (e instanceof Error) return { code: "error", message: e.message, hint: null, oauth: null };
  if (typeof e === "string" && e.length > 0) return { code: "error", message: e, hint: null, oauth: null };
  let text: string;
  try {
    text = JSON.stringify(e) ?? String(e);
  } catch {
    text = String(e);
  }
  return { code: "error", message: `Unexpected failure: ${text}`, hint: null, oauth: null };
}

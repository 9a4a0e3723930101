// A grant's token states as the engine derives them (crates/core/src/grant_state.rs), read the
// same way on every screen. The engine states them at the time of the listing; the one thing
// this file adds is the clock: an access token listed as active reads expired once its expiry
// passes while the screen stays open (the engine's rule: expired from `expires_at` on).
import type { Headline, TokenStates } from "../api";
import { expiryInWords } from "./time";

/** The states at `now` (Unix seconds). */
export function statesAt(t: TokenStates, now: number): TokenStates {
  if (t.access !== "active" || t.access_expires_at === null || t.access_expires_at > now) return t;
  const refreshable = t.refresh === "present";
  return { ...t, access: "expired", headline: refreshable ? "refreshable" : "expired", usable: refreshable };
}

export const HEADLINE_LABELS: Record<Headline, string> = {
  active: "active",
  refreshable: "refresh on use",
  expired: "expired",
  needs_login: "needs login",
  revoked: "revoked",
};

/** "active · expires in 57 min", "expired 3 min ago", "revoked". */
export function accessInWords(t: TokenStates, now: number): string {
  switch (t.access) {
    case "active":
      return t.access_expires_at === null ? "active (no expiry given)" : `active · ${expiryInWords(t.access_expires_at, now)}`;
    case "expired":
      return t.access_expires_at === null ? "expired" : expiryInWords(t.access_expires_at, now);
    case "revoked":
      return "revoked";
  }
}

export function refreshInWords(t: TokenStates): string {
  switch (t.refresh) {
    case "present":
      return "present";
    case "rejected":
      return "refused by the server (log in again)";
    case "none":
      return "none";
  }
}

/** Why no call can be made with the grant now, in words; null when one can (the engine's
 *  `why_unusable`, for the same states). */
export function whyUnusable(t: TokenStates): string | null {
  if (t.usable) return null;
  if (t.headline === "revoked") return "The grant was revoked: obtain a new token on Authorize.";
  if (t.headline === "needs_login") return "The server refused the refresh token: log in again on Authorize.";
  return t.access === "revoked"
    ? "The access token was revoked and there is no refresh token: obtain a new one on Authorize."
    : "The access token expired and there is no refresh token: obtain a new one on Authorize.";
}

/** What a call does first, when the access token is not active but a refresh token is. */
export function refreshFirstNote(t: TokenStates): string | null {
  if (t.access === "active" || t.refresh !== "present") return null;
  return `The access token is ${t.access}: sending refreshes it first with the refresh token.`;
}

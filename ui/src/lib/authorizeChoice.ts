// What the user chose on Authorize (grant, scopes, resource, extra parameters), kept while other
// screens are shown: the screen unmounts when left, and coming back must not revert the choice.
// The chosen client itself lives in App (it is also set from Clients and History).
import type { GrantType } from "../api";

export interface AuthorizeChoice {
  grant: GrantType;
  /** The client the scopes were edited for; edited scopes apply to that client only. */
  scopesFor: string | null;
  /** `null` until edited: the client's default scopes are used. */
  scopes: string[] | null;
  resources: string;
  extra: [string, string][];
}

const FRESH: AuthorizeChoice = { grant: "authorization_code", scopesFor: null, scopes: null, resources: "", extra: [] };

let remembered: AuthorizeChoice | null = null;

/** The remembered choice, or `null` before the screen was first used. */
export function rememberedChoice(): AuthorizeChoice | null {
  return remembered;
}

export function rememberChoice(patch: Partial<AuthorizeChoice>): void {
  remembered = { ...(remembered ?? FRESH), ...patch };
}

/** For tests: back to a first visit. */
export function forgetAuthorizeChoice(): void {
  remembered = null;
}

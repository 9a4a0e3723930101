// Scope strings (RFC 6749 §3.3: space-delimited, order does not matter) and the requested vs
// granted comparison of the Tokens screen.

export function splitScopes(scopes: string | null | undefined): string[] {
  if (!scopes) return [];
  return [...new Set(scopes.split(/\s+/).filter((s) => s.length > 0))];
}

export interface ScopeDiff {
  /** Each requested scope and whether the server granted it. */
  requested: { scope: string; granted: boolean }[];
  /** Each granted scope and whether it was asked for. */
  granted: { scope: string; requested: boolean }[];
  /** The server sent no `scope`: the grant is the requested one (RFC 6749 §5.1). */
  sameAsRequested: boolean;
}

export function scopeDiff(requested: string, granted: string | null): ScopeDiff {
  const req = splitScopes(requested);
  if (granted === null) {
    return { requested: req.map((scope) => ({ scope, granted: true })), granted: [], sameAsRequested: true };
  }
  const got = splitScopes(granted);
  const gotSet = new Set(got);
  const reqSet = new Set(req);
  return {
    requested: req.map((scope) => ({ scope, granted: gotSet.has(scope) })),
    granted: got.map((scope) => ({ scope, requested: reqSet.has(scope) })),
    sameAsRequested: false,
  };
}

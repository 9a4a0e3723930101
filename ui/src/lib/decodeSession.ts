// What the Decode screen was working on, kept in this module's memory while the app runs, so
// leaving the screen and coming back finds the token, the key source and the view as they were.
// Memory only, never localStorage: a pasted token (and a secret) is a credential. Reloading or
// quitting the app forgets it all.
import { useSyncExternalStore } from "react";

/** Where the verification key comes from. */
export type KeySource = "none" | "secret" | "key" | "issuer" | "client";

export interface DecodeSession {
  token: string;
  source: KeySource;
  /** HMAC secret (HS256/384/512), for this session only. */
  secret: string;
  /** JWK, JWKS or PEM public key. */
  keys: string;
  issuer: string;
  client: string;
  nonce: string;
  headerView: "table" | "json";
  payloadView: "table" | "json";
}

const INITIAL: DecodeSession = {
  token: "",
  source: "none",
  secret: "",
  keys: "",
  issuer: "",
  client: "",
  nonce: "",
  headerView: "table",
  payloadView: "table",
};

let session: DecodeSession = INITIAL;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function updateDecodeSession(patch: Partial<DecodeSession>): void {
  session = { ...session, ...patch };
  for (const l of listeners) l();
}

/** Forgets everything (tests; nothing in the app needs it). */
export function resetDecodeSession(): void {
  session = INITIAL;
  for (const l of listeners) l();
}

export function useDecodeSession(): [DecodeSession, (patch: Partial<DecodeSession>) => void] {
  const current = useSyncExternalStore(subscribe, () => session);
  return [current, updateDecodeSession];
}

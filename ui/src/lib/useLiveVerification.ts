// Verifies the pasted token as it is typed: debounced, and only the answer to the latest input
// is shown (a slow issuer lookup for an older input never overwrites a newer verdict).
import { useEffect, useRef, useState } from "react";
import { type TokenVerification, type VerifyOptions, verifyToken } from "../api";
import { type ErrorInWords, errorInWords } from "./errors";
import type { DecodeSession } from "./decodeSession";

export const VERIFY_DEBOUNCE_MS = 350;

/** The options for the chosen key source only: a secret typed earlier is not sent with an issuer. */
export function verifyOptions(s: DecodeSession): VerifyOptions {
  const opt = (v: string) => (v.trim() === "" ? null : v.trim());
  return {
    issuer: s.source === "issuer" ? opt(s.issuer) : null,
    keys: s.source === "key" ? opt(s.keys) : null,
    client: s.source === "client" ? opt(s.client) : null,
    secret: s.source === "secret" && s.secret !== "" ? s.secret : null,
    nonce: opt(s.nonce),
    skew_secs: null,
    skip_token_issuer: true,
  };
}

export interface LiveVerification {
  result: TokenVerification | null;
  error: ErrorInWords | null;
  /** Since when the current check runs (ms), or `null`. */
  pendingSince: number | null;
  /** Checks again now (a rotated JWKS, a changed client). */
  again: () => void;
}

export function useLiveVerification(token: string | null, options: VerifyOptions): LiveVerification {
  const [result, setResult] = useState<TokenVerification | null>(null);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const [pendingSince, setPendingSince] = useState<number | null>(null);
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  const key = token === null ? null : JSON.stringify([token, options, round]);

  useEffect(() => {
    const id = ++latest.current;
    setResult(null);
    setError(null);
    if (key === null || token === null) {
      setPendingSince(null);
      return;
    }
    setPendingSince(Date.now());
    const opts: VerifyOptions = JSON.parse(key)[1];
    const timer = setTimeout(() => {
      verifyToken(token, opts).then(
        (r) => {
          if (latest.current !== id) return;
          setResult(r);
          setPendingSince(null);
        },
        (e) => {
          if (latest.current !== id) return;
          setError(errorInWords(e));
          setPendingSince(null);
        },
      );
    }, VERIFY_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, token]);

  return { result, error, pendingSince, again: () => setRound((r) => r + 1) };
}

import type { TokenStates } from "../api";
import { absoluteTime } from "../lib/time";
import { accessInWords, statesAt } from "../lib/tokenState";

interface Props {
  /** When the current access token was issued (refreshed_at, else issued_at), Unix seconds. */
  since: number;
  tokens: TokenStates;
  now: number;
}

/** The access token's remaining lifetime as a bar and in words; re-rendered by the caller's
 *  clock. "expires in" only for an active token; a revoked one says so. */
export default function ExpiryBar({ since, tokens, now }: Props) {
  const t = statesAt(tokens, now);
  const expiresAt = t.access_expires_at;
  let fraction = 0;
  let state: string = t.access;
  if (t.access === "active" && expiresAt !== null) {
    const lifetime = Math.max(1, expiresAt - since);
    fraction = Math.min(1, Math.max(0, (expiresAt - now) / lifetime));
    state = fraction < 0.2 ? "soon" : "ok";
  } else if (t.access === "active") {
    state = "none";
  }
  return (
    <div className="expiry" data-testid="expiry-bar" data-state={state} title={expiresAt !== null ? absoluteTime(expiresAt) : undefined}>
      <div className="expiry-track" aria-hidden="true">
        <div className="expiry-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      <span className="expiry-words tick">access token {accessInWords(t, now)}</span>
    </div>
  );
}

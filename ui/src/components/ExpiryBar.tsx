import type { GrantStatus } from "../api";
import { absoluteTime, expiryInWords } from "../lib/time";

interface Props {
  /** When the current access token was issued (refreshed_at, else issued_at), Unix seconds. */
  since: number;
  expiresAt: number | null;
  now: number;
  status: GrantStatus;
}

/** The access token's remaining lifetime as a bar and in words; re-rendered by the caller's clock. */
export default function ExpiryBar({ since, expiresAt, now, status }: Props) {
  let fraction = 0;
  let state = "none";
  let words = expiryInWords(expiresAt, now);
  if (status === "revoked") {
    state = "revoked";
    words = "revoked";
  } else if (expiresAt !== null) {
    const lifetime = Math.max(1, expiresAt - since);
    fraction = Math.min(1, Math.max(0, (expiresAt - now) / lifetime));
    state = expiresAt <= now ? "expired" : fraction < 0.2 ? "soon" : "ok";
  }
  return (
    <div className="expiry" data-testid="expiry-bar" data-state={state} title={expiresAt !== null ? absoluteTime(expiresAt) : undefined}>
      <div className="expiry-track" aria-hidden="true">
        <div className="expiry-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      <span className="expiry-words">{words}</span>
    </div>
  );
}

import type { TokenStates } from "../api";
import { HEADLINE_LABELS, statesAt } from "../lib/tokenState";

/** A grant's headline state (lib/tokenState.ts), the same on every screen. */
export default function StatusBadge({ tokens, now, testId }: { tokens: TokenStates; now: number; testId: string }) {
  const t = statesAt(tokens, now);
  return (
    <span className={`badge badge-${t.headline}`} data-testid={testId} data-status={t.headline}>
      {HEADLINE_LABELS[t.headline]}
    </span>
  );
}

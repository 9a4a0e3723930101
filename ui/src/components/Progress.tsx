import { useElapsedMs } from "../lib/useNow";

interface Props {
  label: string;
  /** `Date.now()` when the wait began; the elapsed seconds are shown next to the label. */
  sinceMs: number;
  testId?: string;
}

/** A long wait: spinner, what is happening, and for how long it has been going on. */
export default function Progress({ label, sinceMs, testId }: Props) {
  const elapsed = Math.floor(useElapsedMs(sinceMs) / 1000);
  return (
    <span className="progress" role="status" data-testid={testId}>
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
      <span className="muted elapsed">{elapsed} s</span>
    </span>
  );
}

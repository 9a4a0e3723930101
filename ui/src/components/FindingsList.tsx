import type { Finding } from "../api";
import { visible } from "../lib/text";

interface Props {
  findings: Finding[];
  testId?: string;
  /** Say how often each was seen (the provider report counts recorded exchanges). */
  showOccurrences?: boolean;
}

/** Departures from the specs as the provider report shows them: what, which section, what OAuth
 *  Desk did. Server text is shown with its control characters escaped. */
export default function FindingsList({ findings, testId, showOccurrences = false }: Props) {
  return (
    <ul className="findings" data-testid={testId}>
      {findings.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a code may repeat (one per server); the list is fixed once shown
        <li key={`${f.code}-${i}`} className={`finding finding-${f.severity}`} data-testid={`finding-${f.code}`} data-severity={f.severity}>
          <div className="finding-head">
            <span className={`tag tag-${f.severity === "violation" ? "error" : "warn"}`}>{f.severity === "violation" ? "violates" : "advice"}</span>{" "}
            <strong>{visible(f.detail)}</strong>
          </div>
          <div className="muted">
            {f.spec} · <code>{f.code}</code>
            {f.source && !showOccurrences ? " ·" : ""}
            {showOccurrences ? ` · seen ${f.occurrences}×` : ""}
            {f.source ? ` at ${visible(f.source, false)}` : ""}
          </div>
          <div>
            <em>What OAuth Desk did:</em> {f.action}
          </div>
        </li>
      ))}
    </ul>
  );
}

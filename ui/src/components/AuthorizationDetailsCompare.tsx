import type { DetailComparison, DetailStatus } from "../api";
import "../styles/rar.css";

const WORDS: Record<DetailStatus, { text: string; tag: string }> = {
  granted: { text: "granted as asked", tag: "tag-ok" },
  narrowed: { text: "narrowed by the server", tag: "tag-warn" },
  broadened: { text: "more than asked", tag: "tag-error" },
  added: { text: "added by the server", tag: "tag-error" },
  missing: { text: "not granted", tag: "tag-warn" },
};

interface Props {
  requested: unknown;
  granted: unknown;
  comparison: DetailComparison[];
}

function pretty(v: unknown): string {
  return JSON.stringify(v, null, 2);
}

/** `authorization_details` requested beside granted (RFC 9396 §7), with each type's verdict. */
export default function AuthorizationDetailsCompare({ requested, granted, comparison }: Props) {
  const none = (v: unknown) => v === null || v === undefined;
  return (
    <div data-testid="rar-compare">
      <div className="rar-compare">
        <div>
          <h4>Requested</h4>
          {none(requested) ? <p className="muted">(none)</p> : <pre data-testid="rar-requested">{pretty(requested)}</pre>}
        </div>
        <div>
          <h4>Granted</h4>
          {none(granted) ? (
            <p className="muted" data-testid="rar-granted-unknown">
              The server did not say (no authorization_details in the token response, RFC 9396 §7).
            </p>
          ) : (
            <pre data-testid="rar-granted">{pretty(granted)}</pre>
          )}
        </div>
      </div>
      {comparison.length > 0 && (
        <ul className="rar-status" data-testid="rar-status">
          {comparison.map((c) => (
            <li key={c.type} data-testid={`rar-status-${c.type}`} data-status={c.status}>
              <code>{c.type}</code> <span className={`tag ${WORDS[c.status].tag}`}>{WORDS[c.status].text}</span> <span className="muted">{c.note}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The audit's view of a grant's types: each with its verdict when the server said what it granted. */
export function DetailTypesCell({ types, comparison }: { types: string[]; comparison: DetailComparison[] }) {
  if (types.length === 0 && comparison.length === 0) return null;
  const rows = comparison.length > 0 ? comparison.map((c) => ({ type: c.type, status: c.status as DetailStatus | null })) : types.map((t) => ({ type: t, status: null }));
  return (
    <div className="rar-types" data-testid="audit-rar">
      {rows.map((r) => (
        <span key={r.type} className={`tag ${r.status ? WORDS[r.status].tag : "tag-info"}`} data-testid={`audit-rar-${r.type}`} title={r.status ? WORDS[r.status].text : "requested; the server did not say what it granted"}>
          {r.type}
          {r.status && r.status !== "granted" ? `: ${WORDS[r.status].text}` : ""}
        </span>
      ))}
    </div>
  );
}

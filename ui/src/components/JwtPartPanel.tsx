import type { JsonValue } from "../api";
import { prettyJson } from "../lib/json";
import ClaimsTable from "./ClaimsTable";
import JsonView from "./JsonView";

interface Props {
  /** "Header" or "Payload". */
  title: string;
  value: JsonValue | null | undefined;
  now: number;
  view: "table" | "json";
  onView: (view: "table" | "json") => void;
  onCopy: (what: string, text: string) => void;
  /** `decode-header` → `decode-header-table`, `decode-header-json`, … */
  testId: string;
  /** Row test ids of the table: `header-` gives `header-alg`. */
  rowPrefix: string;
  /** The table's own test id (kept for the screens' tests). */
  tableTestId: string;
}

/** One JWT part as a claims table or as pretty JSON, each claim and the whole JSON copyable. */
export default function JwtPartPanel({ title, value, now, view, onView, onCopy, testId, rowPrefix, tableTestId }: Props) {
  return (
    <section className={`panel jwt-part jwt-part-${title.toLowerCase()}`} data-testid={testId} aria-label={title}>
      <div className="jwt-part-bar">
        <h3>{title}</h3>
        <fieldset className="segmented" aria-label={`${title} as`}>
          {(["table", "json"] as const).map((v) => (
            <button
              key={v}
              type="button"
              className={`btn btn-small${view === v ? " btn-selected" : ""}`}
              aria-pressed={view === v}
              data-testid={`${testId}-view-${v}`}
              onClick={() => onView(v)}
            >
              {v === "table" ? "Table" : "JSON"}
            </button>
          ))}
        </fieldset>
        <button type="button" className="btn btn-small" data-testid={`${testId}-copy-json`} onClick={() => onCopy(`${title} JSON`, prettyJson(value ?? null))}>
          Copy JSON
        </button>
      </div>
      {view === "table" ? (
        <ClaimsTable value={value} now={now} caption={title} hideCaption testId={tableTestId} rowPrefix={rowPrefix} onCopy={(name, text) => onCopy(`${name}`, text)} />
      ) : (
        <JsonView value={value} testId={`${testId}-json`} />
      )}
    </section>
  );
}

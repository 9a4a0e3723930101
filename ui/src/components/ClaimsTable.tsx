import type { JsonValue } from "../api";
import { isJsonObject, valueText } from "../lib/json";
import { visible } from "../lib/text";
import { absoluteTime, claimTimeInWords } from "../lib/time";

interface Props {
  value: JsonValue | null | undefined;
  now: number;
  caption: string;
  testId: string;
  /** Prefix of each row's test id: `claim-` gives `claim-exp`. */
  rowPrefix?: string;
  /** When given, each claim has a Copy button; it receives the claim's name and its value as text. */
  onCopy?: (name: string, text: string) => void;
  /** The caption is for screen readers only (a heading above already says it). */
  hideCaption?: boolean;
}

/** The text a claim's Copy button copies: a string as it is, anything else as JSON. */
export function claimCopyText(v: JsonValue | undefined): string {
  return typeof v === "string" ? v : JSON.stringify(v ?? null);
}

/** A JWT header or claim set as a table; NumericDate claims also in words and local time. */
export default function ClaimsTable({ value, now, caption, testId, rowPrefix = "claim-", onCopy, hideCaption = false }: Props) {
  if (!isJsonObject(value)) {
    return (
      <p className="muted" data-testid={testId}>
        {caption}: not a JSON object ({valueText(value ?? null)}).
      </p>
    );
  }
  const entries = Object.entries(value);
  const columns = onCopy ? 3 : 2;
  return (
    <table className="table claims" data-testid={testId} aria-label={caption}>
      {!hideCaption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
          {onCopy && (
            <th scope="col" className="claims-copy-col">
              Copy
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {entries.length === 0 && (
          <tr>
            <td colSpan={columns} className="muted">
              (empty)
            </td>
          </tr>
        )}
        {entries.map(([name, v]) => {
          const words = claimTimeInWords(name, v, now);
          return (
            <tr key={name} data-testid={`${rowPrefix}${name}`}>
              <th scope="row">
                <code>{visible(name)}</code>
              </th>
              <td>
                <span className="claim-value">{valueText(v)}</span>
                {words && typeof v === "number" && (
                  <span className="claim-time">
                    {" "}
                    — <strong>{words}</strong> <span className="muted">({absoluteTime(v)})</span>
                  </span>
                )}
              </td>
              {onCopy && (
                <td className="claims-copy-col">
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid={`${rowPrefix}${name}-copy`}
                    aria-label={`Copy ${visible(name)}`}
                    onClick={() => onCopy(name, claimCopyText(v))}
                  >
                    Copy
                  </button>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

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
}

/** A JWT header or claim set as a table; NumericDate claims also in words and local time. */
export default function ClaimsTable({ value, now, caption, testId, rowPrefix = "claim-" }: Props) {
  if (!isJsonObject(value)) {
    return (
      <p className="muted" data-testid={testId}>
        {caption}: not a JSON object ({valueText(value ?? null)}).
      </p>
    );
  }
  const entries = Object.entries(value);
  return (
    <table className="table claims" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.length === 0 && (
          <tr>
            <td colSpan={2} className="muted">
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
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

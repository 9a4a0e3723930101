interface Props {
  rows: [string, string][];
  onChange: (rows: [string, string][]) => void;
  /** "Parameter" or "Header": used in labels and the add button. */
  noun: string;
  testId: string;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
}

/** Editable name/value pairs (extra parameters, request headers). */
export default function KeyValueRows({ rows, onChange, noun, testId, keyPlaceholder, valuePlaceholder }: Props) {
  const set = (i: number, col: 0 | 1, value: string) =>
    onChange(rows.map((r, j) => (j === i ? ((col === 0 ? [value, r[1]] : [r[0], value]) as [string, string]) : r)));
  return (
    <div className="kv" data-testid={testId}>
      {rows.map(([k, v], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the rows have no identity but their place, and both inputs are controlled, so a removal shows the right values
        <div className="kv-row" key={i}>
          <input
            aria-label={`${noun} ${i + 1} name`}
            value={k}
            placeholder={keyPlaceholder ?? "name"}
            onChange={(e) => set(i, 0, e.target.value)}
          />
          <input
            aria-label={`${noun} ${i + 1} value`}
            value={v}
            placeholder={valuePlaceholder ?? "value"}
            onChange={(e) => set(i, 1, e.target.value)}
          />
          <button type="button" className="btn btn-small" aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small" onClick={() => onChange([...rows, ["", ""]])}>
        Add {noun.toLowerCase()}
      </button>
    </div>
  );
}

interface Props {
  /** The select's id, which its label points at (`az-client`, `audit-client`, …). */
  id: string;
  testId: string;
  label: string;
  /** The label sits on the same line (filter bars) rather than above the select. */
  inline?: boolean;
  /** Client names; `null` while they load (a "Loading…" option is shown). */
  names: readonly string[] | null;
  value: string;
  onChange: (name: string) => void;
  /** The text of a first option with the value "" (All clients, None); none when absent. */
  noneLabel?: string;
}

/** The label and `<select>` for picking a client, as every screen shows it. */
export default function ClientSelect({ id, testId, label, inline = false, names, value, onChange, noneLabel }: Props) {
  return (
    <>
      <label htmlFor={id} className={inline ? "inline-label" : undefined}>
        {label}
      </label>
      <select id={id} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {noneLabel !== undefined && <option value="">{noneLabel}</option>}
        {names === null && noneLabel === undefined && <option value="">Loading…</option>}
        {names?.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </>
  );
}

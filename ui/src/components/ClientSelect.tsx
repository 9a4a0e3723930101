import { useEffect, useState } from "react";

/** Above this many names the list of options is filled in after the screen's first frame. */
export const DEFERRED_OPTIONS = 100;

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

/**
 * The label and `<select>` for picking a client, as every screen shows it. With many clients
 * (1 000 options cost WebKit about 15 ms) the first frame has only the chosen one, so the screen's
 * rows show first; the rest follow on the next frame, or at once when the select is focused or
 * pressed before that.
 */
export default function ClientSelect({ id, testId, label, inline = false, names, value, onChange, noneLabel }: Props) {
  const [allShown, setAllShown] = useState(false);
  const many = names !== null && names.length > DEFERRED_OPTIONS;
  useEffect(() => {
    if (many && !allShown) setAllShown(true);
  }, [many, allShown]);
  const shown = !many || allShown ? names : names.filter((name) => name === value);
  const showAll = () => setAllShown(true);
  return (
    <>
      <label htmlFor={id} className={inline ? "inline-label" : undefined}>
        {label}
      </label>
      <select id={id} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} onFocus={showAll} onPointerDown={showAll}>
        {noneLabel !== undefined && <option value="">{noneLabel}</option>}
        {names === null && noneLabel === undefined && <option value="">Loading…</option>}
        {shown?.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </>
  );
}

import { useId, useState } from "react";

interface Props {
  scopes: string[];
  onChange: (scopes: string[]) => void;
  /** From discovery's `scopes_supported`; offered as one-click additions. */
  suggestions: string[];
}

/** Scopes as removable chips, with free entry (Enter or space adds) and suggestions. */
export default function ScopeChips({ scopes, onChange, suggestions }: Props) {
  const [draft, setDraft] = useState("");
  const inputId = useId();
  const add = (raw: string) => {
    const fresh = raw.split(/\s+/).filter((s) => s.length > 0 && !scopes.includes(s));
    if (fresh.length > 0) onChange([...scopes, ...new Set(fresh)]);
    setDraft("");
  };
  const offered = suggestions.filter((s) => !scopes.includes(s));
  return (
    <div className="chips-field">
      <label htmlFor={inputId}>Scopes</label>
      <div className="chips">
        {scopes.length === 0 && <span className="muted">No scope will be requested.</span>}
        {scopes.map((s) => (
          <span className="chip" key={s} data-testid={`scope-chip-${s}`}>
            {s}
            <button type="button" className="chip-remove" aria-label={`Remove scope ${s}`} onClick={() => onChange(scopes.filter((x) => x !== s))}>
              ×
            </button>
          </span>
        ))}
      </div>
      <input
        id={inputId}
        data-testid="scope-input"
        value={draft}
        placeholder="Type a scope and press Enter"
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" || (e.key === " " && draft.trim() !== "")) {
            e.preventDefault();
            add(draft);
          } else if (e.key === "Backspace" && draft === "" && scopes.length > 0) {
            onChange(scopes.slice(0, -1));
          }
        }}
        onBlur={() => draft.trim() !== "" && add(draft)}
      />
      {offered.length > 0 && (
        <fieldset className="suggestions plain" aria-label="Scopes the server supports">
          <span className="muted">Server supports: </span>
          {offered.map((s) => (
            <button type="button" key={s} className="chip chip-suggestion" data-testid={`scope-suggestion-${s}`} onClick={() => onChange([...scopes, s])}>
              + {s}
            </button>
          ))}
        </fieldset>
      )}
    </div>
  );
}

import { useEffect, useState } from "react";
import { applyPreset, presets, type ClientSpec, type Preset } from "../api";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import ErrorMessage from "./ErrorMessage";

interface Props {
  /** The spec so far (name, client id, …): fields already set win over the preset's. */
  current: () => ClientSpec;
  onApply: (spec: ClientSpec, preset: Preset) => void;
}

/** Start a new client from a provider preset: its endpoints, defaults and documented quirks. */
export default function PresetPicker({ current, onApply }: Props) {
  const [all, setAll] = useState<Preset[]>([]);
  const [id, setId] = useState("");
  const [vars, setVars] = useState<Record<string, string>>({});
  const [error, setError] = useState<ErrorInWords | null>(null);

  useEffect(() => {
    presets()
      .then(setAll)
      .catch(() => {
        // No presets: the picker stays empty; the form works without it.
      });
  }, []);

  const preset = all.find((p) => p.id === id) ?? null;

  async function apply() {
    if (!preset) return;
    try {
      const spec = await applyPreset(preset.id, Object.entries(vars), current());
      setError(null);
      onApply(spec, preset);
    } catch (e) {
      setError(errorInWords(e));
    }
  }

  if (all.length === 0) return null;
  return (
    <fieldset className="fieldset" data-testid="preset-picker">
      <legend>Start from a provider preset</legend>
      <div className="field">
        <label htmlFor="preset-id">Provider</label>
        <select id="preset-id" data-testid="preset-id" value={id} onChange={(e) => setId(e.target.value)}>
          <option value="">None</option>
          {all.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {preset && (
        <>
          {preset.vars.map(([name, what]) => (
            <div className="field" key={name}>
              <label htmlFor={`preset-var-${name}`}>{name}</label>
              <input id={`preset-var-${name}`} data-testid={`preset-var-${name}`} value={vars[name] ?? ""} placeholder={what} onChange={(e) => setVars((v) => ({ ...v, [name]: e.target.value }))} />
            </div>
          ))}
          <ul className="help" data-testid="preset-quirks">
            {preset.quirks.map((q) => (
              <li key={q}>{q}</li>
            ))}
          </ul>
          <button type="button" className="btn btn-small" data-testid="preset-apply" onClick={() => void apply()}>
            Fill the form from {preset.name}
          </button>
        </>
      )}
      {error && <ErrorMessage error={error} title="The preset could not be applied" testId="preset-error" />}
    </fieldset>
  );
}

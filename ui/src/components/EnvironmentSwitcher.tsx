import { useState } from "react";
import "../styles/environments.css";
import { activateEnvironment, listEnvironments, type Environment } from "../api";
import { errorInWords } from "../lib/errors";
import { CLIENTS, ENVIRONMENTS, GRANTS } from "../lib/queries";
import { visible } from "../lib/text";
import { invalidate, setQueryData, useQuery } from "../lib/useQuery";

const NONE = "";
// Environment names hold no control characters, so neither value can be a name.
const EDIT = "\u0001edit";

interface Props {
  /** Opens the Environments screen (the "Edit…" entry). */
  onEdit: () => void;
}

/**
 * The title bar's environment switcher: which environment's `{{variables}}` every login,
 * refresh and API call uses from now on. The choice is the setting the CLI reads too.
 */
export default function EnvironmentSwitcher({ onEdit }: Props) {
  const { data, error: loadError } = useQuery<Environment[]>(ENVIRONMENTS, listEnvironments);
  const [problem, setProblem] = useState<string | null>(null);
  const all = data ?? [];
  const active = all.find((e) => e.active)?.name ?? NONE;

  const choose = async (value: string) => {
    if (value === EDIT) {
      onEdit();
      return;
    }
    setProblem(null);
    const name = value === NONE ? null : value;
    // Shown at once; the list is reloaded from Rust after the switch.
    setQueryData(
      ENVIRONMENTS,
      all.map((e) => ({ ...e, active: e.name === name })),
    );
    try {
      await activateEnvironment(name);
    } catch (e) {
      setProblem(errorInWords(e).message);
    }
    await Promise.all([invalidate(ENVIRONMENTS), invalidate(GRANTS), invalidate(CLIENTS)]);
  };

  const shownProblem = problem ?? (loadError ? loadError.message : null);
  return (
    <div className="env-switcher">
      <label htmlFor="env-switcher">Environment</label>
      <select
        id="env-switcher"
        data-testid="env-switcher"
        value={active}
        disabled={data === undefined}
        onChange={(e) => void choose(e.target.value)}
        title="Whose {{variables}} logins, refreshes and API calls use; shared with the oauthdesk CLI"
      >
        <option value={NONE}>No environment</option>
        {all.map((e) => (
          <option key={e.id} value={e.name}>
            {visible(e.name)}
          </option>
        ))}
        <option value={EDIT}>Edit environments…</option>
      </select>
      {shownProblem && (
        <span className="field-error" role="alert" data-testid="env-switcher-error">
          {visible(shownProblem)}
        </span>
      )}
    </div>
  );
}

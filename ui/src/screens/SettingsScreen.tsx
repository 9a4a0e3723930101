import { useState } from "react";
import { getSettings, setSettings, type AppInfo, type KeychainStatus, type Settings } from "../api";
import ErrorMessage from "../components/ErrorMessage";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { THEMES, applyTheme, isTheme } from "../lib/theme";
import { SETTINGS } from "../lib/queries";
import { setQueryData, useQuery } from "../lib/useQuery";
import NetworkSection from "./NetworkSection";

interface Props {
  info: AppInfo | null;
  keychain: KeychainStatus | null;
  onRecheckKeychain: () => void;
}

const THEME_LABELS: Record<string, string> = { system: "Follow the system", light: "Light", dark: "Dark" };
const MAX_SKEW = 3600;

export default function SettingsScreen({ info, keychain, onRecheckKeychain }: Props) {
  const { data: settings, error: loadError } = useQuery(SETTINGS, getSettings);
  /** What is typed in the skew field; `null` shows the saved value. */
  const [skewDraft, setSkew] = useState<string | null>(null);
  const skew = skewDraft ?? (settings ? String(settings.clock_skew_secs) : "");
  const [skewProblem, setSkewProblem] = useState<string | null>(null);
  const [saveError, setError] = useState<ErrorInWords | null>(null);
  const error = saveError ?? loadError;
  const [note, setNote] = useState<string | null>(null);

  /** Saves and says so; `false` when Rust refused (the error is shown). */
  const persist = async (next: Settings, what: string): Promise<boolean> => {
    setError(null);
    setNote(null);
    try {
      const saved = await setSettings(next);
      setQueryData(SETTINGS, saved);
      setSkew(null);
      setNote(`${what} saved.`);
      return true;
    } catch (e) {
      setError(errorInWords(e));
      return false;
    }
  };

  const changeTheme = (theme: string) => {
    if (!isTheme(theme) || !settings) return;
    applyTheme(theme);
    // Show the choice at once: a controlled <select> would otherwise snap back until the save returns.
    const next = { ...settings, theme };
    setQueryData(SETTINGS, next);
    void persist(next, "Theme");
  };

  const saveSkew = () => {
    if (!settings) return;
    const n = Number(skew);
    if (skew.trim() === "" || !Number.isInteger(n) || n < 0 || n > MAX_SKEW) {
      setSkewProblem(`Clock skew tolerance is a whole number of seconds from 0 to ${MAX_SKEW}.`);
      return;
    }
    setSkewProblem(null);
    if (n !== settings.clock_skew_secs) void persist({ ...settings, clock_skew_secs: n }, "Clock skew tolerance");
  };

  return (
    <div className="settings">
      <section className="panel" data-testid="settings-keychain" aria-label="Keychain">
        <h3>Keychain</h3>
        {keychain === null ? (
          <p className="muted">Checking…</p>
        ) : keychain.available ? (
          <p>
            <span className="badge badge-active">reachable</span> Secrets and tokens are stored in <strong>{keychain.backend}</strong>.
          </p>
        ) : (
          <p>
            <span className="badge badge-revoked">not reachable</span> {keychain.backend && <>Backend: {keychain.backend}. </>}
            {keychain.problem ?? "No reason was given."}
          </p>
        )}
        <button type="button" className="btn btn-small" onClick={onRecheckKeychain}>
          Check again
        </button>
      </section>

      <section className="panel" aria-label="Data">
        <h3>Data directory</h3>
        <p className="selectable" data-testid="settings-datadir">
          {info?.data_dir ?? "unknown (the app info did not load)"}
        </p>
        <p className="help">Client settings, grant metadata and history live here (SQLite); secrets never do. OAUTHDESK_HOME overrides it.</p>
      </section>

      <section className="panel" aria-label="Appearance and checks">
        <h3>Preferences</h3>
        <div className="field">
          <label htmlFor="settings-theme">Theme</label>
          <select id="settings-theme" data-testid="settings-theme" value={settings?.theme ?? "system"} disabled={!settings} onChange={(e) => changeTheme(e.target.value)}>
            {THEMES.map((t) => (
              <option key={t} value={t}>
                {THEME_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="settings-skew">Clock skew tolerance (seconds)</label>
          <div className="input-with-button">
            <input
              id="settings-skew"
              data-testid="settings-skew"
              type="number"
              min={0}
              max={MAX_SKEW}
              value={skew}
              disabled={!settings}
              aria-describedby="settings-skew-help"
              onChange={(e) => setSkew(e.target.value)}
              onKeyDown={(e) => e.key === "Enter" && saveSkew()}
            />
            <button type="button" className="btn" data-testid="settings-skew-save" disabled={!settings} onClick={saveSkew}>
              Save
            </button>
          </div>
          <p className="help" id="settings-skew-help">
            How far this computer's clock and the server's may differ when token times are checked: exp, iat and nbf of ID tokens
            and JWT access tokens (Tokens → Verification, Decode → Verify, <code>oauthdesk inspect</code>/<code>decode</code>).
          </p>
          {skewProblem && (
            <p className="field-error" role="alert">
              {skewProblem}
            </p>
          )}
        </div>
      </section>

      <NetworkSection settings={settings} persist={persist} />

      {note && (
        <p className="ok-text" role="status" data-testid="settings-note">
          {note}
        </p>
      )}
      {error && <ErrorMessage error={error} title="Settings" testId="settings-error" />}
    </div>
  );
}

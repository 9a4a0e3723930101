import { useState } from "react";
import "../styles/environments.css";
import {
  activateEnvironment,
  createEnvironment,
  deleteEnvironment,
  type Environment,
  importPostmanEnvironment,
  listEnvironments,
  renameEnvironment,
  revealVariable,
  setVariable,
  unsetVariable,
} from "../api";
import ConfirmDialog from "../components/ConfirmDialog";
import ErrorMessage from "../components/ErrorMessage";
import { type ErrorInWords, errorInWords } from "../lib/errors";
import { CLIENTS, ENVIRONMENTS, GRANTS } from "../lib/queries";
import { visible } from "../lib/text";
import { invalidate, useQuery } from "../lib/useQuery";

/** What a secret variable shows until it is revealed. */
export const MASK = "••••••••";

/**
 * Environments (dev / staging / prod) and their variables, used as `{{name}}` in client
 * endpoints, client parameters and Call API requests. Secret values live in the keychain: the
 * list never carries them; the eye button reveals one on request and forgets it on leaving.
 */
export default function EnvironmentsScreen() {
  const { data, error: loadError } = useQuery<Environment[]>(ENVIRONMENTS, listEnvironments);
  const all = data ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const current = all.find((e) => e.name === chosen) ?? all.find((e) => e.active) ?? all[0] ?? null;
  const [newName, setNewName] = useState("");
  const [error, setError] = useState<ErrorInWords | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = async (what: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNotice(null);
    try {
      await what();
      if (done) setNotice(done);
    } catch (e) {
      setError(errorInWords(e));
    }
    await Promise.all([invalidate(ENVIRONMENTS), invalidate(GRANTS), invalidate(CLIENTS)]);
  };

  const create = () => {
    const name = newName.trim();
    if (name === "") return;
    void run(async () => {
      await createEnvironment(name);
      setChosen(name);
      setNewName("");
    }, `Created ${name}.`);
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    void run(async () => {
      const r = await importPostmanEnvironment(text);
      setChosen(r.environment);
      const skipped = r.skipped.length > 0 ? `; skipped ${r.skipped.join("; ")}` : "";
      setNotice(`${r.existed ? "Updated" : "Created"} ${r.environment}: ${r.variables} variable(s), ${r.secrets} secret(s) in the keychain${skipped}.`);
    });
  };

  return (
    <div className="split">
      <div className="split-list">
        <div className="list-tools">
          <input
            aria-label="New environment name"
            placeholder="New environment (e.g. dev)"
            data-testid="env-new-name"
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && create()}
          />
          <button type="button" className="btn btn-primary" data-testid="env-create" disabled={newName.trim() === ""} onClick={create}>
            Create
          </button>
        </div>
        <label className="btn btn-small">
          Import Postman environment…
          <input type="file" accept=".json,application/json" hidden data-testid="env-import-file" onChange={(e) => void importFile(e.target.files?.[0])} />
        </label>
        {loadError && <ErrorMessage error={loadError} title="Could not load the environments" testId="env-load-error" />}
        {data !== undefined && all.length === 0 && (
          <div className="empty-state small">
            <h2>No environments yet</h2>
            <p>
              Create dev, staging and prod, give each the same variables, and write <code>{"{{issuer}}"}</code> in a client or request.
            </p>
          </div>
        )}
        <ul className="rows" aria-label="Environments">
          {all.map((e) => (
            <li key={e.id}>
              <button
                type="button"
                className="row-button"
                data-testid={`env-row-${e.name}`}
                aria-current={current?.id === e.id ? "true" : undefined}
                onClick={() => setChosen(e.name)}
              >
                <span className="row-title">{visible(e.name)}</span>
                <span className="row-sub muted">{e.variables.length} variable(s)</span>
                {e.active && <span className="tag tag-soft">active</span>}
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="split-detail">
        {notice && (
          <p className="notice notice-ok" role="status" data-testid="env-notice">
            {visible(notice)}
          </p>
        )}
        {error && <ErrorMessage error={error} title="Environments" testId="env-error" />}
        {current ? (
          <EnvironmentDetail key={current.id} env={current} run={run} onRenamed={setChosen} />
        ) : (
          <p className="muted">Variables are written {"{{name}}"}; a literal {"{{"} is written {"{{{{"}.</p>
        )}
      </div>
    </div>
  );
}

interface DetailProps {
  env: Environment;
  run: (what: () => Promise<unknown>, done?: string) => Promise<void>;
  onRenamed: (name: string) => void;
}

function EnvironmentDetail({ env, run, onRenamed }: DetailProps) {
  const [rename, setRename] = useState(env.name);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [varName, setVarName] = useState("");
  const [varValue, setVarValue] = useState("");
  const [varSecret, setVarSecret] = useState(false);
  /** Secret values revealed on request, by variable name; dropped when this pane unmounts. */
  const [revealed, setRevealed] = useState<Record<string, string>>({});

  const addVariable = () => {
    const name = varName.trim();
    if (name === "") return;
    void run(async () => {
      await setVariable(env.name, name, varValue, varSecret);
      setVarName("");
      setVarValue("");
      setVarSecret(false);
    }, `Set ${name}${varSecret ? " (secret, in the keychain)" : ""}.`);
  };

  const toggleReveal = (name: string) => {
    if (name in revealed) {
      const { [name]: _, ...rest } = revealed;
      setRevealed(rest);
      return;
    }
    void run(async () => setRevealed({ ...revealed, [name]: await revealVariable(env.name, name) }));
  };

  /** Turns a variable secret or plain; its value has to be read first when it was secret. */
  const toggleSecret = (name: string, secret: boolean, value: string | null) => {
    void run(async () => {
      const current = secret ? await revealVariable(env.name, name) : (value ?? "");
      await setVariable(env.name, name, current, !secret);
    });
  };

  return (
    <section className="panel" aria-label={`Environment ${env.name}`} data-testid="env-detail">
      <div className="button-row">
        <h2>{visible(env.name)}</h2>
        {env.active ? (
          <span className="badge badge-active">active</span>
        ) : (
          <button type="button" className="btn btn-small" data-testid="env-activate" onClick={() => void run(() => activateEnvironment(env.name), `${env.name} is active.`)}>
            Make active
          </button>
        )}
      </div>
      <div className="field">
        <label htmlFor="env-rename">Name</label>
        <div className="input-with-button">
          <input id="env-rename" data-testid="env-rename" value={rename} onChange={(e) => setRename(e.target.value)} />
          <button
            type="button"
            className="btn"
            data-testid="env-rename-save"
            disabled={rename.trim() === "" || rename.trim() === env.name}
            onClick={() =>
              void run(async () => {
                const r = await renameEnvironment(env.name, rename.trim());
                onRenamed(r.name);
              }, "Renamed.")
            }
          >
            Rename
          </button>
          <button type="button" className="btn btn-danger" data-testid="env-delete" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        </div>
      </div>
      <table className="table env-variables" aria-label="Variables">
        <thead>
          <tr>
            <th scope="col">Variable</th>
            <th scope="col">Value</th>
            <th scope="col">Secret</th>
            <th scope="col">
              Actions
            </th>
          </tr>
        </thead>
        <tbody>
          {env.variables.map((v) => (
            <tr key={v.name} data-testid={`env-var-${v.name}`}>
              <td>
                <code>{`{{${v.name}}}`}</code>
              </td>
              <td className="selectable env-value" data-testid={`env-var-value-${v.name}`} title={v.secret ? undefined : visible(v.value ?? "")}>
                {v.secret ? visible(revealed[v.name] ?? MASK) : visible(v.value ?? "")}
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${v.name} is secret`}
                  data-testid={`env-var-secret-${v.name}`}
                  checked={v.secret}
                  onChange={() => toggleSecret(v.name, v.secret, v.value)}
                />
              </td>
              <td>
                <div className="button-row">
                  {v.secret && (
                    <button type="button" className="btn btn-small" data-testid={`env-var-reveal-${v.name}`} onClick={() => toggleReveal(v.name)}>
                      {v.name in revealed ? "Hide" : "Reveal"}
                    </button>
                  )}
                  <button type="button" className="btn btn-small" data-testid={`env-var-remove-${v.name}`} onClick={() => void run(() => unsetVariable(env.name, v.name), `Removed ${v.name}.`)}>
                    Remove
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="env-add">
        <input aria-label="Variable name" placeholder="name" data-testid="env-var-name" value={varName} onChange={(e) => setVarName(e.target.value)} />
        <input
          aria-label="Variable value"
          placeholder="value"
          type={varSecret ? "password" : "text"}
          data-testid="env-var-value"
          value={varValue}
          onChange={(e) => setVarValue(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && addVariable()}
        />
        <label>
          <input type="checkbox" data-testid="env-var-secret" checked={varSecret} onChange={(e) => setVarSecret(e.target.checked)} /> secret
        </label>
        <button type="button" className="btn" data-testid="env-var-add" disabled={varName.trim() === ""} onClick={addVariable}>
          Set
        </button>
      </div>
      <p className="help">
        Use as <code>{"{{name}}"}</code> in a client's issuer, endpoints, client id, scopes and parameters, and in Call API URLs, headers and
        bodies. Secret values are kept in the keychain and masked in transcripts. A literal <code>{"{{"}</code> is written <code>{"{{{{"}</code>.
      </p>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${visible(env.name)}?`}
          testId="env-delete-dialog"
          onCancel={() => setConfirmDelete(false)}
          actions={
            <>
              <button
                type="button"
                className="btn btn-danger"
                data-testid="env-delete-confirm"
                onClick={() => {
                  setConfirmDelete(false);
                  void run(() => deleteEnvironment(env.name), `Deleted ${env.name}.`);
                }}
              >
                Delete
              </button>
              <button type="button" className="btn" onClick={() => setConfirmDelete(false)}>
                Cancel
              </button>
            </>
          }
        >
          <p>Its variables go, and secret values leave the keychain. Grants obtained in it stay but are not used under another environment.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

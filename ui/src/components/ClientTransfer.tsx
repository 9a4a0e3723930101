import { useState } from "react";
import { exportClients, importClients, type ImportReport } from "../api";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import ErrorMessage from "./ErrorMessage";

/** What an import did, in one sentence per kind of outcome. */
export function importSummary(r: ImportReport): string {
  const parts = [`Imported ${r.added.length} client${r.added.length === 1 ? "" : "s"} from ${r.source === "postman" ? "a Postman collection" : "an OAuth Desk export"}.`];
  if (r.skipped.length > 0) parts.push(`Skipped: ${r.skipped.map(([n, why]) => `${n} (${why})`).join("; ")}.`);
  if (r.secrets_stored.length > 0) parts.push(`Secrets moved into the keychain: ${r.secrets_stored.join(", ")}.`);
  if (r.need_secret.length > 0) parts.push(`Enter the secret of ${r.need_secret.join(", ")} in the editor before use.`);
  return parts.join(" ");
}

/** Export every client's settings (never a secret), and the button that opens the import form
 *  (in the detail pane, where it has room: ClientImportPanel). */
export function ClientTransfer({ importOpen, onOpenImport, onExported }: { importOpen: boolean; onOpenImport: () => void; onExported: (path: string) => void }) {
  const [error, setError] = useState<ErrorInWords | null>(null);

  async function doExport() {
    try {
      onExported(await exportClients([]));
      setError(null);
    } catch (e) {
      setError(errorInWords(e));
    }
  }

  return (
    <div className="client-transfer">
      <div className="button-row">
        <button type="button" className="btn btn-small" data-testid="clients-export" onClick={() => void doExport()}>
          Export all
        </button>
        <button type="button" className="btn btn-small" data-testid="clients-import-open" aria-expanded={importOpen} onClick={onOpenImport}>
          Import…
        </button>
      </div>
      {error && <ErrorMessage error={error} title="Export failed" testId="clients-transfer-error" />}
    </div>
  );
}

/** Import an OAuth Desk export or a Postman collection (with an optional environment). */
export function ClientImportPanel({ onImported, onCancel }: { onImported: (summary: string, firstAdded: string | null) => void; onCancel: () => void }) {
  const [text, setText] = useState("");
  const [env, setEnv] = useState("");
  const [withSecrets, setWithSecrets] = useState(false);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const [busy, setBusy] = useState(false);

  async function doImport() {
    setBusy(true);
    try {
      const report = await importClients(text, env.trim() === "" ? null : env, withSecrets);
      setError(null);
      setText("");
      setEnv("");
      onImported(importSummary(report), report.added[0] ?? null);
    } catch (e) {
      setError(errorInWords(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="client-import">
      <h2>Import clients</h2>
      <div className="panel" data-testid="clients-import">
        <div className="field">
          <label htmlFor="import-text">OAuth Desk export or Postman collection (JSON)</label>
          <textarea id="import-text" data-testid="import-text" rows={5} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="import-env">Postman environment (optional, for {"{{variables}}"})</label>
          <textarea id="import-env" data-testid="import-env" rows={2} spellCheck={false} value={env} onChange={(e) => setEnv(e.target.value)} />
        </div>
        <label>
          <input type="checkbox" data-testid="import-with-secrets" checked={withSecrets} onChange={(e) => setWithSecrets(e.target.checked)} /> Move client secrets found in a
          Postman file into the keychain
        </label>
        <div className="button-row">
          <button type="button" className="btn btn-primary" data-testid="import-run" disabled={busy || text.trim() === ""} onClick={() => void doImport()}>
            Import
          </button>
          <button type="button" className="btn" data-testid="import-cancel" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
      {error && <ErrorMessage error={error} title="Import failed" testId="clients-transfer-error" />}
    </div>
  );
}

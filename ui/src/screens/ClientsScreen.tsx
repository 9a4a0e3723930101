import { useMemo, useState } from "react";
import { duplicateClient, removeClient, type Client } from "../api";
import { ClientImportPanel, ClientTransfer } from "../components/ClientTransfer";
import ConfirmDialog from "../components/ConfirmDialog";
import OnboardingGuide, { wantsGuide } from "../components/OnboardingGuide";
import RegisterPanel from "../components/RegisterPanel";
import SplitPane from "../components/SplitPane";
import StartFromApi from "../components/StartFromApi";
import ErrorMessage from "../components/ErrorMessage";
import Progress from "../components/Progress";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { clientsChanged, useClients } from "../lib/queries";
import ClientEditor from "./ClientEditor";

type Selection = { kind: "none" } | { kind: "new" } | { kind: "register" } | { kind: "resource" } | { kind: "import" } | { kind: "edit"; name: string };
type Dialog = null | "delete" | "duplicate";

function matches(c: Client, q: string): boolean {
  const s = q.trim().toLowerCase();
  if (s === "") return true;
  return [c.name, c.client_id, c.issuer ?? ""].some((v) => v.toLowerCase().includes(s));
}

interface Props {
  onAuthorize: (client: string) => void;
  /** The getting-started guide's steps 2 and 3 (shown while the Sandbox is the only client). */
  onOpenGrant?: (grantId: string) => void;
  onCallUserinfo?: (grantId: string) => void;
}

export default function ClientsScreen({ onAuthorize, onOpenGrant = () => undefined, onCallUserinfo = () => undefined }: Props) {
  const query = useClients();
  // A failed load shows the error over an empty list (or the list loaded before).
  const clients = query.data ?? (query.error ? [] : null);
  const loadError = query.error;
  const [search, setSearch] = useState("");
  const [selection, setSelection] = useState<Selection>({ kind: "none" });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [dialogError, setDialogError] = useState<ErrorInWords | null>(null);
  const [busySince, setBusySince] = useState<number | null>(null);
  const [copyName, setCopyName] = useState("");
  const [notice, setNotice] = useState<string | null>(null);

  /** Reloads after a change, then selects `select` (once the list has it). */
  const reload = async (select?: string) => {
    await clientsChanged();
    if (select !== undefined) setSelection({ kind: "edit", name: select });
  };

  const visible = useMemo(() => (clients ?? []).filter((c) => matches(c, search)), [clients, search]);
  const current = selection.kind === "edit" ? (clients ?? []).find((c) => c.name === selection.name) ?? null : null;

  const openDialog = (d: Dialog) => {
    setDialogError(null);
    if (d === "duplicate" && current) setCopyName(`${current.name} copy`);
    setDialog(d);
  };

  const remove = async (revokeFirst: boolean) => {
    if (!current) return;
    setBusySince(Date.now());
    setDialogError(null);
    try {
      await removeClient(current.name, revokeFirst);
      setDialog(null);
      setSelection({ kind: "none" });
      setNotice(revokeFirst ? `Revoked the tokens of ${current.name} and deleted it.` : `Deleted ${current.name}; its tokens were not revoked at the server.`);
      await reload();
    } catch (e) {
      setDialogError(errorInWords(e));
    } finally {
      setBusySince(null);
    }
  };

  const duplicate = async () => {
    if (!current) return;
    if (copyName.trim() === "") {
      setDialogError({ code: "invalid_input", message: "The copy needs a name.", hint: null, oauth: null });
      return;
    }
    setBusySince(Date.now());
    setDialogError(null);
    try {
      const copy = await duplicateClient(current.name, copyName.trim());
      setDialog(null);
      setNotice(`Copied ${current.name} to ${copy.name}, with its own copy of the secret.`);
      await reload(copy.name);
    } catch (e) {
      setDialogError(errorInWords(e));
    } finally {
      setBusySince(null);
    }
  };

  return (
    <>
      <SplitPane
        id="clients"
        list={
          <>
            <div className="list-tools">
              <input type="search" aria-label="Search clients" placeholder="Search clients" data-testid="client-search" data-shortcut="search" value={search} onChange={(e) => setSearch(e.target.value)} />
              <button type="button" className="btn btn-primary" data-testid="client-new" data-shortcut="new-client" title="Ctrl+N" onClick={() => setSelection({ kind: "new" })}>
                New client
              </button>
            </div>
            <ClientTransfer
              importOpen={selection.kind === "import"}
              onOpenImport={() => setSelection({ kind: "import" })}
              onExported={(path) => setNotice(`Exported every client's settings (no secrets) to ${path}`)}
            />
            <div className="button-row wrap">
              <button type="button" className="btn btn-small" data-testid="register-open" aria-expanded={selection.kind === "register"} onClick={() => setSelection({ kind: "register" })}>
                Register at a server…
              </button>
              <button type="button" className="btn btn-small" data-testid="resource-open" aria-expanded={selection.kind === "resource"} onClick={() => setSelection({ kind: "resource" })}>
                Start from an API…
              </button>
            </div>
            {loadError && <ErrorMessage error={loadError} title="Could not load the clients" testId="clients-load-error" />}
            {clients === null && <p className="muted">Loading…</p>}
            {clients !== null && clients.length === 0 && (
              <div className="empty-state small">
                <h2>No clients yet</h2>
                <p>Register an OAuth client, or discover one from an issuer URL, to start a flow.</p>
              </div>
            )}
            {clients !== null && clients.length > 0 && visible.length === 0 && <p className="muted">No client matches “{search}”.</p>}
            <ul className="rows" aria-label="Clients">
              {visible.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    className="row-button"
                    data-testid={`client-row-${c.name}`}
                    aria-current={current?.id === c.id ? "true" : undefined}
                    onClick={() => {
                      setNotice(null);
                      setSelection({ kind: "edit", name: c.name });
                    }}
                  >
                    <span className="row-title">{c.name}</span>
                    <span className="row-sub muted" title={`${c.client_id}${c.issuer ? ` · ${c.issuer}` : ""}`}>
                      {c.client_id}
                      {c.issuer ? ` · ${c.issuer}` : ""}
                    </span>
                    {c.has_secret && <span className="tag tag-soft">secret in keychain</span>}
                  </button>
                </li>
              ))}
            </ul>
          </>
        }
        detail={
          <>
            {notice && (
              <p className="notice notice-ok" role="status" data-testid="client-notice">
                {notice}
              </p>
            )}
            {selection.kind === "none" && !notice && clients !== null && wantsGuide(clients) && (
              <OnboardingGuide clients={clients} onAuthorize={onAuthorize} onOpenGrant={onOpenGrant} onCallUserinfo={onCallUserinfo} onNewClient={() => setSelection({ kind: "new" })} />
            )}
            {selection.kind === "none" && !notice && (clients === null || !wantsGuide(clients)) && <p className="muted center">Pick a client to edit it, or press New client.</p>}
            {selection.kind === "import" && (
              <ClientImportPanel
                onImported={(summary, first) => {
                  setNotice(summary);
                  setSelection({ kind: "none" });
                  void reload(first ?? undefined);
                }}
                onCancel={() => setSelection({ kind: "none" })}
              />
            )}
            {selection.kind === "register" && (
              <RegisterPanel
                onRegistered={(c) => {
                  setNotice(`Registered ${c.name} at the server: client id ${c.client_id}${c.has_secret ? "; its secret is in the keychain" : ""}.`);
                  void reload(c.name);
                }}
                onCancel={() => setSelection({ kind: "none" })}
              />
            )}
            {selection.kind === "resource" && (
              <StartFromApi
                onCreated={(made) => {
                  setNotice(`Made ${made.client.name} for ${made.resource} at ${made.issuer}, client id ${made.client.client_id}, redirect URI ${made.redirect_uri}. ${made.notes.join("; ")}.`);
                  void reload(made.client.name);
                }}
                onCancel={() => setSelection({ kind: "none" })}
              />
            )}
            {selection.kind === "new" && (
              <ClientEditor
                key="new"
                client={null}
                onSaved={(c) => {
                  setNotice(`Added ${c.name}.`);
                  void reload(c.name);
                }}
                onDuplicate={() => undefined}
                onDelete={() => undefined}
                onAuthorize={() => undefined}
              />
            )}
            {current && (
              <ClientEditor
                key={current.id}
                client={current}
                onSaved={(c) => {
                  setNotice(`Saved ${c.name}.`);
                  void reload(c.name);
                }}
                onDuplicate={() => openDialog("duplicate")}
                onDelete={() => openDialog("delete")}
                onAuthorize={() => onAuthorize(current.name)}
                onRemoved={() => {
                  setNotice(`Deleted the registration of ${current.name} at the server, and the client here.`);
                  setSelection({ kind: "none" });
                  void reload();
                }}
              />
            )}
          </>
        }
      />

      {dialog === "delete" && current && (
        <ConfirmDialog
          title={`Delete ${current.name}?`}
          onCancel={() => setDialog(null)}
          testId="delete-dialog"
          actions={
            <>
              <button type="button" className="btn btn-danger" data-testid="confirm-revoke-and-delete" disabled={busySince !== null} onClick={() => void remove(true)}>
                Revoke tokens, then delete
              </button>
              <button type="button" className="btn" data-testid="confirm-delete" disabled={busySince !== null} onClick={() => void remove(false)}>
                Delete without revoking
              </button>
            </>
          }
        >
          <p>
            Deleting removes the client, its secret and its tokens from this computer. Tokens still valid at the server keep working until they expire unless
            you revoke them first (RFC 7009).
          </p>
          {busySince !== null && <Progress label="Working…" sinceMs={busySince} />}
          {dialogError && <ErrorMessage error={dialogError} title="Not deleted" />}
        </ConfirmDialog>
      )}

      {dialog === "duplicate" && current && (
        <ConfirmDialog
          title={`Duplicate ${current.name}`}
          onCancel={() => setDialog(null)}
          testId="duplicate-dialog"
          actions={
            <button type="button" className="btn btn-primary" data-testid="confirm-duplicate" disabled={busySince !== null} onClick={() => void duplicate()}>
              Duplicate
            </button>
          }
        >
          <label htmlFor="duplicate-name">Name of the copy</label>
          <input
            id="duplicate-name"
            data-testid="duplicate-name"
            value={copyName}
            onChange={(e) => setCopyName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") void duplicate();
            }}
          />
          <p className="help">The copy gets the same settings and its own copy of the secret; no tokens.</p>
          {busySince !== null && <Progress label="Copying…" sinceMs={busySince} />}
          {dialogError && <ErrorMessage error={dialogError} title="Not duplicated" />}
        </ConfirmDialog>
      )}
    </>
  );
}

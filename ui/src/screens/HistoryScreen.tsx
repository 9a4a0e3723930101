import { useEffect, useMemo, useRef, useState } from "react";
import { flowTranscript, history, type HistoryEvent, type LoginRequest } from "../api";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import TranscriptView from "../components/TranscriptView";
import { GRANTS, useClients } from "../lib/queries";
import { reveal } from "../lib/scroll";
import { absoluteTime, relativeTime } from "../lib/time";
import { useNow } from "../lib/useNow";
import { useQuery } from "../lib/useQuery";
import "../styles/timeline.css";

const KINDS: Record<string, { label: string; tone: string }> = {
  issued: { label: "Token issued", tone: "ok" },
  refreshed: { label: "Refreshed", tone: "ok" },
  revoked: { label: "Revoked", tone: "warn" },
  forgotten: { label: "Forgotten locally", tone: "neutral" },
  login_failed: { label: "Login failed", tone: "error" },
  refresh_failed: { label: "Refresh failed", tone: "error" },
  revoke_failed: { label: "Revoke failed", tone: "error" },
  client_added: { label: "Client added", tone: "neutral" },
  client_updated: { label: "Client updated", tone: "neutral" },
  client_removed: { label: "Client removed", tone: "neutral" },
  handoff: { label: "Token handed over", tone: "neutral" },
  handoff_rejected: { label: "Token refused by a tool", tone: "warn" },
};

export function kindInWords(kind: string): { label: string; tone: string } {
  return KINDS[kind] ?? { label: kind.replace(/_/g, " "), tone: kind.endsWith("_failed") ? "error" : "neutral" };
}

/** Rendered at most; older events are one click away. */
const PAGE = 300;

/** What "Run again" starts: the event's options, never a secret (the password grant asks again). */
export function rerunRequest(e: HistoryEvent): LoginRequest | null {
  if (!e.rerun || e.rerun.grant === "password") return null;
  return { grant: e.rerun.grant, scope: e.rerun.scope, extra_params: e.rerun.extra_params, username: e.rerun.username, password: null };
}

/** One flow's saved transcript, opened from its event. */
function OpenedFlow({ flowId, now, onClose }: { flowId: string; now: number; onClose: () => void }) {
  const { data, error } = useQuery(`flow/${flowId}`, () => flowTranscript(flowId));
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => reveal(ref.current), []);
  return (
    <div ref={ref} className="history-flow" data-testid="history-flow">
      <div className="button-row">
        <button type="button" className="btn btn-small" data-testid="history-flow-close" onClick={onClose}>
          Close transcript
        </button>
      </div>
      {error && <ErrorMessage error={error} title="Could not load the flow's exchanges" />}
      {data === undefined && !error && <p className="muted">Loading…</p>}
      {data === null && <p className="muted">No exchange of this flow was saved.</p>}
      {data && <TranscriptView transcript={data} now={now} />}
    </div>
  );
}

interface Props {
  /** Starts a login with a history event's options (the Authorize screen shows it). */
  onRunAgain?: (client: string, request: LoginRequest) => void;
  /** A flow is running: another cannot start. */
  busy?: boolean;
}

export default function HistoryScreen({ onRunAgain, busy = false }: Props) {
  const { data: clients, error: clientsError } = useClients();
  const [client, setClient] = useState("");
  const query = useQuery(`${GRANTS}history/${client}`, async () => [...(await history(client === "" ? undefined : client))].sort((a, b) => b.at - a.at));
  // A failed load shows the error over an empty table.
  const events = query.data ?? (query.error ? [] : null);
  const error = query.error ?? clientsError;
  const [shown, setShown] = useState(PAGE);
  const [grant, setGrant] = useState("");
  const [opened, setOpened] = useState<string | null>(null);
  const now = useNow(true, 15000);

  const chooseClient = (name: string) => {
    setClient(name);
    setShown(PAGE);
    setGrant("");
  };

  const grants = useMemo(() => [...new Set((events ?? []).map((e) => e.grant_id).filter((g): g is string => g !== null))], [events]);
  const listed = useMemo(() => (grant === "" ? events : (events ?? []).filter((e) => e.grant_id === grant)), [events, grant]);

  return (
    <div className="history">
      <div className="list-tools">
        <ClientSelect id="history-client" testId="history-client" label="Client" inline names={(clients ?? []).map((c) => c.name)} value={client} onChange={chooseClient} noneLabel="All clients" />
        <label htmlFor="history-grant" className="inline-label">
          Grant
        </label>
        <select id="history-grant" data-testid="history-grant" value={grant} onChange={(e) => setGrant(e.target.value)} disabled={grants.length === 0}>
          <option value="">All grants</option>
          {grants.map((g) => (
            <option key={g} value={g}>
              {g.slice(0, 8)}
            </option>
          ))}
        </select>
      </div>
      {error && <ErrorMessage error={error} title="Could not load the history" testId="history-error" />}
      {events === null && <p className="muted">Loading…</p>}
      {listed !== null && listed.length === 0 && !error && (
        <div className="empty-state small">
          <h2>No history</h2>
          <p>Every token issued, refreshed or revoked, and every failure, is recorded here.</p>
        </div>
      )}
      {opened !== null && <OpenedFlow key={opened} flowId={opened} now={now} onClose={() => setOpened(null)} />}
      {listed !== null && listed.length > 0 && (
        <table className="table history-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Client</th>
              <th scope="col">What</th>
              <th scope="col">Detail</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {listed.slice(0, shown).map((e, i) => {
              const k = kindInWords(e.kind);
              const flowId = e.flow_id;
              const again = rerunRequest(e);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: events have no id and several can share a second; the list is only ever replaced whole
                <tr key={`${e.at}-${i}`} data-testid="history-row" data-kind={e.kind} data-opened={flowId !== null && flowId === opened ? "true" : undefined}>
                  <td title={absoluteTime(e.at)}>{relativeTime(e.at, now)}</td>
                  <td>{e.client}</td>
                  <td>
                    <span className={`tag tag-${k.tone}`}>{k.label}</span>
                  </td>
                  <td>
                    {e.detail || <span className="muted">—</span>}
                    {e.grant_id && <span className="muted"> (grant {e.grant_id.slice(0, 8)})</span>}
                  </td>
                  <td className="history-open">
                    {flowId !== null && (
                      <button type="button" className="btn btn-small" data-testid="history-open" onClick={() => setOpened(flowId)}>
                        Open
                      </button>
                    )}{" "}
                    {onRunAgain && e.rerun && (
                      <button
                        type="button"
                        className="btn btn-small"
                        data-testid="history-rerun"
                        disabled={busy || again === null}
                        title={again === null ? "The password grant needs the password again: start it from Authorize." : busy ? "A flow is running." : "Runs this login again with the same options"}
                        onClick={() => again && onRunAgain(e.client, again)}
                      >
                        Run again
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {listed !== null && listed.length > shown && (
        <button type="button" className="btn" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, listed.length - shown)} older events
        </button>
      )}
    </div>
  );
}

import { useEffect, useState } from "react";
import { listClients, providerReport, type Client, type ProviderReport } from "../api";
import ErrorMessage from "../components/ErrorMessage";
import { errorInWords, type ErrorInWords } from "../lib/errors";

/** Where a client's authorization server departs from the specs, from everything OAuth Desk
 *  recorded: its metadata, every token response and every exchange. */
export default function ReportScreen() {
  const [clients, setClients] = useState<Client[] | null>(null);
  const [client, setClient] = useState("");
  const [report, setReport] = useState<ProviderReport | null>(null);
  const [error, setError] = useState<ErrorInWords | null>(null);

  useEffect(() => {
    listClients()
      .then((cs) => {
        setClients(cs);
        if (cs.length > 0) setClient((c) => c || cs[0].name);
      })
      .catch((e: unknown) => setError(errorInWords(e)));
  }, []);

  useEffect(() => {
    if (client === "") return;
    let live = true;
    setReport(null);
    providerReport(client)
      .then((r) => {
        if (!live) return;
        setReport(r);
        setError(null);
      })
      .catch((e: unknown) => live && setError(errorInWords(e)));
    return () => {
      live = false;
    };
  }, [client]);

  if (clients !== null && clients.length === 0) {
    return (
      <div className="empty-state small" data-testid="report-empty">
        <h2>No clients yet</h2>
        <p>Register a client and run a flow: every exchange is then checked against the specs here.</p>
      </div>
    );
  }
  return (
    <div className="report">
      <div className="list-tools">
        <label htmlFor="report-client" className="inline-label">
          Client
        </label>
        <select id="report-client" data-testid="report-client" value={client} onChange={(e) => setClient(e.target.value)}>
          {(clients ?? []).map((c) => (
            <option key={c.id} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      {error && <ErrorMessage error={error} title="Could not build the report" testId="report-error" />}
      {report && (
        <>
          <p className="muted" data-testid="report-scope">
            {report.issuer ?? "No issuer"}: {report.flows_checked} flow{report.flows_checked === 1 ? "" : "s"}, {report.exchanges_checked} exchange
            {report.exchanges_checked === 1 ? "" : "s"} and {report.grants_checked} grant{report.grants_checked === 1 ? "" : "s"} checked.
          </p>
          {report.findings.length === 0 ? (
            <p className="notice notice-ok" data-testid="report-clean">
              No departures from the specs found so far.
            </p>
          ) : (
            <ul className="findings" data-testid="report-findings">
              {report.findings.map((f) => (
                <li key={f.code} className={`finding finding-${f.severity}`} data-testid={`finding-${f.code}`} data-severity={f.severity}>
                  <div className="finding-head">
                    <span className={`tag tag-${f.severity === "violation" ? "error" : "warn"}`}>{f.severity === "violation" ? "violates" : "advice"}</span>{" "}
                    <strong>{f.detail}</strong>
                  </div>
                  <div className="muted">
                    {f.spec} · <code>{f.code}</code> · seen {f.occurrences}× at {f.source}
                  </div>
                  <div>
                    <em>What OAuth Desk did:</em> {f.action}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

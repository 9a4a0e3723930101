import { useState } from "react";
import { providerReport } from "../api";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import { GRANTS, useClients } from "../lib/queries";
import { useQuery } from "../lib/useQuery";
import FindingsList from "../components/FindingsList";

/** Where a client's authorization server departs from the specs, from everything OAuth Desk
 *  recorded: its metadata, every token response and every exchange. */
export default function ReportScreen() {
  const { data: clients, error: clientsError } = useClients();
  const [chosen, setClient] = useState("");
  // The first client until one is chosen.
  const client = chosen || (clients?.[0]?.name ?? "");
  const { data: report, error: reportError } = useQuery(client === "" ? null : `${GRANTS}report/${client}`, () => providerReport(client));
  const error = reportError ?? clientsError;

  if (clients !== undefined && clients.length === 0) {
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
        <ClientSelect id="report-client" testId="report-client" label="Client" inline names={(clients ?? []).map((c) => c.name)} value={client} onChange={setClient} />
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
            <FindingsList findings={report.findings} testId="report-findings" showOccurrences />
          )}
        </>
      )}
    </div>
  );
}

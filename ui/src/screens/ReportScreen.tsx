import { useState } from "react";
import { fapi2Report, providerReport } from "../api";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import { GRANTS, useClients } from "../lib/queries";
import { useQuery } from "../lib/useQuery";
import FindingsList from "../components/FindingsList";
import ProfileVerdictView from "../components/ProfileVerdictView";

/** Where a client's authorization server departs from the specs, from everything OAuth Desk
 *  recorded: its metadata, every token response and every exchange. */
export default function ReportScreen() {
  const { data: clients, error: clientsError } = useClients();
  const [chosen, setClient] = useState("");
  // The first client until one is chosen.
  const client = chosen || (clients?.[0]?.name ?? "");
  const [profile, setProfile] = useState<"specs" | "fapi2">("specs");
  const { data: report, error: reportError } = useQuery(client === "" || profile !== "specs" ? null : `${GRANTS}report/${client}`, () => providerReport(client));
  const { data: verdict, error: verdictError } = useQuery(client === "" || profile !== "fapi2" ? null : `${GRANTS}report-fapi2/${client}`, () => fapi2Report(client));
  const error = (profile === "fapi2" ? verdictError : reportError) ?? clientsError;

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
        <fieldset className="segmented" aria-label="Check against">
          {(["specs", "fapi2"] as const).map((p) => (
            <button key={p} type="button" aria-pressed={profile === p} className={`btn btn-small${profile === p ? " btn-selected" : ""}`} data-testid={`report-profile-${p}`} onClick={() => setProfile(p)}>
              {p === "specs" ? "Specs" : "FAPI 2.0"}
            </button>
          ))}
        </fieldset>
      </div>
      {error && <ErrorMessage error={error} title="Could not build the report" testId="report-error" />}
      {profile === "fapi2" && verdict && <ProfileVerdictView report={verdict} />}
      {profile === "specs" && report && (
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

import type { ProfileCheck, ProfileReport } from "../api";
import { visible } from "../lib/text";
import FindingsList from "./FindingsList";

/** A security profile's verdict (FAPI 2.0): the one-line summary, the findings with their
 *  sections, then what passed and what no recorded exchange shows — a verdict is only
 *  believable with all three. Server text is shown with its control characters escaped. */
export default function ProfileVerdictView({ report }: { report: ProfileReport }) {
  const ok = report.verdict === "conformant_for_what_was_observed";
  return (
    <div className="profile-verdict" data-testid="profile-verdict" data-verdict={report.verdict}>
      <p className={`notice ${ok ? "notice-ok" : "notice-error"}`} data-testid="profile-summary">
        <strong>{report.summary}</strong>
        <br />
        <span className="muted">
          {report.profile_name}: {report.flows_checked} flow{report.flows_checked === 1 ? "" : "s"} and {report.exchanges_checked} exchange
          {report.exchanges_checked === 1 ? "" : "s"} checked with the metadata of {report.issuer ?? "no issuer"}.
        </span>
      </p>
      {report.findings.length > 0 && (
        <>
          <h3>
            Findings ({report.violations} violation{report.violations === 1 ? "" : "s"}, {report.advice} advice)
          </h3>
          <FindingsList findings={report.findings} testId="profile-findings" showOccurrences />
        </>
      )}
      <CheckList title="Passed" tone="ok" label="passed" checks={report.passed} testId="profile-passed" />
      <CheckList title="Not observed" tone="soft" label="not observed" checks={report.not_observed} testId="profile-not-observed" />
    </div>
  );
}

function CheckList({ title, tone, label, checks, testId }: { title: string; tone: string; label: string; checks: ProfileCheck[]; testId: string }) {
  if (checks.length === 0) return null;
  return (
    <>
      <h3>
        {title} ({checks.length})
      </h3>
      <ul className="findings" data-testid={testId}>
        {checks.map((c) => (
          <li key={c.code} className="finding" data-testid={`check-${c.code}`} data-outcome={c.outcome}>
            <div className="finding-head">
              <span className={`tag tag-${tone}`}>{label}</span> <strong>{visible(c.requirement)}</strong>
            </div>
            <div className="muted">
              {c.section} · <code>{c.code}</code> · at {visible(c.source, false)}
            </div>
            <div>{visible(c.detail)}</div>
          </li>
        ))}
      </ul>
    </>
  );
}

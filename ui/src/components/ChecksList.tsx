import type { Check, CheckStatus } from "../api";

const MARK: Record<CheckStatus, { label: string; tone: string }> = {
  pass: { label: "pass", tone: "ok" },
  fail: { label: "fail", tone: "error" },
  warn: { label: "warning", tone: "warn" },
  not_applicable: { label: "n/a", tone: "soft" },
};

/** Each check on its own line: status, what was checked, the reason in words, the spec. */
export default function ChecksList({ checks, testId }: { checks: Check[]; testId: string }) {
  const failed = checks.filter((c) => c.status === "fail").length;
  return (
    <div className="checks-list" data-testid={testId} data-failed={failed}>
      <p className={failed === 0 ? "ok-text" : "warning-text"} data-testid={`${testId}-summary`}>
        {failed === 0 ? "Every applicable check passed." : `${failed} check${failed === 1 ? "" : "s"} failed.`}
      </p>
      <table className="table checks-table">
        <tbody>
          {checks.map((c) => (
            <tr key={c.name} data-testid={`${testId}-${c.name}`} data-status={c.status} data-code={c.code ?? ""}>
              <th scope="row" className="value">
                {c.name}
              </th>
              <td>
                <span className={`tag tag-${MARK[c.status].tone}`}>{MARK[c.status].label}</span>
              </td>
              <td className="check-reason">
                {c.code && c.status !== "pass" && <code className="check-code">{c.code}</code>} {c.reason}
                <span className="check-spec muted">{c.spec}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

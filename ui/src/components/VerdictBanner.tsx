import type { Verdict } from "../api";
import { visible } from "../lib/text";
import type { ErrorInWords } from "../lib/errors";
import ErrorMessage from "./ErrorMessage";

interface Props {
  verdict: Verdict | null;
  error: ErrorInWords | null;
  checking: boolean;
}

const TONE = { valid: "notice-ok", invalid: "notice-error", unverified: "notice-warn" } as const;
const MARK = { valid: "✓", invalid: "✗", unverified: "?" } as const;

/** The one answer at the top of Decode: green only when verified and in time, red with the reason, amber when not verified. */
export default function VerdictBanner({ verdict, error, checking }: Props) {
  if (error) return <ErrorMessage error={error} title="Could not verify" testId="decode-verify-error" />;
  if (!verdict) {
    return (
      <div className="notice notice-neutral verdict" data-testid="decode-verdict" data-status="checking" role="status">
        {checking ? "Checking…" : "Paste a token to see whether it can be trusted."}
      </div>
    );
  }
  return (
    <div className={`notice ${TONE[verdict.status]} verdict`} data-testid="decode-verdict" data-status={verdict.status} data-code={verdict.code ?? ""} role="status">
      <strong className="verdict-title" data-testid="decode-verdict-title">
        <span aria-hidden="true">{MARK[verdict.status]} </span>
        {visible(verdict.title)}
      </strong>
      <span className="verdict-reason" data-testid="decode-verdict-reason">
        {visible(verdict.reason)}
      </span>
    </div>
  );
}

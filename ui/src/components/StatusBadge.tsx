import type { GrantStatus } from "../api";

const LABELS: Record<GrantStatus, string> = {
  active: "active",
  needs_login: "needs login",
  revoked: "revoked",
};

export default function StatusBadge({ status, testId }: { status: GrantStatus; testId: string }) {
  return (
    <span className={`badge badge-${status}`} data-testid={testId} data-status={status}>
      {LABELS[status]}
    </span>
  );
}

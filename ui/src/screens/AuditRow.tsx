import type { AuditRow } from "../api";
import { DetailTypesCell } from "../components/AuthorizationDetailsCompare";
import StatusBadge from "../components/StatusBadge";
import { grantShortLabel } from "../lib/grants";
import { statesAt } from "../lib/tokenState";
import { absoluteTime, relativeTime } from "../lib/time";

/** Every row is this tall (two lines of text): the windowed list computes, it does not measure. */
export const AUDIT_ROW_HEIGHT = 52;

/** The column heads, in the order of the cells of `AuditRowView` (the grid in screens.css). */
export const COLUMNS = ["Client", "Grant", "Status", "Granted scopes", "Expires", "Last used"] as const;

function scopesInWords(r: AuditRow): string {
  const extra = r.not_requested.length > 0 ? ` (not requested: ${r.not_requested.join(" ")})` : "";
  const missing = r.not_granted.length > 0 ? ` · not granted: ${r.not_granted.join(" ")}` : "";
  const granted = r.scopes_granted.length > 0 ? r.scopes_granted.join(" ") : "(none)";
  return `${granted}${r.scope_omitted ? " (as requested)" : ""}${extra}${missing}${r.over_privileged ? " · over-privileged" : ""}`;
}

/** One grant of the audit, in cells of fixed height: long values end in "…" and show whole on hover. */
export default function AuditRowView({ row: r, now, onOpenGrant }: { row: AuditRow; now: number; onOpenGrant: (id: string) => void }) {
  const hasTags = r.not_granted.length > 0 || r.over_privileged || r.authorization_details_types.length > 0 || r.authorization_details.length > 0;
  const lastUsed = r.last_used_at === null ? "never" : `${relativeTime(r.last_used_at, now)}${r.last_used_by ? ` by ${r.last_used_by}` : ""}`;
  return (
    <div className="audit-grid audit-row" data-testid="audit-row" data-grant={r.grant_id} data-over-privileged={r.over_privileged}>
      <div data-cell className="truncate" title={r.client}>
        {r.client}
      </div>
      <div data-cell>
        <button type="button" className="link-button audit-grant" title={`${grantShortLabel(r.grant_type)} ${r.grant_id}`} onClick={() => onOpenGrant(r.grant_id)}>
          <span className="truncate">{grantShortLabel(r.grant_type)}</span>
          <span className="truncate muted audit-grant-id">{r.grant_id.slice(0, 8)}</span>
        </button>
      </div>
      <div data-cell>
        <StatusBadge tokens={r.tokens} now={now} testId="audit-status" />
        {r.has_refresh_token && !r.revoked && <span className="muted audit-refresh"> + refresh token</span>}
      </div>
      <div data-cell className="audit-scopes" title={scopesInWords(r)}>
        <div className="truncate">
          {r.scopes_granted.map((s) => (
            <code key={s} className={`scope-code${r.not_requested.includes(s) ? " scope-extra" : ""}`} title={r.not_requested.includes(s) ? "granted but not requested" : undefined}>
              {s}
            </code>
          ))}
          {r.scope_omitted && <span className="muted"> (as requested)</span>}
        </div>
        {hasTags && (
          <div className="truncate audit-tags">
            {r.not_granted.length > 0 && <span className="tag tag-warn">not granted: {r.not_granted.join(" ")}</span>}
            {r.over_privileged && <span className="tag tag-error">over-privileged</span>}
            <DetailTypesCell types={r.authorization_details_types} comparison={r.authorization_details} />
          </div>
        )}
      </div>
      <div data-cell className="clamp2" data-testid="audit-expires" title={r.expires_at === null ? "no expiry given" : absoluteTime(r.expires_at)}>
        {statesAt(r.tokens, now).access === "revoked" ? (
          <span className="muted">access token revoked</span>
        ) : r.expires_at === null ? (
          <span className="muted">no expiry given</span>
        ) : (
          <span className="tick">{relativeTime(r.expires_at, now)}</span>
        )}
      </div>
      <div data-cell className="clamp2" data-testid="audit-last-used" title={lastUsed}>
        {r.last_used_at === null ? <span className="muted">never</span> : relativeTime(r.last_used_at, now)}
        {r.last_used_by ? <span className="muted"> by {r.last_used_by}</span> : null}
      </div>
    </div>
  );
}

import { scopeDiff } from "../lib/scopes";

/** Requested vs granted scopes side by side, with what differs marked (RFC 6749 §3.3, §5.1). */
export default function ScopeCompare({ requested, granted }: { requested: string; granted: string | null }) {
  const diff = scopeDiff(requested, granted);
  return (
    <div className="scope-compare">
      <div>
        <h4>Requested</h4>
        <ul data-testid="scopes-requested" className="scope-list">
          {diff.requested.length === 0 && <li className="muted">(none)</li>}
          {diff.requested.map(({ scope, granted: ok }) => (
            <li key={scope} data-granted={ok} className={ok ? undefined : "scope-missing"}>
              <code>{scope}</code> {!ok && <span className="tag tag-warn">not granted</span>}
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h4>Granted</h4>
        {diff.sameAsRequested ? (
          <p data-testid="scopes-granted" className="muted">
            same as requested — the server sent no scope (RFC 6749 §5.1)
          </p>
        ) : (
          <ul data-testid="scopes-granted" className="scope-list">
            {diff.granted.length === 0 && <li className="muted">(none)</li>}
            {diff.granted.map(({ scope, requested: asked }) => (
              <li key={scope} data-requested={asked} className={asked ? undefined : "scope-extra"}>
                <code>{scope}</code> {!asked && <span className="tag tag-info">not requested</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

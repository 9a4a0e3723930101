import type { FlowState, TimedEvent, TimelineEvent } from "../lib/useLoginFlow";
import { grantLabel } from "../lib/grants";
import { expiryInWords } from "../lib/time";
import { useNow } from "../lib/useNow";
import CibaPanel from "./CibaPanel";
import DevicePanel from "./DevicePanel";
import ErrorMessage from "./ErrorMessage";
import FlowTimeline from "./FlowTimeline";

function lastOf<K extends TimelineEvent["kind"]>(events: TimedEvent[], kind: K): { event: Extract<TimelineEvent, { kind: K }>; at: number } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.event.kind === kind) return { event: e.event as Extract<TimelineEvent, { kind: K }>, at: e.at };
  }
  return null;
}

interface Props {
  state: FlowState;
  onOpenGrant: (id: string) => void;
}

/** A flow's device panel (while it runs), timeline with its HTTP exchanges, and outcome. */
export default function FlowOutcome({ state, onOpenGrant }: Props) {
  const running = state.phase === "running";
  const now = useNow(state.phase === "success");
  const code = lastOf(state.events, "device_code");
  const poll = lastOf(state.events, "device_poll");
  const ciba = lastOf(state.events, "ciba_requested");
  const cibaWait = lastOf(state.events, "ciba_wait");
  const grant = state.result;

  // The timeline is the flow's one record here: each exchange arrived on it live, once. The saved
  // transcript (with every device poll) is opened from History.
  return (
    <div className="flow">
      {ciba && running && <CibaPanel request={ciba.event} requestAt={ciba.at} wait={cibaWait?.event ?? null} waitAt={cibaWait?.at ?? null} running={running} />}
      {code && running && <DevicePanel code={code.event} codeAt={code.at} poll={poll?.event ?? null} pollAt={poll?.at ?? null} running={running} />}
      <section className="panel">
        <h3>
          Timeline <span className="muted">({state.client}, {state.request ? grantLabel(state.request.grant) : ""})</span>
        </h3>
        <FlowTimeline events={state.events} startedAt={state.startedAt ?? Date.now()} running={running} />
      </section>

      {state.phase === "success" && grant && (
        <section className="notice notice-ok" data-testid="flow-success" role="status">
          <strong>Done: {grantLabel(grant.grant_type)} grant for {grant.client}.</strong>
          <ul>
            <li>Scopes granted: {grant.scopes_granted === null ? `${grant.scopes_requested || "(none)"} (as requested; the server sent no scope)` : grant.scopes_granted || "(none)"}</li>
            <li>
              Access token: {grant.has_access_token ? `${grant.token_type}, ${expiryInWords(grant.expires_at, now)}` : "none"}; refresh token:{" "}
              {grant.has_refresh_token ? "yes" : "no"}; ID token: {grant.has_id_token ? "yes" : "no"}
            </li>
            {grant.subject && <li>Subject: {grant.subject}</li>}
            {grant.deviations.length > 0 && <li>{grant.deviations.length} deviation(s) from the specs; see Tokens.</li>}
          </ul>
          <button type="button" className="btn btn-primary" data-testid="flow-open-tokens" onClick={() => onOpenGrant(grant.id)}>
            Open in Tokens
          </button>
        </section>
      )}
      {state.phase === "error" && state.error && <ErrorMessage error={state.error} title="The flow failed" testId="flow-error" />}
      {state.cancelError && <ErrorMessage error={state.cancelError} title="Could not cancel" />}

    </div>
  );
}

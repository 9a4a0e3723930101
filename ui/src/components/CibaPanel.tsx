import type { ReactNode } from "react";
import type { FlowEvent } from "../api";
import { visible } from "../lib/text";
import { countdown } from "../lib/time";
import { useNow } from "../lib/useNow";

export type CibaRequested = Extract<FlowEvent, { kind: "ciba_requested" }>;
export type CibaWait = Extract<FlowEvent, { kind: "ciba_wait" }>;

/** The wait's state in words (CIBA §11 answers; ping mode's notification, §10.2). */
export function cibaStatusInWords(w: CibaWait): string {
  const polls = `${w.polls} ${w.polls === 1 ? "check" : "checks"} so far`;
  if (w.mode === "ping") {
    return w.last === "notified"
      ? "The server notified this client that the user answered; getting the tokens once."
      : "Waiting for the server's notification (ping mode): no polling meanwhile.";
  }
  const next = w.next_poll_in_secs ?? w.interval_secs;
  switch (w.last) {
    case "waiting":
      return `Waiting for the user to approve; first check in ${next} s.`;
    case "authorization_pending":
      return `Not approved yet (${polls}); next check in ${next} s.`;
    case "slow_down":
      return `The server asked to slow down; checking every ${w.interval_secs} s now (${polls}).`;
    default:
      return `${visible(w.last, false)} (${polls}); next check in ${next} s.`;
  }
}

/** One line for the timeline: what the server took. */
export function cibaRequestedInWords(r: CibaRequested): string {
  const who = r.login_hint ? visible(r.login_hint, false) : "the user";
  const how =
    r.mode === "ping"
      ? `ping mode: the server notifies ${r.notification_endpoint ? visible(r.notification_endpoint, false) : "the client"} when the user answered`
      : `poll mode: the token endpoint is asked every ${r.interval_secs} s`;
  return `Backchannel authentication request accepted for ${who}; ${how}. It expires in ${countdown(r.expires_in)}.`;
}

interface Props {
  request: CibaRequested;
  /** `Date.now()` when the request was accepted. */
  requestAt: number;
  wait: CibaWait | null;
  waitAt: number | null;
  running: boolean;
}

/**
 * CIBA's wait while it runs: who is asked, the binding message in large type (the user compares it
 * with the one on their device), a countdown and the last answer. Gone once the flow ends.
 */
export default function CibaPanel({ request, requestAt, wait, waitAt, running }: Props) {
  const now = useNow(running);
  const expiresAt = wait && waitAt !== null ? waitAt / 1000 + wait.remaining_secs : requestAt / 1000 + request.expires_in;
  const left = Math.max(0, Math.round(expiresAt - Math.max(now, Date.now() / 1000)));
  return (
    <section className="panel device" aria-label="Backchannel authentication" data-testid="ciba-panel">
      <div>
        <div className="muted">Approve on the authentication device of</div>
        <div className="url selectable" data-testid="ciba-login-hint">
          {visible(request.login_hint ?? "the user", false)}
        </div>
        {request.binding_message && (
          <>
            <div className="muted">The device shows</div>
            <div className="user-code selectable" data-testid="ciba-binding-message">
              {visible(request.binding_message, false)}
            </div>
          </>
        )}
        <p data-testid="ciba-countdown" className={left === 0 ? "warning-text" : undefined}>
          {left > 0 ? `The request expires in ${countdown(left)}` : "The request has expired; start again."}
        </p>
        <p data-testid="ciba-status" role="status">
          {wait ? cibaStatusInWords(wait) : `Waiting (${request.mode} mode)…`}
        </p>
      </div>
    </section>
  );
}

/** The timeline entry of a CIBA event: the accepted request, or the (one, updated) wait row. */
export function cibaEntry(event: CibaRequested | CibaWait, running: boolean): { title: string; body: ReactNode } {
  if (event.kind === "ciba_requested") {
    return { title: "Backchannel authentication requested", body: <div data-testid="ciba-requested-row">{cibaRequestedInWords(event)}</div> };
  }
  const title = event.mode === "ping" ? (running ? "Waiting for the notification" : "Waited for the notification") : running ? "Polling" : "Polled";
  return {
    title,
    body: (
      <div data-testid="ciba-wait-row" data-polls={event.polls}>
        {running ? cibaStatusInWords(event) : `${cibaStatusInWords(event)} (finished)`}
      </div>
    ),
  };
}

import { openInBrowser, type FlowEvent } from "../api";
import { useState } from "react";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { countdown } from "../lib/time";
import { useNow } from "../lib/useNow";
import ErrorMessage from "./ErrorMessage";
import QrCode from "./QrCode";

type DeviceCode = Extract<FlowEvent, { kind: "device_code" }>;
type DevicePoll = Extract<FlowEvent, { kind: "device_poll" }>;

/** The last poll's answer in words (RFC 8628 §3.5). */
export function pollStatusInWords(p: DevicePoll): string {
  const polls = `${p.polls} ${p.polls === 1 ? "poll" : "polls"} so far`;
  switch (p.last) {
    case "waiting":
      return `waiting for you to approve; first poll in ${p.next_poll_in_secs} s.`;
    case "authorization_pending":
      return `not approved yet (${polls}); next poll in ${p.next_poll_in_secs} s.`;
    case "slow_down":
      return `the server asked to slow down; polling every ${p.interval_secs} s now (${polls}).`;
    default:
      return `${p.last} (${polls}); next poll in ${p.next_poll_in_secs} s.`;
  }
}

interface Props {
  code: DeviceCode;
  /** `Date.now()` when the code arrived. */
  codeAt: number;
  poll: DevicePoll | null;
  pollAt: number | null;
  running: boolean;
}

/**
 * The device flow's user side while it runs: the code in large type, a QR code, the URL, a
 * countdown, the poll status. Once the flow ends it is gone; the timeline keeps the result.
 */
export default function DevicePanel({ code, codeAt, poll, pollAt, running }: Props) {
  const now = useNow(running);
  const [openError, setOpenError] = useState<ErrorInWords | null>(null);
  const target = code.verification_uri_complete ?? code.verification_uri;
  // Each poll reports the time left, which corrects any drift of the page's clock.
  const expiresAt = poll && pollAt !== null ? pollAt / 1000 + poll.remaining_secs : codeAt / 1000 + code.expires_in;
  // The tick may lag a new poll by up to a second; the wall clock does not.
  const left = Math.max(0, Math.round(expiresAt - Math.max(now, Date.now() / 1000)));

  const open = () => {
    setOpenError(null);
    Promise.resolve()
      .then(() => openInBrowser(target))
      .catch((e: unknown) => setOpenError(errorInWords(e)));
  };

  return (
    <section className="panel device" aria-label="Device authorization">
      <div className="device-main">
        <div>
          <div className="muted">Enter this code on the other device</div>
          <div className="user-code selectable" data-testid="device-user-code">
            {code.user_code}
          </div>
          <div className="muted">at</div>
          <div className="url selectable" data-testid="device-uri">
            {target}
          </div>
          <button type="button" className="btn" data-testid="device-open" onClick={open}>
            Open in browser
          </button>
          {code.opened && <span className="muted"> (already opened once)</span>}
          <p data-testid="device-countdown" className={left === 0 ? "warning-text" : undefined}>
            {left > 0 ? `Code expires in ${countdown(left)}` : "The code has expired; start again."}
          </p>
          <p data-testid="device-status" role="status">
            {poll ? pollStatusInWords(poll) : "Waiting for you to enter the code…"}
          </p>
        </div>
        <QrCode text={target} testId="device-qr" />
      </div>
      {openError && <ErrorMessage error={openError} title="Could not open the browser" />}
    </section>
  );
}

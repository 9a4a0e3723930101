import { render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { setupApi } from "../test/setup";
import { appendEvent, type TimedEvent } from "../lib/useLoginFlow";
import FlowTimeline from "./FlowTimeline";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

setupApi();

describe("FlowTimeline", () => {
  it("shows each live HTTP exchange with its redacted request and the response status", () => {
    const exchange = {
      step: "token request (authorization_code)",
      started_at_ms: 1,
      duration_ms: 12,
      request: { method: "POST", url: "http://127.0.0.1:9555/token", headers: [["authorization", "Basic [redacted]"]] as [string, string][], body: "grant_type=authorization_code&code=[redacted]" },
      response: { status: 200, headers: [["content-type", "application/json"]] as [string, string][], body: '{"access_token":"[redacted]"}' },
      note: null,
    };
    render(<FlowTimeline startedAt={0} running={false} events={[{ at: 1000, event: { kind: "callback_received", iss_checked: true } }, { at: 2000, event: { kind: "exchange", exchange } }]} />);
    const items = screen.getAllByTestId("timeline-event");
    expect(items.map((i) => i.dataset.kind), "one entry per event, in order").toEqual(["callback_received", "exchange"]);
    const live = within(items[1]);
    expect(live.getByText("HTTP exchange"), "an exchange event is titled as one").toBeTruthy();
    expect(live.getByText("token request (authorization_code)"), "with the step that made it").toBeTruthy();
    expect(items[1].querySelector(".http-status")?.textContent, "and the response status").toBe("200");
    expect(items[1].textContent, "the request body is shown, redacted").toContain("code=[redacted]");
    expect(items[1].textContent, "no code value leaks into the page").not.toMatch(/code=[A-Za-z0-9]{8}/);
  });

  const T = 1_700_000_000_000;
  const exchange = (step: string, started: number, took: number, status: number, body: string) => ({
    step,
    started_at_ms: T + started,
    duration_ms: took,
    request: { method: "POST", url: "https://as.example/token", headers: [] as [string, string][], body: "grant_type=x" },
    response: { status, headers: [] as [string, string][], body },
    note: null,
  });

  it("gives each step its offset from the start and its duration in milliseconds, in the past tense once done", () => {
    render(
      <FlowTimeline
        startedAt={T}
        running={false}
        events={[
          { at: T + 40, event: { kind: "authorization_url", url: "https://as.example/authorize?client_id=web&state=s&code_challenge=abc", opened: true } },
          { at: T + 45, event: { kind: "waiting_for_callback", redirect_uri: "http://127.0.0.1:5000/callback", timeout_secs: 300 } },
          { at: T + 1245, event: { kind: "callback_received", iss_checked: false } },
          { at: T + 1600, event: { kind: "exchange", exchange: exchange("token request (authorization_code)", 1250, 312, 200, '{"access_token":"[redacted]"}') } },
          { at: T + 1610, event: { kind: "token_received", grant_id: "g-1" } },
        ]}
      />,
    );
    const items = screen.getAllByTestId("timeline-event");
    expect(items.map((i) => i.dataset.kind), "one entry per step, the authorization URL once").toEqual([
      "authorization_url",
      "waiting_for_callback",
      "callback_received",
      "exchange",
      "token_received",
    ]);
    const offsets = screen.getAllByTestId("timeline-offset").map((o) => o.textContent);
    expect(offsets, "offsets from the flow's start, not all +0 s").toEqual(["+40 ms", "+45 ms", "+1.2 s", "+1.2 s", "+1.6 s"]);
    expect(within(items[3]).getByTestId("timeline-duration").textContent, "the exchange took its recorded milliseconds").toContain("312 ms");
    expect(within(items[1]).getByTestId("timeline-duration").textContent, "the wait lasted until the callback").toContain("1.2 s");
    expect(items[1].textContent, "what happened is in the past tense").toContain("Waited for the callback");
    expect(items[1].textContent, "no future tense once it is over").not.toMatch(/gives up in|Waiting/);
    expect(screen.getAllByTestId("authorization-params"), "the URL's parameters are one table").toHaveLength(1);
  });

  it("shows device polling as one live row, with pending as expected rather than an error", () => {
    const poll = (polls: number, last: string, next: number) => ({ kind: "device_poll" as const, remaining_secs: 500, next_poll_in_secs: next, interval_secs: 5, polls, last });
    const code = { kind: "device_code" as const, user_code: "ABCD-EFGH", verification_uri: "https://as.example/device", verification_uri_complete: null, expires_in: 600, opened: false };
    let events: TimedEvent[] = [{ at: T + 10, event: code }];
    for (let i = 0; i < 4; i++) events = appendEvent(events, { at: T + 1000 * (i + 1), event: poll(i, i === 0 ? "waiting" : "authorization_pending", 5) });
    const { rerender } = render(<FlowTimeline startedAt={T} running events={events} />);
    const rows = screen.getAllByTestId("polling-row");
    expect(rows, "polling is one row, however many polls").toHaveLength(1);
    expect(rows[0].textContent, "the row sums polling up").toBe("Polling: 3 polls, last answer authorization_pending, next in 5 s.");
    expect(screen.getByTestId("timeline").querySelector(".http-4xx"), "pending is not a red 400").toBeNull();
    expect(screen.getAllByTestId("timeline-event").map((e) => e.dataset.kind), "the code, then the one polling row").toEqual(["device_code", "device_poll"]);

    // The flow ends: the approving poll's exchange arrives, then the token.
    events = appendEvent(events, { at: T + 21_000, event: { kind: "exchange", exchange: exchange("device token poll", 20_990, 9, 200, '{"access_token":"[redacted]"}') } });
    events = appendEvent(events, { at: T + 21_100, event: { kind: "token_received", grant_id: "g-2" } });
    rerender(<FlowTimeline startedAt={T} running={false} events={events} />);
    const done = screen.getByTestId("polling-row");
    expect(done.textContent, "a completed device flow collapses to its result").toBe("Polled the token endpoint: 4 polls; approved on the last.");
    const head = done.closest("li")?.querySelector(".timeline-head")?.textContent ?? "";
    expect(head, "polling ran from the first status to the approval").toContain("took 20 s");
  });
});

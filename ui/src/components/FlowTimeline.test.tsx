import { render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { setupApi } from "../test/setup";
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
});

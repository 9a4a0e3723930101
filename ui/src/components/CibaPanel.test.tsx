import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { setupApi } from "../test/setup";
import CibaPanel, { type CibaRequested, type CibaWait, cibaEntry, cibaStatusInWords } from "./CibaPanel";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

setupApi();

const request: CibaRequested = {
  kind: "ciba_requested",
  login_hint: "alice",
  binding_message: "W4SCT",
  mode: "poll",
  expires_in: 120,
  interval_secs: 5,
  notification_endpoint: null,
};
const wait = (patch: Partial<CibaWait>): CibaWait => ({
  kind: "ciba_wait",
  mode: "poll",
  remaining_secs: 90,
  next_poll_in_secs: 3,
  interval_secs: 5,
  polls: 2,
  last: "authorization_pending",
  ...patch,
});

describe("CibaPanel", () => {
  it("shows who is asked, the binding message, the countdown and the last answer", () => {
    render(<CibaPanel request={request} requestAt={Date.now()} wait={wait({})} waitAt={Date.now()} running />);
    expect(screen.getByTestId("ciba-login-hint").textContent, "the user asked").toBe("alice");
    expect(screen.getByTestId("ciba-binding-message").textContent, "the binding message the user compares with their device").toBe("W4SCT");
    expect(screen.getByTestId("ciba-countdown").textContent, "the time left comes from the last wait status").toContain("1:30");
    expect(screen.getByTestId("ciba-status").textContent, "the last answer and the next check").toContain("Not approved yet (2 checks so far); next check in 3 s");
  });

  it("says when the request expired", () => {
    render(<CibaPanel request={request} requestAt={Date.now() - 200_000} wait={null} waitAt={null} running />);
    expect(screen.getByTestId("ciba-countdown").textContent, "an expired request asks to start again").toContain("expired");
  });

  it("puts slow_down, ping mode and control characters in words", () => {
    expect(cibaStatusInWords(wait({ last: "slow_down", interval_secs: 10 })), "slow_down shows the new interval").toContain("every 10 s");
    expect(cibaStatusInWords(wait({ mode: "ping", next_poll_in_secs: null, last: "waiting" })), "ping mode does not poll").toContain("notification");
    expect(cibaStatusInWords(wait({ last: "odd\u001b[31m" })), "server text is made visible, never a raw escape").not.toContain("\u001b");
    const row = cibaEntry({ ...request, mode: "ping", notification_endpoint: "https://127.0.0.1:8443/ciba" }, true);
    expect(row.title, "the request has its own timeline row").toBe("Backchannel authentication requested");
    render(<div>{row.body}</div>);
    expect(screen.getByTestId("ciba-requested-row").textContent, "the row names the endpoint the notification is awaited at").toContain("https://127.0.0.1:8443/ciba");
  });
});

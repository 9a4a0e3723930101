import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { FlowTranscript, HistoryEvent } from "../api";
import { NOW, client, setupApi } from "../test/setup";
import HistoryScreen from "./HistoryScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

describe("history", () => {
  it("lists events newest first, in words, and filters by client", async () => {
    m.listClients.mockResolvedValue([client({ name: "web" }), client({ name: "cli" })]);
    m.history.mockResolvedValue([
      { at: NOW - 7200, client: "web", grant_id: "g-1", kind: "issued", detail: "authorization_code grant; scopes granted: openid", flow_id: null, rerun: null },
      { at: NOW - 60, client: "web", grant_id: null, kind: "login_failed", detail: "the server answered access_denied", flow_id: null, rerun: null },
      { at: NOW - 600, client: "web", grant_id: "g-1", kind: "refresh_failed", detail: "invalid_grant", flow_id: null, rerun: null },
    ]);
    render(<HistoryScreen />);
    const rows = await screen.findAllByTestId("history-row");
    expect(rows.map((r) => r.getAttribute("data-kind")), "newest first").toEqual(["login_failed", "refresh_failed", "issued"]);
    expect(rows[0].textContent, "when, in words").toContain("1 min ago");
    expect(rows[0].textContent, "what, in words").toContain("Login failed");
    expect(rows[0].textContent, "the failure's detail in words").toContain("access_denied");
    expect(rows[2].textContent, "when, in words").toContain("2 h ago");
    expect(rows[2].textContent, "what, in words").toContain("Token issued");

    // Per grant: only the events of grant g-1 (its issue and its failed refresh).
    fireEvent.change(screen.getByTestId("history-grant"), { target: { value: "g-1" } });
    const ofGrant = screen.getAllByTestId("history-row");
    expect(ofGrant.map((r) => r.getAttribute("data-kind")), "only that grant's events").toEqual(["refresh_failed", "issued"]);
    fireEvent.change(screen.getByTestId("history-grant"), { target: { value: "" } });
    expect(screen.getAllByTestId("history-row"), "All grants shows every event again").toHaveLength(3);

    await screen.findByRole("option", { name: "cli" });
    fireEvent.change(screen.getByTestId("history-client"), { target: { value: "cli" } });
    await waitFor(() => expect(m.history, "the engine filters by the chosen client").toHaveBeenLastCalledWith("cli"));
  });

  const pending = '{"error":"authorization_pending","error_description":"not yet"}';
  const saved: FlowTranscript = {
    flow_id: "f-9",
    operation: "login",
    grant_id: "g-9",
    at: NOW - 30,
    exchanges: [
      {
        step: "device token poll",
        started_at_ms: (NOW - 40) * 1000,
        duration_ms: 7,
        request: { method: "POST", url: "https://as.example/token", headers: [], body: "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=[redacted]" },
        response: { status: 400, headers: [["content-type", "application/json"]], body: pending },
        note: null,
      },
      {
        step: "device token poll",
        started_at_ms: (NOW - 35) * 1000,
        duration_ms: 9,
        request: { method: "POST", url: "https://as.example/token", headers: [], body: "device_code=[redacted]" },
        response: { status: 200, headers: [], body: '{"access_token":"[redacted]","token_type":"Bearer"}' },
        note: null,
      },
    ],
  };
  const issued: HistoryEvent = {
    at: NOW - 30,
    client: "tv",
    grant_id: "g-9",
    kind: "issued",
    detail: "device_code grant; scopes granted: openid",
    flow_id: "f-9",
    rerun: { grant: "device_code", scope: "openid email", extra_params: [["prompt", "consent"]], username: null },
  };

  it("opens an event's flow transcript, by the flow id the event names", async () => {
    m.listClients.mockResolvedValue([client({ name: "tv" })]);
    m.history.mockResolvedValue([issued, { ...issued, at: NOW - 5, kind: "refreshed", flow_id: null, rerun: null }]);
    m.flowTranscript.mockImplementation(async (id: string) => (id === "f-9" ? saved : null));
    render(<HistoryScreen />);
    const rows = await screen.findAllByTestId("history-row");
    expect(rows[0].querySelector("[data-testid=history-open]"), "an event without a flow has nothing to open").toBeNull();
    fireEvent.click(within(rows[1]).getByTestId("history-open"));
    const transcript = await screen.findByTestId("transcript");
    expect(m.flowTranscript, "the event's own flow is read").toHaveBeenCalledWith("f-9");
    expect(within(transcript).getAllByTestId(/^exchange-/), "every saved exchange, polls included").toHaveLength(2);
    expect(within(transcript).getByTestId("http-expected").textContent, "a pending poll reads as expected, not as a failure").toContain("authorization_pending (expected)");
    expect(transcript.querySelector(".http-4xx"), "no pending poll is painted as an error").toBeNull();
    fireEvent.click(screen.getByTestId("history-flow-close"));
    expect(screen.queryByTestId("transcript"), "the transcript closes").toBeNull();
  });

  it("runs a login again with the event's options, and never offers it for the password grant", async () => {
    m.listClients.mockResolvedValue([client({ name: "tv" })]);
    const password: HistoryEvent = { ...issued, at: NOW - 100, rerun: { grant: "password", scope: null, extra_params: [], username: "alice" } };
    m.history.mockResolvedValue([issued, password]);
    const again = vi.fn();
    render(<HistoryScreen onRunAgain={again} />);
    const rows = await screen.findAllByTestId("history-row");
    fireEvent.click(within(rows[0]).getByTestId("history-rerun"));
    expect(again, "the same client, grant, scopes and extra parameters, and no password").toHaveBeenCalledWith("tv", {
      grant: "device_code",
      scope: "openid email",
      extra_params: [["prompt", "consent"]],
      username: null,
      password: null,
    });
    const passwordRerun = within(rows[1]).getByTestId("history-rerun") as HTMLButtonElement;
    expect(passwordRerun.disabled, "the password grant needs the password again, which is never stored").toBe(true);
  });

  it("does not start a second flow while one runs", async () => {
    m.listClients.mockResolvedValue([client({ name: "tv" })]);
    m.history.mockResolvedValue([issued]);
    render(<HistoryScreen onRunAgain={vi.fn()} busy />);
    const button = (await screen.findByTestId("history-rerun")) as HTMLButtonElement;
    expect(button.disabled, "Run again waits for the running flow").toBe(true);
  });
});

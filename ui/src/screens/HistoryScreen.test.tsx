import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { NOW, client, setupApi } from "../test/setup";
import HistoryScreen from "./HistoryScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

describe("history", () => {
  it("lists events newest first, in words, and filters by client", async () => {
    m.listClients.mockResolvedValue([client({ name: "web" }), client({ name: "cli" })]);
    m.history.mockResolvedValue([
      { at: NOW - 7200, client: "web", grant_id: "g-1", kind: "issued", detail: "authorization_code grant; scopes granted: openid" },
      { at: NOW - 60, client: "web", grant_id: null, kind: "login_failed", detail: "the server answered access_denied" },
      { at: NOW - 600, client: "web", grant_id: "g-1", kind: "refresh_failed", detail: "invalid_grant" },
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
});

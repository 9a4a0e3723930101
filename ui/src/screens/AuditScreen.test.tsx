import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type * as api from "../api";
import { NOW, client, setupApi, tokensOf } from "../test/setup";
import AuditScreen from "./AuditScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

function row(over: Partial<api.AuditRow> = {}): api.AuditRow {
  const r: Omit<api.AuditRow, "tokens"> & { tokens?: api.TokenStates } = {
    grant_id: "0123456789abcdef",
    client: "web",
    grant_type: "authorization_code",
    status: "active",
    subject: "alice",
    scopes_requested: ["openid"],
    scopes_granted: ["openid", "email"],
    scope_omitted: false,
    not_granted: [],
    not_requested: ["email"],
    over_privileged: true,
    expires_at: NOW + 1800,
    has_refresh_token: true,
    issued_at: NOW - 60,
    last_used_at: null,
    revoked: false,
    revoked_at: null,
    authorization_details_types: [],
    authorization_details: [],
    ...over,
  };
  const tokens = tokensOf({ status: r.status, has_access_token: !r.revoked, has_refresh_token: r.has_refresh_token, has_id_token: false, expires_at: r.expires_at });
  return { ...r, tokens: over.tokens ?? tokens };
}

describe("audit", () => {
  it("lists every grant with its scopes, expiry, refresh and last use, and flags over-privilege", async () => {
    m.audit.mockResolvedValue([row(), row({ grant_id: "fedcba9876543210", client: "svc", grant_type: "client_credentials", over_privileged: false, not_requested: [], scopes_granted: ["api:read"], scope_omitted: true, has_refresh_token: false, last_used_at: NOW - 7200 })]);
    const open = vi.fn();
    render(<AuditScreen onOpenGrant={open} />);
    const rows = await screen.findAllByTestId("audit-row");
    expect(rows, "one row per grant").toHaveLength(2);
    expect(rows[0].dataset.overPrivileged, "an over-privileged grant is flagged on its row").toBe("true");
    expect(rows[0].textContent, "and says so in words").toContain("over-privileged");
    expect(rows[0].textContent, "expiry in words").toContain("in 30 min");
    expect(rows[0].textContent, "a grant never used says so").toContain("never");
    expect(rows[1].textContent, "omitted scope said in words").toContain("(as requested)");
    expect(rows[1].textContent, "the last use in words").toContain("2 h ago");
    fireEvent.click(screen.getByText("0123456", { exact: false }));
    expect(open, "the grant link opens that grant").toHaveBeenCalledWith("0123456789abcdef");
  });

  it("sends the filters to the engine and exports without secrets to a file", async () => {
    m.listClients.mockResolvedValue([client({ name: "web" })]);
    m.exportAudit.mockResolvedValue("/home/dev/.local/share/oauthdesk/exports/audit-20261123T192422Z.md");
    render(<AuditScreen onOpenGrant={() => {}} />);
    await screen.findByRole("option", { name: "web" });
    fireEvent.change(screen.getByTestId("audit-client"), { target: { value: "web" } });
    fireEvent.change(screen.getByTestId("audit-scope"), { target: { value: " email " } });
    fireEvent.change(screen.getByTestId("audit-expiring"), { target: { value: "3600" } });
    fireEvent.click(screen.getByTestId("audit-over-privileged"));
    fireEvent.click(screen.getByTestId("audit-hide-revoked"));
    const want = { client: "web", scope: "email", expiring_within_secs: 3600, over_privileged: true, hide_revoked: true };
    await waitFor(() => expect(m.audit, "every filter goes to the engine").toHaveBeenLastCalledWith(want));
    expect(await screen.findByTestId("audit-empty"), "no grant matches: the empty state shows").toBeTruthy();
    fireEvent.click(screen.getByTestId("audit-export-markdown"));
    expect((await screen.findByTestId("audit-exported")).textContent, "the export says where the file is").toContain("audit-20261123T192422Z.md");
    expect(m.exportAudit, "the export uses the filters on screen").toHaveBeenCalledWith(want, "markdown");
  });
});

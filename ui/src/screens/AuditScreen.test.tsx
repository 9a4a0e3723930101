import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import * as api from "../api";
import { NOW, serveAudit, setupApi, tokensOf } from "../test/setup";
import { AUDIT_ROW_HEIGHT } from "./AuditRow";
import AuditScreen, { PAGE } from "./AuditScreen";

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

/** 100 000 grants on screen, scrolled to row 5000 and its page shown. */
async function scrolledToRow5000(why: string) {
  serveMany(100_000);
  render(<AuditScreen onOpenGrant={() => {}} />);
  await screen.findAllByTestId("audit-row");
  const viewport = screen.getByTestId("audit-list");
  viewport.scrollTop = 5_000 * AUDIT_ROW_HEIGHT;
  fireEvent.scroll(viewport);
  await waitFor(() => expect(grantsShown(), why).toContain("g-5000"));
}

describe("audit", () => {
  it("lists every grant with its scopes, expiry, refresh and last use, and flags over-privilege", async () => {
    serveAudit(api, [row(), row({ grant_id: "fedcba9876543210", client: "svc", grant_type: "client_credentials", over_privileged: false, not_requested: [], scopes_granted: ["api:read"], scope_omitted: true, has_refresh_token: false, last_used_at: NOW - 7200 })]);
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
    m.auditPage.mockResolvedValue({ total: 0, clients: ["web"], offset: 0, rows: [] });
    m.exportAudit.mockResolvedValue("/home/dev/.local/share/oauthdesk/exports/audit-20261123T192422Z.md");
    render(<AuditScreen onOpenGrant={() => {}} />);
    await screen.findByRole("option", { name: "web" });
    fireEvent.change(screen.getByTestId("audit-client"), { target: { value: "web" } });
    fireEvent.change(screen.getByTestId("audit-scope"), { target: { value: " email " } });
    fireEvent.change(screen.getByTestId("audit-expiring"), { target: { value: "3600" } });
    fireEvent.click(screen.getByTestId("audit-over-privileged"));
    fireEvent.click(screen.getByTestId("audit-hide-revoked"));
    const want = { client: "web", scope: "email", expiring_within_secs: 3600, over_privileged: true, hide_revoked: true };
    await waitFor(() => expect(m.auditPage, "every filter goes to the engine, for the first page").toHaveBeenLastCalledWith(want, 0, PAGE));
    expect(await screen.findByTestId("audit-empty"), "no grant matches: the empty state shows").toBeTruthy();
    fireEvent.click(screen.getByTestId("audit-export-markdown"));
    expect((await screen.findByTestId("audit-exported")).textContent, "the export says where the file is").toContain("audit-20261123T192422Z.md");
    expect(m.exportAudit, "the export uses the filters on screen").toHaveBeenCalledWith(want, "markdown");
  });

  it("asks for one page of rows, shows the total and sizes the scroll area for all of them", async () => {
    serveMany(100_000);
    render(<AuditScreen onOpenGrant={() => {}} />);
    await screen.findAllByTestId("audit-row");
    expect(m.auditPage.mock.calls, "one request, for a small first page from the top").toEqual([[NO_FILTER, 0, PAGE]]);
    expect(m.listClients, "the filter's client names come with the page, not as every client's record").not.toHaveBeenCalled();
    expect(PAGE, "a page is a window, not the store").toBeLessThanOrEqual(200);
    expect(screen.getByTestId("audit-count").textContent, "the count is the engine's total").toContain("100000 grants");
    expect(screen.getAllByTestId("audit-row").length, "only the rows in view are in the DOM").toBeLessThan(60);
    expect(screen.getByRole("list", { name: "Grants" }).style.height, "the scrollbar stands for every grant").toBe(`${100_000 * AUDIT_ROW_HEIGHT}px`);
  });

  it("asks for a later page when scrolled there, and shows its rows", async () => {
    await scrolledToRow5000("the rows scrolled to are rendered once their page arrives");
    const [, offset, limit] = m.auditPage.mock.lastCall as Parameters<typeof api.auditPage>;
    expect(offset, "the page asked for starts near the scrolled-to row, not at the top").toBeGreaterThan(4_800);
    expect(offset + limit, "and reaches past the rows in view").toBeGreaterThan(5_012);
    expect(limit, "still a page, not the rest of the store").toBeLessThanOrEqual(200);
    expect(grantsShown(), "rows scrolled out leave the DOM").not.toContain("g-0");
  });

  it("asks again from the top when a filter changes", async () => {
    await scrolledToRow5000("scrolled down first");
    fireEvent.change(screen.getByTestId("audit-scope"), { target: { value: "email" } });
    await waitFor(() => expect(m.auditPage, "the new filter's first page, from offset 0").toHaveBeenLastCalledWith({ ...NO_FILTER, scope: "email" }, 0, PAGE));
    await waitFor(() => expect(grantsShown()[0], "the list is back at the top").toBe("g-0"));
  });

  it("shows progress while the first page loads", async () => {
    let answer: (page: api.AuditPage) => void = () => {};
    m.auditPage.mockReturnValue(new Promise<api.AuditPage>((resolve) => (answer = resolve)));
    render(<AuditScreen onOpenGrant={() => {}} />);
    expect((await screen.findByTestId("audit-loading")).getAttribute("role"), "a wait shows as progress").toBe("status");
    answer({ total: 1, clients: ["web"], offset: 0, rows: [row()] });
    expect(await screen.findByTestId("audit-row"), "the rows replace the progress").toBeTruthy();
    expect(screen.queryByTestId("audit-loading"), "and the progress goes").toBeNull();
  });
});

const NO_FILTER = { client: null, scope: null, expiring_within_secs: null, over_privileged: false, hide_revoked: false };

/** `total` grants, made only for the page asked for (as the engine reads only those). */
function serveMany(total: number) {
  m.auditPage.mockImplementation(async (_filter: api.AuditFilter, offset: number, limit: number) => {
    const rows: api.AuditRow[] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push(row({ grant_id: `g-${i}` }));
    return { total, clients: [], offset, rows };
  });
}

const grantsShown = () => screen.queryAllByTestId("audit-row").map((r) => r.dataset.grant);

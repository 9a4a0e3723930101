import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import * as api from "../api";
import type { GrantInspection, GrantSummary, GrantView } from "../api";
import { GRANT_PAGE_MAX } from "../test/apiMock";
import { NOW, client, grant, ipcError, servePages, setupApi, tokensOf } from "../test/setup";
import TokensScreen, { GRANT_ROW_HEIGHT, PAGE } from "./TokensScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

function inspection(g: GrantView = grant()): GrantInspection {
  return {
    grant: g,
    tokens: tokensOf(g),
    authorization_details: [],
    access_token: {
      present: true,
      preview: "eyJhbGciOi…(812 chars)",
      jwt: {
        header: { alg: "RS256", typ: "at+jwt", kid: "k1" },
        claims: { iss: "https://as.example", sub: "alice", aud: ["api", "web"], exp: NOW + 240, iat: NOW - 7200, scope: "openid profile" },
        encrypted: false,
        signature_length: 256,
      },
    },
    refresh_token: { present: true, preview: "rt_4f…(43 chars)", jwt: null },
    id_token: {
      present: true,
      preview: "eyJraWQi…(640 chars)",
      jwt: { header: { alg: "ES256" }, claims: { sub: "alice", auth_time: NOW - 7200, nbf: NOW - 60 }, encrypted: false, signature_length: 64 },
    },
  };
}

function many(n: number): ReturnType<typeof grant>[] {
  return Array.from({ length: n }, (_, i) =>
    grant({ id: `g-${i}`, client: i % 2 ? "odd" : "even", issued_at: NOW - i, expires_at: NOW + 3600 - i, status: i % 3 === 0 ? "active" : i % 3 === 1 ? "needs_login" : "revoked" }),
  );
}

function Screen({ selected = null }: { selected?: string | null }) {
  return <TokensScreen selected={selected} onSelect={() => undefined} />;
}

describe("grant list", () => {
  it("asks for one page of 5 000 grants, shows the total and sizes the scroll area for all of them", async () => {
    servePages(api, many(5_000));
    render(<Screen />);
    await screen.findByTestId("grant-row-g-0");
    expect(m.grantPage.mock.calls, "one request, for a page from the top (not the rest with −1)").toEqual([[null, 0, PAGE]]);
    expect(PAGE, "a page is a window, not the store").toBeLessThanOrEqual(200);
    expect(screen.getByTestId("tokens-count").textContent, "the count is the engine's total, not the rows loaded").toBe("5000 grants");
    expect(rows().length, "only the rows in view are in the DOM").toBeLessThan(60);
    expect(screen.getByRole("list", { name: "Grants" }).style.height, "the scrollbar stands for every grant").toBe(`${5_000 * GRANT_ROW_HEIGHT}px`);
  });

  it("asks for a later page when scrolled there, and shows its rows", async () => {
    await scrolledTo(5_000, many(10_000));
    const [client, offset, limit] = m.grantPage.mock.lastCall as Parameters<typeof api.grantPage>;
    expect(client, "still all clients").toBeNull();
    expect(offset, "the page asked for starts near the scrolled-to row, not at the top").toBeGreaterThan(4_800);
    expect(offset + limit, "and reaches past the rows in view").toBeGreaterThan(5_012);
    expect(limit, "still a page, not the rest of the store").toBeLessThanOrEqual(200);
    expect(shown(), "rows scrolled out leave the DOM").not.toContain("g-0");
    expect(rows().length, "still only a window of rows").toBeLessThan(60);
    for (const [, o, l] of m.grantPage.mock.calls as Parameters<typeof api.grantPage>[]) {
      expect(o, "no page starts before the top").toBeGreaterThanOrEqual(0);
      expect(l, "every request is for a page the engine serves whole (no −1, at most its maximum)").toBeGreaterThan(0);
      expect(l, "never more than the engine's maximum").toBeLessThanOrEqual(GRANT_PAGE_MAX);
    }
  });

  it("shows placeholders for rows in view whose page has not arrived, then the rows", async () => {
    const list = many(10_000);
    servePages(api, list);
    render(<Screen />);
    await screen.findByTestId("grant-row-g-0");
    let answer: () => void = () => {};
    const serve = m.grantPage.getMockImplementation() as typeof api.grantPage;
    m.grantPage.mockImplementationOnce((...args: Parameters<typeof api.grantPage>) => new Promise((resolve) => (answer = () => resolve(serve(...args)))));
    scroll(5_000);
    await waitFor(() => expect(m.grantPage, "the page in view is asked for").toHaveBeenCalledTimes(2));
    expect(shown(), "no loaded row belongs there yet").toEqual([]);
    expect(screen.getAllByTestId("grant-placeholder").length, "the rows in view stand as placeholders").toBeGreaterThan(5);
    expect(screen.getByTestId("tokens-count").textContent, "the count stays the total meanwhile").toBe("10000 grants");
    answer();
    await waitFor(() => expect(shown(), "the rows replace the placeholders once their page arrives").toContain("g-5000"));
    expect(screen.queryAllByTestId("grant-placeholder"), "and no placeholder is left in view").toEqual([]);
  });

  it("renders the oldest grant after a jump to the bottom", async () => {
    servePages(api, many(10_000));
    render(<Screen />);
    await screen.findByTestId("grant-row-g-0");
    const viewport = screen.getByTestId("grant-list");
    // jsdom has no layout: the list is as tall as VirtualList's fallback (600 px).
    viewport.scrollTop = 10_000 * GRANT_ROW_HEIGHT - 600;
    fireEvent.scroll(viewport);
    await waitFor(() => expect(shown(), "the oldest grant renders once its page arrives").toContain("g-9999"));
    const [, offset, limit] = m.grantPage.mock.lastCall as Parameters<typeof api.grantPage>;
    expect(offset + limit, "the last page reaches the end of the list").toBeGreaterThanOrEqual(10_000);
  });

  it("moves between rows with the arrow keys, past the rendered window", async () => {
    servePages(api, many(10_000));
    render(<Screen />);
    const first = await screen.findByTestId("grant-row-g-0");
    first.focus();
    fireEvent.keyDown(first, { key: "ArrowDown" });
    expect(document.activeElement, "ArrowDown focuses the next row").toBe(screen.getByTestId("grant-row-g-1"));
    fireEvent.keyDown(document.activeElement as Element, { key: "End" });
    await waitFor(() => expect(document.activeElement, "End reaches the last row once its page arrives").toBe(screen.getByTestId("grant-row-g-9999")));
  });

  it("marks the selected row and reports a click on another", async () => {
    servePages(api, many(3));
    const onSelect = vi.fn();
    m.inspectGrant.mockReturnValue(new Promise(() => {}));
    render(<TokensScreen selected="g-1" onSelect={onSelect} />);
    expect((await screen.findByTestId("grant-row-g-1")).getAttribute("aria-current"), "the selected grant is marked").toBe("true");
    expect(screen.getByTestId("grant-row-g-0").getAttribute("aria-current"), "the others are not").toBeNull();
    fireEvent.click(screen.getByTestId("grant-row-g-2"));
    expect(onSelect, "a click selects that grant").toHaveBeenCalledWith("g-2");
  });

  it("shows client, grant type, scopes, status and a live expiry for each row", async () => {
    servePages(api, [grant({ id: "a", expires_at: NOW + 240 }), grant({ id: "b", status: "revoked", client: "cli" }), grant({ id: "c", expires_at: NOW - 7200, status: "needs_login" })]);
    render(<Screen />);
    const a = await screen.findByTestId("grant-row-a");
    expect(a.textContent, "the client").toContain("web");
    expect(a.textContent, "the grant type in words").toContain("authorization code");
    expect(a.textContent, "the granted scopes").toContain("openid profile");
    expect(within(a).getByTestId("expiry-bar").textContent, "expiry in words").toContain("expires in 4 min");
    expect(within(a).getByTestId("grant-status").textContent, "the status").toBe("active");
    expect(within(screen.getByTestId("grant-row-b")).getByTestId("grant-status").textContent, "revoked is visible").toBe("revoked");
    const c = screen.getByTestId("grant-row-c");
    expect(within(c).getByTestId("grant-status").textContent, "needs_login in words").toBe("needs login");
    expect(within(c).getByTestId("expiry-bar").textContent, "past expiry in words").toContain("expired 2 h ago");
  });

  it("filters by client", async () => {
    servePages(api, [grant({ id: "a", client: "web" }), grant({ id: "b", client: "cli" })]);
    render(<Screen />);
    await screen.findByTestId("grant-row-a");
    fireEvent.change(screen.getByTestId("tokens-client-filter"), { target: { value: "cli" } });
    await waitFor(() => expect(screen.queryByTestId("grant-row-a"), "other clients' grants are hidden").toBeNull());
    expect(screen.getByTestId("grant-row-b"), "the chosen client's grant stays").toBeTruthy();
    expect(m.grantPage, "the engine filters").toHaveBeenLastCalledWith("cli", 0, PAGE);
    expect(screen.getByTestId("tokens-count").textContent, "the count is of the filtered list").toBe("1 grant");
  });

  it("asks again from the top when the client filter changes, keeping the last page while it loads", async () => {
    await scrolledTo(5_000, many(10_000));
    let answer: () => void = () => {};
    const serve = m.grantPage.getMockImplementation() as typeof api.grantPage;
    m.grantPage.mockImplementationOnce((...args: Parameters<typeof api.grantPage>) => new Promise((resolve) => (answer = () => resolve(serve(...args)))));
    fireEvent.change(screen.getByTestId("tokens-client-filter"), { target: { value: "odd" } });
    await waitFor(() => expect(m.grantPage, "the new filter's first page, from offset 0").toHaveBeenLastCalledWith("odd", 0, PAGE));
    expect(screen.getByTestId("tokens-updating").getAttribute("role"), "the wait shows as progress").toBe("status");
    expect(screen.getByTestId("tokens-count").textContent, "the previous list's count stays meanwhile").toContain("10000 grants");
    answer();
    await waitFor(() => expect(shown()[0], "the list is back at the top, with the first grant of the client").toBe("g-1"));
    expect(screen.getByTestId("tokens-count").textContent, "the count is the filter's total").toBe("5000 grants");
    expect(screen.queryByTestId("tokens-updating"), "and the progress goes").toBeNull();
  });

  it("shows progress while the first page loads", async () => {
    let answer: (page: api.GrantPage) => void = () => {};
    m.grantPage.mockReturnValue(new Promise<api.GrantPage>((resolve) => (answer = resolve)));
    render(<Screen />);
    expect((await screen.findByTestId("tokens-loading")).getAttribute("role"), "a wait shows as progress").toBe("status");
    answer({ total: 1, clients: ["web"], offset: 0, rows: [grant({ id: "a" })] });
    expect(await screen.findByTestId("grant-row-a"), "the rows replace the progress").toBeTruthy();
    expect(screen.queryByTestId("tokens-loading"), "and the progress goes").toBeNull();
  });

  it("says when there is no grant at all", async () => {
    render(<Screen />);
    expect(await screen.findByTestId("tokens-empty"), "an empty store shows the empty state").toBeTruthy();
    expect(screen.queryByTestId("tokens-count"), "and no count").toBeNull();
  });

  it("reloads the page in view with Reload and on grants-changed", async () => {
    let changed: () => void = () => {
      throw new Error("no grants-changed listener");
    };
    m.onGrantsChanged.mockImplementation(async (cb: () => void) => {
      changed = cb;
      return () => {};
    });
    const list = many(10_000);
    await scrolledTo(5_000, list);
    const inView = m.grantPage.mock.lastCall;
    const calls = m.grantPage.mock.calls.length;
    fireEvent.click(screen.getByRole("button", { name: "Reload" }));
    await waitFor(() => expect(m.grantPage.mock.calls.length, "Reload asks again").toBe(calls + 1));
    expect(m.grantPage.mock.lastCall, "for the page in view").toEqual(inView);

    const status = () => within(screen.getByTestId("grant-row-g-5001")).getByTestId("grant-status").textContent;
    expect(status(), "the grant in view starts unrevoked").not.toBe("revoked");
    servePages(api, list.map((g) => (g.id === "g-5001" ? grant({ ...g, status: "revoked" }) : g)));
    await waitFor(() => expect(m.onGrantsChanged, "the screen listens for the app's grants-changed event").toHaveBeenCalled());
    changed();
    await waitFor(() => expect(status(), "the changed grant in view shows its new state").toBe("revoked"));
    expect(m.grantPage.mock.calls.length, "the event asked once more").toBe(calls + 2);
    expect(m.grantPage.mock.lastCall, "for the page in view, not the top").toEqual(inView);
  });

  it("says why the list could not load", async () => {
    m.grantPage.mockRejectedValue(ipcError({ code: "keychain", message: "no keychain" }));
    render(<Screen />);
    const box = await screen.findByTestId("tokens-error");
    expect(box.textContent, "the failure in Rust's words").toContain("no keychain");
    expect(box.textContent, "a keychain failure gets a hint").toMatch(/What to do/);
  });
});

const rows = () => screen.queryAllByTestId(/^grant-row-/);
const shown = () => rows().map((r) => r.dataset.testid?.replace("grant-row-", ""));

/** Scrolls the grant list so that row `index` is at the top. */
function scroll(index: number) {
  const viewport = screen.getByTestId("grant-list");
  viewport.scrollTop = index * GRANT_ROW_HEIGHT;
  fireEvent.scroll(viewport);
}

/** `list` on screen, scrolled to row `index`, and `id` (that row's grant) shown once its page arrived. */
async function scrolledTo(index: number, list: GrantSummary[], id = `g-${index}`) {
  servePages(api, list);
  render(<Screen />);
  await screen.findByTestId("grant-row-g-0");
  scroll(index);
  await waitFor(() => expect(shown(), "the rows scrolled to are rendered once their page arrives").toContain(id));
}

describe("grant detail", () => {
  beforeEach(() => {
    servePages(api, [grant()]);
  });

  it("shows tokens, JWT claims with times in words, and requested vs granted scopes", async () => {
    m.inspectGrant.mockResolvedValue(inspection(grant({ scopes_requested: "openid profile email", scopes_granted: "openid profile admin" })));
    render(<Screen selected="g-1" />);
    const detail = await screen.findByTestId("grant-detail");
    await within(detail).findByTestId("grant-status-detail");

    expect(within(detail).getByTestId("token-access-token").textContent, "previews only").toContain("eyJhbGciOi…(812 chars)");
    const [access, id] = within(detail).getAllByTestId("claims-table");
    expect(within(access).getByTestId("claim-exp").textContent, "exp in words").toContain("expires in 4 min");
    expect(within(access).getByTestId("claim-iat").textContent, "iat in words").toContain("issued 2 h ago");
    expect(within(access).getByTestId("claim-aud").textContent, "arrays are readable").toContain("api, web");
    expect(within(id).getByTestId("claim-auth_time").textContent, "auth_time in words").toContain("authenticated 2 h ago");
    expect(within(id).getByTestId("claim-nbf").textContent, "nbf in words").toContain("valid since 1 min ago");
    expect(within(detail).getAllByTestId("jwt-header")[0].textContent, "the JWT header is a table too").toContain("at+jwt");

    const requested = within(detail).getByTestId("scopes-requested");
    const granted = within(detail).getByTestId("scopes-granted");
    const emailRow = within(requested).getByText("email").closest("li");
    expect(emailRow?.textContent, "a requested scope the server withheld is marked").toContain("not granted");
    expect(within(requested).getByText("openid").closest("li")?.textContent, "a granted scope is not marked").not.toContain("not granted");
    expect(within(granted).getByText("admin").closest("li")?.textContent, "a scope granted without being asked is marked").toContain("not requested");
  });

  it("says when the server sent no scope", async () => {
    m.inspectGrant.mockResolvedValue(inspection(grant({ scopes_granted: null })));
    render(<Screen selected="g-1" />);
    const granted = await screen.findByTestId("scopes-granted");
    expect(granted.textContent, "an omitted scope means as requested (RFC 6749 §5.1)").toBe("same as requested — the server sent no scope (RFC 6749 §5.1)");
  });

  it("lists deviations from the specs", async () => {
    m.inspectGrant.mockResolvedValue(inspection(grant({ deviations: [{ code: "expires_in_string", spec: "RFC 6749 §5.1", detail: "expires_in sent as a string" }] })));
    render(<Screen selected="g-1" />);
    expect((await screen.findByTestId("deviations")).textContent, "each deviation in words").toContain("expires_in sent as a string");
  });

  it("refresh, revoke and copy act, then reload detail and list; status changes show", async () => {
    m.inspectGrant.mockResolvedValueOnce(inspection());
    render(<Screen selected="g-1" />);
    await screen.findByTestId("grant-status-detail");
    expect(screen.getByTestId("grant-status-detail").textContent, "the grant starts active").toBe("active");

    m.revokeGrant.mockResolvedValue(grant({ status: "revoked" }));
    m.inspectGrant.mockResolvedValue(inspection(grant({ status: "revoked", revoked_at: NOW })));
    servePages(api, [grant({ status: "revoked" })]);
    fireEvent.click(screen.getByTestId("action-revoke-all"));
    expect(m.revokeGrant, "revoke all asks first").not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("confirm-revoke-all"));
    await waitFor(() => expect(m.revokeGrant, "confirming revokes everything").toHaveBeenCalledWith("g-1", "all"));
    await waitFor(() => expect(screen.getByTestId("grant-status-detail").textContent, "the detail shows the new status").toBe("revoked"));
    await waitFor(() => expect(within(screen.getByTestId("grant-row-g-1")).getByTestId("grant-status").textContent, "the list too").toBe("revoked"));

    m.copyToken.mockResolvedValue(undefined);
    fireEvent.click(screen.getByTestId("action-copy"));
    await waitFor(() => expect(m.copyToken, "Copy asks Rust to copy the access token and clear it after 30 s").toHaveBeenCalledWith("g-1", "access", 30));
    expect((await screen.findByTestId("action-note")).textContent, "the note says when the clipboard is cleared").toContain("copied; the clipboard is cleared in 30 s");
  });

  it("introspect and userinfo show JSON; failures show the server's error in words", async () => {
    m.inspectGrant.mockResolvedValue(inspection());
    render(<Screen selected="g-1" />);
    await screen.findByTestId("grant-status-detail");

    m.introspectGrant.mockResolvedValue({ active: true, scope: "openid" });
    fireEvent.click(screen.getByTestId("action-introspect"));
    const result = await screen.findByTestId("action-result");
    expect(result.textContent, "pretty JSON").toContain('"active": true');
    expect(m.introspectGrant, "the access token is introspected").toHaveBeenCalledWith("g-1", false);

    m.userinfoGrant.mockRejectedValue(
      ipcError({ code: "oauth", message: "The server answered invalid_token", hint: "The access token expired or was revoked; refresh it.", oauth: { error: "invalid_token", error_description: "token expired", error_uri: null, status: 401 } }),
    );
    fireEvent.click(screen.getByTestId("action-userinfo"));
    const err = await screen.findByTestId("action-error");
    expect(err.textContent, "the server's error code").toContain("invalid_token");
    expect(err.textContent, "its description").toContain("token expired");
    expect(err.textContent, "and the hint").toContain("refresh it");
  });

  it("reveal asks first; forget asks and says it is local only", async () => {
    m.inspectGrant.mockResolvedValue(inspection());
    const onSelect = vi.fn();
    render(<TokensScreen selected="g-1" onSelect={onSelect} />);
    await screen.findByTestId("grant-status-detail");

    m.revealToken.mockResolvedValue("eyJ.full.token");
    fireEvent.click(screen.getByTestId("action-reveal"));
    expect(m.revealToken, "nothing is revealed without confirmation").not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("confirm-reveal"));
    expect(((await screen.findByLabelText(/treat it like a password/)) as HTMLTextAreaElement).value, "the confirmed reveal shows the raw token").toBe("eyJ.full.token");

    m.forgetGrant.mockResolvedValue(undefined);
    fireEvent.click(screen.getByTestId("action-forget"));
    expect(screen.getByRole("dialog").textContent, "the dialog says it is not revoked").toMatch(/not revoked at the server/);
    fireEvent.click(screen.getByTestId("confirm-forget"));
    await waitFor(() => expect(m.forgetGrant, "confirming forgets the grant").toHaveBeenCalledWith("g-1"));
    await waitFor(() => expect(onSelect, "the detail closes").toHaveBeenCalledWith(null));
  });

  it("exchanges the grant's token as another client (RFC 8693)", async () => {
    m.inspectGrant.mockResolvedValue(inspection());
    m.listClients.mockResolvedValue([client({ name: "web" }), client({ name: "gateway" })]);
    render(<TokensScreen selected="g-1" onSelect={() => {}} />);
    await screen.findByTestId("grant-status-detail");
    fireEvent.click(screen.getByTestId("action-exchange"));
    await screen.findByRole("option", { name: "gateway" });
    fireEvent.change(screen.getByTestId("exchange-client"), { target: { value: "gateway" } });
    fireEvent.change(screen.getByTestId("exchange-resource"), { target: { value: " urn:api " } });
    m.exchangeToken.mockResolvedValue(grant({ id: "g-2", client: "gateway", grant_type: "token_exchange", scopes_granted: "api:read" }));
    fireEvent.click(screen.getByTestId("exchange-run"));
    expect((await screen.findByTestId("action-note")).textContent, "the note names the new grant").toContain("a new grant of gateway (api:read)");
    expect(m.exchangeToken, "this grant's access token is the subject; the resource is trimmed").toHaveBeenCalledWith("gateway", {
      subject: { kind: "grant", grant_id: "g-1", token: "access" },
      actor: null,
      requested_token_type: null,
      audience: null,
      resource: "urn:api",
      scope: null,
    });
  });

  it("turns auto-refresh on and reloads when the app refreshed grants", async () => {
    let changed: () => void = () => {
      throw new Error("no grants-changed listener");
    };
    m.onGrantsChanged.mockImplementation(async (cb: () => void) => {
      changed = cb;
      return () => {};
    });
    servePages(api, [grant({ id: "g-1" })]);
    m.inspectGrant.mockResolvedValue(inspection());
    render(<TokensScreen selected="g-1" onSelect={() => {}} />);
    const toggle = (await screen.findByTestId("grant-auto-refresh")) as HTMLInputElement;
    expect(toggle.checked, "auto-refresh starts off, as the grant says").toBe(false);
    m.setAutoRefresh.mockResolvedValue(grant({ id: "g-1", auto_refresh: true }));
    fireEvent.click(toggle);
    await waitFor(() => expect(m.setAutoRefresh, "the toggle asks Rust to auto-refresh this grant").toHaveBeenCalledWith("g-1", true));
    // The toggle itself reloads the list once (first load + that one); the event must add another.
    await waitFor(() => expect(m.grantPage, "the toggle's own reload").toHaveBeenCalledTimes(2));
    await waitFor(() => expect(m.onGrantsChanged, "the screen listens for the app's grants-changed event").toHaveBeenCalled());
    changed();
    await waitFor(() => expect(m.grantPage.mock.calls.length, "the list reloads after an auto-refresh").toBeGreaterThan(2));
  });

  it("ends a session at the server or only here, after asking", async () => {
    m.inspectGrant.mockResolvedValue(inspection());
    const onSelect = vi.fn();
    render(<TokensScreen selected="g-1" onSelect={onSelect} />);
    await screen.findByTestId("grant-status-detail");
    m.logoutGrant.mockRejectedValueOnce(ipcError({ code: "protocol", message: "the logout was not completed in time" }));
    fireEvent.click(screen.getByTestId("action-logout"));
    expect(screen.getByRole("dialog").textContent, "the dialog explains the server logout").toMatch(/RP-Initiated Logout/);
    expect(m.logoutGrant, "nothing happens before the choice").not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("confirm-logout"));
    expect((await screen.findByTestId("action-error")).textContent, "the failure is shown").toContain("not completed in time");
    expect(m.logoutGrant, "the server logout was asked for").toHaveBeenLastCalledWith("g-1", false);
    expect(onSelect, "a failed logout keeps the grant open").not.toHaveBeenCalled();
    m.logoutGrant.mockResolvedValueOnce({ grant_id: "g-1", ended_at_server: false, server_note: "local", revoked: true, revoke_note: null, forgotten: true });
    fireEvent.click(screen.getByTestId("action-logout"));
    fireEvent.click(screen.getByTestId("confirm-logout-local"));
    await waitFor(() => expect(onSelect, "a completed logout closes the detail").toHaveBeenCalledWith(null));
    expect(m.logoutGrant, "Only here asks for a local logout").toHaveBeenLastCalledWith("g-1", true);
  });
});

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/react";
import * as api from "../api";
import type { GrantInspection, GrantView } from "../api";
import { NOW, grant, serveAudit, servePages, setupApi, tokensOf } from "../test/setup";
import AuditScreen from "./AuditScreen";
import { loginAgainRequest } from "./GrantDetail";
import TokensScreen from "./TokensScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

function inspection(g: GrantView): GrantInspection {
  const absent = { present: false, preview: null, jwt: null };
  return { grant: g, tokens: tokensOf(g), access_token: absent, refresh_token: absent, id_token: absent, authorization_details: [] };
}

describe("handoff: last used by, log in again", () => {
  it("offers Log in again on a grant that needs a login, with its grant type and scopes", async () => {
    const g = grant({ status: "needs_login", grant_type: "device_code", scopes_requested: "openid offline_access" });
    servePages(api, [g]);
    m.inspectGrant.mockResolvedValue(inspection(g));
    const again = vi.fn();
    render(<TokensScreen selected={g.id} onSelect={() => undefined} onLogInAgain={again} />);
    const detail = await screen.findByTestId("grant-detail");
    const button = await within(detail).findByTestId("grant-login-again");
    expect(button.textContent, "the button says what it does").toBe("Log in again");
    fireEvent.click(button);
    expect(again, "it starts the login for the grant's client, same grant type and scopes").toHaveBeenCalledWith(g.client, {
      grant: "device_code",
      scope: "openid offline_access",
      extra_params: [],
      username: null,
      password: null,
    });
  });

  it("does not offer it while a flow runs, nor on an active grant, nor for the password grant", async () => {
    const g = grant({ status: "needs_login" });
    servePages(api, [g]);
    m.inspectGrant.mockResolvedValue(inspection(g));
    render(<TokensScreen selected={g.id} onSelect={() => undefined} onLogInAgain={() => undefined} busy />);
    const button = await screen.findByTestId("grant-login-again");
    expect((button as HTMLButtonElement).disabled, "a running flow disables it").toBe(true);
    expect(loginAgainRequest(grant({ grant_type: "password" })), "the password grant needs the password: no one-click login").toBeNull();
    expect(loginAgainRequest(grant({ grant_type: "token_exchange" })), "an exchanged token cannot be logged in again").toBeNull();
  });

  it("shows who used the token last in the list, the detail and the audit", async () => {
    const g = grant({ last_used_at: NOW - 7200, last_used_by: "git for github.com" });
    servePages(api, [g]);
    m.inspectGrant.mockResolvedValue(inspection(g));
    render(<TokensScreen selected={g.id} onSelect={() => undefined} />);
    const used = await screen.findByTestId("grant-last-used");
    expect(used.textContent, "the detail says when and by which tool").toBe("2 h ago by git for github.com");
    expect((await screen.findByTestId("grant-last-used-by")).textContent, "the list row names the tool").toContain("used by git for github.com");
    expect(screen.queryByTestId("grant-needs-login"), "an active grant offers no login").toBeNull();
  });

  it("names the tool on the audit row", async () => {
    serveAudit(api, [
      {
        grant_id: "0123456789abcdef",
        client: "web",
        grant_type: "authorization_code",
        status: "active",
        subject: null,
        scopes_requested: ["openid"],
        scopes_granted: ["openid"],
        scope_omitted: false,
        not_granted: [],
        not_requested: [],
        over_privileged: false,
        expires_at: NOW + 1800,
        has_refresh_token: true,
        issued_at: NOW - 60,
        last_used_at: NOW - 60,
        last_used_by: "exec for make",
        authorization_details_types: [],
        authorization_details: [],
        revoked: false,
        revoked_at: null,
        tokens: tokensOf({ status: "active", has_access_token: true, has_refresh_token: true, has_id_token: false, expires_at: NOW + 1800 }),
      },
    ]);
    render(<AuditScreen onOpenGrant={() => undefined} />);
    const cell = await screen.findByTestId("audit-last-used");
    expect(cell.textContent, "the audit says when and by which tool").toBe("1 min ago by exec for make");
  });
});

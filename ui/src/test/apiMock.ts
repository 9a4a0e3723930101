// A stand-in for ../api: every command a vi.fn(), isIpcError the real rule. Tests load it with
//   vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());
// and set answers per test through the mocks `setupApi()` (./setup.ts) returns.
import { vi } from "vitest";
import type * as Api from "../api";

type Commands = Omit<typeof Api, "isIpcError">;

export function apiMock(): { [K in keyof Commands]: ReturnType<typeof vi.fn> } & { isIpcError: typeof Api.isIpcError } {
  return {
    isIpcError: (e: unknown): e is Api.IpcError => typeof e === "object" && e !== null && "code" in e && "message" in e,
    appInfo: vi.fn(),
    keychainStatus: vi.fn(),
    getSettings: vi.fn(),
    setSettings: vi.fn(),
    listClients: vi.fn(),
    listEnvironments: vi.fn(),
    createEnvironment: vi.fn(),
    renameEnvironment: vi.fn(),
    deleteEnvironment: vi.fn(),
    activateEnvironment: vi.fn(),
    setVariable: vi.fn(),
    unsetVariable: vi.fn(),
    revealVariable: vi.fn(),
    importPostmanEnvironment: vi.fn(),
    discover: vi.fn(),
    addClient: vi.fn(),
    updateClient: vi.fn(),
    duplicateClient: vi.fn(),
    removeClient: vi.fn(),
    importClientCertificate: vi.fn(),
    removeClientCertificate: vi.fn(),
    login: vi.fn(),
    cancelLogin: vi.fn(),
    grantPage: vi.fn(),
    listGrants: vi.fn(),
    inspectGrant: vi.fn(),
    refreshGrant: vi.fn(),
    revokeGrant: vi.fn(),
    introspectGrant: vi.fn(),
    userinfoGrant: vi.fn(),
    forgetGrant: vi.fn(),
    logoutGrant: vi.fn(),
    setAutoRefresh: vi.fn(),
    onGrantsChanged: vi.fn(),
    exchangeToken: vi.fn(),
    revealToken: vi.fn(),
    copyToken: vi.fn(),
    decodeToken: vi.fn(),
    signTestToken: vi.fn(),
    copyDecodedText: vi.fn(),
    callApi: vi.fn(),
    stepUpAndRetry: vi.fn(),
    savedRequests: vi.fn(),
    saveRequest: vi.fn(),
    deleteSavedRequest: vi.fn(),
    history: vi.fn(),
    transcripts: vi.fn(),
    flowTranscript: vi.fn(),
    renderCurl: vi.fn(),
    copyCurl: vi.fn(),
    copyResponse: vi.fn(),
    openInBrowser: vi.fn(),
    inspectTokens: vi.fn(),
    verifyToken: vi.fn(),
    auditPage: vi.fn(),
    exportAudit: vi.fn(),
    providerReport: vi.fn(),
    fapi2Report: vi.fn(),
    cibaSettings: vi.fn(),
    setCibaSettings: vi.fn(),
    presets: vi.fn(),
    applyPreset: vi.fn(),
    exportClients: vi.fn(),
    registerClient: vi.fn(),
    readRegistration: vi.fn(),
    deleteRegistration: vi.fn(),
    importClients: vi.fn(),
    probeResource: vi.fn(),
    addResourceClient: vi.fn(),
    mcpFlow: vi.fn(),
  };
}

/** Answers that let any screen render: empty lists, a reachable keychain, default settings. */
export function defaultAnswers(api: typeof Api): void {
  const m = vi.mocked(api);
  m.appInfo.mockResolvedValue({ name: "OAuth Desk", version: "1.2.3", data_dir: "/home/dev/.local/share/oauthdesk" });
  m.keychainStatus.mockResolvedValue({ available: true, backend: "Secret Service", problem: null });
  m.getSettings.mockResolvedValue({ theme: "system", clock_skew_secs: 60, network: { proxy: "system", proxy_url: null, no_proxy: "", proxy_password_stored: false, ca_pem: null, timeout_secs: null } });
  m.setSettings.mockImplementation(async (s) => s);
  m.listClients.mockResolvedValue([]);
  m.listEnvironments.mockResolvedValue([]);
  m.listGrants.mockResolvedValue([]);
  servePages(api, []);
  m.history.mockResolvedValue([]);
  m.transcripts.mockResolvedValue([]);
  m.flowTranscript.mockResolvedValue(null);
  m.savedRequests.mockResolvedValue([]);
  m.cancelLogin.mockResolvedValue(true);
  serveAudit(api, []);
  m.presets.mockResolvedValue([]);
  m.onGrantsChanged.mockResolvedValue(() => {});
  m.providerReport.mockImplementation(async (client: string) => ({ client, issuer: null, flows_checked: 0, exchanges_checked: 0, grants_checked: 0, findings: [] }));
  m.inspectTokens.mockRejectedValue({ code: "not_mocked", message: "inspectTokens has no answer in this test", hint: null, oauth: null, checks: null });
  m.verifyToken.mockRejectedValue({ code: "not_mocked", message: "verifyToken has no answer in this test", hint: null, oauth: null, checks: null });
  m.copyDecodedText.mockResolvedValue(undefined);
  m.copyCurl.mockResolvedValue(undefined);
  m.copyResponse.mockResolvedValue(undefined);
}

/** The most rows `grant_page` returns at once, whatever the limit asked for. */
export const GRANT_PAGE_MAX = 1000;

/** Answers `grantPage` from `list` as the engine would: filter by client, clamp the offset to
 *  0..=total and the limit to 0..=GRANT_PAGE_MAX (a negative limit asks for no row), then slice. */
export function servePages(api: typeof Api, list: Api.GrantSummary[]): void {
  vi.mocked(api).grantPage.mockImplementation(async (client: string | null, offset: number, limit: number) => {
    const matching = client ? list.filter((g) => g.client === client) : list;
    const from = Math.min(Math.max(0, offset), matching.length);
    const rows = matching.slice(from, from + Math.min(Math.max(0, limit), GRANT_PAGE_MAX));
    return { total: matching.length, clients: [...new Set(list.map((g) => g.client))].sort(), offset: from, rows };
  });
}

/** Answers `auditPage` from `rows` as the engine would for a filter that matches them all (slice,
 *  total, the clients that have grants). */
export function serveAudit(api: typeof Api, rows: Api.AuditRow[]): void {
  vi.mocked(api).auditPage.mockImplementation(async (_filter: Api.AuditFilter, offset: number, limit: number) => ({
    total: rows.length,
    clients: [...new Set(rows.map((r) => r.client))].sort(),
    offset,
    rows: rows.slice(offset, offset + Math.max(0, limit)),
  }));
}

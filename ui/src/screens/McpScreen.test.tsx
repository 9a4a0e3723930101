// The MCP server screen: Connect runs the flow with every step and HTTP exchange on the timeline
// as it happens, it can be cancelled, and it ends on the tools, the outcome in words and the
// conformance per MCP revision with the followed one marked.
import { describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import type { FlowEvent, McpReport } from "../api";
import { useMcpFlow } from "../lib/useMcpFlow";
import { NOW, client, ipcError, setupApi } from "../test/setup";
import McpScreen from "./McpScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

const URL = "http://127.0.0.1:4100/mcp";

function report(over: Partial<McpReport> = {}): McpReport {
  return {
    url: URL,
    outcome: "completed",
    error: null,
    steps: [
      { name: "initialize", ok: true, detail: "HTTP 401 without a token, Bearer challenge" },
      { name: "resource metadata", ok: true, detail: `names resource ${URL}` },
      { name: "client", ok: true, detail: '"MCP 127.0.0.1:4100/mcp" by dynamic registration (RFC 7591)' },
      { name: "tools/list", ok: true, detail: "2 tool(s): whoami, add" },
      { name: "invalid token", ok: false, detail: "a string that is no token was answered HTTP 200" },
    ],
    probe: null,
    client: "MCP 127.0.0.1:4100/mcp",
    client_made: "dynamic registration (RFC 7591)",
    logged_in: true,
    grant_id: "g-1",
    session: { session_id: "s-1", protocol_version: "2025-06-18", server_name: "oauthdesk-test-mcp", server_version: "1.0.0" },
    tools: [
      { name: "whoami", title: "Who am I", description: "The access token's subject" },
      { name: "add", title: "Add", description: "Adds two numbers" },
    ],
    problems: [],
    revisions: [
      { revision: "2025-03-26", followed: false, musts_broken: 0, passed: ["answers 401 to a request without a token (MCP 2025-03-26 Authorization §Error Handling)"], findings: [] },
      {
        revision: "2025-06-18",
        followed: true,
        musts_broken: 1,
        passed: ["implements RFC 9728 protected resource metadata (MCP 2025-06-18 Authorization §Authorization Server Discovery)", "not tested: audience validation"],
        findings: [
          {
            code: "invalid_token_accepted",
            severity: "violation",
            spec: "MCP 2025-06-18 Authorization §Error Handling",
            detail: "answered HTTP 200 to a string that is no token",
            action: "reported; the flow went on where it could",
            source: "MCP server",
            occurrences: 1,
          },
        ],
      },
      { revision: "2025-11-25", followed: false, musts_broken: 0, passed: [], findings: [] },
    ],
    flow_id: "mcp-1",
    ...over,
  };
}

function controlledFlow() {
  let emit: (e: FlowEvent) => void = () => undefined;
  let resolve: (r: McpReport) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  m.mcpFlow.mockImplementation((_url, _options, onEvent) => {
    emit = onEvent;
    onEvent({ kind: "started", flow_id: "mcp-1" });
    return new Promise<McpReport>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  });
  return {
    emit: (e: FlowEvent) => act(() => emit(e)),
    resolve: (r: McpReport) => act(async () => resolve(r)),
    reject: (e: unknown) => act(async () => reject(e)),
  };
}

/** Like App: the flow lives above the screen, which can be left and revisited. */
function Harness({ loginRunning = false }: { loginRunning?: boolean }) {
  const flow = useMcpFlow();
  const [shown, setShown] = useState(true);
  return (
    <>
      <button type="button" data-testid="toggle-screen" onClick={() => setShown((s) => !s)}>
        toggle
      </button>
      {shown && <McpScreen flow={flow} loginRunning={loginRunning} />}
    </>
  );
}

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const kinds = () => screen.getAllByTestId("timeline-event").map((e) => e.dataset.kind);

const exchange = (step: string, status: number) => ({
  step,
  started_at_ms: NOW * 1000,
  duration_ms: 12,
  request: { method: "POST", url: URL, headers: [], body: '{"jsonrpc":"2.0","method":"initialize"}' },
  response: { status, headers: [["www-authenticate", 'Bearer resource_metadata="x"']] as [string, string][], body: "" },
  note: null,
});

describe("connect", () => {
  it("sends the URL and the options, shows each step and exchange live, and ends on the tools and the revisions", async () => {
    m.listClients.mockResolvedValue([client({ name: "other-api" })]);
    const flow = controlledFlow();
    render(<Harness />);
    await screen.findAllByRole("option", { name: "other-api" });
    type("mcp-url", ` ${URL} `);
    type("mcp-audience", "other-api");
    fireEvent.click(screen.getByTestId("mcp-connect"));
    expect(m.mcpFlow, "the trimmed URL; a client found or made; the audience probe asked").toHaveBeenCalledWith(
      URL,
      { client: null, client_id_metadata_url: null, probe_audience: "other-api", no_login: false, no_open: false, insecure: false },
      expect.any(Function),
    );
    expect(screen.getByTestId("mcp-connect").hasAttribute("disabled"), "one flow at a time").toBe(true);
    expect(screen.getByTestId("timeline").textContent, "progress before the first event").toContain("Starting the flow…");

    flow.emit({ kind: "exchange", exchange: exchange("resource request", 401) });
    flow.emit({ kind: "step", name: "initialize: HTTP 401 without a token, Bearer challenge" });
    flow.emit({ kind: "authorization_url", url: "http://127.0.0.1:4000/auth?client_id=c&resource=http%3A%2F%2F127.0.0.1%3A4100%2Fmcp", opened: true });
    flow.emit({ kind: "waiting_for_callback", redirect_uri: "http://127.0.0.1:50123/callback", timeout_secs: 300 });
    expect(kinds(), "the started event names the flow only; the rest are rows, in order").toEqual(["exchange", "step", "authorization_url", "waiting_for_callback"]);
    expect(screen.getByTestId("timeline").textContent, "the step in words").toContain("initialize: HTTP 401 without a token");
    expect(screen.getByTestId("param-resource").textContent, "the resource indicator of the login").toContain(URL);
    expect(screen.getByTestId("callback-wait"), "progress while the browser login runs").toBeTruthy();

    // Leaving the screen mid-flow loses nothing.
    fireEvent.click(screen.getByTestId("toggle-screen"));
    fireEvent.click(screen.getByTestId("toggle-screen"));
    expect(kinds(), "the timeline survived leaving the screen").toHaveLength(4);
    expect((screen.getByTestId("mcp-url") as HTMLInputElement).value, "and the URL").toBe(URL);

    await flow.resolve(report());
    const outcome = screen.getByTestId("mcp-outcome");
    expect(outcome.dataset.outcome, "completed").toBe("completed");
    expect(outcome.textContent, "the outcome in words").toContain("tools/list answered with 2 tools");
    expect(screen.getByTestId("mcp-client-used").textContent, "which client, how it was made, and that the browser was used").toContain(
      "made now by dynamic registration (RFC 7591); logged in through your browser",
    );
    expect(within(screen.getByTestId("mcp-tools")).getByTestId("mcp-tool-whoami").textContent, "each tool with its title").toContain("Who am I");
    expect(screen.getByTestId("mcp-tool-add"), "the second tool").toBeTruthy();
    const followed = screen.getByTestId("mcp-revision-2025-06-18");
    expect(followed.dataset.followed, "the negotiated revision is marked").toBe("true");
    expect(within(followed).getByTestId("mcp-revision-followed").textContent).toContain("followed");
    expect(screen.getByTestId("mcp-revision-2025-11-25").dataset.followed, "the others are not").toBe("false");
    const order = [...screen.getByTestId("mcp-revisions").querySelectorAll<HTMLElement>(":scope > li")].map((li) => li.dataset.testid);
    expect(order, "the followed revision first, then the others in order").toEqual(["mcp-revision-2025-06-18", "mcp-revision-2025-03-26", "mcp-revision-2025-11-25"]);
    expect(within(followed).getByTestId("mcp-passed").textContent, "what it does right, with the section").toContain("§Authorization Server Discovery");
    expect(within(followed).getByTestId("finding-invalid_token_accepted").textContent, "what it misses, with the section").toContain("§Error Handling");
    const failedStep = screen.getAllByTestId("mcp-step").find((s) => s.dataset.name === "invalid token");
    expect(failedStep?.dataset.ok, "a failed check stands out among the steps").toBe("false");
    expect(screen.getByTestId("mcp-connect").hasAttribute("disabled"), "ready for another run").toBe(false);
  });

  it("says a stored grant was used and a broken MUST in words", async () => {
    const flow = controlledFlow();
    render(<Harness />);
    type("mcp-url", URL);
    fireEvent.click(screen.getByTestId("mcp-connect"));
    await flow.resolve(report({ outcome: "must_broken", logged_in: false, client_made: null }));
    expect(screen.getByTestId("mcp-outcome").textContent, "the MUSTs broken of the followed revision").toContain("broke 1 MUST of MCP 2025-06-18, the revision it follows");
    expect(screen.getByTestId("mcp-client-used").textContent, "no browser the second time").toContain("already in OAuth Desk; its stored grant was used (no browser)");
  });

  it("shows a failed flow's reason and no tools", async () => {
    const flow = controlledFlow();
    render(<Harness />);
    type("mcp-url", "http://127.0.0.1:4100/bad-mcp");
    fireEvent.click(screen.getByTestId("mcp-connect"));
    await flow.resolve(report({ outcome: "failed", error: "the metadata names another resource (RFC 9728 §3.3)", tools: [], session: null }));
    expect(screen.getByTestId("mcp-outcome").textContent, "the reason in words").toContain("The flow failed: the metadata names another resource (RFC 9728 §3.3)");
    expect(screen.queryByTestId("mcp-tools"), "a failed flow lists no tools").toBeNull();
  });

  it("cancels through the shared cancel, and reads a cancel neutrally", async () => {
    const flow = controlledFlow();
    render(<Harness />);
    type("mcp-url", URL);
    fireEvent.click(screen.getByTestId("mcp-connect"));
    fireEvent.click(screen.getByTestId("mcp-cancel"));
    expect(m.cancelLogin, "the one flow slot on the Rust side is cancelled").toHaveBeenCalled();
    await flow.reject(ipcError({ code: "cancelled", message: "Cancelled; the listener is closed." }));
    expect(screen.getByTestId("mcp-error").dataset.code, "not shown as a failure").toBe("cancelled");
    expect(screen.queryByTestId("mcp-cancel"), "nothing left to cancel").toBeNull();
  });
});

describe("form", () => {
  it("refuses what is not an http(s) URL without starting", () => {
    render(<Harness />);
    type("mcp-url", "mcp.example.com");
    fireEvent.click(screen.getByTestId("mcp-connect"));
    expect(screen.getByTestId("mcp-form-error").textContent, "the expected form in words").toContain("https://mcp.example.com/mcp");
    expect(m.mcpFlow, "nothing started").not.toHaveBeenCalled();
  });

  it("waits while a login runs on Authorize", () => {
    render(<Harness loginRunning />);
    expect(screen.getByTestId("mcp-connect").hasAttribute("disabled"), "one flow at a time on the Rust side").toBe(true);
    expect(screen.getByTestId("mcp-login-running").textContent, "and says why").toContain("A login is running");
  });

  it("passes the chosen client and metadata document URL", async () => {
    m.listClients.mockResolvedValue([client({ name: "mine" })]);
    m.mcpFlow.mockReturnValue(new Promise(() => undefined));
    render(<Harness />);
    await screen.findAllByRole("option", { name: "mine" });
    type("mcp-url", URL);
    type("mcp-client", "mine");
    type("mcp-cimd", " https://app.example/client.json ");
    fireEvent.click(screen.getByTestId("mcp-connect"));
    expect(m.mcpFlow.mock.calls[0][1], "the client and the trimmed document URL").toMatchObject({ client: "mine", client_id_metadata_url: "https://app.example/client.json", probe_audience: null });
  });
});

import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { FlowEvent, FlowTranscript, GrantView, LoginResult } from "../api";
import { forgetAuthorizeChoice } from "../lib/authorizeChoice";
import { useLoginFlow } from "../lib/useLoginFlow";
import { NOW, client, grant, ipcError, meta, setupApi } from "../test/setup";
import AuthorizeScreen from "./AuthorizeScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

/** A login whose events and outcome the test drives; like the Rust side, it first sends `started`. */
function controlledLogin(flowId = "f-1") {
  let emit: (e: FlowEvent) => void = () => undefined;
  let resolve: (r: LoginResult) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  m.login.mockImplementation((_client, _request, onEvent) => {
    emit = onEvent;
    onEvent({ kind: "started", flow_id: flowId });
    return new Promise<LoginResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  });
  return {
    emit: (e: FlowEvent) => act(() => emit(e)),
    resolve: (g: GrantView) => act(async () => resolve({ flow_id: flowId, grant: g })),
    reject: (e: unknown) => act(async () => reject(e)),
  };
}

/** A saved transcript with one token exchange, told apart by its step. */
function transcriptOf(flowId: string, step: string): FlowTranscript {
  return {
    flow_id: flowId,
    operation: "login",
    grant_id: null,
    at: NOW,
    exchanges: [
      {
        step,
        started_at_ms: NOW * 1000,
        duration_ms: 42,
        request: { method: "POST", url: "https://as.example/token", headers: [], body: null },
        response: { status: 200, headers: [], body: "{}" },
        note: null,
      },
    ],
  };
}

function Harness({ onOpenGrant = () => undefined }: { onOpenGrant?: (id: string) => void }) {
  const flow = useLoginFlow();
  return <AuthorizeScreen flow={flow} initialClient={null} onOpenGrant={onOpenGrant} onGoToClients={() => undefined} />;
}

const T0 = new Date(NOW * 1000);

beforeEach(() => {
  forgetAuthorizeChoice();
  m.listClients.mockResolvedValue([
    client({ name: "web", scopes: "openid profile", metadata: meta({ scopes_supported: ["openid", "profile", "email", "offline_access"] }) }),
    client({ name: "cli", scopes: "api", metadata: null }),
  ]);
});

async function ready() {
  render(<Harness />);
  await screen.findByTestId("scope-chip-openid");
}

describe("authorize form", () => {
  it("starts with the client's default scopes as chips and offers the server's scopes", async () => {
    await ready();
    expect(screen.getByTestId("scope-chip-profile"), "default scopes become chips").toBeTruthy();
    fireEvent.click(screen.getByTestId("scope-suggestion-email"));
    expect(screen.getByTestId("scope-chip-email"), "a suggestion from scopes_supported becomes a chip").toBeTruthy();

    const input = screen.getByTestId("scope-input");
    fireEvent.change(input, { target: { value: "api:write" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(screen.getByTestId("scope-chip-api:write"), "free entry adds a chip on Enter").toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Remove scope profile" }));
    expect(screen.queryByTestId("scope-chip-profile"), "a chip can be removed").toBeNull();

    m.login.mockReturnValue(new Promise(() => undefined));
    fireEvent.click(screen.getByTestId("authorize-start"));
    expect(m.login, "Start starts the flow").toHaveBeenCalled();
    const [name, request] = m.login.mock.calls[0];
    expect(name, "with the chosen client").toBe("web");
    expect(request.scope, "the chips are the requested scope").toBe("openid email api:write");
    expect(request.grant, "and the default grant").toBe("authorization_code");
  });

  it("switching client resets the chips to its defaults", async () => {
    await ready();
    fireEvent.change(screen.getByTestId("authorize-client"), { target: { value: "cli" } });
    expect(screen.getByTestId("scope-chip-api"), "the other client's default scope").toBeTruthy();
    expect(screen.queryByTestId("scope-chip-openid"), "the other client's chips are gone").toBeNull();
  });

  it("marks legacy grants with the reason and asks for a password for the password grant", async () => {
    await ready();
    fireEvent.change(screen.getByTestId("authorize-grant"), { target: { value: "implicit" } });
    expect(screen.getByTestId("grant-legacy-note").textContent, "implicit says why it is legacy").toMatch(/exposes tokens in the browser.*RFC 9700/);
    fireEvent.change(screen.getByTestId("authorize-grant"), { target: { value: "password" } });
    expect(screen.getByTestId("grant-legacy-note").textContent, "password says why it is legacy").toMatch(/hands the user's password to the client/);
    const option = screen.getByRole("option", { name: /Password/ });
    expect(option.textContent, "the option itself is labelled legacy").toMatch(/legacy/);

    fireEvent.click(screen.getByTestId("authorize-start"));
    expect(screen.getByTestId("authorize-form-error").textContent, "username and password are required").toMatch(/username and password/);
    expect(m.login, "no flow starts without them").not.toHaveBeenCalled();

    m.login.mockReturnValue(new Promise(() => undefined));
    fireEvent.change(screen.getByTestId("authorize-username"), { target: { value: "alice" } });
    fireEvent.change(screen.getByTestId("authorize-password"), { target: { value: "pw" } });
    fireEvent.click(screen.getByTestId("authorize-start"));
    const request = m.login.mock.calls[0][1];
    expect([request.grant, request.username, request.password], "the password grant sends the typed credentials").toEqual(["password", "alice", "pw"]);
  });

  it("sends resource indicators (RFC 8707) as repeated resource parameters and refuses relative ones", async () => {
    await ready();
    fireEvent.change(screen.getByTestId("authorize-resource"), { target: { value: "api/v1" } });
    fireEvent.click(screen.getByTestId("authorize-start"));
    expect(screen.getByTestId("authorize-form-error").textContent, "a relative resource is refused with the rule").toMatch(/not an absolute URI.*RFC 8707/);
    expect(m.login, "and no flow starts").not.toHaveBeenCalled();
    m.login.mockReturnValue(new Promise(() => undefined));
    fireEvent.change(screen.getByTestId("authorize-resource"), { target: { value: " https://api.example/a  urn:example:b " } });
    fireEvent.click(screen.getByTestId("authorize-start"));
    const request = m.login.mock.calls[0][1];
    expect(request.extra_params, "one resource parameter per URI, trimmed").toEqual([
      ["resource", "https://api.example/a"],
      ["resource", "urn:example:b"],
    ]);
  });
});

describe("flow timeline", () => {
  it("renders the code flow's events in order, with the authorization URL's parameters as a table", async () => {
    const flow = controlledLogin();
    await ready();
    fireEvent.click(screen.getByTestId("authorize-start"));
    expect(screen.getByTestId("authorize-cancel"), "a running flow can be cancelled").toBeTruthy();

    flow.emit({ kind: "authorization_url", url: "https://as.example/authorize?response_type=code&client_id=web-client&scope=openid+profile&code_challenge_method=S256", opened: true });
    flow.emit({ kind: "waiting_for_callback", redirect_uri: "http://127.0.0.1:53121/callback", timeout_secs: 300 });

    const params = screen.getByTestId("authorization-params");
    expect(within(params).getByTestId("param-client_id").textContent, "each query parameter is a row").toContain("web-client");
    expect(within(params).getByTestId("param-scope").textContent, "values are decoded").toContain("openid profile");
    expect(screen.getByTestId("timeline").textContent, "the wait says where and for how long").toContain(
      "Waiting for the callback on http://127.0.0.1:53121/callback (gives up in 5 min).",
    );
    expect(screen.getByTestId("callback-wait"), "a spinner with elapsed time shows while waiting").toBeTruthy();

    flow.emit({ kind: "callback_received", iss_checked: true });
    expect(screen.queryByTestId("callback-wait"), "the spinner stops when the callback arrives").toBeNull();
    const tokenExchange = {
      step: "token request (authorization_code)",
      started_at_ms: T0.getTime(),
      duration_ms: 42,
      request: { method: "POST", url: "https://as.example/token", headers: [["authorization", "Basic [redacted]"]] as [string, string][], body: "grant_type=authorization_code&code=[redacted]" },
      response: { status: 200, headers: [["content-type", "application/json"]] as [string, string][], body: '{"access_token":"[redacted]"}' },
      note: null,
    };
    flow.emit({ kind: "exchange", exchange: tokenExchange });
    flow.emit({ kind: "token_received", grant_id: "g-42" });

    const kinds = screen.getAllByTestId("timeline-event").map((e) => e.getAttribute("data-kind"));
    expect(kinds, "events appear in arrival order").toEqual(["authorization_url", "waiting_for_callback", "callback_received", "exchange", "token_received"]);

    await flow.resolve(grant({ id: "g-42", scopes_granted: "openid" }));

    const success = screen.getByTestId("flow-success");
    expect(success.textContent, "the grant summary shows the granted scopes").toContain("Scopes granted: openid");
    expect(success.textContent, "and the expiry in words").toMatch(/expires in \d+ min/);
    expect(screen.queryByTestId("authorize-cancel"), "cancel is gone once the flow ended").toBeNull();

    const exchange = screen.getByTestId("timeline").querySelector("[data-kind=exchange]") as HTMLElement;
    expect(exchange.textContent, "each exchange names its step").toContain("token request (authorization_code)");
    expect(exchange.textContent, "request body, redacted, is in the expandable part").toContain("code=[redacted]");
    fireEvent.click(within(exchange).getByTestId("copy-curl"));
    await waitFor(() => expect(m.copyCurl, "curl is copied from Rust, from the recorded request").toHaveBeenCalledWith(tokenExchange.request));
    expect(screen.queryByTestId("transcript"), "the exchanges are not shown a second time below the timeline").toBeNull();
    expect(m.flowTranscript, "the live timeline is the record here; the saved one is for History").not.toHaveBeenCalled();
  });

  it("shows the device code, a QR code, a countdown and the poll status", async () => {
    const flow = controlledLogin();
    await ready();
    fireEvent.change(screen.getByTestId("authorize-grant"), { target: { value: "device_code" } });
    fireEvent.click(screen.getByTestId("authorize-start"));
    expect(m.login.mock.calls[0][1].grant, "the device grant is requested").toBe("device_code");

    flow.emit({
      kind: "device_code",
      user_code: "WDJB-MJHT",
      verification_uri: "https://as.example/device",
      verification_uri_complete: "https://as.example/device?user_code=WDJB-MJHT",
      expires_in: 600,
      opened: false,
    });
    expect(screen.getByTestId("device-user-code").textContent, "the user code is shown").toBe("WDJB-MJHT");
    const qr = screen.getByTestId("device-qr");
    expect(qr.getAttribute("aria-label"), "the QR code encodes the complete verification URI").toContain("user_code=WDJB-MJHT");
    expect(qr.querySelector("path")?.getAttribute("d")?.length ?? 0, "the QR code has modules drawn").toBeGreaterThan(100);
    expect(screen.getByTestId("device-countdown").textContent, "the countdown starts from expires_in").toBe("Code expires in 10:00");

    vi.setSystemTime(new Date(T0.getTime() + 60_000));
    flow.emit({ kind: "device_poll", remaining_secs: 540, next_poll_in_secs: 5, interval_secs: 5, polls: 3, last: "authorization_pending" });
    expect(screen.getByTestId("device-countdown").textContent, "a poll re-syncs the countdown").toBe("Code expires in 9:00");
    expect(screen.getByTestId("device-status").textContent, "the poll status is in words").toMatch(/not approved yet \(3 polls so far\); next poll in 5 s/);

    flow.emit({ kind: "device_poll", remaining_secs: 530, next_poll_in_secs: 10, interval_secs: 10, polls: 4, last: "slow_down" });
    expect(screen.getByTestId("device-status").textContent, "slow_down is explained with the new interval").toMatch(/slow down; polling every 10 s/);
    const kinds = screen.getAllByTestId("timeline-event").map((e) => e.getAttribute("data-kind"));
    expect(kinds, "polls replace each other so the timeline stays short").toEqual(["device_code", "device_poll"]);

    m.openInBrowser.mockResolvedValue(undefined);
    fireEvent.click(screen.getByTestId("device-open"));
    await waitFor(() => expect(m.openInBrowser, "the complete verification URI opens").toHaveBeenCalledWith("https://as.example/device?user_code=WDJB-MJHT"));

    await flow.resolve(grant({ id: "g-tv", grant_type: "device_code" }));
    expect(screen.queryByTestId("device-user-code"), "the device panel is gone once the flow succeeded").toBeNull();
    expect(screen.queryByTestId("device-status"), "no status is left behind").toBeNull();
    expect(document.body.textContent, "no leftover 'Polling has stopped'").not.toContain("Polling has stopped");
    expect(screen.getByTestId("polling-row").textContent, "the polling row collapsed to its result").toMatch(/^Polled the token endpoint: 4 polls/);
  });

  it("drops the device panel when the user denies", async () => {
    const flow = controlledLogin();
    await ready();
    fireEvent.change(screen.getByTestId("authorize-grant"), { target: { value: "device_code" } });
    fireEvent.click(screen.getByTestId("authorize-start"));
    flow.emit({ kind: "device_code", user_code: "WDJB-MJHT", verification_uri: "https://as.example/device", verification_uri_complete: null, expires_in: 600, opened: false });
    expect(screen.getByTestId("device-user-code"), "the panel shows while polling").toBeTruthy();
    await flow.reject(ipcError({ code: "oauth", message: "The server answered access_denied" }));
    expect(screen.queryByTestId("device-user-code"), "the panel is gone after a denial").toBeNull();
    expect(screen.getByTestId("flow-error").textContent, "the denial is the result shown").toContain("access_denied");
  });

  it("shows the server's error code, description and hint when the flow fails", async () => {
    const flow = controlledLogin();
    await ready();
    fireEvent.click(screen.getByTestId("authorize-start"));
    await flow.reject(
      ipcError({
        code: "oauth",
        message: "The server answered access_denied: The resource owner denied the request",
        hint: "The user declined consent, or a policy refused it. Try again and approve.",
        oauth: { error: "access_denied", error_description: "The resource owner denied the request", error_uri: "https://as.example/errors#denied", status: null },
      }),
    );
    const box = screen.getByTestId("flow-error");
    expect(within(box).getByTestId("oauth-error-code").textContent, "the OAuth error code").toBe("access_denied");
    expect(within(box).getByTestId("oauth-error-description").textContent, "the description").toBe("The resource owner denied the request");
    expect(within(box).getByTestId("oauth-error-uri").textContent, "the error_uri as text").toBe("https://as.example/errors#denied");
    expect(within(box).getByTestId("error-hint").textContent, "the hint in plain words").toContain("declined consent");
    expect(box.getAttribute("role"), "a failure is announced").toBe("alert");
  });

  it("cancel stops the flow and reads neutrally", async () => {
    const flow = controlledLogin();
    await ready();
    fireEvent.click(screen.getByTestId("authorize-start"));
    fireEvent.click(screen.getByTestId("authorize-cancel"));
    await waitFor(() => expect(m.cancelLogin, "Cancel asks Rust to stop the flow").toHaveBeenCalled());
    await flow.reject(ipcError({ code: "cancelled", message: "Cancelled; the listener is closed and nothing was stored." }));
    const box = screen.getByTestId("flow-error");
    expect(box.getAttribute("data-code"), "the outcome is a cancel").toBe("cancelled");
    expect(box.getAttribute("role"), "a cancel is a status, not an alert").toBe("status");
    expect(box.textContent, "in the backend's words").toContain("nothing was stored");
  });

  it("opens the new grant in Tokens", async () => {
    const flow = controlledLogin();
    const open = vi.fn();
    render(<Harness onOpenGrant={open} />);
    await screen.findByTestId("scope-chip-openid");
    fireEvent.click(screen.getByTestId("authorize-start"));
    await flow.resolve(grant({ id: "g-77" }));
    fireEvent.click(screen.getByTestId("flow-open-tokens"));
    expect(open, "the button opens the grant the flow obtained").toHaveBeenCalledWith("g-77");
  });
});

describe("the flow's exchanges", () => {
  type Flow = ReturnType<typeof controlledLogin>;

  it.each<[string, (flow: Flow) => Promise<void>]>([
    ["succeeded", (flow) => flow.resolve(grant({ id: "g-own" }))],
    ["failed", (flow) => flow.reject(ipcError({ code: "oauth", message: "The server answered access_denied" }))],
    ["was cancelled", (flow) => flow.reject(ipcError({ code: "cancelled", message: "Cancelled; nothing was stored." }))],
  ])("are the ones that arrived live, each once, after it %s", async (_, end) => {
    const own = transcriptOf("f-own", "token request (this flow)").exchanges[0];
    m.transcripts.mockResolvedValue([transcriptOf("f-newer", "token request (a later flow)")]);
    const flow = controlledLogin("f-own");
    await ready();
    fireEvent.click(screen.getByTestId("authorize-start"));
    flow.emit({ kind: "exchange", exchange: own });
    await end(flow);
    const steps = screen.getAllByTestId(/^exchange-/).map((e) => e.dataset.step);
    expect(steps, "this flow's exchange, once").toEqual(["token request (this flow)"]);
    expect(screen.queryByTestId("transcript"), "no second copy of the exchanges below the timeline").toBeNull();
    expect(m.transcripts, "the client's newest transcripts are not asked for").not.toHaveBeenCalled();
    const kinds = screen.queryAllByTestId("timeline-event").map((e) => e.dataset.kind);
    expect(kinds, "started only names the flow: it is not a timeline entry").not.toContain("started");
  });

  it("is not looked for when the flow never started (no id)", async () => {
    m.login.mockRejectedValue(ipcError({ code: "invalid_input", message: "no client named web" }));
    await ready();
    fireEvent.click(screen.getByTestId("authorize-start"));
    await screen.findByTestId("flow-error");
    expect(m.flowTranscript, "without a started event there is no transcript of this flow").not.toHaveBeenCalled();
    expect(m.transcripts, "and no other flow's is shown instead").not.toHaveBeenCalled();
    expect(screen.queryByTestId("transcript"), "no exchanges are shown").toBeNull();
  });
});

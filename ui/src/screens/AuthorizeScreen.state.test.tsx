// Authorize keeps one truth per client: the menu offers what the chosen client may run, a flow's
// outcome stays with its own client, the choice survives leaving the screen, and each milestone
// of a flow is scrolled into view.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import type { FlowEvent, LoginResult } from "../api";
import { forgetAuthorizeChoice } from "../lib/authorizeChoice";
import { useLoginFlow } from "../lib/useLoginFlow";
import { NOW, client, grant, ipcError, setupApi } from "../test/setup";
import AuthorizeScreen from "./AuthorizeScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

function controlledLogin() {
  let emit: (e: FlowEvent) => void = () => undefined;
  let resolve: (r: LoginResult) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  m.login.mockImplementation((_client, _request, onEvent) => {
    emit = onEvent;
    onEvent({ kind: "started", flow_id: "f-1" });
    return new Promise<LoginResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  });
  return {
    emit: (e: FlowEvent) => act(() => emit(e)),
    resolve: () => act(async () => resolve({ flow_id: "f-1", grant: grant({ id: "g-1", client: "web" }) })),
    reject: (e: unknown) => act(async () => reject(e)),
  };
}

/** Like App: the flow and the chosen client live above the screen, which can be left and revisited. */
function Harness() {
  const flow = useLoginFlow();
  const [client, setClient] = useState<string | null>(null);
  const [shown, setShown] = useState(true);
  return (
    <>
      <button type="button" data-testid="toggle-screen" onClick={() => setShown((s) => !s)}>
        toggle
      </button>
      {shown && <AuthorizeScreen flow={flow} initialClient={client} onChooseClient={setClient} onOpenGrant={() => undefined} onGoToClients={() => undefined} />}
    </>
  );
}

beforeEach(() => {
  forgetAuthorizeChoice();
  m.listClients.mockResolvedValue([
    client({ name: "web", scopes: "openid profile" }),
    // Like the Sandbox: a public client (no secret), at a server that lists no password grant.
    client({ name: "Sandbox", scopes: "openid email", has_secret: false, auth_method: "none" }),
    client({ name: "bare", scopes: "api", metadata: null, endpoints: { ...client().endpoints, device_authorization: null } }),
  ]);
});

async function ready() {
  render(<Harness />);
  await screen.findByTestId("scope-chip-openid");
}

const option = (value: string) => screen.getByTestId("authorize-grant").querySelector(`option[value="${value}"]`) as HTMLOptionElement;

describe("grant menu", () => {
  it("disables the grants the chosen client cannot run and says why", async () => {
    await ready();
    expect(option("client_credentials").disabled, "web has a secret: client credentials is offered").toBe(false);
    expect(option("password").disabled, "the server does not list password: not offered").toBe(true);
    expect(option("password").title, "the reason is on the option").toBe("not in the server's grant_types_supported");

    fireEvent.change(screen.getByTestId("authorize-client"), { target: { value: "Sandbox" } });
    expect(option("device_code").disabled, "the Sandbox can run the device flow").toBe(false);
    expect(option("client_credentials").disabled, "a public client cannot run client credentials").toBe(true);
    expect(screen.getByTestId("grant-unavailable").textContent, "the reasons are in words under the menu").toContain(
      "Client credentials (no user) (needs a confidential client (this one has no secret))",
    );

    fireEvent.change(screen.getByTestId("authorize-client"), { target: { value: "bare" } });
    expect(option("device_code").disabled, "no device endpoint: no device flow").toBe(true);
    expect(option("password").disabled, "without server metadata nothing is ruled out by it").toBe(false);
  });

  it("moves off a grant the newly chosen client cannot run", async () => {
    await ready();
    fireEvent.change(screen.getByTestId("authorize-grant"), { target: { value: "client_credentials" } });
    fireEvent.change(screen.getByTestId("authorize-client"), { target: { value: "Sandbox" } });
    expect((screen.getByTestId("authorize-grant") as HTMLSelectElement).value, "the Sandbox gets a grant it can run").toBe("authorization_code");
  });
});

describe("a flow belongs to its client", () => {
  it("hides a finished flow's error and timeline under another client, and shows them again under its own", async () => {
    const flow = controlledLogin();
    await ready();
    fireEvent.change(screen.getByTestId("authorize-grant"), { target: { value: "device_code" } });
    fireEvent.click(screen.getByTestId("authorize-start"));
    flow.emit({ kind: "device_code", user_code: "WDJB-MJHT", verification_uri: "https://as.example/device", verification_uri_complete: null, expires_in: 600, opened: false });
    await flow.reject(ipcError({ code: "oauth", message: "The server answered access_denied" }));
    expect(screen.getByTestId("flow-error"), "the error shows under the client it ran for").toBeTruthy();

    fireEvent.change(screen.getByTestId("authorize-client"), { target: { value: "Sandbox" } });
    expect(screen.queryByTestId("flow-error"), "web's error is not shown under the Sandbox").toBeNull();
    expect(screen.queryByTestId("timeline"), "nor web's timeline").toBeNull();
    expect(screen.queryByTestId("device-user-code"), "nor a device panel").toBeNull();

    fireEvent.change(screen.getByTestId("authorize-client"), { target: { value: "web" } });
    expect(screen.getByTestId("flow-error"), "back on web, its outcome is there again").toBeTruthy();
  });

  it("says a flow is running for another client when the user looks at one", async () => {
    controlledLogin();
    await ready();
    fireEvent.click(screen.getByTestId("authorize-start"));
    // The screen is left and opened again on another client (as from the Clients screen).
    fireEvent.click(screen.getByTestId("toggle-screen"));
    forgetAuthorizeChoice();
    render(<AuthorizeScreen flow={runningFlowOf("web")} initialClient="Sandbox" onOpenGrant={() => undefined} onGoToClients={() => undefined} />);
    expect((await screen.findByTestId("authorize-other-flow")).textContent, "the note names the running flow's client").toContain("A flow for “web” is running");
    expect(screen.queryByTestId("timeline"), "its timeline is not shown under the Sandbox").toBeNull();
  });
});

/** A running flow of `client`, for rendering the screen outside the harness. */
function runningFlowOf(client: string) {
  return {
    state: { phase: "running" as const, client, request: null, flowId: "f-1", startedAt: NOW * 1000, events: [], result: null, error: null, cancelError: null },
    start: () => undefined,
    cancel: () => undefined,
    reset: () => undefined,
  };
}

describe("the choice is remembered", () => {
  it("keeps the client, grant, scopes and resource after leaving the screen and coming back", async () => {
    await ready();
    fireEvent.change(screen.getByTestId("authorize-client"), { target: { value: "Sandbox" } });
    fireEvent.change(screen.getByTestId("authorize-grant"), { target: { value: "device_code" } });
    fireEvent.click(screen.getByTestId("scope-suggestion-profile"));
    fireEvent.change(screen.getByTestId("authorize-resource"), { target: { value: "https://api.example" } });

    fireEvent.click(screen.getByTestId("toggle-screen"));
    expect(screen.queryByTestId("authorize-client"), "the screen was left").toBeNull();
    fireEvent.click(screen.getByTestId("toggle-screen"));
    await screen.findByTestId("scope-chip-openid");

    expect((screen.getByTestId("authorize-client") as HTMLSelectElement).value, "the chosen client is back").toBe("Sandbox");
    expect((screen.getByTestId("authorize-grant") as HTMLSelectElement).value, "the chosen grant is back").toBe("device_code");
    expect(screen.getByTestId("scope-chip-profile"), "the added scope is back").toBeTruthy();
    expect((screen.getByTestId("authorize-resource") as HTMLInputElement).value, "the resource is back").toBe("https://api.example");
  });
});

describe("results come into view", () => {
  it("scrolls the progress, the device panel and the outcome into view as each appears", async () => {
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
    try {
      const flow = controlledLogin();
      await ready();
      fireEvent.change(screen.getByTestId("authorize-grant"), { target: { value: "device_code" } });
      fireEvent.click(screen.getByTestId("authorize-start"));
      expect(scrolled, "the started flow's progress is brought into view").toHaveBeenCalledTimes(1);
      flow.emit({ kind: "device_code", user_code: "WDJB-MJHT", verification_uri: "https://as.example/device", verification_uri_complete: null, expires_in: 600, opened: false });
      expect(scrolled, "the device panel is brought into view").toHaveBeenCalledTimes(2);
      flow.emit({ kind: "device_poll", remaining_secs: 590, next_poll_in_secs: 5, interval_secs: 5, polls: 1, last: "authorization_pending" });
      expect(scrolled, "a poll does not scroll again (nothing jumps while polling)").toHaveBeenCalledTimes(2);
      await flow.resolve();
      expect(scrolled, "the outcome is brought into view").toHaveBeenCalledTimes(3);
      expect(screen.getByTestId("flow-success"), "the outcome is shown").toBeTruthy();
    } finally {
      delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
    }
  });
});

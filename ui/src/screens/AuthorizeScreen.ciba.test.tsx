import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { FlowEvent, GrantView, LoginResult } from "../api";
import { forgetAuthorizeChoice } from "../lib/authorizeChoice";
import { useLoginFlow } from "../lib/useLoginFlow";
import { NOW, client, grant, meta, setupApi } from "../test/setup";
import AuthorizeScreen from "./AuthorizeScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

function controlledLogin() {
  let emit: (e: FlowEvent) => void = () => undefined;
  let resolve: (r: LoginResult) => void = () => undefined;
  m.login.mockImplementation((_client, _request, onEvent) => {
    emit = onEvent;
    onEvent({ kind: "started", flow_id: "f-1" });
    return new Promise<LoginResult>((res) => {
      resolve = res;
    });
  });
  return {
    emit: (e: FlowEvent) => act(() => emit(e)),
    resolve: (g: GrantView) => act(async () => resolve({ flow_id: "f-1", grant: g })),
  };
}

function Harness() {
  const flow = useLoginFlow();
  return <AuthorizeScreen flow={flow} initialClient={null} onOpenGrant={() => undefined} onGoToClients={() => undefined} />;
}

beforeEach(() => {
  forgetAuthorizeChoice();
  m.cibaSettings.mockResolvedValue({ delivery_mode: "poll", notification_endpoint: null, has_tls_certificate: false });
  m.listClients.mockResolvedValue([
    client({ name: "bank", scopes: "openid", metadata: meta({ backchannel_authentication_endpoint: "https://as.example/backchannel" }) }),
    client({ name: "plain", scopes: "openid", metadata: meta({}) }),
  ]);
});

describe("Authorize: CIBA and the JWT bearer grant", () => {
  it("sends the CIBA options and shows the panel while the request waits", async () => {
    render(<Harness />);
    await screen.findByTestId("scope-chip-openid");
    fireEvent.change(screen.getByTestId("authorize-grant"), { target: { value: "ciba" } });
    fireEvent.click(screen.getByTestId("authorize-start"));
    expect(screen.getByTestId("authorize-form-error").textContent, "a login hint is asked for before anything is sent").toContain("login hint");
    expect(m.login, "nothing was sent without a hint").not.toHaveBeenCalled();

    const login = controlledLogin();
    fireEvent.change(screen.getByLabelText("Login hint"), { target: { value: "alice" } });
    fireEvent.change(screen.getByLabelText("Binding message"), { target: { value: "W4SCT" } });
    fireEvent.click(screen.getByTestId("authorize-start"));
    expect(m.login.mock.calls[0]?.[1].high_assurance, "the CIBA options go with the login request").toMatchObject({ login_hint: "alice", binding_message: "W4SCT", ciba_mode: null });
    expect(m.login.mock.calls[0]?.[1].grant, "the grant is CIBA").toBe("ciba");

    login.emit({ kind: "ciba_requested", login_hint: "alice", binding_message: "W4SCT", mode: "poll", expires_in: 120, interval_secs: 5, notification_endpoint: null });
    login.emit({ kind: "ciba_wait", mode: "poll", remaining_secs: 118, next_poll_in_secs: 3, interval_secs: 5, polls: 0, last: "waiting" });
    expect(screen.getByTestId("ciba-binding-message").textContent, "the panel shows the binding message").toBe("W4SCT");
    login.emit({ kind: "ciba_wait", mode: "poll", remaining_secs: 113, next_poll_in_secs: 5, interval_secs: 5, polls: 1, last: "authorization_pending" });
    expect(screen.getAllByTestId("ciba-wait-row"), "the wait is one row, updated in place").toHaveLength(1);
    await login.resolve(grant({ grant_type: "ciba", client: "bank" }));
    await waitFor(() => expect(screen.queryByTestId("ciba-panel"), "the panel is gone once the flow ended").toBeNull());
  });

  it("offers CIBA only where the server has a backchannel endpoint", async () => {
    render(<Harness />);
    await screen.findByTestId("scope-chip-openid");
    fireEvent.change(screen.getByTestId("authorize-client"), { target: { value: "plain" } });
    const option = [...(screen.getByTestId("authorize-grant") as HTMLSelectElement).options].find((o) => o.value === "ciba");
    expect(option?.disabled, "CIBA is unavailable without backchannel_authentication_endpoint").toBe(true);
  });

  it("sends a pasted assertion once and clears it", async () => {
    render(<Harness />);
    await screen.findByTestId("scope-chip-openid");
    controlledLogin();
    fireEvent.change(screen.getByTestId("authorize-grant"), { target: { value: "jwt_bearer" } });
    fireEvent.change(screen.getByTestId("jwt-bearer-assertion"), { target: { value: "h.p.s" } });
    fireEvent.click(screen.getByTestId("authorize-start"));
    expect(m.login.mock.calls[0]?.[1].high_assurance?.assertion, "the assertion goes with the request").toBe("h.p.s");
    expect((screen.getByTestId("jwt-bearer-assertion") as HTMLTextAreaElement).value, "the assertion is not kept in the form").toBe("");
  });
});

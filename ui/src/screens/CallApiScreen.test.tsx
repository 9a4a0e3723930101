import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ApiResponse, CallChallenge, FlowEvent, SteppedUp, StepUpPlan } from "../api";
import { grant, ipcError, setupApi } from "../test/setup";
import CallApiScreen from "./CallApiScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();

beforeEach(() => {
  m.listGrants.mockResolvedValue([grant({ id: "g-old", status: "revoked" }), grant({ id: "g-live", client: "web" })]);
});

async function ready() {
  render(<CallApiScreen />);
  await waitFor(() => expect((screen.getByTestId("api-grant") as HTMLSelectElement).value, "the first usable grant is chosen").toBe("g-live"));
}

describe("call api", () => {
  it("offers only active grants and says the token is added by Rust", async () => {
    await ready();
    const options = [...(screen.getByTestId("api-grant") as HTMLSelectElement).options].map((o) => o.value);
    expect(options, "revoked grants cannot call an API").toEqual(["g-live"]);
    expect(screen.getByTestId("api-auth-note").textContent, "the page says where the token comes from").toContain("Authorization: Bearer … is added from the keychain");
  });

  it("sends the request and shows status, headers, pretty body and duration", async () => {
    m.callApi.mockResolvedValue({
      grant_id: "g-live",
      status: 201,
      headers: [["content-type", "application/json"]],
      body: '{"id":7}',
      pretty_json: '{\n  "id": 7\n}',
      duration_ms: 87,
      challenge: null,
      step_up: null,
    });
    await ready();
    fireEvent.change(screen.getByTestId("api-method"), { target: { value: "POST" } });
    fireEvent.change(screen.getByTestId("api-url"), { target: { value: "https://api.example/items" } });
    fireEvent.click(screen.getByRole("button", { name: "Add header" }));
    fireEvent.change(screen.getByLabelText("Header 1 name"), { target: { value: "Content-Type" } });
    fireEvent.change(screen.getByLabelText("Header 1 value"), { target: { value: "application/json" } });
    fireEvent.change(screen.getByTestId("api-body-input"), { target: { value: '{"name":"x"}' } });
    fireEvent.click(screen.getByTestId("api-send"));

    await waitFor(() => expect(m.callApi, "Send calls the API through Rust").toHaveBeenCalled());
    expect(m.callApi.mock.calls[0], "with the chosen grant and the request as typed").toEqual(["g-live", { method: "POST", url: "https://api.example/items", headers: [["Content-Type", "application/json"]], body: '{"name":"x"}' }]);
    expect((await screen.findByTestId("api-status")).textContent, "the status is shown").toBe("201");
    expect(screen.getByTestId("api-body").textContent, "the JSON body is pretty-printed").toBe('{\n  "id": 7\n}');
    expect(screen.getByTestId("api-duration").textContent, "how long it took").toBe("87 ms");
    expect(screen.getByTestId("api-response-headers").textContent, "and the response headers").toContain("content-type");
  });

  it("shows the raw body when it is not JSON, and errors in words", async () => {
    m.callApi.mockResolvedValueOnce({ grant_id: "g-live", status: 500, headers: [], body: "upstream down", pretty_json: null, duration_ms: 3, challenge: null, step_up: null });
    await ready();
    fireEvent.change(screen.getByTestId("api-url"), { target: { value: "https://api.example/x" } });
    fireEvent.click(screen.getByTestId("api-send"));
    expect((await screen.findByTestId("api-body")).textContent, "a non-JSON body is shown as it came").toBe("upstream down");

    m.callApi.mockRejectedValueOnce(ipcError({ code: "needs_login", message: "the refresh token was rejected" }));
    fireEvent.click(screen.getByTestId("api-send"));
    const err = await screen.findByTestId("api-error");
    expect(err.textContent, "the failure in Rust's words").toContain("the refresh token was rejected");
    expect(err.textContent, "needs_login says what to do").toMatch(/Authorize/);
  });

  it("checks the URL and refuses an Authorization header before sending", async () => {
    await ready();
    fireEvent.change(screen.getByTestId("api-url"), { target: { value: "api.example/x" } });
    fireEvent.click(screen.getByTestId("api-send"));
    expect(screen.getByTestId("api-problem").textContent, "a URL without a scheme is refused").toMatch(/not a URL/);
    fireEvent.change(screen.getByTestId("api-url"), { target: { value: "https://api.example/x" } });
    fireEvent.click(screen.getByRole("button", { name: "Add header" }));
    fireEvent.change(screen.getByLabelText("Header 1 name"), { target: { value: "authorization" } });
    fireEvent.click(screen.getByTestId("api-send"));
    expect(screen.getByTestId("api-problem").textContent, "an Authorization header is refused").toMatch(/Leave out Authorization/);
    expect(m.callApi, "nothing was sent").not.toHaveBeenCalled();
  });

  it("saves requests per client and loads them back", async () => {
    m.savedRequests.mockResolvedValue([{ id: "r1", name: "me", method: "GET", url: "https://api.example/me", headers: [], body: "" }]);
    m.saveRequest.mockImplementation(async (_c, r) => ({ ...r, id: "r2" }));
    await ready();
    await waitFor(() => expect(m.savedRequests, "the chosen grant's client's saved requests are listed").toHaveBeenCalledWith("web"));
    fireEvent.click(await screen.findByTestId("saved-load-me"));
    expect((screen.getByTestId("api-url") as HTMLInputElement).value, "a saved request fills the form").toBe("https://api.example/me");

    fireEvent.change(screen.getByTestId("api-save-name"), { target: { value: "list items" } });
    fireEvent.change(screen.getByTestId("api-url"), { target: { value: "https://api.example/items" } });
    fireEvent.click(screen.getByTestId("api-save"));
    await waitFor(() => expect(m.saveRequest, "Save saves").toHaveBeenCalled());
    expect(m.saveRequest.mock.calls[0], "a new name adds a request (empty id) for the grant's client").toEqual(["web", { id: "", name: "list items", method: "GET", url: "https://api.example/items", headers: [], body: "" }]);
    await waitFor(() => expect(m.savedRequests, "the list reloads after saving").toHaveBeenCalledTimes(2));
  });

  it("explains a refusal and re-authorizes once, selecting the new grant", async () => {
    const challenge: CallChallenge = {
      kind: "insufficient_scope",
      scheme: "Bearer",
      error: "insufficient_scope",
      error_description: "Insufficient scope",
      summary: "The token lacks the scope api:write that this API requires (insufficient_scope, RFC 6750 §3.1).",
      details: ["The API's own words: Insufficient scope\u001b]0;x\u0007", "The challenge asks for api:read api:write; the grant was granted api:read."],
      required_scopes: ["api:read", "api:write"],
      missing_scopes: ["api:write"],
      acr_values: [],
      max_age: null,
      token: null,
      resource_metadata: "http://127.0.0.1:1/.well-known/oauth-protected-resource/api",
      api_resource: null,
      problems: [],
    };
    const plan: StepUpPlan = {
      grant_id: "g-live",
      client: "web",
      grant_type: "authorization_code",
      scope: "openid api:read api:write",
      added_scopes: ["api:write"],
      acr_values: [],
      max_age: null,
      prompt_login: false,
      resource: "http://127.0.0.1:1/api",
      reason: "A new login asking also for api:write would satisfy it.",
      notes: [],
    };
    const refused: ApiResponse = { grant_id: "g-live", status: 403, headers: [], body: "", pretty_json: null, duration_ms: 2, challenge, step_up: plan };
    m.callApi.mockResolvedValue(refused);
    let finish: (v: SteppedUp) => void = () => {};
    let progress: (e: FlowEvent) => void = () => {};
    m.stepUpAndRetry.mockImplementation((_p, _r, onEvent) => {
      progress = onEvent;
      return new Promise((resolve) => {
        finish = resolve;
      });
    });
    await ready();
    fireEvent.change(screen.getByTestId("api-url"), { target: { value: "http://127.0.0.1:1/api/admin" } });
    fireEvent.click(screen.getByTestId("api-send"));
    const summary = await screen.findByTestId("api-challenge-summary");
    expect(summary.textContent, "the explanation is shown with the response").toContain("lacks the scope api:write");
    const details = screen.getByTestId("api-challenge-details").textContent ?? "";
    expect(details.includes("\u001b") || details.includes("\u0007"), "server text in the details cannot drive the terminal-like display: no raw ESC/BEL").toBe(false);
    expect(details, "the escapes are shown instead").toContain("\\u{1b}]0;x\\u{7}");
    expect(screen.getByTestId("api-step-up-asks").textContent, "the button says what the new login asks for").toContain("scope “openid api:read api:write”, resource http://127.0.0.1:1/api");

    fireEvent.click(screen.getByTestId("api-step-up"));
    await waitFor(() => expect(m.stepUpAndRetry, "the plan and the request as sent go to Rust").toHaveBeenCalled());
    expect(m.stepUpAndRetry.mock.calls[0]?.slice(0, 2), "exactly the refused request is retried").toEqual([plan, { method: "GET", url: "http://127.0.0.1:1/api/admin", headers: [], body: null }]);
    progress({ kind: "waiting_for_callback", redirect_uri: "http://127.0.0.1:2/callback", timeout_secs: 300 });
    expect((await screen.findByTestId("api-step-up-progress")).textContent, "the login's progress is shown").toContain("Waiting for the browser login");
    expect((screen.getByTestId("api-send") as HTMLButtonElement).disabled, "no other send while it runs").toBe(true);

    m.listGrants.mockResolvedValue([grant({ id: "g-live", client: "web" }), grant({ id: "g-new", client: "web" })]);
    finish({ grant: grant({ id: "g-new", client: "web" }) as unknown as SteppedUp["grant"], response: { ...refused, grant_id: "g-new", status: 200, challenge: null, step_up: null, body: "{}" }, notes: [] });
    expect((await screen.findByTestId("api-status")).textContent, "the retry's answer replaces the refusal").toBe("200");
    await screen.findByTestId("api-retried");
    expect(screen.queryByTestId("api-challenge"), "a success has nothing to explain").toBeNull();
    await waitFor(() => expect((screen.getByTestId("api-grant") as HTMLSelectElement).value, "the new grant becomes the chosen one").toBe("g-new"));
  });

  it("offers no second re-authorization after a retry that is refused again", async () => {
    const challenge: CallChallenge = {
      kind: "insufficient_user_authentication",
      scheme: "Bearer",
      error: "insufficient_user_authentication",
      error_description: null,
      summary: "The API wants a stronger or more recent user authentication (insufficient_user_authentication, RFC 9470 §3): acr_values mfa.",
      details: [],
      required_scopes: [],
      missing_scopes: [],
      acr_values: ["mfa"],
      max_age: null,
      token: null,
      resource_metadata: null,
      api_resource: null,
      problems: ["max_age \"soon\" is not a number"],
    };
    const plan: StepUpPlan = { grant_id: "g-live", client: "web", grant_type: "authorization_code", scope: "openid", added_scopes: [], acr_values: ["mfa"], max_age: null, prompt_login: true, resource: null, reason: "", notes: [] };
    const refused: ApiResponse = { grant_id: "g-live", status: 401, headers: [], body: "", pretty_json: null, duration_ms: 2, challenge, step_up: plan };
    m.callApi.mockResolvedValue(refused);
    m.stepUpAndRetry.mockResolvedValue({ grant: grant({ id: "g-new", client: "web" }), response: { ...refused, grant_id: "g-new" }, notes: ["The new tokens say acr basic, not one of the mfa asked for (RFC 9470 §3)."] });
    await ready();
    fireEvent.change(screen.getByTestId("api-url"), { target: { value: "https://api.example/secure" } });
    fireEvent.click(screen.getByTestId("api-send"));
    expect((await screen.findByTestId("api-step-up-asks")).textContent, "acr_values and prompt=login are named").toContain("acr_values mfa, prompt=login");
    expect(screen.getByTestId("api-challenge-problems").textContent, "problems in the challenge are listed").toContain("not a number");
    fireEvent.click(screen.getByTestId("api-step-up"));
    expect((await screen.findByTestId("api-retried")).textContent, "what the new grant lacks is said").toContain("not one of the mfa asked for");
    expect(screen.queryByTestId("api-step-up"), "no second re-authorization for the same call").toBeNull();
    expect(screen.getByTestId("api-step-up-done").textContent, "and why").toContain("does not re-authorize twice");
    expect(m.stepUpAndRetry, "one step-up only").toHaveBeenCalledTimes(1);
  });
});

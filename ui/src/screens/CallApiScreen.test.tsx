import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
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
      status: 201,
      headers: [["content-type", "application/json"]],
      body: '{"id":7}',
      pretty_json: '{\n  "id": 7\n}',
      duration_ms: 87,
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
    m.callApi.mockResolvedValueOnce({ status: 500, headers: [], body: "upstream down", pretty_json: null, duration_ms: 3 });
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
});

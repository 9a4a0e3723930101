// The Clients screen's getting-started guide: shown while the Sandbox is the only client, each
// step's button doing that step (Authorize with the Sandbox, the token, userinfo in Call API).
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { NOW, client, grant, setupApi } from "../test/setup";
import CallApiScreen, { prefillUserinfo } from "../screens/CallApiScreen";
import ClientsScreen from "../screens/ClientsScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

const sandbox = client({
  name: "Sandbox",
  client_id: "native-public",
  has_secret: false,
  auth_method: "none",
  endpoints: { ...client().endpoints, userinfo: "http://127.0.0.1:9555/me" },
});

function renderClients() {
  const onAuthorize = vi.fn();
  const onOpenGrant = vi.fn();
  const onCallUserinfo = vi.fn();
  render(<ClientsScreen onAuthorize={onAuthorize} onOpenGrant={onOpenGrant} onCallUserinfo={onCallUserinfo} />);
  return { onAuthorize, onOpenGrant, onCallUserinfo };
}

describe("getting-started guide", () => {
  it("with only the Sandbox and no grant: step 1 authorizes the Sandbox, steps 2 and 3 wait for a token", async () => {
    m.listClients.mockResolvedValue([sandbox]);
    const { onAuthorize } = renderClients();
    const guide = await screen.findByTestId("clients-guide");
    expect(guide.textContent, "the three steps, numbered, in order").toMatch(/1\. Authorize Sandbox.*2\. See the token.*3\. Call userinfo/);
    expect((screen.getByTestId("guide-tokens") as HTMLButtonElement).disabled, "no token to see yet").toBe(true);
    expect((screen.getByTestId("guide-userinfo") as HTMLButtonElement).disabled, "no token to call with yet").toBe(true);
    fireEvent.click(screen.getByTestId("guide-authorize"));
    expect(onAuthorize, "step 1 goes to Authorize with the Sandbox chosen").toHaveBeenCalledWith("Sandbox");
  });

  it("once the Sandbox has a grant, steps 2 and 3 open its token and its userinfo", async () => {
    m.listClients.mockResolvedValue([sandbox]);
    m.listGrants.mockResolvedValue([
      grant({ id: "g-old", client: "Sandbox", issued_at: NOW - 7200 }),
      grant({ id: "g-new", client: "Sandbox", issued_at: NOW - 60 }),
      grant({ id: "g-gone", client: "Sandbox", issued_at: NOW - 10, status: "revoked", has_access_token: false, has_refresh_token: false }),
    ]);
    const { onOpenGrant, onCallUserinfo } = renderClients();
    await waitFor(() => expect((screen.getByTestId("guide-tokens") as HTMLButtonElement).disabled, "a token to see").toBe(false));
    fireEvent.click(screen.getByTestId("guide-tokens"));
    expect(onOpenGrant, "step 2 opens the newest grant that is not revoked").toHaveBeenCalledWith("g-new");
    fireEvent.click(screen.getByTestId("guide-userinfo"));
    expect(onCallUserinfo, "step 3 calls userinfo with that grant").toHaveBeenCalledWith("g-new");
  });

  it("with no client, points to New client", async () => {
    m.listClients.mockResolvedValue([]);
    renderClients();
    fireEvent.click(await screen.findByTestId("guide-new-client"));
    expect(screen.queryByTestId("clients-guide"), "the editor replaced the guide").toBeNull();
    expect(screen.getByTestId("client-save"), "the new-client editor is open").toBeTruthy();
  });

  it("is not shown once the user has clients of their own", async () => {
    m.listClients.mockResolvedValue([sandbox, client({ name: "github" })]);
    renderClients();
    await screen.findByTestId("client-row-github");
    expect(screen.queryByTestId("clients-guide"), "no guide for a user past getting started").toBeNull();
  });
});

describe("Call API prefilled with userinfo", () => {
  it("opens on the given grant with a GET of its client's userinfo URL", async () => {
    m.listClients.mockResolvedValue([sandbox, client({ name: "web" })]);
    m.listGrants.mockResolvedValue([grant({ id: "g-web", client: "web" }), grant({ id: "g-sb", client: "Sandbox" })]);
    prefillUserinfo("g-sb");
    render(<CallApiScreen />);
    await waitFor(() => expect((screen.getByTestId("api-url") as HTMLInputElement).value, "the Sandbox's userinfo URL is filled in").toBe("http://127.0.0.1:9555/me"));
    expect((screen.getByTestId("api-grant") as HTMLSelectElement).value, "with the Sandbox's grant chosen").toBe("g-sb");
    expect((screen.getByTestId("api-method") as HTMLSelectElement).value, "as a GET").toBe("GET");
  });
});

import { beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type * as api from "../api";
import { client, ipcError, meta, setupApi } from "../test/setup";
import { prefetchClients } from "../lib/prefetch";
import EnvironmentSwitcher from "../components/EnvironmentSwitcher";
import ClientsScreen from "./ClientsScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

async function openNew() {
  render(<ClientsScreen onAuthorize={() => undefined} />);
  await waitFor(() => expect(m.listClients, "the screen asks for the clients").toHaveBeenCalled());
  fireEvent.click(screen.getByTestId("client-new"));
}

describe("start-up prefetch", () => {
  it("the first mount shows the prefetched list without asking again; a later mount asks", async () => {
    m.listClients.mockResolvedValue([client({ name: "prefetched" })]);
    await prefetchClients();
    expect(m.listClients, "only the start-up request so far").toHaveBeenCalledTimes(1);
    render(<ClientsScreen onAuthorize={() => undefined} />);
    expect(screen.getByTestId("client-row-prefetched"), "rendered in the first frame, no wait").toBeTruthy();
    expect(m.listClients, "no second request for the same list").toHaveBeenCalledTimes(1);
    cleanup();

    m.listClients.mockResolvedValue([client({ name: "fresh" })]);
    render(<ClientsScreen onAuthorize={() => undefined} />);
    await screen.findByTestId("client-row-fresh");
    expect(m.listClients, "the later mount asked for its own list").toHaveBeenCalledTimes(2);
  });

  it("a list that arrives after the first render is not handed to a later mount", async () => {
    let answer: (list: ReturnType<typeof client>[]) => void = () => undefined;
    m.listClients.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    await prefetchClients(5);
    answer([client({ name: "late" })]);
    await Promise.resolve();
    m.listClients.mockResolvedValue([client({ name: "current" })]);
    render(<ClientsScreen onAuthorize={() => undefined} />);
    await screen.findByTestId("client-row-current");
    expect(screen.queryByTestId("client-row-late"), "the late start-up answer is stale").toBeNull();
  });

  it("the data the app hands over at start is the first frame's, without any request; a reload asks", async () => {
    const boot = (clients: ReturnType<typeof client>[]) =>
      Object.defineProperty(window, "__OAUTHDESK_BOOT__", {
        value: { clients, environments: [{ name: "staging", active: true, variables: [] }], settings: { theme: "dark" } },
        configurable: true,
      });
    try {
      boot([client({ name: "handed-over" })]);
      await prefetchClients();
      render(
        <>
          <EnvironmentSwitcher onEdit={() => undefined} />
          <ClientsScreen onAuthorize={() => undefined} />
        </>,
      );
      expect(screen.getByTestId("client-row-handed-over"), "rendered from the start-up script's list").toBeTruthy();
      expect(m.listClients, "no IPC request for the list at start").not.toHaveBeenCalled();
      const switcher = screen.getByTestId("env-switcher") as HTMLSelectElement;
      expect([switcher.value, switcher.disabled], "the switcher's first frame is final: the active environment, enabled").toEqual(["staging", false]);
      expect(m.listEnvironments, "no IPC request for the environments at start").not.toHaveBeenCalled();
      cleanup();

      const reloaded = [{ type: "reload" }] as unknown as PerformanceEntryList;
      const entries = vi.spyOn(performance, "getEntriesByType").mockReturnValue(reloaded);
      m.listClients.mockResolvedValue([client({ name: "current" })]);
      await prefetchClients();
      entries.mockRestore();
      expect(m.listClients, "a reloaded page asks: the script's list is from when the app started").toHaveBeenCalledTimes(1);
      render(<ClientsScreen onAuthorize={() => undefined} />);
      expect(screen.getByTestId("client-row-current"), "the asked-for list, not the start-up one").toBeTruthy();
      expect(screen.queryByTestId("client-row-handed-over"), "the stale list is not shown").toBeNull();
    } finally {
      Reflect.deleteProperty(window, "__OAUTHDESK_BOOT__");
    }
  });

  it("a failed prefetch leaves the screen to load (and report) the list itself", async () => {
    m.listClients.mockRejectedValueOnce(ipcError({ code: "storage", message: "The database is locked." }));
    await prefetchClients();
    m.listClients.mockResolvedValue([client({ name: "second-try" })]);
    render(<ClientsScreen onAuthorize={() => undefined} />);
    await screen.findByTestId("client-row-second-try");
    expect(m.listClients, "the screen asked again after the failed prefetch").toHaveBeenCalledTimes(2);
  });
});

describe("client list", () => {
  it("search filters rows by name, client id and issuer", async () => {
    m.listClients.mockResolvedValue([
      client({ name: "github", client_id: "gh-123", issuer: "https://github.example" }),
      client({ name: "sandbox", client_id: "sandbox-app", issuer: "http://127.0.0.1:4000" }),
      client({ name: "azure", client_id: "aad-42", issuer: "https://login.microsoftonline.example" }),
    ]);
    render(<ClientsScreen onAuthorize={() => undefined} />);
    await screen.findByTestId("client-row-github");

    type("client-search", "SAND");
    expect(screen.queryByTestId("client-row-sandbox"), "a name match stays (case-insensitive)").not.toBeNull();
    expect(screen.queryByTestId("client-row-github"), "non-matching rows are hidden").toBeNull();
    expect(screen.queryByTestId("client-row-azure"), "non-matching rows are hidden").toBeNull();

    type("client-search", "aad-");
    expect(screen.queryByTestId("client-row-azure"), "the client id is searched too").not.toBeNull();
    expect(screen.queryByTestId("client-row-sandbox"), "a client whose id does not match is hidden").toBeNull();

    type("client-search", "microsoftonline");
    expect(screen.queryByTestId("client-row-azure"), "the issuer is searched too").not.toBeNull();

    type("client-search", "nothing-like-this");
    expect(screen.getByText(/No client matches/), "an empty result says so").toBeTruthy();
  });

  it("shows the load failure in words", async () => {
    m.listClients.mockRejectedValue(ipcError({ code: "error", message: "database is locked" }));
    render(<ClientsScreen onAuthorize={() => undefined} />);
    expect((await screen.findByTestId("clients-load-error")).textContent, "the Rust error text is shown").toContain("database is locked");
  });
});

describe("client editor", () => {
  it("mutual TLS methods ask for a certificate, not a secret", async () => {
    await openNew();
    expect(screen.queryByTestId("client-secret"), "a secret field for a secret method").toBeTruthy();
    for (const method of ["tls_client_auth", "self_signed_tls_client_auth"]) {
      fireEvent.change(screen.getByTestId("client-auth-method"), { target: { value: method } });
      expect(screen.queryByTestId("client-secret"), `${method} authenticates with the certificate: no secret field`).toBeNull();
    }
  });

  it("explains every invalid field and sends nothing", async () => {
    await openNew();
    type("client-issuer", "not a url");
    type("client-endpoint-token", "http://as.example/token");
    type("client-redirect", "https://example.com/cb");
    fireEvent.click(screen.getByTestId("client-save"));

    expect(screen.getByTestId("client-name-error").textContent, "name is required").toMatch(/Name is required/);
    expect(screen.getByTestId("client-id-error").textContent, "client id is required").toMatch(/Client ID is required/);
    expect(screen.getByTestId("client-issuer-error").textContent, "the issuer must parse").toMatch(/not a URL/);
    expect(screen.getByTestId("client-endpoint-token-error").textContent, "plain http off loopback is refused, with the reason").toMatch(
      /plain http.*loopback/,
    );
    expect(screen.getByTestId("client-redirect-error").textContent, "the redirect must be loopback http").toMatch(/loopback http URI/);
    expect(screen.getByTestId("client-validation"), "a summary lists the problems").toBeTruthy();
    expect(m.addClient, "an invalid form is not sent").not.toHaveBeenCalled();
  });

  it("allows plain http to a remote host only with insecure ticked", async () => {
    await openNew();
    type("client-name", "lab");
    type("client-id", "lab-id");
    type("client-endpoint-token", "http://as.lab/token");
    fireEvent.click(screen.getByTestId("client-save"));
    expect(screen.queryByTestId("client-endpoint-token-error"), "refused without insecure").not.toBeNull();

    fireEvent.click(screen.getByTestId("client-insecure"));
    m.addClient.mockResolvedValue(client({ name: "lab" }));
    fireEvent.click(screen.getByTestId("client-save"));
    expect(screen.queryByTestId("client-endpoint-token-error"), "accepted once insecure is ticked").toBeNull();
    await waitFor(() => expect(m.addClient, "the client is sent once insecure is ticked").toHaveBeenCalled());
    expect(m.addClient.mock.calls[0][0].insecure, "the flag goes to Rust").toBe(true);
  });

  it("exports without secrets and imports an export or a Postman collection", async () => {
    m.listClients.mockResolvedValue([]);
    m.exportClients.mockResolvedValue("/data/exports/clients-20261123T120000Z.json");
    render(<ClientsScreen onAuthorize={() => {}} />);
    fireEvent.click(await screen.findByTestId("clients-export"));
    expect((await screen.findByTestId("client-notice")).textContent, "the notice names the export file").toContain("clients-20261123T120000Z.json");
    expect(m.exportClients, "an empty list exports every client").toHaveBeenCalledWith([]);

    m.importClients.mockResolvedValue({ source: "postman", added: ["Partner", "Machine"], skipped: [["Broken", "a client needs a client id"]], need_secret: ["Machine"], secrets_stored: [] });
    m.listClients.mockResolvedValue([client({ name: "Partner" }), client({ name: "Machine" })]);
    fireEvent.click(screen.getByTestId("clients-import-open"));
    expect(screen.getByTestId("import-run").hasAttribute("disabled"), "nothing to import yet").toBe(true);
    fireEvent.change(screen.getByTestId("import-text"), { target: { value: '{"info":{}}' } });
    fireEvent.change(screen.getByTestId("import-env"), { target: { value: '{"values":[]}' } });
    fireEvent.click(screen.getByTestId("import-run"));
    const notice = await screen.findByText(/Imported 2 clients from a Postman collection/);
    expect(m.importClients, "the file, the environment and the secrets choice go to Rust").toHaveBeenCalledWith('{"info":{}}', '{"values":[]}', false);
    expect(notice.textContent, "skipped clients are listed with the reason").toContain("Skipped: Broken (a client needs a client id)");
    expect(notice.textContent, "clients still needing a secret are named").toContain("Enter the secret of Machine");
    expect(await screen.findByTestId("client-row-Partner"), "the list reloads with the imported clients").toBeTruthy();
  });

  it("registers a client at a server (RFC 7591), then shows and deletes its registration (RFC 7592)", async () => {
    m.listClients.mockResolvedValue([]);
    render(<ClientsScreen onAuthorize={() => {}} />);
    fireEvent.click(await screen.findByTestId("register-open"));
    expect(screen.getByTestId("register-submit").hasAttribute("disabled"), "name and issuer first").toBe(true);
    fireEvent.change(screen.getByTestId("register-name"), { target: { value: "dyn" } });
    fireEvent.change(screen.getByTestId("register-issuer"), { target: { value: " https://as.example " } });
    fireEvent.change(screen.getByTestId("register-auth-method"), { target: { value: "client_secret_basic" } });
    const registered = client({ name: "dyn", client_id: "issued-123", registration_client_uri: "https://as.example/reg/issued-123" });
    m.registerClient.mockResolvedValue(registered);
    m.listClients.mockResolvedValue([registered]);
    fireEvent.click(screen.getByTestId("register-submit"));
    expect((await screen.findByTestId("client-notice")).textContent, "the notice gives the issued client id").toContain("client id issued-123");
    expect(m.registerClient, "the registration request as typed, issuer trimmed, no initial token").toHaveBeenCalledWith(
      { name: "dyn", issuer: "https://as.example", scopes: "openid", auth_method: "client_secret_basic", grant_types: [], id_token_alg: null, insecure: false, redirect_uri: null, extra_params: [], dpop: false },
      null,
    );
    const info = await screen.findByTestId("registration-info");
    expect(info.textContent, "the registered client shows where its registration is managed").toContain("https://as.example/reg/issued-123");
    m.readRegistration.mockResolvedValue({ client_id: "issued-123", scope: "openid" });
    fireEvent.click(screen.getByTestId("registration-read"));
    expect((await screen.findByTestId("registration-json")).textContent, "the registration read from the server is shown").toContain('"client_id": "issued-123"');
    m.deleteRegistration.mockResolvedValue(undefined);
    m.listClients.mockResolvedValue([]);
    fireEvent.click(screen.getByTestId("registration-delete"));
    fireEvent.click(screen.getByTestId("confirm-registration-delete"));
    await waitFor(() => expect(m.deleteRegistration, "the registration is deleted after confirming").toHaveBeenCalledWith("dyn"));
    expect((await screen.findByTestId("client-notice")).textContent, "and the notice says so").toContain("Deleted the registration of dyn");
  });

  it("fills a new client from a provider preset, showing its quirks", async () => {
    const github: api.Preset = {
      id: "github", name: "GitHub", issuer: null, authorization_endpoint: "https://github.com/login/oauth/authorize", token_endpoint: "https://github.com/login/oauth/access_token",
      revocation_endpoint: null, device_authorization_endpoint: "https://github.com/login/device/code", scopes: "read:user", extra_params: [], vars: [["org", "an organisation"]],
      quirks: ["token responses are form-encoded unless asked for JSON"],
    };
    m.presets.mockResolvedValue([github]);
    m.applyPreset.mockImplementation(async (_id: string, _vars: [string, string][], spec: api.ClientSpec) => ({
      ...spec, endpoints: { ...spec.endpoints, authorization: github.authorization_endpoint, token: github.token_endpoint }, scopes: "read:user", auth_method: "client_secret_post",
    }));
    await openNew();
    type("client-name", "gh");
    fireEvent.change(await screen.findByTestId("preset-id"), { target: { value: "github" } });
    expect(screen.getByTestId("preset-quirks").textContent, "the preset's quirks are shown before applying it").toContain("form-encoded");
    fireEvent.change(screen.getByTestId("preset-var-org"), { target: { value: "acme" } });
    fireEvent.click(screen.getByTestId("preset-apply"));
    await waitFor(() => expect((screen.getByTestId("client-endpoint-token") as HTMLInputElement).value, "the preset's token endpoint fills the form").toBe("https://github.com/login/oauth/access_token"));
    const [id, vars, spec] = m.applyPreset.mock.calls[0];
    expect([id, vars, spec.name, spec.scopes], "the preset, its variables and the form so far (scopes left to the preset)").toEqual(["github", [["org", "acme"]], "gh", ""]);
    expect((screen.getByTestId("client-auth-method") as HTMLSelectElement).value, "the preset's auth method is chosen").toBe("client_secret_post");
  });

  it("sends the PAR switch and the registered ID token algorithm", async () => {
    await openNew();
    type("client-name", "par");
    type("client-id", "par-id");
    type("client-endpoint-token", "https://as.example/token");
    fireEvent.click(screen.getByTestId("client-par"));
    fireEvent.click(screen.getByTestId("client-dpop"));
    fireEvent.change(screen.getByTestId("client-id-token-alg"), { target: { value: "ES256" } });
    m.addClient.mockResolvedValue(client({ name: "par" }));
    fireEvent.click(screen.getByTestId("client-save"));
    await waitFor(() => expect(m.addClient, "the client is sent").toHaveBeenCalled());
    const spec = m.addClient.mock.calls[0][0];
    expect(spec.par, "pushed authorization requests on").toBe(true);
    expect(spec.dpop, "DPoP on").toBe(true);
    expect(spec.id_token_alg, "the registered ID token algorithm").toBe("ES256");
  });

  it("sends the client's CA certificates, shows the stored ones, and clears them to null", async () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    await openNew();
    type("client-name", "internal");
    type("client-id", "internal-id");
    type("client-endpoint-token", "https://as.corp.example/token");
    type("client-ca", `  ${pem}\n`);
    m.addClient.mockResolvedValue(client({ name: "internal", ca_pem: pem }));
    fireEvent.click(screen.getByTestId("client-save"));
    await waitFor(() => expect(m.addClient, "the client is sent").toHaveBeenCalled());
    expect(m.addClient.mock.calls[0][0].ca_pem, "the pasted PEM is sent, trimmed").toBe(pem);
    cleanup();

    const stored = client({ name: "internal", ca_pem: pem });
    m.listClients.mockResolvedValue([stored]);
    m.updateClient.mockResolvedValue({ ...stored, ca_pem: null });
    render(<ClientsScreen onAuthorize={() => undefined} />);
    fireEvent.click(await screen.findByTestId("client-row-internal"));
    expect((screen.getByTestId("client-ca") as HTMLTextAreaElement).value, "the stored certificates are shown (they are public)").toBe(pem);
    type("client-ca", "");
    fireEvent.click(screen.getByTestId("client-save"));
    await waitFor(() => expect(m.updateClient, "Save updates the client").toHaveBeenCalled());
    expect(m.updateClient.mock.calls[0][1].ca_pem, "an emptied field removes the client's CA").toBeNull();
  });

  it("discovers with the CA typed in the editor, before the client is saved", async () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    m.discover.mockResolvedValue(meta());
    await openNew();
    type("client-issuer", "https://as.corp.example");
    type("client-ca", pem);
    fireEvent.click(screen.getByTestId("client-discover"));
    await waitFor(() =>
      expect(m.discover, "the typed CA is trusted for this discovery").toHaveBeenCalledWith("https://as.corp.example", false, pem),
    );
  });

  it("never pre-fills the secret of a stored client and sends null to keep it", async () => {
    const stored = client({ name: "web", has_secret: true });
    m.listClients.mockResolvedValue([stored]);
    m.updateClient.mockResolvedValue(stored);
    render(<ClientsScreen onAuthorize={() => undefined} />);
    fireEvent.click(await screen.findByTestId("client-row-web"));

    const secret = screen.getByTestId("client-secret") as HTMLInputElement;
    expect(secret.type, "the secret field masks what is typed").toBe("password");
    expect(secret.value, "the stored secret is never read back into the page").toBe("");
    expect(screen.getByText(/Stored in keychain/), "the field says a secret is stored").toBeTruthy();

    fireEvent.click(screen.getByTestId("client-save"));
    await waitFor(() => expect(m.updateClient, "Save updates the stored client").toHaveBeenCalled());
    expect(m.updateClient.mock.calls[0][0], "the client is updated under its name").toBe("web");
    expect(m.updateClient.mock.calls[0][2], "an empty field means keep the stored secret").toBeNull();
  });

  it("sends a typed secret once and clears the field", async () => {
    m.addClient.mockResolvedValue(client({ name: "svc" }));
    await openNew();
    type("client-name", "svc");
    type("client-id", "svc-id");
    type("client-endpoint-token", "https://as.example/token");
    fireEvent.change(screen.getByTestId("client-auth-method"), { target: { value: "client_secret_post" } });
    type("client-secret", "s3cret");
    fireEvent.click(screen.getByTestId("client-save"));
    await waitFor(() => expect(m.addClient, "the client is sent").toHaveBeenCalled());
    const [spec, secret] = m.addClient.mock.calls[0];
    expect(secret, "the secret goes to addClient, for the keychain").toBe("s3cret");
    expect(spec.auth_method, "with the chosen auth method").toBe("client_secret_post");
    expect(JSON.stringify(spec), "the spec itself never carries the secret").not.toContain("s3cret");
  });

  it("requires a secret for client_secret_basic and refuses one for none", async () => {
    await openNew();
    type("client-name", "x");
    type("client-id", "x");
    type("client-endpoint-token", "https://as.example/token");
    fireEvent.change(screen.getByTestId("client-auth-method"), { target: { value: "client_secret_basic" } });
    fireEvent.click(screen.getByTestId("client-save"));
    expect(screen.getByTestId("client-secret-error").textContent, "a confidential method needs a secret").toMatch(/needs a client secret/);

    fireEvent.change(screen.getByTestId("client-auth-method"), { target: { value: "none" } });
    type("client-secret", "oops");
    fireEvent.click(screen.getByTestId("client-save"));
    expect(screen.getByTestId("client-secret-error").textContent, "a public client has no secret").toMatch(/public clients/);
    expect(m.addClient, "neither form was sent").not.toHaveBeenCalled();
  });

  it("discovery fills the endpoints and shows what the server supports", async () => {
    m.discover.mockResolvedValue(
      meta({ grant_types_supported: ["authorization_code", "refresh_token"], code_challenge_methods_supported: ["S256", "plain"], scopes_supported: ["openid", "api:read"] }),
    );
    await openNew();
    type("client-issuer", "https://as.example");
    type("client-endpoint-revocation", "https://custom.example/revoke");
    fireEvent.click(screen.getByTestId("client-discover"));

    const summary = await screen.findByTestId("discovery-summary");
    expect(m.discover, "the typed issuer is discovered").toHaveBeenCalledWith("https://as.example", false);
    expect((screen.getByTestId("client-endpoint-token") as HTMLInputElement).value, "the token endpoint is filled in").toBe("https://as.example/token");
    expect((screen.getByTestId("client-endpoint-device_authorization") as HTMLInputElement).value, "the device endpoint is filled in too").toBe("https://as.example/device");
    expect((screen.getByTestId("client-endpoint-revocation") as HTMLInputElement).value, "an explicit value is kept: it overrides discovery").toBe(
      "https://custom.example/revoke",
    );
    expect(within(summary).getByTestId("discovery-grants").textContent, "grant types are listed").toContain("refresh_token");
    expect(within(summary).getByTestId("discovery-auth-methods").textContent, "auth methods are listed").toContain("client_secret_post");
    expect(within(summary).getByTestId("discovery-pkce").textContent, "PKCE methods are listed").toContain("S256");
    expect(within(summary).getByTestId("discovery-scopes").textContent, "scopes are listed").toContain("api:read");
  });

  it("keeps discovered endpoints following discovery and sends explicit ones", async () => {
    m.discover.mockResolvedValue(meta());
    m.addClient.mockResolvedValue(client({ name: "d" }));
    await openNew();
    type("client-name", "d");
    type("client-id", "d-id");
    type("client-issuer", "https://as.example");
    fireEvent.click(screen.getByTestId("client-discover"));
    await screen.findByTestId("discovery-summary");
    type("client-endpoint-userinfo", "https://as.example/custom-userinfo");
    fireEvent.click(screen.getByTestId("client-save"));
    await waitFor(() => expect(m.addClient, "the client is sent").toHaveBeenCalled());
    const spec = m.addClient.mock.calls[0][0];
    expect(spec.endpoints.token, "a discovered value is left to discovery (null)").toBeNull();
    expect(spec.endpoints.userinfo, "an edited value is explicit").toBe("https://as.example/custom-userinfo");
    expect(spec.issuer, "with its issuer").toBe("https://as.example");
  });

  it("shows discovery failures in words", async () => {
    m.discover.mockRejectedValue(ipcError({ message: "discovery of https://as.example failed: 404 on both well-known paths" }));
    await openNew();
    type("client-issuer", "https://as.example");
    fireEvent.click(screen.getByTestId("client-discover"));
    expect((await screen.findByTestId("discovery-error")).textContent, "the discovery failure in Rust's words").toContain("404 on both well-known paths");
  });

  it("shows the server's refusal in client-error", async () => {
    m.addClient.mockRejectedValue(ipcError({ code: "invalid_input", message: "a client named \"web\" already exists" }));
    await openNew();
    type("client-name", "web");
    type("client-id", "id");
    type("client-endpoint-token", "https://as.example/token");
    fireEvent.click(screen.getByTestId("client-save"));
    expect((await screen.findByTestId("client-error")).textContent, "IpcError.message is shown").toContain("already exists");
  });

  it("sends extra parameters as pairs", async () => {
    m.addClient.mockResolvedValue(client({ name: "p" }));
    await openNew();
    type("client-name", "p");
    type("client-id", "p");
    type("client-endpoint-token", "https://as.example/token");
    fireEvent.click(screen.getByRole("button", { name: "Add parameter" }));
    fireEvent.change(screen.getByLabelText("Parameter 1 name"), { target: { value: "audience" } });
    fireEvent.change(screen.getByLabelText("Parameter 1 value"), { target: { value: "https://api.example" } });
    fireEvent.click(screen.getByTestId("client-save"));
    await waitFor(() => expect(m.addClient, "the client is sent").toHaveBeenCalled());
    expect(m.addClient.mock.calls[0][0].extra_params, "the typed parameter as a name/value pair").toEqual([["audience", "https://api.example"]]);
  });
});

describe("duplicate and delete", () => {
  beforeEach(() => {
    m.listClients.mockResolvedValue([client({ name: "web" })]);
  });

  it("delete asks, and can revoke the tokens first", async () => {
    m.removeClient.mockResolvedValue(undefined);
    render(<ClientsScreen onAuthorize={() => undefined} />);
    fireEvent.click(await screen.findByTestId("client-row-web"));
    fireEvent.click(screen.getByTestId("client-delete"));
    expect(m.removeClient, "nothing is deleted before the answer").not.toHaveBeenCalled();
    expect(screen.getByRole("dialog").textContent, "the dialog offers to revoke first").toMatch(/revoke/i);
    fireEvent.click(screen.getByTestId("confirm-revoke-and-delete"));
    await waitFor(() => expect(m.removeClient, "revoke-then-delete passes revokeFirst").toHaveBeenCalledWith("web", true));
    await waitFor(() => expect(screen.queryByRole("dialog"), "the dialog closes after deleting").toBeNull());
  });

  it("delete without revoking passes false; a failure stays in the dialog", async () => {
    m.removeClient.mockRejectedValue(ipcError({ code: "keychain", message: "the keychain is locked" }));
    render(<ClientsScreen onAuthorize={() => undefined} />);
    fireEvent.click(await screen.findByTestId("client-row-web"));
    fireEvent.click(screen.getByTestId("client-delete"));
    fireEvent.click(screen.getByTestId("confirm-delete"));
    await waitFor(() => expect(m.removeClient, "delete without revoking passes false").toHaveBeenCalledWith("web", false));
    expect((await screen.findByRole("alert")).textContent, "the failure is shown in words").toContain("the keychain is locked");
  });

  it("Escape cancels the delete dialog", async () => {
    render(<ClientsScreen onAuthorize={() => undefined} />);
    fireEvent.click(await screen.findByTestId("client-row-web"));
    fireEvent.click(screen.getByTestId("client-delete"));
    fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    expect(screen.queryByRole("dialog"), "Escape closes the dialog").toBeNull();
    expect(m.removeClient, "and deletes nothing").not.toHaveBeenCalled();
  });

  it("duplicate asks for a new name", async () => {
    m.duplicateClient.mockResolvedValue(client({ name: "web staging" }));
    render(<ClientsScreen onAuthorize={() => undefined} />);
    fireEvent.click(await screen.findByTestId("client-row-web"));
    fireEvent.click(screen.getByTestId("client-duplicate"));
    const name = screen.getByTestId("duplicate-name") as HTMLInputElement;
    expect(name.value, "a name is suggested").toBe("web copy");
    fireEvent.change(name, { target: { value: "web staging" } });
    fireEvent.click(screen.getByTestId("confirm-duplicate"));
    await waitFor(() => expect(m.duplicateClient, "the copy gets the typed name").toHaveBeenCalledWith("web", "web staging"));
  });
});

// "Start from an API" on Clients: the probe shows the challenge, the RFC 9728 metadata, each
// authorization server and the findings; a refused metadata document is said in words; "Make a
// client" sends what was chosen and opens the new client.
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { ProbeAnswer, ResourceProbe, ServerProbe } from "../api";
import ClientsScreen from "../screens/ClientsScreen";
import { client, ipcError, meta, setupApi } from "../test/setup";
import { defaultClientName, defaultIdentity } from "./StartFromApi";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();

const BASE = "http://127.0.0.1:4100";

function server(over: Partial<ServerProbe> = {}): ServerProbe {
  return {
    issuer: "http://127.0.0.1:4000",
    tried: [{ url: "http://127.0.0.1:4000/.well-known/oauth-authorization-server", kind: "RFC 8414", outcome: "found" }],
    found_at: "http://127.0.0.1:4000/.well-known/oauth-authorization-server",
    error: null,
    metadata: meta({ issuer: "http://127.0.0.1:4000", registration_endpoint: "http://127.0.0.1:4000/reg" }),
    pkce_s256: true,
    registration_endpoint: "http://127.0.0.1:4000/reg",
    client_id_metadata_document_supported: false,
    acr_values_supported: [],
    dpop_signing_alg_values_supported: [],
    ...over,
  };
}

function probe(over: Partial<ResourceProbe> = {}): ResourceProbe {
  return {
    url: `${BASE}/api/profile`,
    method: "GET",
    resource: `${BASE}/api/profile`,
    status: 401,
    request_error: null,
    challenges: [
      {
        scheme: "Bearer",
        realm: null,
        scope: ["api:read"],
        error: null,
        error_description: null,
        error_uri: null,
        resource_metadata: `${BASE}/.well-known/oauth-protected-resource/api`,
        algs: [],
        acr_values: [],
        max_age: null,
        problems: [],
      },
    ],
    other_schemes: [],
    challenge_problems: [],
    metadata_tried: [{ url: `${BASE}/.well-known/oauth-protected-resource/api`, kind: "resource_metadata of the challenge", outcome: "found" }],
    metadata: {
      url: `${BASE}/.well-known/oauth-protected-resource/api`,
      source: "challenge",
      matched: "parent_path",
      metadata: {
        resource: `${BASE}/api`,
        authorization_servers: ["http://127.0.0.1:4000"],
        jwks_uri: null,
        scopes_supported: ["api:read", "api:write"],
        bearer_methods_supported: ["header"],
        resource_signing_alg_values_supported: [],
        resource_name: "Test API",
        resource_documentation: null,
        tls_client_certificate_bound_access_tokens: false,
        authorization_details_types_supported: [],
        dpop_signing_alg_values_supported: [],
        dpop_bound_access_tokens_required: false,
        signed: null,
      },
      problems: [],
    },
    metadata_error: null,
    servers: [server()],
    mcp_protocol_version: null,
    findings: [
      {
        code: "no_iss_parameter",
        severity: "advice",
        spec: "RFC 9207 §3",
        detail: "the metadata does not say authorization_response_iss_parameter_supported",
        action: "checks iss whenever the response carries one",
        source: "authorization server",
        occurrences: 1,
      },
    ],
    exchanges: [],
    ...over,
  };
}

const answer = (p: ResourceProbe = probe(), suggested = ["api:read"]): ProbeAnswer => ({ probe: p, suggested_scopes: suggested });

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

async function openPanel() {
  render(<ClientsScreen onAuthorize={() => undefined} />);
  await waitFor(() => expect(m.listClients, "the screen asks for the clients").toHaveBeenCalled());
  fireEvent.click(screen.getByTestId("resource-open"));
  return screen.getByTestId("resource-panel");
}

async function probeWith(a: ProbeAnswer, url = `${BASE}/api/profile`, mcp = false) {
  m.probeResource.mockResolvedValue(a);
  await openPanel();
  type("resource-url", url);
  if (mcp) fireEvent.click(screen.getByTestId("resource-mcp"));
  fireEvent.click(screen.getByTestId("resource-probe"));
  return screen.findByTestId("probe-result");
}

describe("defaults", () => {
  it("names the client after the host and path, unique among the clients", () => {
    expect(defaultClientName(`${BASE}/api/profile`, []), "host, port and path").toBe("127.0.0.1:4100/api/profile");
    expect(defaultClientName("https://mcp.example.com/", ["mcp.example.com"]), "a taken name gets a number").toBe("mcp.example.com (2)");
    expect(defaultClientName("not a url", []), "an unparsable URL still gives a name").toBe("API client");
  });

  it("prefers dynamic registration, then a metadata document, then an existing client ID", () => {
    expect(defaultIdentity(server()), "registration offered").toBe("register");
    expect(defaultIdentity(server({ registration_endpoint: null, client_id_metadata_document_supported: true })), "CIMD only").toBe("metadata_document");
    expect(defaultIdentity(server({ registration_endpoint: null })), "neither").toBe("existing");
  });
});

describe("probe", () => {
  it("sends the URL and the MCP choice, and shows the challenge, the metadata, the server and the findings", async () => {
    await probeWith(answer(), `  ${BASE}/api/profile `, true);
    expect(m.probeResource, "the trimmed URL, an MCP knock").toHaveBeenCalledWith(`${BASE}/api/profile`, { method: null, mcp: true, insecure: false });
    expect(screen.getByTestId("probe-status").textContent, "the answer without a token").toContain("HTTP 401");
    const challenge = screen.getByTestId("probe-challenge");
    expect(challenge.dataset.scheme, "the Bearer challenge").toBe("Bearer");
    expect(challenge.textContent, "its scope and resource_metadata").toContain("api:read");
    expect(challenge.textContent).toContain("/.well-known/oauth-protected-resource/api");
    const resource = screen.getByTestId("probe-resource");
    expect(resource.textContent, "the metadata's resource").toContain(`${BASE}/api`);
    expect(resource.textContent, "a parent-path match is said, with the section it departs from").toContain("not identical as RFC 9728 §3.3 requires");
    expect(screen.getByTestId("probe-scopes").textContent, "its scopes").toContain("api:write");
    const s = screen.getByTestId("probe-server");
    expect(within(s).getByTestId("probe-server-pkce").textContent, "PKCE S256").toBe("advertised");
    expect(within(s).getByTestId("probe-server-registration").textContent, "DCR endpoint").toContain("/reg");
    expect(within(s).getByTestId("probe-server-cimd").textContent, "CIMD not advertised").toContain("not advertised");
    const finding = screen.getByTestId("finding-no_iss_parameter");
    expect(finding.textContent, "the finding with its section and what was done").toContain("RFC 9207 §3");
    expect(finding.textContent).toContain("checks iss whenever");
  });

  it("says a refused metadata document in words and offers no client", async () => {
    const refusal =
      'the protected resource metadata at http://127.0.0.1:4100/.well-known/oauth-protected-resource/bad-mcp is for the resource "http://127.0.0.1:4100/mcp", not "http://127.0.0.1:4100/bad-mcp"; it must be identical (RFC 9728 §3.3), so it was not used';
    await probeWith(answer(probe({ metadata: null, metadata_error: refusal, servers: [] }), []), `${BASE}/bad-mcp`);
    expect(screen.getByTestId("probe-metadata-error").textContent, "the refusal, in words, with its section").toContain("RFC 9728 §3.3");
    expect(screen.queryByTestId("resource-make"), "no client can be made from a refused document").toBeNull();
    expect(screen.getByTestId("resource-no-client").textContent, "what to do instead").toContain(`resource=${BASE}/api/profile`);
  });

  it("escapes control characters a server put in its challenge", async () => {
    const c = probe().challenges[0];
    await probeWith(answer(probe({ challenges: [{ ...c, error: "invalid_token", error_description: "bad\u202etoken" }] })));
    expect(screen.getByTestId("probe-challenge").textContent, "a bidi override is shown as an escape").toContain("bad\\u{202e}token");
  });

  it("shows a failure to probe through the error message", async () => {
    m.probeResource.mockRejectedValue(ipcError({ code: "invalid_input", message: '"ftp://x" is not an http(s) URL' }));
    await openPanel();
    type("resource-url", "ftp://x");
    fireEvent.click(screen.getByTestId("resource-probe"));
    const error = await screen.findByTestId("resource-error");
    expect(error.textContent, "the reason in words").toContain("not an http(s) URL");
  });
});

describe("make a client", () => {
  it("registers dynamically with the suggested scopes and opens the new client", async () => {
    await probeWith(answer());
    expect((screen.getByTestId("resource-identity-register") as HTMLInputElement).checked, "registration is the default where offered").toBe(true);
    expect((screen.getByTestId("resource-scopes") as HTMLInputElement).value, "the scopes are the suggestion").toBe("api:read");
    expect((screen.getByTestId("resource-name") as HTMLInputElement).value, "the name comes from the host").toBe("127.0.0.1:4100/api/profile");
    expect(screen.queryByTestId("resource-issuer"), "one server: no choice to make").toBeNull();
    const made = client({ name: "127.0.0.1:4100/api/profile", client_id: "dyn-123", redirect_uri: "http://127.0.0.1:51234/callback", has_secret: false });
    m.addResourceClient.mockResolvedValue({
      client: made,
      resource: `${BASE}/api`,
      issuer: "http://127.0.0.1:4000",
      scopes: "api:read",
      redirect_uri: "http://127.0.0.1:51234/callback",
      notes: ["registered with the exact redirect URI http://127.0.0.1:51234/callback: its port is fixed now and used for every login of this client"],
      probe: probe(),
    });
    m.listClients.mockResolvedValue([made]);
    fireEvent.click(screen.getByTestId("resource-create"));
    await waitFor(() => expect(m.addResourceClient).toHaveBeenCalled());
    expect(m.addResourceClient, "the request as chosen; no issuer when there is one server; no secret").toHaveBeenCalledWith(
      { name: "127.0.0.1:4100/api/profile", resource_url: `${BASE}/api/profile`, issuer: null, identity: { kind: "register" }, scope: "api:read", mcp: false, insecure: false },
      null,
    );
    const notice = await screen.findByTestId("client-notice");
    expect(notice.textContent, "the fixed-port redirect URI is said").toContain("redirect URI http://127.0.0.1:51234/callback");
    await screen.findByTestId("client-name");
    expect((screen.getByTestId("client-name") as HTMLInputElement).value, "the new client is open in the editor").toBe("127.0.0.1:4100/api/profile");
  });

  it("offers a select when the resource names several servers, and sends an existing client ID with its secret", async () => {
    const other = server({ issuer: "https://as2.example", registration_endpoint: null, metadata: meta({ issuer: "https://as2.example" }) });
    await probeWith(answer(probe({ servers: [server(), other] })));
    type("resource-issuer", "https://as2.example");
    expect((screen.getByTestId("resource-identity-existing") as HTMLInputElement).checked, "a server without registration or CIMD: an existing client ID").toBe(true);
    fireEvent.click(screen.getByTestId("resource-create"));
    expect(screen.getByTestId("resource-form-error").textContent, "an existing client needs its ID").toContain("client ID");
    expect(m.addResourceClient, "nothing sent without it").not.toHaveBeenCalled();
    type("resource-client-id", " pre-registered ");
    type("resource-secret", "s3cret");
    m.addResourceClient.mockRejectedValue(ipcError({ code: "invalid_input", message: "a client named x exists already" }));
    fireEvent.click(screen.getByTestId("resource-create"));
    const error = await screen.findByTestId("resource-create-error");
    expect(error.textContent, "the engine's refusal through ErrorMessage").toContain("exists already");
    expect(m.addResourceClient, "the chosen server, the trimmed client ID, the secret").toHaveBeenCalledWith(
      expect.objectContaining({ issuer: "https://as2.example", identity: { kind: "existing", client_id: "pre-registered" } }),
      "s3cret",
    );
  });

  it("sends a Client ID Metadata Document URL", async () => {
    await probeWith(answer(probe({ servers: [server({ registration_endpoint: null, client_id_metadata_document_supported: true })] })));
    expect((screen.getByTestId("resource-identity-metadata_document") as HTMLInputElement).checked, "CIMD is the default without registration").toBe(true);
    type("resource-cimd", "https://app.example/client.json");
    m.addResourceClient.mockReturnValue(new Promise(() => undefined));
    fireEvent.click(screen.getByTestId("resource-create"));
    await waitFor(() => expect(m.addResourceClient).toHaveBeenCalled());
    expect(m.addResourceClient.mock.calls[0][0].identity, "the document's URL is the client ID").toEqual({ kind: "metadata_document", url: "https://app.example/client.json" });
    expect(screen.getByTestId("resource-make").textContent, "progress while it is checked").toContain("Making the client…");
  });
});

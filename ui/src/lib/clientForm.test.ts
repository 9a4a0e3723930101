import { describe, expect, it } from "vitest";
import { client, meta } from "../test/fixtures";
import { emptyForm, fillFromDiscovery, formFromClient, specFromForm, validateClientForm } from "./clientForm";

describe("client form", () => {
  it("never carries a stored secret into the form", () => {
    expect(formFromClient(client({ has_secret: true })).secret, "the form's secret field starts empty").toBe("");
  });

  it("discovery fills empty fields and replaces its own earlier values, not typed ones", () => {
    const old = meta({ token_endpoint: "https://old.example/token" });
    const form = { ...emptyForm(), endpoints: { ...emptyForm().endpoints, token: "https://old.example/token", userinfo: "https://mine.example/me" } };
    const filled = fillFromDiscovery(form, old, meta());
    expect(filled.endpoints.token, "the previous discovery's value follows the new one").toBe("https://as.example/token");
    expect(filled.endpoints.userinfo, "a typed value stays").toBe("https://mine.example/me");
    expect(filled.endpoints.authorization, "an empty one is filled").toBe("https://as.example/authorize");
  });

  it("sends discovered endpoints as null only while an issuer is set", () => {
    const form = { ...fillFromDiscovery(emptyForm(), null, meta()), name: "x", clientId: "y", issuer: "https://as.example" };
    expect(specFromForm(form, meta()).endpoints.token, "a discovered endpoint is left for discovery to find again").toBeNull();
    expect(specFromForm({ ...form, issuer: "" }, meta()).endpoints.token, "without an issuer nothing rediscovers it").toBe("https://as.example/token");
  });

  it("accepts loopback http and a valid public client", () => {
    const form = { ...emptyForm(), name: "local", clientId: "c", endpoints: { ...emptyForm().endpoints, token: "http://127.0.0.1:8080/token" }, redirectUri: "http://localhost:8765/cb" };
    expect(validateClientForm(form, false), "no problem found").toEqual({});
  });

  it("needs an issuer or an endpoint", () => {
    const errors = validateClientForm({ ...emptyForm(), name: "a", clientId: "b" }, false);
    expect(errors.endpoints, "the form says what is missing").toMatch(/issuer.*token endpoint/);
  });
});

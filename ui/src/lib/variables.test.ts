import { describe, expect, it } from "vitest";
import { redirectUriProblem, requestUrlProblem, serverUrlProblem } from "./urls";
import { hasVariables } from "./variables";

describe("{{variables}} in URL fields", () => {
  it("leaves a templated URL to the engine and still checks a typed one", () => {
    expect(hasVariables("{{api}}/me"), "a placeholder is recognised").toBe(true);
    expect(hasVariables("https://api.example/me"), "a plain URL has none").toBe(false);
    expect(serverUrlProblem("Issuer", "{{issuer}}", false), "a templated issuer is not refused in the page").toBeNull();
    expect(redirectUriProblem("http://127.0.0.1:{{port}}/callback"), "a templated redirect URI is not refused in the page").toBeNull();
    expect(requestUrlProblem("{{api}}/items"), "a templated request URL is not refused in the page").toBeNull();
    expect(serverUrlProblem("Issuer", "not a url", false), "a typed value without placeholders is still checked").toMatch(/not a URL/);
  });
});

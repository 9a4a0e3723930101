import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type * as api from "../api";
import { grant, setupApi } from "../test/setup";
import TokenTruth from "./TokenTruth";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();

function inspection(failed: boolean): api.Inspection {
  return {
    grant: grant(),
    issuer: "https://as.example",
    failed: failed ? 1 : 0,
    tokens: [
      {
        token: "id_token",
        format: "jws",
        checked_as: "ID token (OIDC Core §3.1.3.7)",
        header: null,
        claims: null,
        introspection: null,
        checks: [
          { name: "signature", status: failed ? "fail" : "pass", code: failed ? "bad_signature" : null, reason: failed ? "the RS256 signature does not verify" : "valid RS256 signature", spec: "RFC 7515 §5.2" },
          { name: "c_hash", status: "not_applicable", code: null, reason: "the code is single-use", spec: "OIDC Core §3.3.2.11" },
        ],
      },
      { token: "refresh_token", format: "absent", checked_as: null, header: null, claims: null, introspection: null, checks: [] },
    ],
    scopes: { requested: ["openid", "email"], response: null, note: "omitted: same as requested", access_token_claim: null, introspection: ["openid"], granted: ["openid"], not_granted: ["email"], not_requested: [] },
  };
}

describe("token truth", () => {
  it("verifies on open, lists each check, compares scopes by source, and re-checks with introspection", async () => {
    m.inspectTokens.mockResolvedValueOnce(inspection(true)).mockResolvedValueOnce(inspection(false));
    render(<TokenTruth grantId="g-1" />);
    const sig = await screen.findByTestId("checks-id-token-signature");
    expect(m.inspectTokens, "opening verifies without introspection").toHaveBeenCalledWith("g-1", false);
    expect(sig.dataset.status, "a failed signature check is marked failed").toBe("fail");
    expect(sig.textContent, "with its code").toContain("bad_signature");
    expect(screen.getByTestId("checks-id-token-c_hash").dataset.status, "a check that does not apply says so").toBe("not_applicable");
    expect(screen.getByTestId("token-truth-summary").textContent, "the summary counts the failures").toContain("1 check failed");
    expect(screen.getByTestId("scope-src-response").textContent, "an omitted scope in the token response is said in words").toContain("omitted");
    expect(screen.getByTestId("scope-not-granted").textContent, "a requested scope no source granted is listed").toContain("email");
    expect(screen.queryByTestId("checks-refresh-token"), "absent tokens have no checks").toBeNull();
    fireEvent.click(screen.getByTestId("verify-introspect"));
    await waitFor(() => expect(screen.getByTestId("token-truth-summary").textContent, "the re-check's answer replaces the first").toContain("Every applicable check passed"));
    expect(m.inspectTokens, "the re-check asked for introspection").toHaveBeenLastCalledWith("g-1", true);
  });
});

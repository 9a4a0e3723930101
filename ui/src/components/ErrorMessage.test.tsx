import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import { errorInWords } from "../lib/errors";
import { setupApi } from "../test/setup";
import ErrorMessage from "./ErrorMessage";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

setupApi();

describe("ErrorMessage", () => {
  it("shows the failed checks of a refused ID token as rows", () => {
    const error = errorInWords({
      code: "error",
      message: "the ID token failed validation: nonce [nonce_mismatch]: the nonce differs",
      hint: null,
      oauth: null,
      checks: [
        { name: "nonce", status: "fail", code: "nonce_mismatch", reason: "the nonce differs from the one sent", spec: "OIDC Core §3.1.3.7 (11)" },
        { name: "aud", status: "fail", code: "aud_mismatch", reason: "aud is other, expected rp", spec: "OIDC Core §3.1.3.7 (3)" },
      ],
    });
    render(<ErrorMessage error={error} />);
    const nonce = screen.getByTestId("error-checks-nonce");
    expect(nonce.dataset.code, "each refused check is its own row with its code").toBe("nonce_mismatch");
    expect(screen.getByTestId("error-checks-aud").textContent, "the row says why in words").toContain("expected rp");
  });

  it("shows no checks table for an ordinary error", () => {
    render(<ErrorMessage error={errorInWords(new Error("boom"))} />);
    expect(screen.queryByTestId("error-checks"), "errors without checks have no table").toBeNull();
  });

  it("shows server text with its control characters escaped", () => {
    const error = errorInWords({
      code: "oauth",
      message: "the server answered with an OAuth error",
      hint: null,
      checks: null,
      oauth: { error: "invalid_client", error_description: "bad\u001b[2J \u202egnirts", error_uri: null, status: 401 },
    });
    render(<ErrorMessage error={error} />);
    const shown = screen.getByTestId("oauth-error-description").textContent ?? "";
    expect(shown, "no raw ESC reaches the page").not.toContain("\u001b");
    expect(shown, "no right-to-left override reorders the description").not.toContain("\u202e");
    expect(shown, "the escapes are visible instead").toContain("\\u{1b}");
  });
});

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/react";
import type * as api from "../api";
import { NOW, ipcError, setupApi } from "../test/setup";
import DecodeScreen from "./DecodeScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

const paste = (text: string) => fireEvent.change(screen.getByTestId("decode-input"), { target: { value: text } });

describe("decode", () => {
  it("shows a JWS's header, claims with times in words, and its signature segment", async () => {
    m.decodeToken.mockResolvedValue({
      kind: "jws",
      jwt: { header: { alg: "RS256", kid: "2024-01" }, claims: { sub: "alice", exp: NOW - 7200, iat: NOW - 10800 }, encrypted: false, signature_length: 256 },
      segments: ["eyJhbGciOiJSUzI1NiJ9", "eyJzdWIiOiJhbGljZSJ9", "c2lnbmF0dXJl"],
    });
    render(<DecodeScreen />);
    paste("  eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl  ");

    const header = await screen.findByTestId("decode-header");
    expect(m.decodeToken, "the pasted token is trimmed and decoded in Rust").toHaveBeenCalledWith("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl");
    expect(within(header).getByTestId("header-alg").textContent, "the header's claims are a table").toContain("RS256");
    const claims = screen.getByTestId("decode-claims");
    expect(within(claims).getByTestId("claim-sub").textContent, "the payload's claims too").toContain("alice");
    expect(within(claims).getByTestId("claim-exp").textContent, "exp in words").toContain("expired 2 h ago");
    expect(within(claims).getByTestId("claim-iat").textContent, "iat in words").toContain("issued 3 h ago");
    const sig = screen.getByTestId("decode-signature");
    expect(sig.textContent, "the signature segment is shown").toContain("c2lnbmF0dXJl");
    expect(sig.textContent, "and it points to the verification").toMatch(/Verify below/);
  });

  it("verifies with the chosen issuer, client and nonce and lists each check", async () => {
    m.decodeToken.mockResolvedValue({
      kind: "jws",
      jwt: { header: { alg: "RS256", kid: "k1" }, claims: { sub: "alice", nonce: "x" }, encrypted: false, signature_length: 342 },
      segments: ["h", "p", "s"],
    });
    m.listClients.mockResolvedValue([{ id: "c1", name: "app" } as api.Client]);
    m.verifyToken.mockResolvedValue({
      findings: {
        token: "token",
        format: "jws",
        checked_as: "ID token (OIDC Core §3.1.3.7)",
        header: null,
        claims: null,
        introspection: null,
        checks: [
          { name: "signature", status: "pass", code: null, reason: "valid RS256 signature by key \"k1\"", spec: "RFC 7515 §5.2" },
          { name: "nonce", status: "fail", code: "nonce_mismatch", reason: "differs from the nonce sent", spec: "OIDC Core §3.1.3.7 (11)" },
        ],
      },
      keys: "the JWKS of https://op.example",
      failed: 1,
    });
    render(<DecodeScreen />);
    paste("h.p.s");
    await screen.findByTestId("decode-verify-panel");
    await screen.findByRole("option", { name: "app" });
    fireEvent.change(screen.getByTestId("verify-issuer"), { target: { value: " https://op.example " } });
    fireEvent.change(screen.getByTestId("verify-client"), { target: { value: "app" } });
    fireEvent.change(screen.getByTestId("verify-nonce"), { target: { value: "n-1" } });
    fireEvent.click(screen.getByTestId("decode-verify"));
    const nonce = await screen.findByTestId("decode-checks-nonce");
    expect(m.verifyToken, "the token with the issuer (trimmed), client and nonce chosen").toHaveBeenCalledWith("h.p.s", { issuer: "https://op.example", keys: null, client: "app", nonce: "n-1", skew_secs: null });
    expect(nonce.dataset.status, "the nonce check failed").toBe("fail");
    expect(nonce.dataset.code, "with its code").toBe("nonce_mismatch");
    expect(nonce.textContent, "and the reason").toContain("differs from the nonce sent");
    expect(screen.getByTestId("decode-checks-signature").dataset.status, "the signature check passed").toBe("pass");
    expect(screen.getByTestId("decode-checks-summary").textContent, "the summary counts the failures").toContain("1 check failed");
    expect(screen.getByTestId("decode-verification").textContent, "and says where the keys came from").toContain("the JWKS of https://op.example");
  });

  it("says a JWE is encrypted and shows only its header", async () => {
    m.decodeToken.mockResolvedValue({
      kind: "jwe",
      jwt: { header: { alg: "RSA-OAEP", enc: "A256GCM" }, claims: null, encrypted: true, signature_length: 0 },
      segments: ["h", "k", "iv", "c", "t"],
    });
    render(<DecodeScreen />);
    paste("h.k.iv.c.t");
    expect((await screen.findByTestId("decode-header")).textContent, "a JWE's header is readable").toContain("A256GCM");
    expect(screen.getByTestId("decode-encrypted").textContent, "its payload is said to be encrypted").toMatch(/encrypted/);
    expect(screen.queryByTestId("decode-claims"), "no claims table for a JWE").toBeNull();
  });

  it("says an opaque token is opaque", async () => {
    m.decodeToken.mockResolvedValue({ kind: "opaque", jwt: null, segments: [] });
    render(<DecodeScreen />);
    paste("2YotnFZFEjr1zCsicMWpAA");
    expect((await screen.findByTestId("decode-opaque")).textContent, "no JWT parts for an opaque token").toMatch(/opaque/);
  });

  it("shows a decoding error in words", async () => {
    m.decodeToken.mockRejectedValue(ipcError({ code: "invalid_input", message: "the header is not base64url JSON" }));
    render(<DecodeScreen />);
    paste("eyJ!!.x.y");
    expect((await screen.findByTestId("decode-error")).textContent, "the decoding error in Rust's words").toContain("not base64url JSON");
  });
});

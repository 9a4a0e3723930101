import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import * as api from "../api";
import { defaultAnswers } from "../test/apiMock";
import { NOW, ipcError } from "../test/fixtures";
import DecodeScreen from "./DecodeScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = vi.mocked(api);

beforeEach(() => {
  vi.resetAllMocks();
  defaultAnswers(api);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(NOW * 1000));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

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
    expect(within(header).getByTestId("header-alg").textContent).toContain("RS256");
    const claims = screen.getByTestId("decode-claims");
    expect(within(claims).getByTestId("claim-sub").textContent).toContain("alice");
    expect(within(claims).getByTestId("claim-exp").textContent, "exp in words").toContain("expired 2 h ago");
    expect(within(claims).getByTestId("claim-iat").textContent, "iat in words").toContain("issued 3 h ago");
    const sig = screen.getByTestId("decode-signature");
    expect(sig.textContent, "the signature segment is shown").toContain("c2lnbmF0dXJl");
    expect(sig.textContent, "and it is said not to be verified").toMatch(/not verified/);
  });

  it("says a JWE is encrypted and shows only its header", async () => {
    m.decodeToken.mockResolvedValue({
      kind: "jwe",
      jwt: { header: { alg: "RSA-OAEP", enc: "A256GCM" }, claims: null, encrypted: true, signature_length: 0 },
      segments: ["h", "k", "iv", "c", "t"],
    });
    render(<DecodeScreen />);
    paste("h.k.iv.c.t");
    expect((await screen.findByTestId("decode-header")).textContent).toContain("A256GCM");
    expect(screen.getByTestId("decode-encrypted").textContent).toMatch(/encrypted/);
    expect(screen.queryByTestId("decode-claims"), "no claims table for a JWE").toBeNull();
  });

  it("says an opaque token is opaque", async () => {
    m.decodeToken.mockResolvedValue({ kind: "opaque", jwt: null, segments: [] });
    render(<DecodeScreen />);
    paste("2YotnFZFEjr1zCsicMWpAA");
    expect((await screen.findByTestId("decode-opaque")).textContent).toMatch(/opaque/);
  });

  it("shows a decoding error in words", async () => {
    m.decodeToken.mockRejectedValue(ipcError({ code: "invalid_input", message: "the header is not base64url JSON" }));
    render(<DecodeScreen />);
    paste("eyJ!!.x.y");
    expect((await screen.findByTestId("decode-error")).textContent).toContain("not base64url JSON");
  });
});

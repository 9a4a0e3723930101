import { describe, expect, it, vi, beforeEach } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/react";
import type * as api from "../api";
import { resetDecodeSession } from "../lib/decodeSession";
import { NOW, ipcError, setupApi } from "../test/setup";
import DecodeScreen from "./DecodeScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });
beforeEach(() => resetDecodeSession());

const paste = (text: string) => fireEvent.change(screen.getByTestId("decode-input"), { target: { value: text } });

function decoded(over: Partial<api.DecodedToken> = {}): api.DecodedToken {
  return {
    kind: "jws",
    label: "signed JWT (JWS, RS256)",
    jwt: { header: { alg: "RS256", kid: "2024-01" }, claims: { sub: "alice", iss: "https://op.example", exp: NOW - 3 * 3600, iat: NOW - 4 * 3600 }, encrypted: false, signature_length: 12 },
    segments: ["eyJhbGciOiJSUzI1NiJ9", "eyJzdWIiOiJhbGljZSJ9", "c2lnbmF0dXJl"],
    problem: null,
    problem_segment: null,
    ...over,
  };
}

function verification(verdict: api.Verdict, checks: api.Check[] = []): api.TokenVerification {
  return {
    findings: { token: "token", format: "jws", checked_as: "a JWT", header: null, claims: null, introspection: null, checks },
    keys: verdict.status === "unverified" ? null : "the given secret",
    failed: checks.filter((c) => c.status === "fail").length,
    verdict,
  };
}

const pass = (name: string, reason: string): api.Check => ({ name, status: "pass", code: null, reason, spec: "RFC 7519" });
const fail = (name: string, code: string, reason: string): api.Check => ({ name, status: "fail", code, reason, spec: "RFC 7519" });

describe("decode", () => {
  it("colours the three segments and shows header and payload as tables with times in words", async () => {
    m.decodeToken.mockResolvedValue(decoded());
    m.verifyToken.mockResolvedValue(verification({ status: "unverified", code: "not_verified", title: "Decoded, not verified", reason: "no key was given" }));
    render(<DecodeScreen />);
    paste("  eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl  ");
    const segments = await screen.findByTestId("decode-segments");
    expect(m.decodeToken, "the pasted token is trimmed and decoded in Rust").toHaveBeenCalledWith("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl");
    const parts = ["0", "1", "2"].map((i) => within(segments).getByTestId(`decode-segment-${i}`));
    expect(
      parts.map((p) => [p.dataset.part, p.className.includes(`jwt-seg-${parts.indexOf(p)}`)]),
      "each segment is named and has its own colour class",
    ).toEqual([
      ["header", true],
      ["payload", true],
      ["signature", true],
    ]);
    expect(screen.getByTestId("decode-kind").textContent, "the kind is named with its alg").toContain("signed JWT (JWS, RS256)");
    expect(within(screen.getByTestId("decode-header")).getByTestId("header-alg").textContent, "the header is a table").toContain("RS256");
    const claims = screen.getByTestId("decode-claims");
    expect(within(claims).getByTestId("claim-exp").textContent, "exp in words").toContain("expired 3 h ago");
    expect(within(claims).getByTestId("claim-iat").textContent, "iat in words").toContain("issued 4 h ago");
  });

  it("labels alg none as an unsigned JWT and shows the red verdict", async () => {
    m.decodeToken.mockResolvedValue(decoded({ kind: "unsigned", label: "unsigned JWT (alg: none): anyone could have written it", jwt: { header: { alg: "none" }, claims: { sub: "x" }, encrypted: false, signature_length: 0 }, segments: ["eyJhbGciOiJub25lIn0", "eyJzdWIiOiJ4In0", ""] }));
    m.verifyToken.mockResolvedValue(
      verification({ status: "invalid", code: "unsigned", title: "Unsigned token (alg: none)", reason: "anyone could have written it" }, [fail("signature", "alg_none", "unsigned")]),
    );
    render(<DecodeScreen />);
    paste("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
    const verdict = await screen.findByTestId("decode-verdict", {}, { timeout: 2000 });
    await vi.waitFor(() => expect(verdict.dataset.status, "the verdict arrives").toBe("invalid"));
    expect(screen.getByTestId("decode-kind").textContent, "never called a signed JWT").toMatch(/^unsigned JWT/);
    expect(screen.getByTestId("decode-kind").textContent, "no JWS label for alg none").not.toContain("JWS");
    expect(verdict.className, "red").toContain("notice-error");
    expect(verdict.dataset.code, "named unsigned").toBe("unsigned");
    expect(screen.getByTestId("decode-signature").textContent, "the signature panel says there is none").toContain("alg is none");
  });

  it("is green only for a verified, unexpired token; red with the reason for an expired one", async () => {
    m.decodeToken.mockResolvedValue(decoded());
    m.verifyToken.mockResolvedValue(
      verification({ status: "valid", code: null, title: "Signature verified, times valid", reason: "valid HS256 signature; expires in 5 min" }, [pass("signature", "valid HS256 signature")]),
    );
    const { unmount } = render(<DecodeScreen />);
    paste("h.p.s");
    const verdict = await screen.findByTestId("decode-verdict");
    await vi.waitFor(() => expect(verdict.dataset.status, "the verdict arrives").toBe("valid"));
    expect(verdict.className, "green").toContain("notice-ok");
    unmount();
    resetDecodeSession();
    m.verifyToken.mockResolvedValue(
      verification({ status: "invalid", code: "expired", title: "Expired", reason: "expired 3 h ago (clock-skew tolerance 60 s)" }, [pass("signature", "valid"), fail("exp", "expired", "expired 3 h ago")]),
    );
    render(<DecodeScreen />);
    paste("h.p.s2");
    const red = await screen.findByTestId("decode-verdict");
    await vi.waitFor(() => expect(red.dataset.status, "the verdict arrives").toBe("invalid"));
    expect(red.className, "an expired token is red, never green").toContain("notice-error");
    expect(red.textContent, "with the reason").toContain("Expired");
    expect(red.textContent, "and when").toContain("expired 3 h ago");
  });

  it("without a key says decoded, not verified, in amber, with no pass rows", async () => {
    m.decodeToken.mockResolvedValue(decoded());
    m.verifyToken.mockResolvedValue(
      verification({ status: "unverified", code: "not_verified", title: "Decoded, not verified", reason: "no key was given" }, [
        { name: "signature", status: "not_applicable", code: "not_verified", reason: "not verified: no key given", spec: "RFC 7515 §5.2" },
        pass("iat", "issued 4 h ago"),
      ]),
    );
    render(<DecodeScreen />);
    paste("h.p.s");
    const verdict = await screen.findByTestId("decode-verdict");
    await vi.waitFor(() => expect(verdict.dataset.status, "the verdict arrives").toBe("unverified"));
    expect(verdict.className, "amber, not green").toContain("notice-warn");
    expect(verdict.textContent, "in words").toContain("Decoded, not verified");
    const checks = screen.getByTestId("decode-verification");
    expect(within(checks).queryAllByText("pass"), "no pass row sits with an unverified token").toHaveLength(0);
    expect(within(checks).getByTestId("decode-checks-signature").dataset.status, "the signature is n/a").toBe("not_applicable");
    expect(m.verifyToken.mock.calls[0]?.[1], "no key source is sent, and the token's iss is not discovered").toMatchObject({ issuer: null, keys: null, client: null, secret: null, skip_token_issuer: true });
  });

  it("verifies live with an HMAC secret, sending only the chosen key source", async () => {
    m.decodeToken.mockResolvedValue(decoded({ label: "signed JWT (JWS, HS256)", jwt: { header: { alg: "HS256" }, claims: { sub: "alice" }, encrypted: false, signature_length: 43 } }));
    m.verifyToken.mockImplementation(async (_t: string, o: api.VerifyOptions) =>
      o.secret === "right"
        ? verification({ status: "valid", code: null, title: "Signature verified, times valid", reason: "valid HS256 signature by the key from the given secret" }, [pass("signature", "valid")])
        : verification({ status: "invalid", code: "bad_signature", title: "Bad signature", reason: "does not verify" }, [fail("signature", "bad_signature", "does not verify")]),
    );
    render(<DecodeScreen />);
    paste("h.p.s");
    await screen.findByTestId("decode-verify-panel");
    fireEvent.click(screen.getByTestId("verify-source-issuer"));
    fireEvent.change(screen.getByTestId("verify-issuer"), { target: { value: "https://op.example" } });
    fireEvent.click(screen.getByTestId("verify-source-secret"));
    fireEvent.change(screen.getByTestId("verify-secret"), { target: { value: "wrong" } });
    await vi.waitFor(() => expect(screen.getByTestId("decode-verdict").dataset.code, "a wrong secret is a bad signature").toBe("bad_signature"));
    fireEvent.change(screen.getByTestId("verify-secret"), { target: { value: "right" } });
    await vi.waitFor(() => expect(screen.getByTestId("decode-verdict").dataset.status, "the right secret verifies, live").toBe("valid"));
    const last = m.verifyToken.mock.calls[m.verifyToken.mock.calls.length - 1]?.[1];
    expect(last, "only the secret is sent: the issuer typed before is not").toMatchObject({ secret: "right", issuer: null, keys: null, client: null, skip_token_issuer: true });
    expect(screen.getByTestId("verify-secret").getAttribute("type"), "the secret is masked").toBe("password");
  });

  it("shows each part as JSON on demand and copies a claim or the whole JSON through Rust", async () => {
    m.decodeToken.mockResolvedValue(decoded());
    m.verifyToken.mockResolvedValue(verification({ status: "unverified", code: "not_verified", title: "Decoded, not verified", reason: "no key" }));
    render(<DecodeScreen />);
    paste("h.p.s");
    const claims = await screen.findByTestId("decode-claims");
    fireEvent.click(within(claims).getByTestId("claim-sub-copy"));
    await vi.waitFor(() => expect(m.copyDecodedText, "a claim's value is copied as it is").toHaveBeenCalledWith("alice"));
    expect((await screen.findByTestId("decode-copy-status")).textContent, "the copy is confirmed").toContain("Copied sub");
    fireEvent.click(within(claims).getByTestId("decode-claims-view-json"));
    const json = within(claims).getByTestId("decode-claims-json");
    expect(json.textContent, "pretty JSON, two-space indent").toContain('\n  "sub": "alice"');
    expect(within(claims).queryByTestId("claims-table"), "the table gives way to the JSON").toBeNull();
    fireEvent.click(within(claims).getByTestId("decode-claims-copy-json"));
    await vi.waitFor(() => expect(m.copyDecodedText, "the whole payload JSON is copied, pretty").toHaveBeenLastCalledWith(JSON.stringify(decoded().jwt?.claims, null, 2)));
    expect(screen.getByTestId("header-alg"), "the header keeps its own view (table)").toBeTruthy();
  });

  it("keeps the token, the key source and the view when the screen is left and opened again", async () => {
    m.decodeToken.mockResolvedValue(decoded());
    m.verifyToken.mockResolvedValue(verification({ status: "unverified", code: "not_verified", title: "Decoded, not verified", reason: "no key" }));
    const first = render(<DecodeScreen />);
    paste("h.p.s");
    await screen.findByTestId("decode-claims");
    fireEvent.click(screen.getByTestId("verify-source-secret"));
    fireEvent.change(screen.getByTestId("verify-secret"), { target: { value: "s3cret" } });
    fireEvent.click(screen.getByTestId("decode-claims-view-json"));
    first.unmount();
    render(<DecodeScreen />);
    expect((screen.getByTestId("decode-input") as HTMLTextAreaElement).value, "the pasted token is still there").toBe("h.p.s");
    expect((await screen.findByTestId("verify-source-secret")).getAttribute("aria-pressed"), "the key source is kept").toBe("true");
    expect((screen.getByTestId("verify-secret") as HTMLInputElement).value, "the secret is kept for this session (memory only)").toBe("s3cret");
    expect(await screen.findByTestId("decode-claims-json"), "the JSON view is kept").toBeTruthy();
    expect(window.localStorage.length, "nothing is written to localStorage").toBe(0);
  });

  it("says a JWE is encrypted and shows only its header", async () => {
    m.decodeToken.mockResolvedValue(
      decoded({ kind: "jwe", label: "encrypted JWT (JWE, RSA-OAEP / A256GCM): the payload cannot be decoded without the recipient's private key", jwt: { header: { alg: "RSA-OAEP", enc: "A256GCM" }, claims: null, encrypted: true, signature_length: 0 }, segments: ["h", "k", "iv", "c", "t"] }),
    );
    m.verifyToken.mockResolvedValue(verification({ status: "unverified", code: "encrypted", title: "Encrypted (JWE): not decoded, not verified", reason: "only the recipient" }));
    render(<DecodeScreen />);
    paste("h.k.iv.c.t");
    expect((await screen.findByTestId("decode-header")).textContent, "a JWE's header is readable").toContain("A256GCM");
    expect(screen.getByTestId("decode-kind").textContent, "labelled encrypted").toContain("encrypted JWT (JWE");
    expect(screen.getByTestId("decode-segment-4").dataset.part, "five parts, the last the tag").toBe("tag");
    expect(screen.getByTestId("decode-encrypted").textContent, "its payload is said to be encrypted").toMatch(/cannot be decoded without the recipient's private key/);
    expect(screen.queryByTestId("decode-claims"), "no claims table for a JWE").toBeNull();
  });

  it("explains a malformed token by segment", async () => {
    m.decodeToken.mockResolvedValue(decoded({ kind: "malformed", label: "malformed JWT: it does not decode", jwt: null, segments: ["eyJhbGciOiJSUzI1NiJ9", "eyJzdWIi", "c2ln"], problem: "the payload (segment 2) is not JSON once decoded (EOF)", problem_segment: 1 }));
    m.verifyToken.mockResolvedValue(verification({ status: "invalid", code: "malformed", title: "Malformed token", reason: "not base64url JSON" }));
    render(<DecodeScreen />);
    paste("eyJhbGciOiJSUzI1NiJ9.eyJzdWIi.c2ln");
    expect((await screen.findByTestId("decode-problem")).textContent, "the reason names the segment").toContain("payload (segment 2) is not JSON");
    expect(screen.getByTestId("decode-segment-1").className, "the failing segment is marked").toContain("jwt-seg-problem");
    expect(screen.queryByTestId("decode-claims"), "nothing is made up for the payload").toBeNull();
  });

  it("says an opaque token is opaque", async () => {
    m.decodeToken.mockResolvedValue(decoded({ kind: "opaque", label: "opaque token", jwt: null, segments: [] }));
    render(<DecodeScreen />);
    paste("2YotnFZFEjr1zCsicMWpAA");
    expect((await screen.findByTestId("decode-opaque")).textContent, "no JWT parts for an opaque token").toMatch(/opaque/);
    expect(m.verifyToken, "an opaque token is not sent for verification").not.toHaveBeenCalled();
  });

  it("shows a decoding error in words", async () => {
    m.decodeToken.mockRejectedValue(ipcError({ code: "invalid_input", message: "tokens over 64 KiB are not decoded" }));
    render(<DecodeScreen />);
    paste("eyJ!!.x.y");
    expect((await screen.findByTestId("decode-error")).textContent, "the decoding error in Rust's words").toContain("64 KiB");
  });

  it("re-signs edited claims as a clearly labelled test token and copies it through Rust", async () => {
    m.decodeToken.mockResolvedValue(decoded());
    m.verifyToken.mockResolvedValue(verification({ status: "unverified", code: "not_verified", title: "Decoded, not verified", reason: "no key" }));
    m.signTestToken.mockResolvedValue("eyJ0ZXN0Ijp0cnVlfQ.eyJzdWIiOiJtYWxsb3J5In0.sig");
    render(<DecodeScreen />);
    paste("h.p.s");
    const panel = await screen.findByTestId("resign-panel");
    fireEvent.change(within(panel).getByTestId("resign-claims"), { target: { value: '{"sub":"mallory"}' } });
    fireEvent.change(within(panel).getByTestId("resign-alg"), { target: { value: "HS256" } });
    fireEvent.change(within(panel).getByTestId("resign-key"), { target: { value: "test-secret" } });
    fireEvent.click(within(panel).getByTestId("resign-sign"));
    const result = await within(panel).findByTestId("resign-result");
    expect(m.signTestToken, "the edited JSON, the alg and the key go to Rust").toHaveBeenCalledWith(JSON.stringify({ alg: "RS256", kid: "2024-01" }, null, 2), '{"sub":"mallory"}', "HS256", "test-secret");
    expect(result.textContent, "the output is labelled a test token").toContain("TEST TOKEN");
    fireEvent.click(within(panel).getByTestId("resign-copy"));
    await vi.waitFor(() => expect(m.copyDecodedText, "the test token is copied through Rust").toHaveBeenCalledWith("eyJ0ZXN0Ijp0cnVlfQ.eyJzdWIiOiJtYWxsb3J5In0.sig"));
    m.signTestToken.mockRejectedValue(ipcError({ code: "invalid_input", message: "the payload is not JSON: EOF" }));
    fireEvent.change(within(panel).getByTestId("resign-claims"), { target: { value: "{" } });
    fireEvent.click(within(panel).getByTestId("resign-sign"));
    expect((await within(panel).findByTestId("resign-error")).textContent, "a signing error in words").toContain("not JSON");
  });
});

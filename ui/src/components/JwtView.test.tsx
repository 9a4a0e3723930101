import { describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach } from "vitest";
import JwtView from "./JwtView";

afterEach(cleanup);

describe("JwtView", () => {
  it("calls an alg none token unsigned and never says a signed one is unverified", () => {
    render(<JwtView jwt={{ header: { alg: "none" }, claims: { sub: "x" }, encrypted: false, signature_length: 0 }} now={0} name="ID token" />);
    const sig = screen.getByTestId("jwt-signature").textContent ?? "";
    expect(sig, "alg none is an unsigned JWT").toContain("unsigned JWT (alg: none)");
    expect(sig, "not labelled as a signed JWS").not.toContain("JWS");
    cleanup();
    render(<JwtView jwt={{ header: { alg: "RS256" }, claims: { sub: "x" }, encrypted: false, signature_length: 342 }} now={0} name="ID token" />);
    const signed = screen.getByTestId("jwt-signature").textContent ?? "";
    expect(signed, "a signed token names its alg").toContain("signed JWT (JWS, RS256)");
    expect(signed, "the verification is pointed to, not contradicted").not.toContain("not verified");
  });
});

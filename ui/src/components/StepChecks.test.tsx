import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Exchange } from "../api";
import StepChecks, { stepChecks } from "./StepChecks";

const step = (body: string | null): Exchange => ({
  step: "authorization response (JARM)",
  started_at_ms: 0,
  duration_ms: 0,
  request: { method: "JWT", url: "(the response parameter)", headers: [], body },
  response: null,
  note: "refused before the code was used: aud",
});

const JARM = JSON.stringify({
  header: { alg: "RS256" },
  claims: { iss: "https://as.example", aud: "someone-else", code: "[redacted]" },
  checks: [
    { name: "signature", status: "pass", code: null, reason: "valid RS256 signature", spec: "RFC 7515 §5.2" },
    { name: "aud", status: "fail", code: "aud_mismatch", reason: "audience someone-else does not include this client", spec: "JARM §2.4" },
  ],
});

afterEach(cleanup);

describe("StepChecks", () => {
  it("shows a JARM step's checks one row each, the failure with its code", () => {
    render(<StepChecks exchange={step(JARM)} />);
    expect(screen.getByTestId("step-checks").dataset.failed, "one check failed").toBe("1");
    const aud = screen.getByTestId("step-checks-aud");
    expect([aud.dataset.status, aud.dataset.code], "the aud row is a failure named aud_mismatch").toEqual(["fail", "aud_mismatch"]);
    expect(screen.getByTestId("step-checks-signature").dataset.status, "the signature row passed").toBe("pass");
  });

  it("shows nothing for steps without checks or with bodies that only look like them", () => {
    expect(stepChecks(step("grant_type=authorization_code")), "a form body has no checks").toEqual([]);
    expect(stepChecks(step(null)), "no body, no checks").toEqual([]);
    expect(stepChecks(step('{"checks": "not a list"}')), "a checks member that is not a list is ignored").toEqual([]);
    expect(stepChecks(step('{"checks": [{"name": "x"}]}')), "entries that are not checks are ignored").toEqual([]);
    const { container } = render(<StepChecks exchange={step('{"checks": [')} />);
    expect(container.textContent, "broken JSON renders nothing").toBe("");
  });
});

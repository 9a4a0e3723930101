import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { HighAssuranceLogin } from "../api";
import { setupApi } from "../test/setup";
import HighAssuranceFields, { EMPTY_HIGH_ASSURANCE, highAssuranceProblem } from "./HighAssuranceFields";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

setupApi();

const v = (patch: Partial<HighAssuranceLogin>): HighAssuranceLogin => ({ ...EMPTY_HIGH_ASSURANCE, ...patch });

describe("HighAssuranceFields", () => {
  it("edits the CIBA options and offers the client's registered mode as the default", () => {
    const onChange = vi.fn();
    render(
      <HighAssuranceFields
        grant="ciba"
        value={v({ ciba_mode: "ping" })}
        onChange={onChange}
        settings={{ delivery_mode: "ping", notification_endpoint: "https://127.0.0.1:8443/ciba", has_tls_certificate: true }}
      />,
    );
    fireEvent.change(screen.getByLabelText("Login hint"), { target: { value: "alice" } });
    expect(onChange, "the login hint is reported").toHaveBeenLastCalledWith(v({ ciba_mode: "ping", login_hint: "alice" }));
    fireEvent.change(screen.getByLabelText("Delivery mode"), { target: { value: "" } });
    expect(onChange, "the empty choice is the client's mode (null)").toHaveBeenLastCalledWith(v({ ciba_mode: null }));
    expect(screen.getByRole("option", { name: "The client's (ping)" }), "the registered mode is named").toBeTruthy();
    expect(screen.getByTestId("ciba-ping-help").textContent, "ping mode names the notification endpoint").toContain("https://127.0.0.1:8443/ciba");
  });

  it("edits the JWT bearer assertion or claims", () => {
    const onChange = vi.fn();
    render(<HighAssuranceFields grant="jwt_bearer" value={EMPTY_HIGH_ASSURANCE} onChange={onChange} settings={null} />);
    fireEvent.change(screen.getByTestId("jwt-bearer-claims"), { target: { value: '{"sub":"alice"}' } });
    expect(onChange, "the claims are reported").toHaveBeenLastCalledWith(v({ assertion_claims: '{"sub":"alice"}' }));
    fireEvent.change(screen.getByTestId("jwt-bearer-assertion"), { target: { value: "a.b.c" } });
    expect(onChange, "the assertion is reported").toHaveBeenLastCalledWith(v({ assertion: "a.b.c" }));
  });

  it("names what is wrong before anything is sent", () => {
    expect(highAssuranceProblem("ciba", v({})), "CIBA needs a login hint").toContain("login hint");
    expect(highAssuranceProblem("ciba", v({ login_hint: "a", requested_expiry: 0 })), "a zero expiry is refused").toContain("positive");
    expect(highAssuranceProblem("ciba", v({ login_hint: "a" })), "a hint is enough").toBeNull();
    expect(highAssuranceProblem("jwt_bearer", v({ assertion: "not a jwt" })), "text that is not a JWT is refused").toContain("RFC 7523");
    expect(highAssuranceProblem("jwt_bearer", v({ assertion: "a.b.c", assertion_claims: "{}" })), "both at once are refused").toContain("not both");
    expect(highAssuranceProblem("jwt_bearer", v({ assertion_claims: "[1]" })), "claims must be an object").toContain("object");
    expect(highAssuranceProblem("jwt_bearer", v({})), "neither: a self-signed assertion with the standard claims").toBeNull();
  });
});

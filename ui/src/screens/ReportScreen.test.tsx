import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { client, setupApi } from "../test/setup";
import ReportScreen from "./ReportScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();

describe("provider report", () => {
  it("shows each finding with its spec section and what OAuth Desk did, per client", async () => {
    m.listClients.mockResolvedValue([client({ name: "github" }), client({ name: "sandbox" })]);
    m.providerReport.mockImplementation(async (name: string) => ({
      client: name,
      issuer: "https://as.example",
      flows_checked: 3,
      exchanges_checked: 9,
      grants_checked: 2,
      findings:
        name === "github"
          ? [
              { code: "form_encoded_response", severity: "violation", spec: "RFC 6749 §5.1", detail: "response body is form-encoded", action: "parsed the form-encoded body", source: "token endpoint", occurrences: 2 },
              { code: "pkce_not_advertised", severity: "advice", spec: "RFC 8414 §2", detail: "no code_challenge_methods_supported", action: "sends PKCE S256 anyway", source: "metadata", occurrences: 1 },
            ]
          : [],
    }));
    render(<ReportScreen />);
    const f = await screen.findByTestId("finding-form_encoded_response");
    expect(m.providerReport, "the first client's report is built at once").toHaveBeenCalledWith("github");
    expect(f.dataset.severity, "a violation is marked as one").toBe("violation");
    expect(f.textContent, "with the spec section").toContain("RFC 6749 §5.1");
    expect(f.textContent, "what OAuth Desk did about it").toContain("parsed the form-encoded body");
    expect(f.textContent, "and how often it was seen").toContain("2×");
    expect(screen.getByTestId("report-scope").textContent, "the report says what it checked").toContain("9 exchanges");
    fireEvent.change(screen.getByTestId("report-client"), { target: { value: "sandbox" } });
    await waitFor(() => expect(screen.getByTestId("report-clean"), "a client without findings says so").toBeTruthy());
  });

  it("explains an empty store", async () => {
    render(<ReportScreen />);
    expect((await screen.findByTestId("report-empty")).textContent, "no clients: the empty state explains").toContain("No clients yet");
  });
});

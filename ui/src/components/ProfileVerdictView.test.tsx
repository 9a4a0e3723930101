import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import type { ProfileCheck, ProfileReport } from "../api";
import { client, setupApi } from "../test/setup";
import ReportScreen from "../screens/ReportScreen";
import ProfileVerdictView from "./ProfileVerdictView";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();

function check(code: string, outcome: ProfileCheck["outcome"], detail: string): ProfileCheck {
  return { code, outcome, section: "FAPI 2.0 SP §5.3.2.2 (3)", requirement: "shall reject authorization requests sent without PAR", detail, source: "metadata", occurrences: 1 };
}

function verdict(over: Partial<ProfileReport> = {}): ProfileReport {
  return {
    client: "bank",
    issuer: "http://127.0.0.1:3000",
    profile: "fapi2",
    profile_name: "FAPI 2.0 Security Profile (Final, 2025-02-22)",
    verdict: "not_conformant",
    summary: "FAPI 2.0: not conformant — 1 violation",
    violations: 1,
    advice: 0,
    flows_checked: 1,
    exchanges_checked: 4,
    findings: [
      {
        code: "endpoint_without_tls",
        severity: "violation",
        spec: "FAPI 2.0 SP §5.2.1 (1)",
        detail: "not TLS protected: issuer http://127.0.0.1:3000",
        action: "checked the rule: shall only offer TLS protected endpoints",
        source: "metadata",
        occurrences: 1,
      },
    ],
    passed: [check("par_used", "passed", "the authorization request went only as a request_uri")],
    not_observed: [check("code_lifetime", "not_observed", "a code's lifetime is known only to the server\u001b[2J")],
    ...over,
  };
}

describe("FAPI 2.0 verdict", () => {
  it("shows the verdict, each finding with its section, what passed and what was not observed", () => {
    render(<ProfileVerdictView report={verdict()} />);
    const root = screen.getByTestId("profile-verdict");
    expect(root.dataset.verdict, "the verdict is marked").toBe("not_conformant");
    expect(screen.getByTestId("profile-summary").textContent, "the summary line leads").toContain("not conformant — 1 violation");
    expect(screen.getByTestId("finding-endpoint_without_tls").textContent, "a finding names its section").toContain("§5.2.1 (1)");
    expect(screen.getByTestId("check-par_used").dataset.outcome, "passed checks are listed").toBe("passed");
    const unseen = screen.getByTestId("check-code_lifetime");
    expect(unseen.textContent, "what no record shows is listed as not observed").toContain("not observed");
    expect(unseen.textContent, "control characters in details are escaped").not.toContain("\u001b");
  });

  it("says conformant only for what was observed", () => {
    render(<ProfileVerdictView report={verdict({ verdict: "conformant_for_what_was_observed", summary: "FAPI 2.0: conformant for what was observed", violations: 0, findings: [] })} />);
    expect(screen.getByTestId("profile-summary").className, "a conformant verdict is shown as ok").toContain("notice-ok");
    expect(screen.queryByTestId("profile-findings"), "no findings list without findings").toBeNull();
    expect(screen.getByTestId("profile-not-observed"), "the unobserved rules stay visible beside a clean verdict").toBeTruthy();
  });

  it("is chosen on the Report screen as the FAPI 2.0 profile", async () => {
    m.listClients.mockResolvedValue([client({ name: "bank" })]);
    m.providerReport.mockResolvedValue({ client: "bank", issuer: null, flows_checked: 0, exchanges_checked: 0, grants_checked: 0, findings: [] });
    m.fapi2Report.mockResolvedValue(verdict());
    render(<ReportScreen />);
    await screen.findByTestId("report-clean");
    expect(m.fapi2Report, "the verdict is built only when asked for").not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("report-profile-fapi2"));
    expect((await screen.findByTestId("profile-summary")).textContent, "the FAPI 2.0 verdict replaces the plain report").toContain("FAPI 2.0");
    expect(m.fapi2Report, "for the chosen client").toHaveBeenCalledWith("bank");
    expect(screen.queryByTestId("report-clean"), "the plain report is not shown beside it").toBeNull();
  });
});

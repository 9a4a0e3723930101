import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import AuthorizationDetailsCompare, { DetailTypesCell } from "./AuthorizationDetailsCompare";

const requested = [{ type: "account_information", actions: ["list_accounts", "read_transactions"] }];
const granted = [{ type: "account_information", actions: ["list_accounts"] }];
const comparison = [
  { type: "account_information", status: "narrowed" as const, requested, granted, note: "granted with less: actions [read_transactions] left out" },
];

afterEach(cleanup);

describe("AuthorizationDetailsCompare", () => {
  it("shows requested beside granted and each type's verdict", () => {
    render(<AuthorizationDetailsCompare requested={requested} granted={granted} comparison={comparison} />);
    expect(screen.getByTestId("rar-requested").textContent, "the requested JSON").toContain("read_transactions");
    expect(screen.getByTestId("rar-granted").textContent, "the granted JSON lacks what was dropped").not.toContain("read_transactions");
    const row = screen.getByTestId("rar-status-account_information");
    expect(row.dataset.status, "the type's status").toBe("narrowed");
    expect(row.textContent, "in words, with what was left out").toContain("narrowed by the server");
    expect(row.textContent).toContain("read_transactions");
  });

  it("says when the server did not say what it granted", () => {
    render(<AuthorizationDetailsCompare requested={requested} granted={null} comparison={[]} />);
    expect(screen.getByTestId("rar-granted-unknown").textContent, "RFC 9396 §7 cited").toContain("RFC 9396 §7");
  });

  it("lists the audit's types with their verdicts", () => {
    render(<DetailTypesCell types={["account_information"]} comparison={comparison} />);
    expect(screen.getByTestId("audit-rar-account_information").textContent, "type and verdict").toBe("account_information: narrowed by the server");
  });
});

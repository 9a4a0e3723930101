import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import AuthorizationDetailsEditor from "./AuthorizationDetailsEditor";

function Harness({ initial = "", types = ["payment_initiation", "account_information"] }: { initial?: string; types?: string[] }) {
  const [text, setText] = useState(initial);
  return <AuthorizationDetailsEditor value={text} onChange={setText} types={types} testId="rar" />;
}

const text = () => (screen.getByTestId("rar-text") as HTMLTextAreaElement).value;

afterEach(cleanup);

// The GUI end-to-end test (tests/tests/gui_rar.rs) clicks these test ids.
describe("AuthorizationDetailsEditor", () => {
  it("offers a button per server type that inserts a template object", () => {
    render(<Harness />);
    fireEvent.click(screen.getByTestId("rar-insert-account_information"));
    expect(JSON.parse(text()), "the template of the type is in the text area").toEqual([{ type: "account_information", actions: ["list_accounts", "read_balances", "read_transactions"], locations: ["https://example.com/accounts"] }]);
    fireEvent.click(screen.getByTestId("rar-insert-payment_initiation"));
    expect(JSON.parse(text()).map((d: { type: string }) => d.type), "a second type is appended").toEqual(["account_information", "payment_initiation"]);
    expect(screen.queryByTestId("rar-error"), "valid details show no error").toBeNull();
  });

  it("validates live in words and disables insertion into broken JSON", () => {
    render(<Harness />);
    fireEvent.change(screen.getByTestId("rar-text"), { target: { value: '[{"actions":["x"]}]' } });
    expect(screen.getByTestId("rar-error").textContent, "the problem is named with the entry index").toContain("Entry 0 has no `type`");
    expect((screen.getByTestId("rar-insert-payment_initiation") as HTMLButtonElement).disabled, "no insertion into invalid details").toBe(true);
  });

  it("warns about a type the server does not list", () => {
    render(<Harness initial='[{"type":"tax_filing"}]' />);
    expect(screen.getByTestId("rar-unknown").textContent, "the unlisted type is named with the RFC section").toContain("tax_filing");
    expect(screen.getByTestId("rar-unknown").textContent).toContain("RFC 9396 §10");
  });

  it("says so when the server lists no types", () => {
    render(<Harness types={[]} />);
    expect(screen.queryByTestId("rar-types"), "no buttons without types").toBeNull();
    expect(screen.getByTestId("rar").textContent, "the editor explains why").toContain("lists no authorization_details_types_supported");
  });
});

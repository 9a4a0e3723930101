import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { setupApi } from "../test/setup";
import ClientSelect from "./ClientSelect";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

setupApi();

const options = (testId: string) => [...(screen.getByTestId(testId) as HTMLSelectElement).options].map((o) => [o.value, o.textContent]);

// The end-to-end tests (tests/tests/gui_*.rs) pick clients by these test ids, values and option texts.
describe("ClientSelect", () => {
  it("is a labelled select whose options are the client names", () => {
    const onChange = vi.fn();
    render(<ClientSelect id="az-client" testId="authorize-client" label="Client" names={["web", "cli"]} value="web" onChange={onChange} />);
    const select = screen.getByLabelText("Client");
    expect(select.id, "the label points at the select by id").toBe("az-client");
    expect(select.dataset.testid, "the test id the GUI tests select by").toBe("authorize-client");
    expect(options("authorize-client"), "one option per client: value and text are its name").toEqual([
      ["web", "web"],
      ["cli", "cli"],
    ]);
    fireEvent.change(select, { target: { value: "cli" } });
    expect(onChange, "a choice reports the name").toHaveBeenCalledWith("cli");
  });

  it("offers a first option with the empty value for All clients or None", () => {
    render(<ClientSelect id="audit-client" testId="audit-client" label="Client" inline names={["web"]} value="" onChange={() => undefined} noneLabel="All clients" />);
    expect(options("audit-client"), "the empty choice comes first").toEqual([
      ["", "All clients"],
      ["web", "web"],
    ]);
    expect(screen.getByText("Client").className, "a filter bar's label sits inline").toBe("inline-label");
  });

  it("says it is loading while the names are unknown", () => {
    render(<ClientSelect id="az-client" testId="authorize-client" label="Client" names={null} value="" onChange={() => undefined} />);
    expect(options("authorize-client"), "a placeholder until the list arrives").toEqual([["", "Loading…"]]);
  });
});

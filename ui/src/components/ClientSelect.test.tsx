import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { createRoot } from "react-dom/client";
import { describe, expect, it, vi } from "vitest";
import { setupApi } from "../test/setup";
import ClientSelect, { DEFERRED_OPTIONS } from "./ClientSelect";

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

  it("with many clients, paints the chosen one first and every other one a frame later", async () => {
    const names = Array.from({ length: DEFERRED_OPTIONS * 10 }, (_, i) => `client-${String(i).padStart(4, "0")}`);
    const box = document.createElement("div");
    document.body.append(box);
    // Rendered outside act(), as the app renders: the first commit, before effects have run.
    const root = createRoot(box);
    root.render(<ClientSelect id="tokens-client" testId="tokens-filter" label="Client" inline names={names} value="client-0500" onChange={() => undefined} noneLabel="All clients" />);
    const select = box.querySelector("select") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value), "the first frame holds the empty choice and the chosen client only").toEqual(["", "client-0500"]);
    expect(select.value, "and shows the chosen client").toBe("client-0500");
    await waitFor(() => expect(select.options.length, "then every client is offered").toBe(names.length + 1));
    expect(select.value, "still with the chosen one selected").toBe("client-0500");
    expect(select.options[1].value, "in the given order").toBe("client-0000");
    root.unmount();
    box.remove();
  });

  it("offers every client at once when the select is focused before that frame", async () => {
    const names = Array.from({ length: DEFERRED_OPTIONS + 1 }, (_, i) => `c${i}`);
    const box = document.createElement("div");
    document.body.append(box);
    const root = createRoot(box);
    root.render(<ClientSelect id="audit-client" testId="audit-filter" label="Client" names={names} value="" onChange={() => undefined} noneLabel="All clients" />);
    const select = box.querySelector("select") as HTMLSelectElement;
    expect(select.options.length, "deferred at first").toBe(1);
    select.dispatchEvent(new FocusEvent("focusin", { bubbles: true })); // what focusing fires (compat listens to it for onFocus)
    await new Promise<void>((done) => setTimeout(done, 0)); // the re-render, not the next frame
    expect(select.options.length, "a keyboard user reaching the select finds every client").toBe(names.length + 1);
    root.unmount();
    box.remove();
  });
});

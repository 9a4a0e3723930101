import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { setupApi } from "../test/setup";
import App from "../App";
import { SHORTCUTS, shortcutFor } from "./shortcuts";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

setupApi();

const key = (init: KeyboardEventInit, target: EventTarget = document.body) => {
  const e = new KeyboardEvent("keydown", { bubbles: true, ...init });
  Object.defineProperty(e, "target", { value: target });
  return e;
};

describe("keyboard shortcuts", () => {
  it("maps keys to actions and leaves plain keys to a field being typed in", () => {
    expect(shortcutFor(key({ key: "?" })), "? opens the help").toEqual({ kind: "help" });
    expect(shortcutFor(key({ key: "n", ctrlKey: true })), "Ctrl+N is New client").toMatchObject({ control: "new-client" });
    expect(shortcutFor(key({ key: "Enter", metaKey: true })), "Cmd+Enter authorizes too").toMatchObject({ control: "authorize" });
    expect(shortcutFor(key({ key: "C", ctrlKey: true, shiftKey: true })), "Ctrl+Shift+C copies the access token").toMatchObject({
      control: "copy-access-token",
    });
    expect(shortcutFor(key({ key: "3", altKey: true })), "Alt+3 is the third screen").toEqual({ kind: "screen", index: 2 });
    const input = document.createElement("input");
    expect(shortcutFor(key({ key: "?" }, input)), "? typed in a field stays a character").toBeNull();
    expect(shortcutFor(key({ key: "/" }, input)), "/ typed in a field stays a character").toBeNull();
    expect(shortcutFor(key({ key: "k", ctrlKey: true }, input)), "Ctrl+K works from a field").toMatchObject({ control: "search" });
    expect(shortcutFor(key({ key: "x" })), "other keys are no shortcut").toBeNull();
  });

  it("lists every shortcut in the help overlay, which Escape closes", async () => {
    render(<App />);
    fireEvent.keyDown(window, { key: "?" });
    const help = await screen.findByTestId("shortcuts-help");
    const rows = within(help).getAllByTestId("shortcut-row");
    expect(rows.length, "one row per shortcut in the table").toBe(SHORTCUTS.length);
    expect(help.textContent, "the overlay names the keys").toContain("Ctrl+Shift+C");
    fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("shortcuts-help"), "Escape closes the overlay").toBeNull());
  });

  it("Ctrl+N opens a new client from another screen, Alt+n moves between screens, Ctrl+B collapses the sidebar", async () => {
    render(<App />);
    fireEvent.keyDown(window, { key: "4", altKey: true });
    await waitFor(() => expect(screen.getByRole("heading", { level: 1 }).textContent, "Alt+4 opens the fourth screen").toBe("Decode"));
    fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    await waitFor(() => expect(screen.getByRole("heading", { level: 1 }).textContent, "Ctrl+N goes to Clients").toBe("Clients"));
    await waitFor(() => expect(screen.getByTestId("client-name"), "and opens the new-client editor").toBeTruthy());
    fireEvent.keyDown(window, { key: "b", ctrlKey: true });
    expect(document.querySelector(".shell")?.getAttribute("data-sidebar"), "Ctrl+B collapses the sidebar").toBe("collapsed");
    fireEvent.keyDown(window, { key: "b", ctrlKey: true });
    expect(document.querySelector(".shell")?.getAttribute("data-sidebar"), "and expands it again").toBe("expanded");
  });
});

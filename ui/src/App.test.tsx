import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import App from "./App";

// The api facade is the only module that reaches Tauri; replacing it keeps the test in jsdom.
vi.mock("./api", () => ({
  appInfo: vi.fn().mockResolvedValue({ name: "OAuth Desk", version: "1.2.3" }),
}));

afterEach(cleanup);

describe("App shell", () => {
  it("lists every screen in the sidebar and opens on Clients", () => {
    render(<App />);

    const nav = screen.getByRole("navigation", { name: "Screens" });
    const labels = within(nav)
      .getAllByRole("button")
      .map((b) => b.textContent);
    expect(labels, "the sidebar offers the planned screens in order").toEqual([
      "Clients",
      "Authorize",
      "Tokens",
      "Decode",
      "Call API",
      "History",
      "Settings",
    ]);
    expect(
      screen.getByRole("heading", { level: 1 }).textContent,
      "the app opens on the Clients screen",
    ).toBe("Clients");
    expect(
      within(nav).getByRole("button", { name: "Clients" }).getAttribute("aria-current"),
      "the current screen is marked for assistive technology",
    ).toBe("page");
  });

  it("shows the name and version reported by the backend", async () => {
    render(<App />);

    expect(
      await screen.findByText("v1.2.3"),
      "the version comes from app_info, not from a constant in the UI",
    ).toBeTruthy();
    expect(screen.getByText("OAuth Desk"), "the product name is shown").toBeTruthy();
  });
});

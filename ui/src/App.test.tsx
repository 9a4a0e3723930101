import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { client, grant, setupApi } from "./test/setup";
import { prefetchClients } from "./lib/prefetch";
import App from "./App";

// The api facade is the only module that reaches Tauri; replacing it keeps the test in jsdom.
vi.mock("./api", async () => (await import("./test/apiMock")).apiMock());

const m = setupApi();

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
      "Audit",
      "Provider report",
      "History",
      "Settings",
      "Environments",
      "MCP server",
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

  it("shows the name and version the app handed over at start in the first frame, without asking", async () => {
    Object.defineProperty(window, "__OAUTHDESK_BOOT__", {
      value: { clients: [], app_info: { name: "OAuth Desk", version: "4.5.6", data_dir: "/data" } },
      configurable: true,
    });
    try {
      await prefetchClients();
      render(<App />);
      expect(screen.getByText("v4.5.6"), "the sidebar's version is in the first frame: no second paint when IPC answers").toBeTruthy();
      expect(m.appInfo, "no app_info request at start").not.toHaveBeenCalled();
    } finally {
      Reflect.deleteProperty(window, "__OAUTHDESK_BOOT__");
    }
  });

  it("switches screens from the sidebar", async () => {
    render(<App />);
    fireEvent.click(screen.getByRole("button", { name: "Decode" }));
    expect(screen.getByRole("heading", { level: 1 }).textContent, "the heading follows the chosen screen").toBe("Decode");
    expect(screen.getByTestId("decode-input"), "the Decode screen's input is shown").toBeTruthy();
  });
});

describe("accessibility", () => {
  it("labels every form control on every screen", async () => {
    m.listClients.mockResolvedValue([client()]);
    m.listGrants.mockResolvedValue([grant()]);
    render(<App />);
    await screen.findByText("v1.2.3");
    for (const name of ["Clients", "Authorize", "Tokens", "Decode", "Call API", "Audit", "Provider report", "History", "Settings"]) {
      fireEvent.click(within(screen.getByRole("navigation", { name: "Screens" })).getByRole("button", { name }));
      await new Promise((r) => setTimeout(r, 10));
      if (name === "Clients") fireEvent.click(screen.getByTestId("client-new"));
      for (const control of document.querySelectorAll("input, select, textarea")) {
        const labelled =
          control.getAttribute("aria-label") ||
          (control.id && document.querySelector(`label[for="${control.id}"]`)) ||
          control.closest("label");
        expect(labelled, `${name}: ${control.outerHTML.slice(0, 80)} has a label`).toBeTruthy();
      }
    }
  });
});

describe("keychain banner", () => {
  it("appears on every screen when no keychain is reachable, with the problem and a fix", async () => {
    m.keychainStatus.mockResolvedValue({ available: false, backend: "Secret Service", problem: "no Secret Service on the session bus" });
    render(<App />);

    const banner = await screen.findByTestId("keychain-banner");
    expect(banner.textContent, "the backend's own reason is shown").toContain("no Secret Service on the session bus");
    expect(banner.textContent, "the banner says how to fix it").toMatch(/gnome-keyring/);
    fireEvent.click(screen.getByRole("button", { name: "Tokens" }));
    expect(screen.getByTestId("keychain-banner"), "the banner stays when the screen changes").toBeTruthy();
  });

  it("is absent when the keychain works", async () => {
    render(<App />);
    await waitFor(() => expect(m.keychainStatus, "the shell asks for the keychain status at start").toHaveBeenCalled());
    await screen.findByText("v1.2.3");
    expect(screen.queryByTestId("keychain-banner"), "no banner while the keychain is reachable").toBeNull();
  });

  it("can check again and disappears once the keychain is back", async () => {
    m.keychainStatus.mockResolvedValueOnce({ available: false, backend: "Secret Service", problem: "locked" });
    render(<App />);
    const banner = await screen.findByTestId("keychain-banner");
    fireEvent.click(within(banner).getByRole("button", { name: "Check again" }));
    await waitFor(() => expect(screen.queryByTestId("keychain-banner"), "a successful re-check removes the banner").toBeNull());
  });
});

describe("theme at startup", () => {
  it("applies the stored theme to the document", async () => {
    m.getSettings.mockResolvedValue({ theme: "dark", clock_skew_secs: 60, network: { proxy: "system", proxy_url: null, no_proxy: "", proxy_password_stored: false, ca_pem: null, timeout_secs: null } });
    render(<App />);
    await waitFor(() => expect(document.documentElement.dataset.theme, "the saved dark theme is applied before any screen asks").toBe("dark"));
  });
});

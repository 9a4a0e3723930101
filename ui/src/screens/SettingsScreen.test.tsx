import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { ipcError, setupApi } from "../test/setup";
import { DEFAULT_NETWORK } from "./NetworkSection";
import SettingsScreen from "./SettingsScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();
const info = { name: "OAuth Desk", version: "1.0.0", data_dir: "/tmp/oauthdesk-home" };

describe("settings", () => {
  it("applies the theme to the document at once and persists it", async () => {
    render(<SettingsScreen info={info} keychain={{ available: true, backend: "Secret Service", problem: null }} onRecheckKeychain={() => undefined} />);
    const theme = screen.getByTestId("settings-theme") as HTMLSelectElement;
    await waitFor(() => expect(theme.disabled, "the select is enabled once the settings are loaded").toBe(false));

    fireEvent.change(theme, { target: { value: "dark" } });
    expect(document.documentElement.dataset.theme, "dark is applied immediately").toBe("dark");
    await waitFor(() => expect(m.setSettings, "the choice is saved, the rest unchanged").toHaveBeenCalledWith({ theme: "dark", clock_skew_secs: 60, network: DEFAULT_NETWORK }));

    fireEvent.change(theme, { target: { value: "system" } });
    expect(document.documentElement.dataset.theme, "system removes the override, so prefers-color-scheme decides").toBeUndefined();
  });

  it("shows the keychain status and the data dir", () => {
    render(<SettingsScreen info={info} keychain={{ available: false, backend: "Secret Service", problem: "the collection is locked" }} onRecheckKeychain={() => undefined} />);
    expect(screen.getByTestId("settings-keychain").textContent, "the keychain's problem is shown").toContain("the collection is locked");
    expect(screen.getByTestId("settings-datadir").textContent, "the data dir from app_info").toBe("/tmp/oauthdesk-home");
  });

  it("validates and saves the clock skew tolerance", async () => {
    render(<SettingsScreen info={info} keychain={null} onRecheckKeychain={() => undefined} />);
    const skew = screen.getByTestId("settings-skew") as HTMLInputElement;
    await waitFor(() => expect(skew.value, "the saved tolerance is shown").toBe("60"));
    fireEvent.change(skew, { target: { value: "-5" } });
    fireEvent.click(screen.getByTestId("settings-skew-save"));
    expect(screen.getByRole("alert").textContent, "a negative value is refused with the allowed range").toMatch(/whole number of seconds from 0 to 3600/);
    expect(m.setSettings, "and nothing is saved").not.toHaveBeenCalled();
    fireEvent.change(skew, { target: { value: "120" } });
    fireEvent.click(screen.getByTestId("settings-skew-save"));
    await waitFor(() => expect(m.setSettings, "a valid value is saved").toHaveBeenCalledWith({ theme: "system", clock_skew_secs: 120, network: DEFAULT_NETWORK }));
  });

  it("shows a refusal from Rust in words", async () => {
    m.setSettings.mockRejectedValue(ipcError({ code: "invalid_input", message: "unknown theme" }));
    render(<SettingsScreen info={info} keychain={null} onRecheckKeychain={() => undefined} />);
    const theme = screen.getByTestId("settings-theme") as HTMLSelectElement;
    await waitFor(() => expect(theme.disabled, "the select is enabled once the settings are loaded").toBe(false));
    fireEvent.change(theme, { target: { value: "light" } });
    expect((await screen.findByTestId("settings-error")).textContent, "Rust's refusal in its words").toContain("unknown theme");
  });
});

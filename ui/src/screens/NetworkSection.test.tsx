import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { ipcError, setupApi } from "../test/setup";
import { DEFAULT_NETWORK } from "./NetworkSection";
import SettingsScreen from "./SettingsScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();
const info = { name: "OAuth Desk", version: "1.0.0", data_dir: "/tmp/oauthdesk-home" };
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----";

const renderScreen = async () => {
  render(<SettingsScreen info={info} keychain={null} onRecheckKeychain={() => undefined} />);
  const proxy = screen.getByTestId("settings-proxy") as HTMLSelectElement;
  await waitFor(() => expect(proxy.disabled, "the proxy choice is enabled once the settings are loaded").toBe(false));
  return proxy;
};

describe("settings → network", () => {
  it("saves an explicit proxy with its password handed to Rust once, and never shows it again", async () => {
    m.setSettings.mockImplementation(async (s) => ({
      ...s,
      // What Rust answers: the URL without the password, which went to the keychain.
      network: { ...s.network, proxy_url: "http://alice@proxy.corp.example:3128", proxy_password_stored: true },
    }));
    const proxy = await renderScreen();
    expect(screen.queryByTestId("settings-proxy-url"), "no URL field while the proxy is the system's").toBeNull();
    fireEvent.change(proxy, { target: { value: "explicit" } });
    fireEvent.change(screen.getByTestId("settings-proxy-url"), { target: { value: "http://alice@proxy.corp.example:3128" } });
    fireEvent.change(screen.getByTestId("settings-proxy-password"), { target: { value: "s3cret" } });
    fireEvent.change(screen.getByTestId("settings-no-proxy"), { target: { value: "localhost,.corp.example" } });
    fireEvent.click(screen.getByTestId("settings-network-save"));
    await waitFor(() => expect(m.setSettings, "the network settings are saved").toHaveBeenCalledTimes(1));
    const sent = m.setSettings.mock.calls[0][0].network;
    expect(sent.proxy, "explicit mode is sent").toBe("explicit");
    expect(new URL(sent.proxy_url ?? "").password, "the typed password travels inside the URL, for Rust to move to the keychain").toBe("s3cret");
    expect(sent.no_proxy, "the no-proxy list is sent").toBe("localhost,.corp.example");
    await waitFor(() => expect((screen.getByTestId("settings-proxy-password") as HTMLInputElement).value, "the password field is emptied after saving").toBe(""));
    expect((screen.getByTestId("settings-proxy-password") as HTMLInputElement).placeholder, "it says a password is stored").toMatch(/stored in keychain/);
    expect(screen.getByTestId("settings-network").textContent, "the saved password is not on the page").not.toContain("s3cret");
    expect(screen.getByTestId("settings-note").textContent, "the save is confirmed").toContain("Network settings saved");
  });

  it("forgets a stored proxy password on request", async () => {
    m.getSettings.mockResolvedValue({
      theme: "system",
      clock_skew_secs: 60,
      network: { ...DEFAULT_NETWORK, proxy: "explicit", proxy_url: "http://alice@proxy:3128", proxy_password_stored: true },
    });
    await renderScreen();
    fireEvent.click(screen.getByTestId("settings-proxy-forget"));
    fireEvent.click(screen.getByTestId("settings-network-save"));
    await waitFor(() =>
      expect(m.setSettings, "the flag goes off, so Rust deletes the keychain item").toHaveBeenCalledWith(
        expect.objectContaining({ network: expect.objectContaining({ proxy_password_stored: false, proxy_url: "http://alice@proxy:3128" }) }),
      ),
    );
  });

  it("refuses a timeout out of range and an explicit proxy without URL, before asking Rust", async () => {
    const proxy = await renderScreen();
    fireEvent.change(screen.getByTestId("settings-timeout"), { target: { value: "0" } });
    fireEvent.click(screen.getByTestId("settings-network-save"));
    expect(screen.getByTestId("settings-network-problem").textContent, "the allowed range is named").toMatch(/from 1 to 600/);
    fireEvent.change(screen.getByTestId("settings-timeout"), { target: { value: "15" } });
    fireEvent.change(proxy, { target: { value: "explicit" } });
    fireEvent.click(screen.getByTestId("settings-network-save"));
    expect(screen.getByTestId("settings-network-problem").textContent, "an explicit proxy needs its URL").toMatch(/needs its URL/);
    expect(m.setSettings, "nothing is saved").not.toHaveBeenCalled();
    fireEvent.change(proxy, { target: { value: "none" } });
    fireEvent.click(screen.getByTestId("settings-network-save"));
    await waitFor(() =>
      expect(m.setSettings, "direct connections and the timeout are saved").toHaveBeenCalledWith(
        expect.objectContaining({ network: expect.objectContaining({ proxy: "none", timeout_secs: 15 }) }),
      ),
    );
  });

  it("counts the pasted CA certificates, saves them, and shows Rust's refusal in words", async () => {
    m.setSettings.mockRejectedValue(
      ipcError({ code: "invalid_input", message: "the CA certificates cannot be used: certificate 2 (line 4) is not a usable X.509 certificate" }),
    );
    await renderScreen();
    fireEvent.change(screen.getByTestId("settings-ca"), { target: { value: PEM } });
    expect(screen.getByTestId("settings-network").textContent, "the number of certificates pasted is shown").toContain("2 certificates");
    fireEvent.click(screen.getByTestId("settings-network-save"));
    await waitFor(() =>
      expect(m.setSettings, "the PEM is sent as pasted").toHaveBeenCalledWith(expect.objectContaining({ network: expect.objectContaining({ ca_pem: PEM }) })),
    );
    expect((await screen.findByTestId("settings-error")).textContent, "which certificate and why").toContain("certificate 2 (line 4)");
    expect((screen.getByTestId("settings-ca") as HTMLTextAreaElement).value, "a refused PEM stays in the field to be fixed").toBe(PEM);
  });
});

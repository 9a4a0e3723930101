import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ipcError, setupApi } from "../test/setup";
import CibaSettingsPanel from "./CibaSettingsPanel";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();

describe("CibaSettingsPanel", () => {
  it("loads the client's mode, saves ping mode with the endpoint's certificate and key, then clears the key", async () => {
    m.cibaSettings.mockResolvedValue({ delivery_mode: "poll", notification_endpoint: null, has_tls_certificate: false });
    m.setCibaSettings.mockResolvedValue({ delivery_mode: "ping", notification_endpoint: "https://127.0.0.1:8443/ciba", has_tls_certificate: true });
    render(<CibaSettingsPanel client="bank" />);
    await waitFor(() => expect(m.cibaSettings, "the client's settings are read").toHaveBeenCalledWith("bank"));
    fireEvent.change(screen.getByLabelText("Delivery mode"), { target: { value: "ping" } });
    fireEvent.change(screen.getByLabelText("Notification endpoint"), { target: { value: "https://127.0.0.1:8443/ciba" } });
    fireEvent.change(screen.getByLabelText("Endpoint certificate (PEM)"), { target: { value: "CERT" } });
    fireEvent.change(screen.getByLabelText("Its private key (PEM)"), { target: { value: "KEY" } });
    fireEvent.click(screen.getByTestId("ciba-settings-save"));
    await screen.findByTestId("ciba-settings-saved");
    expect(m.setCibaSettings, "mode, endpoint, certificate and key are sent together").toHaveBeenCalledWith("bank", {
      delivery_mode: "ping",
      notification_endpoint: "https://127.0.0.1:8443/ciba",
      tls_cert_pem: "CERT",
      tls_key_pem: "KEY",
      clear_tls: false,
    });
    expect((screen.getByLabelText("Its private key (PEM)") as HTMLTextAreaElement).value, "the key is cleared from the page once sent").toBe("");
    expect(screen.getByTestId("ciba-settings-remove-cert"), "a stored certificate can be removed").toBeTruthy();
  });

  it("shows the refusal in words", async () => {
    m.cibaSettings.mockResolvedValue({ delivery_mode: "poll", notification_endpoint: null, has_tls_certificate: false });
    m.setCibaSettings.mockRejectedValue(ipcError({ message: "ping mode needs the notification endpoint registered at the server" }));
    render(<CibaSettingsPanel client="bank" />);
    fireEvent.change(screen.getByLabelText("Delivery mode"), { target: { value: "ping" } });
    fireEvent.click(screen.getByTestId("ciba-settings-save"));
    expect((await screen.findByText(/ping mode needs the notification endpoint/)).textContent, "the server-side check is shown").toContain("notification endpoint");
  });
});

import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { NOW, client, setupApi } from "../test/setup";
import ClientCertificate from "./ClientCertificate";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const api = setupApi({ now: NOW });

const info = {
  subject: "CN=desk-mtls-client, O=OAuth Desk",
  issuer: "CN=OAuth Desk Test CA",
  thumbprint: "tacWJ86tuGCucxsV40PvVZubJOJ9XJ1cN7JW8V9j6B0",
  not_before: NOW - 3600,
  not_after: NOW + 86400,
  self_signed: false,
  chain_length: 1,
};

describe("ClientCertificate", () => {
  it("shows the stored certificate's subject, thumbprint and validity, and removes it", async () => {
    const onChange = vi.fn();
    const withCert = client({ name: "bank", auth_method: "tls_client_auth", tls_certificate: info });
    api.removeClientCertificate.mockResolvedValue(client({ name: "bank", auth_method: "tls_client_auth", tls_certificate: null }));
    render(<ClientCertificate client={withCert} onChange={onChange} />);
    expect(screen.getByTestId("client-certificate-subject").textContent, "the subject DN in words").toBe(info.subject);
    expect(screen.getByTestId("client-certificate-thumbprint").textContent, "the x5t#S256 thumbprint (RFC 8705 §3.1)").toBe(info.thumbprint);
    expect(screen.getByTestId("client-certificate-validity").textContent, "a valid certificate is not flagged expired").not.toContain("expired");
    fireEvent.click(screen.getByTestId("client-certificate-remove"));
    await waitFor(() => expect(onChange, "the editor gets the client without its certificate").toHaveBeenCalled());
    expect(api.removeClientCertificate, "Remove asks the engine by client name").toHaveBeenCalledWith("bank");
  });

  it("imports pasted PEM and clears the key from the page", async () => {
    const onChange = vi.fn();
    api.importClientCertificate.mockResolvedValue(client({ name: "bank", tls_certificate: info }));
    render(<ClientCertificate client={client({ name: "bank", auth_method: "tls_client_auth", tls_certificate: null })} onChange={onChange} />);
    expect(screen.getByTestId("client-certificate-none").textContent, "an mTLS client without a certificate is told it needs one").toContain("needs a client certificate");
    fireEvent.change(screen.getByTestId("client-certificate-pem"), { target: { value: "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----" } });
    fireEvent.change(screen.getByTestId("client-certificate-key"), { target: { value: "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----" } });
    fireEvent.click(screen.getByTestId("client-certificate-import"));
    await waitFor(() => expect(onChange, "the editor gets the client with its certificate").toHaveBeenCalled());
    expect(api.importClientCertificate, "cert and key go to the engine as one PEM import").toHaveBeenCalledWith("bank", {
      kind: "pem",
      certificate: "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----",
      key: "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----",
    });
    expect((screen.getByTestId("client-certificate-key") as HTMLTextAreaElement).value, "the key does not stay on the page").toBe("");
  });

  it("imports a PKCS#12 file with its password and shows a refusal in words", async () => {
    api.importClientCertificate.mockRejectedValue({ code: "invalid_input", message: "the TLS client certificate cannot be used: the PKCS#12 password is wrong" });
    render(<ClientCertificate client={client({ name: "bank", tls_certificate: null })} onChange={vi.fn()} />);
    fireEvent.click(screen.getByTestId("client-certificate-source-p12"));
    fireEvent.change(screen.getByTestId("client-certificate-path"), { target: { value: "/tmp/client.p12" } });
    fireEvent.change(screen.getByTestId("client-certificate-password"), { target: { value: "pw" } });
    fireEvent.click(screen.getByTestId("client-certificate-import"));
    await waitFor(() => expect(screen.getByTestId("client-certificate-error").textContent, "the engine's reason is shown").toContain("password is wrong"));
    expect(api.importClientCertificate, "path and password go to the engine").toHaveBeenCalledWith("bank", { kind: "pkcs12_file", path: "/tmp/client.p12", password: "pw" });
  });

  it("asks to save a new client first", () => {
    render(<ClientCertificate client={null} onChange={vi.fn()} />);
    expect(screen.getByTestId("client-certificate").textContent, "no import before the client exists").toContain("Save the client first");
  });
});

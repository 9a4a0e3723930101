import type { KeychainStatus } from "../api";

interface Props {
  status: KeychainStatus | null;
  onRecheck: () => void;
}

/** Shown on every screen when no keychain is reachable: nothing secret can be stored then. */
export default function KeychainBanner({ status, onRecheck }: Props) {
  if (!status || status.available) return null;
  return (
    <div className="banner banner-warning" role="alert" data-testid="keychain-banner">
      <div>
        <strong>The OS keychain is not reachable ({status.backend || "no backend"}).</strong>{" "}
        {status.problem ?? "No reason was given."}
      </div>
      <div className="banner-fix">
        OAuth Desk keeps client secrets and tokens only in the keychain, so logins and clients with
        a secret cannot be saved until it works. To fix it: on Linux, install and start a Secret
        Service provider (GNOME Keyring or KWallet, e.g. <code>apt install gnome-keyring</code>),
        make sure the desktop session runs D-Bus and the keyring is unlocked, then press Check
        again. On macOS and Windows, unlock the login keychain or Credential Manager.
      </div>
      <button type="button" className="btn btn-small" onClick={onRecheck}>
        Check again
      </button>
    </div>
  );
}

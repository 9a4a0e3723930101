import { useState } from "react";
import { deleteRegistration, readRegistration, type Client, type JsonValue } from "../api";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { prettyJson } from "../lib/json";
import ConfirmDialog from "./ConfirmDialog";
import ErrorMessage from "./ErrorMessage";

/** A dynamically registered client's registration (RFC 7592): read it or delete it. */
export default function RegistrationInfo({ client, onDeleted }: { client: Client; onDeleted: () => void }) {
  const [shown, setShown] = useState<JsonValue | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<ErrorInWords | null>(null);
  if (!client.registration_client_uri) return null;
  return (
    <fieldset className="fieldset" data-testid="registration-info">
      <legend>Dynamic registration</legend>
      <p className="help">
        Registered at the server (RFC 7591); the registration is managed at <code className="selectable value">{client.registration_client_uri}</code> with a token
        kept in the keychain (RFC 7592).
      </p>
      <div className="button-row">
        <button
          type="button"
          className="btn btn-small"
          data-testid="registration-read"
          onClick={() =>
            void readRegistration(client.name)
              .then((v) => {
                setShown(v);
                setError(null);
              })
              .catch((e: unknown) => setError(errorInWords(e)))
          }
        >
          Show registration
        </button>
        <button type="button" className="btn btn-small btn-danger" data-testid="registration-delete" onClick={() => setConfirm(true)}>
          Delete registration…
        </button>
      </div>
      {shown !== null && <pre className="code-block selectable" data-testid="registration-json">{prettyJson(shown)}</pre>}
      {error && <ErrorMessage error={error} title="The registration request failed" testId="registration-error" />}
      {confirm && (
        <ConfirmDialog
          title={`Delete the registration of ${client.name}?`}
          onCancel={() => setConfirm(false)}
          actions={
            <button
              type="button"
              className="btn btn-danger"
              data-testid="confirm-registration-delete"
              onClick={() =>
                void deleteRegistration(client.name)
                  .then(() => {
                    setConfirm(false);
                    onDeleted();
                  })
                  .catch((e: unknown) => {
                    setConfirm(false);
                    setError(errorInWords(e));
                  })
              }
            >
              Delete at the server
            </button>
          }
        >
          <p>The server forgets this client (its id stops working everywhere), then OAuth Desk removes it with its grants and keychain items.</p>
        </ConfirmDialog>
      )}
    </fieldset>
  );
}

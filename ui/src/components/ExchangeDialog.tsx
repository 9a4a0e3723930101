import { useState } from "react";
import { exchangeToken, type GrantView, type TokenKind } from "../api";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { useClients } from "../lib/queries";
import ClientSelect from "./ClientSelect";
import ConfirmDialog from "./ConfirmDialog";
import ErrorMessage from "./ErrorMessage";

interface Props {
  grantId: string;
  kind: TokenKind;
  defaultClient: string;
  onDone: (g: GrantView) => void;
  onCancel: () => void;
}

/** Token exchange (RFC 8693): this grant's token as the subject, a client of choice exchanging. */
export default function ExchangeDialog({ grantId, kind, defaultClient, onDone, onCancel }: Props) {
  const { data: clients, error: clientsError } = useClients();
  const [client, setClient] = useState(defaultClient);
  const [audience, setAudience] = useState("");
  const [resource, setResource] = useState("");
  const [scope, setScope] = useState("");
  const [busy, setBusy] = useState(false);
  const [runError, setError] = useState<ErrorInWords | null>(null);
  const error = runError ?? clientsError;

  async function run() {
    setBusy(true);
    try {
      const opt = (v: string) => (v.trim() === "" ? null : v.trim());
      const g = await exchangeToken(client, {
        subject: { kind: "grant", grant_id: grantId, token: kind },
        actor: null,
        requested_token_type: null,
        audience: opt(audience),
        resource: opt(resource),
        scope: opt(scope),
      });
      onDone(g);
    } catch (e) {
      setError(errorInWords(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title="Exchange this token (RFC 8693)"
      onCancel={onCancel}
      actions={
        <button type="button" className="btn btn-primary" data-testid="exchange-run" disabled={busy || client === ""} onClick={() => void run()}>
          Exchange
        </button>
      }
    >
      <p>The grant's {kind === "id" ? "ID" : kind} token is the subject; the chosen client authenticates and receives the new token as a grant of its own.</p>
      <div className="field">
        <ClientSelect id="ex-client" testId="exchange-client" label="Exchanging client" names={(clients ?? []).map((c) => c.name)} value={client} onChange={setClient} />
      </div>
      <div className="field">
        <label htmlFor="ex-resource">Resource</label>
        <input id="ex-resource" data-testid="exchange-resource" value={resource} placeholder="(optional) the API the new token is for" onChange={(e) => setResource(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="ex-audience">Audience</label>
        <input id="ex-audience" data-testid="exchange-audience" value={audience} placeholder="(optional)" onChange={(e) => setAudience(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="ex-scope">Scope</label>
        <input id="ex-scope" data-testid="exchange-scope" value={scope} placeholder="(optional) narrower than the subject's" onChange={(e) => setScope(e.target.value)} />
      </div>
      {error && <ErrorMessage error={error} title="The exchange failed" testId="exchange-error" />}
    </ConfirmDialog>
  );
}

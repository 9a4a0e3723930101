// The first thing a new user sees on Clients: what to do first, each step one button away.
// Shown while the only client is the Sandbox of scripts/run (or there is none yet).
import { listGrants, type Client } from "../api";
import { GRANTS } from "../lib/queries";
import { useQuery } from "../lib/useQuery";

/** The client scripts/run registers against the local sandbox server. */
export const SANDBOX = "Sandbox";

export const isSandbox = (c: Client) => c.name.toLowerCase() === SANDBOX.toLowerCase();

/** Its confidential sibling, for the client credentials grant. */
export const SANDBOX_SERVICE = "Sandbox service";

const isSandboxService = (c: Client) => c.name.toLowerCase() === SANDBOX_SERVICE.toLowerCase();

/** Whether the guide belongs on the Clients screen: no client but (at most) the sandbox ones. */
export const wantsGuide = (clients: Client[]) => clients.every((c) => isSandbox(c) || isSandboxService(c));

interface Props {
  clients: Client[];
  onAuthorize: (client: string) => void;
  onOpenGrant: (grantId: string) => void;
  onCallUserinfo: (grantId: string) => void;
  onNewClient: () => void;
}

export default function OnboardingGuide({ clients, onAuthorize, onOpenGrant, onCallUserinfo, onNewClient }: Props) {
  const sandbox = clients.find(isSandbox) ?? null;
  const grants = useQuery(`${GRANTS}list`, () => listGrants()).data ?? [];
  // The newest grant of the Sandbox that is not revoked.
  const grant = sandbox
    ? (grants.filter((g) => g.client === sandbox.name && g.tokens.headline !== "revoked").sort((a, b) => b.issued_at - a.issued_at)[0] ?? null)
    : null;
  const noGrant = "Authorize first: this step needs a token.";
  return (
    <section className="panel onboarding" data-testid="clients-guide" aria-label="Getting started">
      <h2>Getting started</h2>
      <p className="help">
        {sandbox
          ? "The Sandbox is a client of the local sandbox server: log in there with any name and password, no account anywhere."
          : "Register the client of the authorization server you work with (or start the app with scripts/run for a ready Sandbox)."}
      </p>
      <ol className="onboarding-steps">
        <li data-done={grant !== null}>
          <span>1. {sandbox ? `Authorize ${sandbox.name}` : "Add a client"}</span>
          {sandbox ? (
            <button type="button" className="btn btn-primary btn-small" data-testid="guide-authorize" onClick={() => onAuthorize(sandbox.name)}>
              {grant ? "Authorize again" : `Authorize ${sandbox.name}`}
            </button>
          ) : (
            <button type="button" className="btn btn-primary btn-small" data-testid="guide-new-client" onClick={onNewClient}>
              New client
            </button>
          )}
        </li>
        <li>
          <span>2. See the token</span>
          <button type="button" className="btn btn-small" data-testid="guide-tokens" disabled={grant === null} title={grant ? undefined : noGrant} onClick={() => grant && onOpenGrant(grant.id)}>
            Open Tokens
          </button>
        </li>
        <li>
          <span>3. Call userinfo</span>
          <button type="button" className="btn btn-small" data-testid="guide-userinfo" disabled={grant === null} title={grant ? undefined : noGrant} onClick={() => grant && onCallUserinfo(grant.id)}>
            Call userinfo
          </button>
        </li>
      </ol>
      {grant === null && sandbox && <p className="help">Steps 2 and 3 open once the Sandbox has a token.</p>}
      {clients.some(isSandboxService) && (
        <p className="help" data-testid="guide-service">
          For a token without a user (client credentials), authorize <strong>{SANDBOX_SERVICE}</strong>: its secret is in the keychain.
        </p>
      )}
    </section>
  );
}

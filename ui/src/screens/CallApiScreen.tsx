import { useCallback, useEffect, useMemo, useState, type FormEvent } from "react";
import { callApi, cancelLogin, listGrants, saveRequest, stepUpAndRetry, type ApiRequest, type ApiResponse, type FlowEvent, type GrantSummary } from "../api";
import CallChallengeView from "../components/CallChallengeView";
import ErrorMessage from "../components/ErrorMessage";
import HeadersTable from "../components/HeadersTable";
import KeyValueRows from "../components/KeyValueRows";
import Progress from "../components/Progress";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { grantShortLabel } from "../lib/grants";
import { GRANTS, useClients } from "../lib/queries";
import { nowSecs } from "../lib/time";
import { accessInWords, refreshFirstNote, statesAt, whyUnusable } from "../lib/tokenState";
import { useNow } from "../lib/useNow";
import { reveal } from "../lib/scroll";
import { visible } from "../lib/text";
import { requestUrlProblem } from "../lib/urls";
import { invalidate, useQuery } from "../lib/useQuery";
import SavedRequests, { savedKey } from "./SavedRequests";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

function grantText(g: GrantSummary): string {
  const scopes = g.scopes_granted ?? g.scopes_requested;
  return `${g.client} — ${grantShortLabel(g.grant_type)}${scopes ? ` — ${scopes}` : ""} (${g.id.slice(0, 8)})`;
}

/** The request being written, kept while the user visits other screens (in memory only: a
 *  header may carry a credential). */
const draft: { grantId: string; method: string; url: string; headers: [string, string][]; body: string; userinfo: boolean } = {
  grantId: "",
  method: "GET",
  url: "",
  headers: [],
  body: "",
  userinfo: false,
};

/** Opens the screen next time on `grantId` with a GET of its client's userinfo URL (the Clients guide's step 3). */
export function prefillUserinfo(grantId: string): void {
  Object.assign(draft, { grantId, method: "GET", url: "", headers: [], body: "", userinfo: true });
}

/** What the re-authorization is doing, from its login's progress. */
function stepLabel(e: FlowEvent): string | null {
  switch (e.kind) {
    case "authorization_url":
      return e.opened ? "Log in in the browser window that opened…" : `Open this URL in a browser to log in: ${visible(e.url, false)}`;
    case "waiting_for_callback":
      return "Waiting for the browser login…";
    case "callback_received":
      return "Login done; getting the tokens…";
    case "device_code":
      return `Enter the code ${visible(e.user_code, false)} at ${visible(e.verification_uri, false)}…`;
    case "token_received":
      return "New grant stored; retrying the call…";
    case "step":
      return `${visible(e.name, false)}…`;
    default:
      return null;
  }
}

/** Grants a call can be attempted with: every grant not revoked (one that cannot make the call
 *  says why when chosen), the usable ones first. */
const callable = (list: GrantSummary[], now: number) =>
  list.filter((g) => g.tokens.headline !== "revoked").sort((a, b) => Number(statesAt(b.tokens, now).usable) - Number(statesAt(a.tokens, now).usable));

export default function CallApiScreen() {
  const { data: all, error: loadError } = useQuery(`${GRANTS}list`, () => listGrants());
  const now = useNow();
  const grants = useMemo(() => (all ? callable(all, nowSecs()) : loadError ? [] : null), [all, loadError]);
  const clients = useClients().data;
  const [chosenId, setGrantId] = useState(draft.grantId);
  // The chosen grant while it is listed, else the first one.
  const grantId = grants?.some((g) => g.id === chosenId) ? chosenId : (grants?.[0]?.id ?? "");
  const [method, setMethod] = useState(draft.method);
  const [url, setUrl] = useState(draft.url);
  const [headers, setHeaders] = useState<[string, string][]>(draft.headers);
  const [body, setBody] = useState(draft.body);
  useEffect(() => {
    Object.assign(draft, { grantId: chosenId, method, url, headers, body });
  }, [chosenId, method, url, headers, body]);
  const [problem, setProblem] = useState<string | null>(null);
  const [sendError, setError] = useState<ErrorInWords | null>(null);
  const error = sendError ?? loadError;
  const [sendingSince, setSendingSince] = useState<number | null>(null);
  const [response, setResponse] = useState<ApiResponse | null>(null);
  /** The request as last sent: a re-authorization retries exactly it. */
  const [sent, setSent] = useState<ApiRequest | null>(null);
  const [stepping, setStepping] = useState<{ sinceMs: number; label: string } | null>(null);
  /** The response shown is the retry after a re-authorization (and what the new grant lacks). */
  const [retried, setRetried] = useState<{ grantId: string; notes: string[] } | null>(null);
  const [saveName, setSaveName] = useState("");
  /** The saved request last loaded: saving under its name updates it instead of adding one. */
  const [loaded, setLoaded] = useState<{ id: string; name: string } | null>(null);
  const [saveNote, setSaveNote] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<ErrorInWords | null>(null);

  // Each response is a new section (sending clears the last one): it scrolls into view when it appears.
  const responseRef = useCallback((el: HTMLElement | null) => reveal(el), []);

  const grant = useMemo(() => grants?.find((g) => g.id === grantId) ?? null, [grants, grantId]);
  const state = grant ? statesAt(grant.tokens, now) : null;
  const unusable = state ? whyUnusable(state) : null;
  const userinfoUrl = clients?.find((c) => c.name === grant?.client)?.endpoints.userinfo ?? null;
  // Asked for by prefillUserinfo: filled in once the grant's client (and its URL) is known.
  useEffect(() => {
    if (draft.userinfo && userinfoUrl && grant?.id === draft.grantId) {
      draft.userinfo = false;
      setUrl(userinfoUrl);
    }
  }, [userinfoUrl, grant?.id]);
  const headerProblem = headers.some(([k]) => k.trim().toLowerCase() === "authorization")
    ? "Leave out Authorization: the grant's token is added from the keychain and would replace it."
    : null;

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const p = !grant ? "No grant to call with: obtain a token on Authorize first." : (unusable ?? requestUrlProblem(url) ?? headerProblem);
    setProblem(p);
    if (p || !grant) return;
    setSendingSince(Date.now());
    setResponse(null);
    setRetried(null);
    const request: ApiRequest = {
      method,
      url: url.trim(),
      headers: headers.filter(([k]) => k.trim() !== ""),
      body: body === "" ? null : body,
    };
    setSent(request);
    try {
      setResponse(await callApi(grant.id, request));
    } catch (err) {
      setError(errorInWords(err));
    } finally {
      setSendingSince(null);
      // The call may have refreshed the grant first: every list showing it reloads.
      void invalidate(GRANTS);
    }
  };

  /** "Re-authorize and retry": a new login as the plan says, then the same request once more;
   *  the new grant becomes the chosen one. */
  const reauthorize = async () => {
    const plan = response?.step_up;
    if (!plan || !sent) return;
    setError(null);
    setStepping({ sinceMs: Date.now(), label: "Starting a new login…" });
    try {
      const done = await stepUpAndRetry(plan, sent, (e) => {
        const label = stepLabel(e);
        if (label) setStepping((s) => (s ? { ...s, label } : s));
      });
      setGrantId(done.grant.id);
      draft.grantId = done.grant.id;
      setResponse(done.response);
      setRetried({ grantId: done.grant.id, notes: done.notes });
    } catch (err) {
      setError(errorInWords(err));
    } finally {
      setStepping(null);
      void invalidate(GRANTS);
    }
  };

  const save = async () => {
    setSaveError(null);
    setSaveNote(null);
    if (!grant) return;
    if (saveName.trim() === "") {
      setSaveError({ code: "invalid_input", message: "Give the saved request a name.", hint: null, oauth: null });
      return;
    }
    try {
      const saved = await saveRequest(grant.client, { id: loaded?.name === saveName.trim() ? loaded.id : "", name: saveName.trim(), method, url: url.trim(), headers: headers.filter(([k]) => k.trim() !== ""), body });
      setLoaded({ id: saved.id, name: saved.name });
      setSaveNote(`Saved as “${saved.name}” for ${grant.client}.`);
      void invalidate(savedKey(grant.client));
    } catch (err) {
      setSaveError(errorInWords(err));
    }
  };

  return (
    <div className="call-api">
      {grants !== null && grants.length === 0 && !error && (
        <div className="notice" data-testid="api-no-grant">
          <strong>No grant to call with.</strong> Obtain a token on Authorize first; what you type here is kept meanwhile.
        </div>
      )}
      <form className="panel" onSubmit={(e) => void send(e)} aria-label="Request">
        <div className="field">
          <label htmlFor="api-grant">Grant</label>
          <select id="api-grant" data-testid="api-grant" value={grantId} onChange={(e) => setGrantId(e.target.value)}>
            {grants === null && <option value="">Loading…</option>}
            {grants?.map((g) => (
              <option key={g.id} value={g.id}>
                {grantText(g)}
              </option>
            ))}
          </select>
        </div>
        <div className="request-line">
          <div className="field">
            <label htmlFor="api-method">Method</label>
            <select id="api-method" data-testid="api-method" value={method} onChange={(e) => setMethod(e.target.value)}>
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="api-url">URL</label>
            <input id="api-url" data-testid="api-url" value={url} placeholder="https://api.example.com/me" onChange={(e) => setUrl(e.target.value)} />
          </div>
        </div>
        {userinfoUrl && url.trim() !== userinfoUrl && (
          <p className="help">
            <button type="button" className="link-button" data-testid="api-use-userinfo" onClick={() => setUrl(userinfoUrl)}>
              Use the userinfo URL
            </button>{" "}
            <code className="muted">{userinfoUrl}</code>
          </p>
        )}
        {state && (
          <p className={unusable ? "warning-text" : "help"} data-testid="api-grant-state" data-usable={state.usable}>
            Access token {accessInWords(state, now)}.{" "}
            {unusable ?? refreshFirstNote(state) ?? ""}
          </p>
        )}
        <p className="help" data-testid="api-auth-note">
          Authorization: Bearer … is added from the keychain when the request is sent; the token never enters this window (an expired one is refreshed
          first).
        </p>
        <fieldset className="fieldset">
          <legend>Headers</legend>
          <KeyValueRows rows={headers} onChange={setHeaders} noun="Header" testId="api-headers-input" keyPlaceholder="Accept" valuePlaceholder="application/json" />
        </fieldset>
        <div className="field">
          <label htmlFor="api-body-input">Body</label>
          <textarea id="api-body-input" data-testid="api-body-input" rows={4} spellCheck={false} value={body} onChange={(e) => setBody(e.target.value)} />
        </div>
        {problem && (
          <p className="field-error" role="alert" data-testid="api-problem">
            {problem}
          </p>
        )}
        <div className="button-row wrap">
          <button type="submit" className="btn btn-primary" data-testid="api-send" disabled={sendingSince !== null || stepping !== null}>
            Send
          </button>
          {sendingSince !== null && <Progress label="Waiting for the response…" sinceMs={sendingSince} />}
          <span className="spacer" />
          <label htmlFor="api-save-name" className="inline-label">
            Save as
          </label>
          <input id="api-save-name" data-testid="api-save-name" value={saveName} placeholder="name" onChange={(e) => setSaveName(e.target.value)} />
          <button type="button" className="btn" data-testid="api-save" disabled={!grant} onClick={() => void save()}>
            Save
          </button>
        </div>
        {saveNote && (
          <p className="ok-text" role="status">
            {saveNote}
          </p>
        )}
        {saveError && <ErrorMessage error={saveError} title="Not saved" />}
      </form>

      {error && <ErrorMessage error={error} title="The request failed" testId="api-error" />}
      {response && (
        <section className="panel" aria-label="Response" ref={responseRef}>
          <h3>
            Response{" "}
            <span data-testid="api-status" className={`http-status http-${Math.floor(response.status / 100)}xx`}>
              {response.status}
            </span>{" "}
            <span className="muted" data-testid="api-duration">
              {response.duration_ms} ms
            </span>
          </h3>
          {retried && (
            <p className="ok-text" data-testid="api-retried">
              Retried once after the re-authorization, with the new grant {retried.grantId.slice(0, 8)} (now the chosen one).
              {retried.notes.map((n) => ` ${visible(n, false)}`).join("")}
            </p>
          )}
          {response.challenge && (
            <CallChallengeView
              challenge={response.challenge}
              plan={response.step_up}
              retried={retried !== null}
              stepping={stepping}
              onStepUp={() => void reauthorize()}
              onCancel={() => void cancelLogin()}
            />
          )}
          <HeadersTable headers={response.headers} caption="Response headers" testId="api-response-headers" />
          <pre className="code-block selectable" data-testid="api-body">
            {response.pretty_json ?? (response.body === "" ? "(empty body)" : response.body)}
          </pre>
        </section>
      )}

      {grant && (
        <SavedRequests
          client={grant.client}
          onLoad={(r) => {
            setMethod(r.method);
            setUrl(r.url);
            setHeaders(r.headers.map(([k, v]) => [k, v]));
            setBody(r.body);
            setSaveName(r.name);
            setLoaded({ id: r.id, name: r.name });
          }}
        />
      )}
    </div>
  );
}

import type { McpReport, RevisionVerdict } from "../api";
import { visible } from "../lib/text";
import FindingsList from "./FindingsList";
import ResourceProbeView from "./ResourceProbeView";

const shown = (s: string) => visible(s, false);

/** The outcome in words, and the notice's tone. */
export function outcomeInWords(report: McpReport): { tone: "ok" | "error" | "neutral"; title: string } {
  const followed = report.revisions.find((r) => r.followed);
  switch (report.outcome) {
    case "completed":
      return { tone: "ok", title: `Connected: the authorization flow completed and tools/list answered with ${report.tools.length} tool${report.tools.length === 1 ? "" : "s"}.` };
    case "must_broken":
      return {
        tone: "error",
        title: `Connected, but the server broke ${followed ? `${followed.musts_broken} MUST${followed.musts_broken === 1 ? "" : "s"} of MCP ${followed.revision}, the revision it follows` : "a MUST of the revision it follows"}.`,
      };
    case "failed":
      return { tone: "error", title: `The flow failed: ${shown(report.error ?? "no reason was given")}` };
    case "login_needed":
      return { tone: "neutral", title: `A login is needed: ${shown(report.error ?? "the stored grant cannot be used")}` };
  }
}

function Revision({ v }: { v: RevisionVerdict }) {
  return (
    <li className="panel mcp-revision" data-testid={`mcp-revision-${v.revision}`} data-followed={v.followed ? "true" : "false"} data-musts-broken={v.musts_broken}>
      <h4>
        MCP {v.revision}{" "}
        {v.followed && (
          <span className="tag tag-soft" data-testid="mcp-revision-followed">
            followed: the revision the server negotiated
          </span>
        )}{" "}
        {v.musts_broken > 0 ? (
          <span className="tag tag-error">
            {v.musts_broken} MUST{v.musts_broken === 1 ? "" : "s"} broken
          </span>
        ) : (
          <span className="tag tag-ok">no MUST broken</span>
        )}
      </h4>
      {v.passed.length > 0 && (
        <ul className="mcp-passed" data-testid="mcp-passed">
          {v.passed.map((p) => (
            <li key={p} data-untested={p.startsWith("not tested") ? "true" : undefined}>
              {p.startsWith("not tested") ? <span className="muted">○ {p}</span> : <>✓ {p}</>}
            </li>
          ))}
        </ul>
      )}
      {v.findings.length > 0 && <FindingsList findings={v.findings} testId="mcp-findings" />}
    </li>
  );
}

/** The end of the MCP flow: the outcome in words, the tools, and the conformance per revision. */
export default function McpReportView({ report }: { report: McpReport }) {
  const outcome = outcomeInWords(report);
  const session = report.session;
  return (
    <div className="mcp-report" data-testid="mcp-report">
      <section className={`notice notice-${outcome.tone}`} role="status" data-testid="mcp-outcome" data-outcome={report.outcome}>
        <strong>{outcome.title}</strong>
        <ul>
          {report.client !== null && (
            <li data-testid="mcp-client-used">
              Client {report.client}
              {report.client_made ? `, made now by ${report.client_made}` : ", already in OAuth Desk"};{" "}
              {report.logged_in ? "logged in through your browser." : report.grant_id ? "its stored grant was used (no browser)." : "no token was obtained."}
            </li>
          )}
          {session && (
            <li data-testid="mcp-session">
              Server {shown(session.server_name ?? "(unnamed)")} {shown(session.server_version ?? "")} speaks MCP {shown(session.protocol_version ?? "(not said)")}
              {session.session_id ? "; it issued a session id" : ""}.
            </li>
          )}
        </ul>
      </section>

      {(report.outcome === "completed" || report.outcome === "must_broken") && (
        <section className="panel">
          <h3>Tools</h3>
          {report.tools.length === 0 ? (
            <p className="muted">tools/list answered with no tool.</p>
          ) : (
            <ul className="plain-list mcp-tools" data-testid="mcp-tools">
              {report.tools.map((t) => (
                <li key={t.name} data-testid={`mcp-tool-${t.name}`}>
                  <code>{shown(t.name)}</code>
                  {t.title && <strong> {shown(t.title)}</strong>}
                  {t.description && <span className="muted"> — {shown(t.description)}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section className="panel">
        <h3>Steps</h3>
        <ol className="mcp-steps" data-testid="mcp-steps">
          {report.steps.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a step name repeats (initialize, before and after the login); the order is fixed
            <li key={i} data-testid="mcp-step" data-ok={s.ok ? "true" : "false"} data-name={s.name}>
              <span className={`tag ${s.ok ? "tag-ok" : "tag-error"}`}>{s.ok ? "ok" : "failed"}</span> <strong>{s.name}</strong>: {shown(s.detail)}
            </li>
          ))}
        </ol>
        {report.problems.length > 0 && (
          <>
            <h4>MCP messages</h4>
            <ul className="warning-text" data-testid="mcp-problems">
              {report.problems.map((p) => (
                <li key={p}>{shown(p)}</li>
              ))}
            </ul>
          </>
        )}
      </section>

      {report.revisions.length > 0 && (
        <section>
          <h3>Conformance per MCP authorization revision</h3>
          <ul className="plain-list" data-testid="mcp-revisions">
            {/* The revision the server follows first: only its MUSTs decide the outcome. */}
            {[...report.revisions.filter((v) => v.followed), ...report.revisions.filter((v) => !v.followed)].map((v) => (
              <Revision key={v.revision} v={v} />
            ))}
          </ul>
        </section>
      )}

      {report.probe && (
        <details className="panel" data-testid="mcp-probe">
          <summary>The server, its metadata and its authorization server, as probed without a token</summary>
          <ResourceProbeView probe={report.probe} />
        </details>
      )}
    </div>
  );
}

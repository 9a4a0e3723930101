import type { ErrorInWords } from "../lib/errors";
import { visible } from "../lib/text";
import ChecksList from "./ChecksList";

interface Props {
  error: ErrorInWords;
  testId?: string;
  /** What was being done, e.g. "Saving the client failed". */
  title?: string;
}

/**
 * An error in words: the message, the server's OAuth `error` code with its description and
 * `error_uri` (RFC 6749 §5.2) when there is one, and a hint on what to do. A cancelled flow is
 * not a failure and reads neutrally.
 */
export default function ErrorMessage({ error, testId, title }: Props) {
  if (error.code === "cancelled") {
    return (
      <div className="notice notice-neutral" role="status" data-testid={testId} data-code="cancelled">
        <strong>Cancelled.</strong> {error.message}
      </div>
    );
  }
  const { oauth } = error;
  return (
    <div className="notice notice-error" role="alert" data-testid={testId} data-code={error.code}>
      <strong className="notice-title">{title ?? "Something went wrong"}</strong>
      <p className="error-message">{visible(error.message)}</p>
      {oauth && (
        <dl className="oauth-error">
          <dt>Server error code</dt>
          <dd>
            <code data-testid="oauth-error-code">{visible(oauth.error)}</code>
            {oauth.status !== null && <span className="muted"> (HTTP {oauth.status})</span>}
          </dd>
          {oauth.error_description && (
            <>
              <dt>Description</dt>
              <dd data-testid="oauth-error-description">{visible(oauth.error_description)}</dd>
            </>
          )}
          {oauth.error_uri && (
            <>
              <dt>More information</dt>
              <dd>
                <span className="selectable" data-testid="oauth-error-uri">
                  {visible(oauth.error_uri, false)}
                </span>
              </dd>
            </>
          )}
        </dl>
      )}
      {error.checks && error.checks.length > 0 && <ChecksList checks={error.checks} testId="error-checks" />}
      {error.hint && (
        <p className="error-hint" data-testid="error-hint">
          <strong>What to do: </strong>
          {error.hint}
        </p>
      )}
    </div>
  );
}

import type { CallChallenge, StepUpPlan } from "../api";
import { visible } from "../lib/text";
import Progress from "./Progress";

interface Props {
  challenge: CallChallenge;
  /** The re-authorization that would satisfy the API, if one could. */
  plan: StepUpPlan | null;
  /** This response is already the retry after a step-up: no second one is offered. */
  retried: boolean;
  /** While the new login runs: since when, and what it is doing. */
  stepping: { sinceMs: number; label: string } | null;
  onStepUp: () => void;
  onCancel: () => void;
}

/** What the re-authorization asks for, in one line. */
export function planInWords(plan: StepUpPlan): string {
  const parts = [`scope “${visible(plan.scope, false)}”`];
  if (plan.resource) parts.push(`resource ${visible(plan.resource, false)}`);
  if (plan.acr_values.length > 0) parts.push(`acr_values ${visible(plan.acr_values.join(" "), false)}`);
  if (plan.max_age !== null) parts.push(`max_age ${plan.max_age}`);
  if (plan.prompt_login) parts.push("prompt=login");
  return parts.join(", ");
}

/** A refused call explained (the API's challenge in words, RFC sections included) and, when a
 *  new login could satisfy it, "Re-authorize and retry" with what that login asks for. */
export default function CallChallengeView({ challenge, plan, retried, stepping, onStepUp, onCancel }: Props) {
  return (
    <div className="call-challenge" data-testid="api-challenge" data-kind={challenge.kind}>
      <h4>Why the API refused</h4>
      <p className="warning-text" data-testid="api-challenge-summary">
        {visible(challenge.summary, false)}
      </p>
      {challenge.details.length > 0 && (
        <ul className="call-challenge-details" data-testid="api-challenge-details">
          {challenge.details.map((d) => (
            <li key={d}>{visible(d, false)}</li>
          ))}
        </ul>
      )}
      {challenge.problems.length > 0 && (
        <ul className="call-challenge-details" data-testid="api-challenge-problems" aria-label="Problems in the challenge">
          {challenge.problems.map((p) => (
            <li key={p}>
              <span className="tag tag-warn">problem</span> {visible(p, false)}
            </li>
          ))}
        </ul>
      )}
      {plan && !retried && (
        <div className="call-step-up">
          <p className="help" data-testid="api-step-up-asks">
            A new login would ask for {planInWords(plan)}.
            {plan.notes.map((n) => ` ${visible(n, false)}`).join("")}
          </p>
          <div className="button-row wrap">
            <button type="button" className="btn btn-primary" data-testid="api-step-up" disabled={stepping !== null} onClick={onStepUp}>
              Re-authorize and retry
            </button>
            {stepping && (
              <>
                <Progress label={stepping.label} sinceMs={stepping.sinceMs} testId="api-step-up-progress" />
                <button type="button" className="btn" data-testid="api-step-up-cancel" onClick={onCancel}>
                  Cancel
                </button>
              </>
            )}
          </div>
        </div>
      )}
      {plan && retried && (
        <p className="help" data-testid="api-step-up-done">
          This is already the retry after a re-authorization; OAuth Desk does not re-authorize twice for one call. Send again to start over.
        </p>
      )}
    </div>
  );
}

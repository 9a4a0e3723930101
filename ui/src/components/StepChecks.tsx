import type { Check, Exchange } from "../api";
import ChecksList from "./ChecksList";

const STATUSES = new Set(["pass", "fail", "warn", "not_applicable"]);

function isCheck(v: unknown): v is Check {
  if (typeof v !== "object" || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.name === "string" && typeof c.reason === "string" && typeof c.spec === "string" && typeof c.status === "string" && STATUSES.has(c.status);
}

/** The checks a flow step recorded in its body (the JARM response's, JARM §2.4), one row each,
 *  as the ID token's are shown; nothing for steps without checks. */
export function stepChecks(exchange: Exchange): Check[] {
  const body = exchange.request.body;
  if (!body?.includes('"checks"')) return [];
  try {
    const parsed: unknown = JSON.parse(body);
    const checks = (parsed as { checks?: unknown }).checks;
    return Array.isArray(checks) && checks.every(isCheck) ? checks : [];
  } catch {
    return [];
  }
}

export default function StepChecks({ exchange }: { exchange: Exchange }) {
  const checks = stepChecks(exchange);
  if (checks.length === 0) return null;
  return (
    <>
      <h4>Checks</h4>
      <ChecksList checks={checks} testId="step-checks" />
    </>
  );
}

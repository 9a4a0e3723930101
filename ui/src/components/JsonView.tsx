import type { JsonValue } from "../api";
import { prettyJson } from "../lib/json";
import { visible } from "../lib/text";

interface Props {
  value: JsonValue | null | undefined;
  testId: string;
}

/** Pretty-printed JSON (two-space indent), control characters escaped, selectable. */
export default function JsonView({ value, testId }: Props) {
  return (
    <pre className="json-view selectable" data-testid={testId}>
      {visible(prettyJson(value ?? null), true)}
    </pre>
  );
}

import { useId } from "react";
import { checkDetails, detailTypes, insertTemplate } from "../lib/authorizationDetails";
import "../styles/rar.css";

interface Props {
  value: string;
  onChange: (text: string) => void;
  /** The server's `authorization_details_types_supported`, offered as templates. */
  types: string[];
  /** Prefix of the data-testid attributes (e.g. "authorize-rar"). */
  testId: string;
  label?: string;
  help?: string;
}

/**
 * An `authorization_details` editor (RFC 9396): a JSON text area, a button per type the server
 * lists that inserts a template object, and live validation in words.
 */
export default function AuthorizationDetailsEditor({ value, onChange, types, testId, label = "Authorization details (RFC 9396)", help }: Props) {
  const id = useId();
  const checked = checkDetails(value);
  const unknown = checked.ok && types.length > 0 ? detailTypes(checked.value).filter((t) => !types.includes(t)) : [];
  const insert = (type: string) => {
    const next = insertTemplate(value, type);
    if (next !== null) onChange(next);
  };
  return (
    <div className="field rar-editor" data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      {types.length > 0 ? (
        <div className="rar-types" data-testid={`${testId}-types`}>
          {types.map((t) => (
            <button
              key={t}
              type="button"
              className="btn btn-small"
              data-testid={`${testId}-insert-${t}`}
              disabled={!checked.ok}
              title={checked.ok ? `Insert a ${t} object` : "Fix the JSON first"}
              onClick={() => insert(t)}
            >
              + {t}
            </button>
          ))}
        </div>
      ) : (
        <p className="help">The server lists no authorization_details_types_supported; type the objects yourself.</p>
      )}
      <textarea
        id={id}
        data-testid={`${testId}-text`}
        rows={value.trim() === "" ? 2 : 6}
        spellCheck={false}
        value={value}
        placeholder='[{"type": "payment_initiation", ...}] (optional)'
        aria-invalid={!checked.ok}
        onChange={(e) => onChange(e.target.value)}
      />
      {!checked.ok && (
        <p className="field-error" role="alert" data-testid={`${testId}-error`}>
          {checked.message}
        </p>
      )}
      {unknown.length > 0 && (
        <p className="warning-text" data-testid={`${testId}-unknown`}>
          The server does not list {unknown.join(", ")} in authorization_details_types_supported (RFC 9396 §10); it may refuse it.
        </p>
      )}
      {help && <p className="help">{help}</p>}
    </div>
  );
}

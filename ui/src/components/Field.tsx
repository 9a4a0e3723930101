import type { ReactNode } from "react";

interface Props {
  /** The control's id: the label points at it, and `${id}-error` / `${id}-help` describe it. */
  id: string;
  label: ReactNode;
  error?: string;
  help?: ReactNode;
  /** Test id of the error line. */
  errorTestId?: string;
  children: ReactNode;
}

/** A labelled control with its help text and its validation message. */
export default function Field({ id, label, error, help, errorTestId, children }: Props) {
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children}
      {help && (
        <p className="help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} data-testid={errorTestId}>
          {error}
        </p>
      )}
    </div>
  );
}

/** aria-describedby / aria-invalid for a control inside a Field. */
export function described(id: string, error: string | undefined, hasHelp = false) {
  const ids = [hasHelp ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return { "aria-describedby": ids || undefined, "aria-invalid": error ? true : undefined };
}

import { useEffect, useRef } from "react";
import { SHORTCUTS } from "../lib/shortcuts";

/** The keyboard shortcuts, listed (opened with `?`, closed with Escape or the button). */
export default function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcuts-help">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table className="table">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys} data-testid="shortcut-row">
                <th scope="row">
                  <kbd>{s.keys}</kbd>
                </th>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="button-row">
          <button type="button" className="btn" ref={close} data-testid="shortcuts-close" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

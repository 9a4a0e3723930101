import { useEffect, useState } from "react";
import { deleteSavedRequest, savedRequests, type SavedRequest } from "../api";
import ErrorMessage from "../components/ErrorMessage";
import { errorInWords, type ErrorInWords } from "../lib/errors";

interface Props {
  client: string;
  /** Bumped by the parent after a save, to reload the list. */
  version: number;
  onLoad: (r: SavedRequest) => void;
}

/** The requests saved for a client: load one into the form, or delete it. */
export default function SavedRequests({ client, version, onLoad }: Props) {
  const [list, setList] = useState<SavedRequest[] | null>(null);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const [bump, setBump] = useState(0);

  useEffect(() => {
    let live = true;
    savedRequests(client)
      .then((l) => live && (setList(l), setError(null)))
      .catch((e: unknown) => live && setError(errorInWords(e)));
    return () => {
      live = false;
    };
  }, [client, version, bump]);

  const remove = async (r: SavedRequest) => {
    try {
      await deleteSavedRequest(r.id);
      setBump((n) => n + 1);
    } catch (e) {
      setError(errorInWords(e));
    }
  };

  return (
    <section className="panel saved" aria-label={`Saved requests of ${client}`}>
      <h3>Saved for {client}</h3>
      {error && <ErrorMessage error={error} title="Saved requests" />}
      {list !== null && list.length === 0 && <p className="muted">None yet: fill in a request and press Save.</p>}
      <ul className="plain-list" data-testid="saved-requests">
        {list?.map((r) => (
          <li key={r.id} className="saved-row">
            <button type="button" className="link-button" data-testid={`saved-load-${r.name}`} onClick={() => onLoad(r)}>
              <strong>{r.name}</strong> <span className="muted">{r.method} {r.url}</span>
            </button>
            <button type="button" className="btn btn-small" aria-label={`Delete saved request ${r.name}`} onClick={() => void remove(r)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useState } from "react";
import { deleteSavedRequest, savedRequests, type SavedRequest } from "../api";
import ErrorMessage from "../components/ErrorMessage";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { useQuery } from "../lib/useQuery";

/** The query key of a client's saved requests; invalidate it after saving one. */
export const savedKey = (client: string) => `saved/${client}`;

interface Props {
  client: string;
  onLoad: (r: SavedRequest) => void;
}

/** The requests saved for a client: load one into the form, or delete it. */
export default function SavedRequests({ client, onLoad }: Props) {
  const { data: list, error: loadError, reload } = useQuery(savedKey(client), () => savedRequests(client));
  const [deleteError, setError] = useState<ErrorInWords | null>(null);
  const error = deleteError ?? loadError;

  const remove = async (r: SavedRequest) => {
    try {
      await deleteSavedRequest(r.id);
      setError(null);
      await reload();
    } catch (e) {
      setError(errorInWords(e));
    }
  };

  return (
    <section className="panel saved" aria-label={`Saved requests of ${client}`}>
      <h3>Saved for {client}</h3>
      {error && <ErrorMessage error={error} title="Saved requests" />}
      {list !== undefined && list.length === 0 && <p className="muted">None yet: fill in a request and press Save.</p>}
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

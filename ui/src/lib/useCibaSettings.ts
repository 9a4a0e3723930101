// The chosen client's CIBA settings (its registered delivery mode), for the Authorize screen.
import { useEffect, useState } from "react";
import { type CibaSettings, cibaSettings } from "../api";

/** The settings of `client` (`null` while loading, on error, or with no client). */
export function useCibaSettings(client: string | null): CibaSettings | null {
  const [settings, setSettings] = useState<CibaSettings | null>(null);
  useEffect(() => {
    setSettings(null);
    if (!client) return;
    let live = true;
    Promise.resolve()
      .then(() => cibaSettings(client))
      .then((s) => live && setSettings(s))
      .catch(() => live && setSettings(null));
    return () => {
      live = false;
    };
  }, [client]);
  return settings;
}

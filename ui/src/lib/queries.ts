// The keys several screens share, and what invalidates them (see useQuery.ts for the rules).
import { useEffect } from "react";
import { listClients, onGrantsChanged, type Client } from "../api";
import { invalidate, useQuery } from "./useQuery";

/** The client list: Clients, Authorize, Audit, History, Report, Decode and the exchange dialog. */
export const CLIENTS = "clients";
/** The settings: the shell applies their theme, Settings edits them. */
export const SETTINGS = "settings";
/** The environments: the title bar's switcher and the Environments screen. */
export const ENVIRONMENTS = "environments";
/** The app's name, version and data directory: the sidebar's heading and Settings. */
export const APP_INFO = "app-info";
/** Prefix of everything derived from grants or their history (lists, details, audit, reports). */
export const GRANTS = "grants/";

export const useClients = () => useQuery<Client[]>(CLIENTS, listClients);

/** After a change to clients: the list, and the grants (a removed client's are gone). */
export function clientsChanged(): Promise<void> {
  return Promise.all([invalidate(CLIENTS), invalidate(GRANTS)]).then(() => undefined);
}

let listeners = 0;
let unlisten: Promise<(() => void) | undefined> | null = null;

/**
 * While mounted, the app's `grants-changed` event (auto-refresh changed grants on its own)
 * invalidates GRANTS. One subscription however many components ask (the shell and Tokens).
 */
export function useGrantsChanged(): void {
  useEffect(() => {
    if (listeners++ === 0) {
      unlisten = Promise.resolve()
        .then(() => onGrantsChanged(() => void invalidate(GRANTS)))
        .catch(() => {
          // Outside the desktop shell there are no app events; lists still reload by hand.
          return undefined;
        });
    }
    return () => {
      if (--listeners === 0) {
        void unlisten?.then((stop) => stop?.());
        unlisten = null;
      }
    };
  }, []);
}

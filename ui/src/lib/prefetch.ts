import { type AppInfo, type Client, type Environment, listClients, type Settings } from "../api";
import { APP_INFO, CLIENTS, ENVIRONMENTS, SETTINGS } from "./queries";
import { prime } from "./useQuery";

// Start-up: the first frame already shows the client list (and the environment switcher, the
// theme and the sidebar's version as they will stay), instead of an empty screen followed by
// more renders after IPC round trips. The app hands that data to the page with its first script (src-tauri/src/boot.rs);
// without it (a reload, a store that could not be read, tests) the list is asked for and the
// first render waits for it (up to FIRST_RENDER_WAIT_MS). The data primes the query cache: the
// first component to mount each key takes it without asking.

const FIRST_RENDER_WAIT_MS = 300;

/** What the app read at start; a key it could not read is missing. */
interface Boot {
  clients?: Client[];
  environments?: Environment[];
  settings?: Settings;
  app_info?: AppInfo;
}

/** The app's start-up data, on the page's first load only: a reloaded page would get the same
 *  script again, with the data as it was when the app started. */
function bootData(): Boot | null {
  const boot = (window as { __OAUTHDESK_BOOT__?: Boot }).__OAUTHDESK_BOOT__;
  const nav = performance.getEntriesByType?.("navigation")[0] as PerformanceNavigationTiming | undefined;
  return boot && nav?.type !== "reload" ? boot : null;
}

/** The client list from the app's start-up script, else asked for; resolves when it is there,
 *  the request failed, or the wait is over. */
export function prefetchClients(waitMs = FIRST_RENDER_WAIT_MS): Promise<void> {
  const boot = bootData();
  if (boot?.environments) prime(ENVIRONMENTS, boot.environments);
  if (boot?.settings) prime(SETTINGS, boot.settings);
  if (boot?.app_info) prime(APP_INFO, boot.app_info);
  if (boot?.clients) {
    prime(CLIENTS, boot.clients);
    return Promise.resolve();
  }
  let waiting = true;
  const arrived = listClients().then(
    (list) => {
      // A list arriving after the first render is dropped: the screen has asked for its own.
      if (waiting) prime(CLIENTS, list);
    },
    () => {
      // The Clients screen asks again and shows the error in words.
    },
  );
  const waited = new Promise<void>((resolve) => setTimeout(resolve, waitMs));
  return Promise.race([arrived, waited]).then(() => {
    waiting = false;
  });
}

import { listClients } from "../api";
import { CLIENTS } from "./queries";
import { prime } from "./useQuery";

// Start-up: the client list is asked for while the page's script is still being evaluated, and
// the first render waits for it (up to FIRST_RENDER_WAIT_MS), so the first frame already shows
// the list instead of an empty screen followed by a second render after an IPC round trip.
// The answer primes the query cache: the first screen to mount CLIENTS takes it without asking.

const FIRST_RENDER_WAIT_MS = 300;

/** Asks for the client list; resolves when it has arrived, failed, or the wait is over. */
export function prefetchClients(waitMs = FIRST_RENDER_WAIT_MS): Promise<void> {
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

/**
 * Ending the process without losing quota use: on SIGTERM or SIGINT (Ctrl-C;
 * SIGBREAK on Windows) the ledger's pending changes are written before the
 * process exits. Connections, download reservations and uploads are already
 * on disk before they are used; this adds what was kept in memory (reserved
 * bytes given back, connections that never opened).
 *
 * @module
 */

import { log } from "../log.ts";

const SIGNALS: readonly { name: Deno.Signal; code: number }[] = [
  { name: "SIGTERM", code: 143 },
  { name: "SIGINT", code: 130 },
  { name: "SIGBREAK", code: 149 },
];

/**
 * Writes pending state with `flush`, then exits, when the process is told to
 * stop. Returns a function that removes the listeners. A second signal while
 * flushing exits at once.
 */
export function flushOnTermination(flush: () => Promise<void>): () => void {
  const removers: (() => void)[] = [];
  let stopping = false;
  for (const { name, code } of SIGNALS) {
    const listener = () => {
      if (stopping) Deno.exit(code);
      stopping = true;
      log("info", `${name}: saving the quota ledger and stopping`);
      flush().catch(() => {}).finally(() => Deno.exit(code));
    };
    try {
      Deno.addSignalListener(name, listener);
      removers.push(() => Deno.removeSignalListener(name, listener));
    } catch {
      // Not a signal on this system (SIGTERM on Windows, SIGBREAK elsewhere).
    }
  }
  return () => {
    for (const remove of removers.splice(0)) remove();
  };
}

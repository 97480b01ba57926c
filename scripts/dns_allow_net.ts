/**
 * For `deno task start` and `deno task cli`: prints `,<DNS server>:53` for each
 * `nameserver` of /etc/resolv.conf (nothing when there is none, or no such
 * file), which the task appends to its `--allow-net` so that host names can
 * be resolved with exactly the system's DNS servers and nothing broader. Run
 * with `--allow-read=/etc/resolv.conf` only.
 *
 * @module
 */

import { dnsAllowNet } from "../src/validation/resolve_host.ts";

let entries: string[] = [];
try {
  entries = dnsAllowNet(Deno.readTextFileSync("/etc/resolv.conf"));
} catch {
  // No resolver configuration here (Windows): host names answer with the permission to add.
}
if (entries.length > 0) {
  Deno.stdout.writeSync(new TextEncoder().encode(entries.map((e) => `,${e}`).join("")));
}

/**
 * `allow-net`: prints the exact `--allow-net=…` flag for the enabled servers
 * of the server list and, unless host names are off, the DNS servers that
 * resolving them asks (those of /etc/resolv.conf, or the `--dns-server`), so
 * nobody writes it by hand.
 *
 * @module
 */

import { allowNetList } from "../config/permissions.ts";
import type { Config } from "../config/schema.ts";
import { dnsAllowNet, dnsServerEntry } from "../validation/resolve_host.ts";
import { fail, print } from "./_output.ts";

/** Where the system's DNS servers are listed (Linux, macOS, the BSDs). */
export const RESOLV_CONF = "/etc/resolv.conf";

/** What `allow-net` needs to know about host names. */
export interface AllowNetOptions {
  /** Whether host names are resolved (not `--no-dns`, not `"hostNames": false`). */
  hostNames: boolean;
  /** `--dns-server`, when given. */
  dnsServer?: { ipAddr: string; port: number };
}

/**
 * The `--allow-net` entries for resolving host names, and a note when they
 * cannot be known (no permission to read /etc/resolv.conf, no such file).
 */
export function dnsEntries(options: AllowNetOptions): { entries: string[]; note?: string } {
  if (!options.hostNames) return { entries: [] };
  if (options.dnsServer) return { entries: [dnsServerEntry(options.dnsServer)] };
  try {
    return { entries: dnsAllowNet(Deno.readTextFileSync(RESOLV_CONF)) };
  } catch (error) {
    const how = error instanceof Deno.errors.NotFound
      ? `there is no ${RESOLV_CONF} here`
      : `run allow-net with --allow-read=${RESOLV_CONF} to list them`;
    return {
      entries: [],
      note:
        `Host names also need --allow-net for the DNS servers they are resolved with: ${how}; ` +
        "or give --dns-server ADDR (then add ADDR:53), or turn host names off with --no-dns",
    };
  }
}

/** Runs `allow-net`. */
export function allowNet(config: Config, options: AllowNetOptions): number {
  const { entries, note } = dnsEntries(options);
  if (note) fail(0, note);
  return print(`--allow-net=${[...allowNetList(config), ...entries].join(",")}`);
}

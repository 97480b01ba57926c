/**
 * `allow-net`: prints the exact `--allow-net=…` flag for the enabled servers
 * of the server list and, unless host names are off, the DNS servers that
 * resolving them asks (those of /etc/resolv.conf, or the `--dns-server`), so
 * nobody writes it by hand; with `--http HOST:PORT` and `--redis URL` it adds
 * the address to listen on and Redis's.
 *
 * @module
 */

import { allowNetList } from "../config/permissions.ts";
import type { Config } from "../config/schema.ts";
import { hostPort } from "../telnet/connect.ts";
import { dnsAllowNet, dnsServerEntry } from "../validation/resolve_host.ts";
import { fail, print } from "./_output.ts";
import { parseListenAddress } from "./serve.ts";

/** Where the system's DNS servers are listed (Linux, macOS, the BSDs). */
export const RESOLV_CONF = "/etc/resolv.conf";

/** What `allow-net` adds for team mode. */
export interface AllowNetArguments {
  /** `--http HOST:PORT`: listening needs its own permission. */
  http?: string;
  /** `--redis URL`: the Redis host and port (6379 when the URL names none). */
  redis?: string;
}

/** What `allow-net` needs to know about host names, and team mode's additions. */
export interface AllowNetOptions extends AllowNetArguments {
  /** Whether host names are resolved (not `--no-dns`, not `"hostNames": false`). */
  hostNames: boolean;
  /** `--dns-server`, when given. */
  dnsServer?: { ipAddr: string; port: number };
}

/** The `host:port` entries team mode needs besides the route servers. */
export function teamAllowNet(args: AllowNetArguments): string[] {
  const extra: string[] = [];
  if (args.http !== undefined) {
    const { hostname, port } = parseListenAddress(args.http);
    // Port 0 takes any free port: only the host can be named.
    const host = hostname.includes(":") ? `[${hostname}]` : hostname;
    extra.push(port === 0 ? host : hostPort({ host: hostname, port }));
  }
  if (args.redis !== undefined) {
    const url = new URL(args.redis);
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    extra.push(hostPort({ host, port: Number(url.port || 6379) }));
  }
  return extra;
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
  return print(
    `--allow-net=${[...allowNetList(config), ...entries, ...teamAllowNet(options)].join(",")}`,
  );
}

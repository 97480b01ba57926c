/**
 * `allow-net`: prints the exact `--allow-net=…` flag for the enabled servers
 * of the server list, so nobody writes it by hand; with `--http HOST:PORT`
 * and `--redis URL` it adds the address to listen on and Redis's.
 *
 * @module
 */

import { allowNetFlag } from "../config/permissions.ts";
import type { Config } from "../config/schema.ts";
import { hostPort } from "../telnet/connect.ts";
import { print } from "./_output.ts";
import { parseListenAddress } from "./serve.ts";

/** What `allow-net` adds for team mode. */
export interface AllowNetArguments {
  /** `--http HOST:PORT`: listening needs its own permission. */
  http?: string;
  /** `--redis URL`: the Redis host and port (6379 when the URL names none). */
  redis?: string;
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

/** Runs `allow-net`. */
export function allowNet(config: Config, args: AllowNetArguments = {}): number {
  return print(allowNetFlag(config, teamAllowNet(args)));
}

/**
 * Deno permissions the program needs: the exact `--allow-net` list for the
 * enabled servers of a configuration, so nobody writes it by hand.
 *
 * @module
 */

import { type Config, enabledServers } from "./schema.ts";
import { hostPort } from "../telnet/connect.ts";

/**
 * `host:port` entries for every enabled server, in file order, then `extra`
 * (an address to listen on, Redis), without duplicates.
 */
export function allowNetList(config: Config, extra: readonly string[] = []): string[] {
  return [...new Set([...enabledServers(config).map(hostPort), ...extra])];
}

/** The `--allow-net=…` flag for a configuration (and `extra` entries). */
export function allowNetFlag(config: Config, extra: readonly string[] = []): string {
  return `--allow-net=${allowNetList(config, extra).join(",")}`;
}

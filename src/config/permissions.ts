/**
 * Deno permissions the program needs: the exact `--allow-net` list for the
 * enabled servers of a configuration, so nobody writes it by hand.
 *
 * @module
 */

import { type Config, enabledServers } from "./schema.ts";
import { hostPort } from "../telnet/connect.ts";

/** `host:port` entries for every enabled server, in file order, without duplicates. */
export function allowNetList(config: Config): string[] {
  return [...new Set(enabledServers(config).map(hostPort))];
}

/** The `--allow-net=…` flag for a configuration. */
export function allowNetFlag(config: Config): string {
  return `--allow-net=${allowNetList(config).join(",")}`;
}

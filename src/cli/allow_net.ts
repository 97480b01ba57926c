/**
 * `allow-net`: prints the exact `--allow-net=…` flag for the enabled servers
 * of the server list, so nobody writes it by hand.
 *
 * @module
 */

import { allowNetFlag } from "../config/permissions.ts";
import type { Config } from "../config/schema.ts";
import { print } from "./_output.ts";

/** Runs `allow-net`. */
export function allowNet(config: Config): number {
  return print(allowNetFlag(config));
}

/**
 * `query DEST [--server NAME] [--max-paths N] [--json]`: the BGP paths one
 * server has for a destination, as `route_lookup` gives them.
 *
 * @module
 */

import { renderRoute } from "../render.ts";
import type { LookingGlass } from "../service/looking_glass.ts";
import { lookupRoute, PATH_LIMITS } from "../service/route_lookup.ts";
import { UsageError } from "../errors.ts";
import { print } from "./_output.ts";

/** What `query` reads from the command line. */
export interface QueryArguments {
  /** The positional arguments after `query`. */
  rest: string[];
  /** `--server`. */
  server?: string;
  /** `--max-paths N`: how many paths to show (route_lookup's `maxPaths`). */
  "max-paths"?: string;
  /** `--json`. */
  json?: boolean;
}

/** Runs `query`; `open` starts the looking glass once the arguments are known to be good. */
export async function query(
  args: QueryArguments,
  open: () => Promise<LookingGlass>,
): Promise<number> {
  if (args.rest.length !== 1) throw new UsageError("query takes one destination");
  const maxPaths = maxPathsOption(args["max-paths"]);
  await using lg = await open();
  const result = await lookupRoute(lg, {
    destination: args.rest[0],
    server: args.server,
    maxPaths,
  });
  return print(args.json ? JSON.stringify(result, null, 2) : renderRoute(result));
}

/** `--max-paths N` read: a whole number from 1 to route_lookup's largest. */
function maxPathsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > PATH_LIMITS.max) {
    throw new UsageError(`--max-paths is a whole number from 1 to ${PATH_LIMITS.max}`);
  }
  return n;
}

/**
 * `query DEST [--server NAME] [--json]`: the BGP paths one server has for a
 * destination, as `route_lookup` gives them.
 *
 * @module
 */

import { renderRoute } from "../render.ts";
import type { LookingGlass } from "../service/looking_glass.ts";
import { lookupRoute } from "../service/route_lookup.ts";
import { UsageError } from "../errors.ts";
import { print } from "./_output.ts";

/** What `query` reads from the command line. */
export interface QueryArguments {
  /** The positional arguments after `query`. */
  rest: string[];
  /** `--server`. */
  server?: string;
  /** `--json`. */
  json?: boolean;
}

/** Runs `query`; `open` starts the looking glass once the arguments are known to be good. */
export async function query(
  args: QueryArguments,
  open: () => Promise<LookingGlass>,
): Promise<number> {
  if (args.rest.length !== 1) throw new UsageError("query takes one destination");
  await using lg = await open();
  const result = await lookupRoute(lg, { destination: args.rest[0], server: args.server });
  return print(args.json ? JSON.stringify(result, null, 2) : renderRoute(result));
}

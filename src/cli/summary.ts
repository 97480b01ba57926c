/**
 * `summary [--server NAME] [--family ipv4|ipv6] [--limit N] [--json]`: a
 * server's BGP neighbours, as `bgp_summary` gives them.
 *
 * @module
 */

import { renderSummary } from "../render.ts";
import { fetchSummary } from "../service/bgp_summary.ts";
import type { LookingGlass } from "../service/looking_glass.ts";
import { UsageError } from "../errors.ts";
import { print } from "./_output.ts";

/** What `summary` reads from the command line. */
export interface SummaryArguments {
  /** `--server`. */
  server?: string;
  /** `--family` (default ipv4). */
  family?: string;
  /** `--limit`. */
  limit?: string;
  /** `--json`. */
  json?: boolean;
}

/** Runs `summary`; `open` starts the looking glass once the arguments are known to be good. */
export async function summary(
  args: SummaryArguments,
  open: () => Promise<LookingGlass>,
): Promise<number> {
  const family = args.family ?? "ipv4";
  if (family !== "ipv4" && family !== "ipv6") {
    throw new UsageError("--family is ipv4 or ipv6");
  }
  const limit = args.limit === undefined ? undefined : Number(args.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new UsageError("--limit is a positive whole number");
  }
  await using lg = await open();
  const result = await fetchSummary(lg, { server: args.server, addressFamily: family, limit });
  return print(args.json ? JSON.stringify(result, null, 2) : renderSummary(result));
}

/**
 * `compare DEST [--servers NAME,NAME|all] [--max-servers N] [--json]`: several
 * servers' best paths for a destination and the consensus, as `route_compare`
 * gives them (names of the ASes in one legend line).
 *
 * @module
 */

import { renderCompare } from "../render.ts";
import type { LookingGlass } from "../service/looking_glass.ts";
import { compareRoute, MAX_COMPARE_SERVERS } from "../service/route_compare.ts";
import { UsageError } from "../errors.ts";
import { print } from "./_output.ts";

/** What `compare` reads from the command line. */
export interface CompareArguments {
  /** The positional arguments after `compare`. */
  rest: string[];
  /** `--servers`: names separated by commas, or `all`. */
  servers?: string;
  /** `--max-servers`. */
  "max-servers"?: string;
  /** `--json`. */
  json?: boolean;
}

/** Runs `compare`; `open` starts the looking glass once the arguments are known to be good. */
export async function compare(
  args: CompareArguments,
  open: () => Promise<LookingGlass>,
): Promise<number> {
  if (args.rest.length !== 1) throw new UsageError("compare takes one destination");
  const servers = args.servers === undefined
    ? undefined
    : args.servers === "all"
    ? "all" as const
    : args.servers.split(",").map((name) => name.trim()).filter((name) => name !== "");
  if (Array.isArray(servers) && servers.length === 0) {
    throw new UsageError("--servers takes server names separated by commas, or all");
  }
  const max = args["max-servers"] === undefined ? undefined : Number(args["max-servers"]);
  if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= MAX_COMPARE_SERVERS)) {
    throw new UsageError(`--max-servers is a whole number from 1 to ${MAX_COMPARE_SERVERS}`);
  }
  await using lg = await open();
  const result = await compareRoute(lg, {
    destination: args.rest[0],
    ...(servers ? { servers } : {}),
    ...(max ? { maxServers: max } : {}),
  });
  return print(args.json ? JSON.stringify(result, null, 2) : renderCompare(result));
}

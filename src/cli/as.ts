/**
 * `as ASN [--json]` and `as --search TEXT [--limit N] [--json]`: who an AS
 * is, or the ASes whose name holds a text, from the offline AS-names dataset,
 * as `as_info` gives them. Nothing leaves the machine.
 *
 * @module
 */

import { ATTRIBUTION_TEXT } from "../names/attribution.ts";
import { renderAsInfo } from "../render.ts";
import { asInfo } from "../service/as_info.ts";
import type { LookingGlass } from "../service/looking_glass.ts";
import { UsageError } from "../errors.ts";
import { print } from "./_output.ts";

/** What `as` reads from the command line. */
export interface AsArguments {
  /** The positional arguments after `as`. */
  rest: string[];
  /** `--search`. */
  search?: string;
  /** `--limit`. */
  limit?: string;
  /** `--json`. */
  json?: boolean;
}

/** Runs `as`; `open` starts the looking glass once the arguments are known to be good. */
export async function asCommand(
  args: AsArguments,
  open: () => Promise<LookingGlass>,
): Promise<number> {
  if (args.search === undefined ? args.rest.length !== 1 : args.rest.length !== 0) {
    throw new UsageError("as takes one AS number, or --search TEXT");
  }
  const limit = args.limit === undefined ? undefined : Number(args.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new UsageError("--limit is a positive whole number");
  }
  await using lg = await open();
  const result = await asInfo(
    lg,
    args.search === undefined ? { asn: args.rest[0], limit } : { query: args.search, limit },
  );
  return print(
    args.json
      ? JSON.stringify({ ...result, attribution: ATTRIBUTION_TEXT }, null, 2)
      : `${renderAsInfo(result)}\n${ATTRIBUTION_TEXT}.`,
  );
}

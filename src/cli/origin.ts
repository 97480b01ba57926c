/**
 * `origin DEST [--json]`: the dataset's range and origin AS for an address,
 * a prefix or a host name, as `ip_origin` gives them — offline, except for a
 * host name's DNS query.
 *
 * @module
 */

import { ATTRIBUTION_TEXT } from "../names/attribution.ts";
import { renderIpOrigin } from "../render.ts";
import { ipOrigin } from "../service/ip_origin.ts";
import type { LookingGlass } from "../service/looking_glass.ts";
import { UsageError } from "../errors.ts";
import { print } from "./_output.ts";

/** What `origin` reads from the command line. */
export interface OriginArguments {
  /** The positional arguments after `origin`. */
  rest: string[];
  /** `--json`. */
  json?: boolean;
}

/** Runs `origin`; `open` starts the looking glass once the arguments are known to be good. */
export async function origin(
  args: OriginArguments,
  open: () => Promise<LookingGlass>,
): Promise<number> {
  if (args.rest.length !== 1) throw new UsageError("origin takes one address, prefix or host name");
  await using lg = await open();
  const result = await ipOrigin(lg, { address: args.rest[0] });
  return print(
    args.json
      ? JSON.stringify({ ...result, attribution: ATTRIBUTION_TEXT }, null, 2)
      : `${renderIpOrigin(result)}\n${ATTRIBUTION_TEXT}.`,
  );
}

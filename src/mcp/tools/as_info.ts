/**
 * `as_info`: who an AS is, from the offline AS-names dataset — by number, or
 * the best matches of a name search. Nothing leaves the machine. Registered
 * only when AS names are on.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import { renderAsInfo } from "../../render.ts";
import { asInfo, RANGE_LIMITS, SEARCH_LIMITS } from "../../service/as_info.ts";
import type { LookingGlass } from "../../service/looking_glass.ts";
import { AS_INFO_OUTPUT } from "./_schemas.ts";
import { queryTool } from "./_tool.ts";

/** Registers `as_info` on an MCP server. */
export function registerAsInfo(server: McpServer, lg: LookingGlass): void {
  queryTool(server, {
    name: "as_info",
    title: "Who is an AS (offline)",
    description: "Name an autonomous system from the offline AS-names dataset, without asking " +
      "any server: give asn (3356, AS3356 or asdot 1.10) for its name, whether it is a " +
      "special-purpose number (private use, documentation, AS_TRANS, …, named from the IANA " +
      "registries), how many address ranges the dataset maps to it and a few of them; or give " +
      "query (part of a name, e.g. cogent) for the best matches. The dataset has a build date " +
      "and is not a live view: use route_lookup for what the route servers see now.",
    inputSchema: {
      asn: z.union([z.number(), z.string().max(40)]).optional().describe(
        'An AS number, 0 to 4294967295: 3356, "AS3356" or asdot "1.10"',
      ),
      query: z.string().max(200).optional().describe(
        "Part of an AS or organisation name (1 to 100 characters), e.g. cogent",
      ),
      limit: z.number().int().min(1).max(SEARCH_LIMITS.max).optional().describe(
        `Most matches for query (default ${SEARCH_LIMITS.default}, at most ` +
          `${SEARCH_LIMITS.max}); for asn, ranges listed per family (default ` +
          `${RANGE_LIMITS.default}, at most ${RANGE_LIMITS.max})`,
      ),
    },
    outputSchema: AS_INFO_OUTPUT,
    annotations: { openWorldHint: false },
    run: (args) => asInfo(lg, args),
    render: renderAsInfo,
  });
}

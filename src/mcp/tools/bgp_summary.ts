/**
 * `bgp_summary`: a route server's BGP neighbours and their state.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import type { LookingGlass } from "../../service/looking_glass.ts";
import type { SummaryResult } from "../../bgp/results.ts";
import { fetchSummary } from "../../service/bgp_summary.ts";
import { renderSummary } from "../../render.ts";
import { errorResult, QUERY_ANNOTATIONS, serverNameSchema } from "./_shared.ts";

const outputSchema = {
  server: z.string(),
  command: z.string(),
  addressFamily: z.enum(["ipv4", "ipv6"]),
  routerId: z.string().nullable(),
  localAs: z.number().int().nullable(),
  neighbors: z.array(z.object({
    address: z.string(),
    asn: z.number().int(),
    state: z.string(),
    established: z.boolean(),
    uptime: z.string(),
    prefixesReceived: z.number().int().nullable(),
  })),
  totals: z.object({
    neighbors: z.number().int(),
    established: z.number().int(),
    prefixes: z.number().int(),
  }),
  truncated: z.boolean(),
  elapsedMs: z.number(),
  cached: z.boolean(),
  ageSeconds: z.number().int(),
  warnings: z.array(z.string()),
};

/** Registers `bgp_summary` on an MCP server. */
export function registerBgpSummary(server: McpServer, lg: LookingGlass): void {
  server.registerTool(
    "bgp_summary",
    {
      title: "BGP neighbour summary",
      description:
        "List a route server's BGP neighbours for one address family: neighbour address, " +
        "AS, session state, up/down time and prefixes received, with totals. Answers live from the " +
        "server over telnet.",
      inputSchema: {
        server: serverNameSchema(lg.config),
        addressFamily: z.enum(["ipv4", "ipv6"]).optional().describe(
          "Address family (default ipv4)",
        ),
        limit: z.number().int().min(1).max(1000).optional().describe(
          "Most neighbours to list (default 50); totals always count all of them",
        ),
      },
      outputSchema,
      annotations: { title: "BGP neighbour summary", ...QUERY_ANNOTATIONS },
    },
    async ({ server: name, addressFamily, limit }, extra) => {
      let result: SummaryResult;
      try {
        result = await fetchSummary(lg, { server: name, addressFamily, limit }, {
          signal: extra.signal,
        });
      } catch (error) {
        return errorResult(error);
      }
      return {
        content: [{ type: "text", text: renderSummary(result) }],
        structuredContent: { ...result },
      };
    },
  );
}

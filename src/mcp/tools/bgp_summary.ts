/**
 * `bgp_summary`: a route server's BGP neighbours and their state.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import { renderSummary } from "../../render.ts";
import { fetchSummary } from "../../service/bgp_summary.ts";
import type { LookingGlass } from "../../service/looking_glass.ts";
import { serverNameSchema, SUMMARY_OUTPUT } from "./_schemas.ts";
import { queryTool } from "./_tool.ts";

/** Registers `bgp_summary` on an MCP server. */
export function registerBgpSummary(server: McpServer, lg: LookingGlass): void {
  queryTool(server, {
    name: "bgp_summary",
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
    outputSchema: SUMMARY_OUTPUT,
    run: ({ server: name, addressFamily, limit }, extra) =>
      fetchSummary(lg, { server: name, addressFamily, limit }, { signal: extra.signal }),
    render: renderSummary,
  });
}

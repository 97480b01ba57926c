/**
 * `route_lookup`: the BGP paths one route server has for an address or prefix.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import type { LookingGlass } from "../looking_glass.ts";
import { lookupRoute, type RouteLookupResult } from "../lookup.ts";
import { renderRoute } from "../render.ts";
import { errorResult, pathSchema, QUERY_ANNOTATIONS, serverNameSchema } from "./_shared.ts";

const outputSchema = {
  server: z.string(),
  command: z.string(),
  destination: z.string(),
  prefix: z.string().nullable(),
  found: z.boolean(),
  paths: z.array(pathSchema),
  totalPaths: z.number().int(),
  elapsedMs: z.number(),
  cached: z.boolean(),
  ageSeconds: z.number().int(),
  warnings: z.array(z.string()),
};

/** Registers `route_lookup` on an MCP server. */
export function registerRouteLookup(server: McpServer, lg: LookingGlass): void {
  server.registerTool(
    "route_lookup",
    {
      title: "BGP route lookup",
      description:
        "Show the BGP paths a public route server (Route Views collector) has for an IP " +
        "address (longest match) or prefix (exact match): AS path, origin AS, next hop, peer, MED, " +
        "local preference and communities, with the best path marked. Answers live from the server " +
        "over telnet. Only global unicast destinations are accepted.",
      inputSchema: {
        destination: z.string().describe(
          "IPv4 or IPv6 address (8.8.8.8, 2001:4860:4860::8888) or prefix (8.8.8.0/24, 2001:4860::/32)",
        ),
        server: serverNameSchema(lg.config),
      },
      outputSchema,
      annotations: { title: "BGP route lookup", ...QUERY_ANNOTATIONS },
    },
    async ({ destination, server: name }, extra) => {
      let result: RouteLookupResult;
      try {
        result = await lookupRoute(lg, { destination, server: name }, { signal: extra.signal });
      } catch (error) {
        return errorResult(error);
      }
      return {
        content: [{ type: "text", text: renderRoute(result) }],
        structuredContent: { ...result },
      };
    },
  );
}

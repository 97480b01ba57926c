/**
 * `route_compare`: how several vantage points see one destination, with a
 * verdict (visibility, origin, MOAS, upstreams, differing prefixes). Progress
 * notifications are sent as each server answers.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import type { CompareResult } from "../../bgp/results.ts";
import {
  compareRoute,
  DEFAULT_COMPARE_SERVERS,
  MAX_COMPARE_SERVERS,
} from "../../service/route_compare.ts";
import { enabledServers } from "../../config/schema.ts";
import type { LookingGlass } from "../../service/looking_glass.ts";
import { renderCompare } from "../../render.ts";
import { errorResult, pathSchema, QUERY_ANNOTATIONS } from "./_shared.ts";

const asnServers = z.array(z.object({ asn: z.number().int(), servers: z.array(z.string()) }));
const notablePath = z.object({
  server: z.string(),
  asPath: z.array(z.number().int()),
  length: z.number().int(),
})
  .nullable();

const outputSchema = {
  destination: z.string(),
  results: z.array(z.object({
    server: z.string(),
    found: z.boolean(),
    prefix: z.string().optional(),
    bestPath: pathSchema.optional(),
    pathCount: z.number().int(),
    error: z.string().optional(),
    cached: z.boolean(),
    ageSeconds: z.number().int().optional(),
    elapsedMs: z.number(),
  })),
  consensus: z.object({
    seenBy: z.array(z.string()),
    missingFrom: z.array(z.string()),
    failed: z.array(z.string()),
    origins: asnServers,
    moas: z.boolean(),
    upstreams: asnServers,
    prefixes: z.array(z.object({ prefix: z.string(), servers: z.array(z.string()) })),
    shortestPath: notablePath,
    longestPath: notablePath,
  }),
  elapsedMs: z.number(),
  warnings: z.array(z.string()),
};

/** Registers `route_compare` on an MCP server. */
export function registerRouteCompare(server: McpServer, lg: LookingGlass): void {
  const names = enabledServers(lg.config).map((s) => s.name) as [string, ...string[]];
  const serverName = z.enum(names, {
    error: () => `Unknown or disabled server. Enabled servers: ${names.join(", ")}`,
  });
  server.registerTool(
    "route_compare",
    {
      title: "Compare a route across vantage points",
      description: "Ask several route servers at once how they see an IP address or prefix and " +
        "return a verdict: which servers see it and which miss it, the origin AS(es) (more than " +
        "one = MOAS, a hijack hint), the origin's upstreams, differing more-specific prefixes, and " +
        "each server's best path. Servers that fail are listed, not fatal. Answers less than a " +
        "minute old come from the cache.",
      inputSchema: {
        destination: z.string().describe("IPv4 or IPv6 address or prefix, e.g. 8.8.8.0/24"),
        servers: z.union([z.literal("all"), z.array(serverName).min(1).max(MAX_COMPARE_SERVERS)])
          .optional()
          .describe(
            `Server names, or "all" enabled servers carrying the address family. Default: ` +
              `${DEFAULT_COMPARE_SERVERS} servers spread across locations.`,
          ),
        maxServers: z.number().int().min(1).max(MAX_COMPARE_SERVERS).optional().describe(
          `Most servers to ask (default ${DEFAULT_COMPARE_SERVERS}, at most ${MAX_COMPARE_SERVERS})`,
        ),
      },
      outputSchema,
      annotations: { title: "Compare a route across vantage points", ...QUERY_ANNOTATIONS },
    },
    async ({ destination, servers, maxServers }, extra) => {
      const progressToken = extra._meta?.progressToken;
      let result: CompareResult;
      try {
        result = await compareRoute(lg, { destination, servers, maxServers }, {
          signal: extra.signal,
          onResult: (one, done, total) => {
            if (progressToken === undefined) return;
            const what = one.error ? `failed` : one.found ? `sees ${one.prefix}` : "has no route";
            extra.sendNotification({
              method: "notifications/progress",
              params: { progressToken, progress: done, total, message: `${one.server} ${what}` },
            }).catch(() => {});
          },
        });
      } catch (error) {
        return errorResult(error);
      }
      return {
        content: [{ type: "text", text: renderCompare(result) }],
        structuredContent: { ...result },
      };
    },
  );
}

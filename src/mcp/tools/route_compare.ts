/**
 * `route_compare`: how several vantage points see one destination, with a
 * verdict (visibility, origin, MOAS, upstreams, differing prefixes). Progress
 * notifications are sent as each server answers.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import { enabledServers } from "../../config/schema.ts";
import { progressMessage, renderCompare } from "../../render.ts";
import { engineOf, type LookingGlass } from "../../service/looking_glass.ts";
import {
  compareRoute,
  DEFAULT_COMPARE_SERVERS,
  MAX_COMPARE_SERVERS,
} from "../../service/route_compare.ts";
import { COMPARE_OUTPUT, serverNameError } from "./_schemas.ts";
import { attachPicture, pictureArgument } from "./_picture.ts";
import { queryTool } from "./_tool.ts";

/** Registers `route_compare` on an MCP server. */
export function registerRouteCompare(server: McpServer, lg: LookingGlass): void {
  const names = enabledServers(lg.config).map((s) => s.name) as [string, ...string[]];
  const dns = engineOf(lg).resolver !== null;
  const serverName = z.enum(names, { error: (issue) => serverNameError(lg.config, issue.input) });
  queryTool(server, {
    name: "route_compare",
    title: "Compare a route across vantage points",
    description: "Ask several route servers at once how they see an IP address or prefix and " +
      "return a verdict: which servers see it and which miss it, the origin AS(es) (more than " +
      "one = MOAS, a hijack hint), the origin's upstreams, differing more-specific prefixes, and " +
      "each server's best path with its RPKI state (not-validated where the server does not " +
      "validate). Servers that fail are listed, not fatal. Answers less than a " +
      "minute old come from the cache. The live origin is checked against the offline " +
      "AS-names dataset's (consensus.datasetOrigins: a difference is evidence of a change, a " +
      "hijack or a leak). Findings: evidence-backed judgements (MOAS, a more-specific from " +
      "another origin, an origin the dataset does not give, bogon ASNs, RPKI, possible route " +
      "leak, visibility, prepending, path-length outliers), most severe first. The AS graph of " +
      "the best paths comes as Mermaid text (graph.mermaid) and, unless picture is false, as a " +
      "PNG image.",
    inputSchema: {
      destination: z.string().describe(
        `IPv4 or IPv6 address or prefix, e.g. 8.8.8.0/24${dns ? ", or a host name" : ""}`,
      ),
      servers: z.union([z.literal("all"), z.array(serverName).min(1).max(MAX_COMPARE_SERVERS)], {
        // A union's own message says only "Invalid input": name the server that is wrong.
        error: (issue) => {
          const bad = Array.isArray(issue.input)
            ? issue.input.find((name) => !names.includes(name))
            : undefined;
          return bad === undefined
            ? `servers is "all" or a list of 1 to ${MAX_COMPARE_SERVERS} server names`
            : serverNameError(lg.config, bad);
        },
      })
        .optional()
        .describe(
          `Server names, or "all" enabled servers carrying the address family. Default: ` +
            `${DEFAULT_COMPARE_SERVERS} servers spread across locations.`,
        ),
      maxServers: z.number().int().min(1).max(MAX_COMPARE_SERVERS).optional().describe(
        `Most servers to ask (default ${DEFAULT_COMPARE_SERVERS}, at most ${MAX_COMPARE_SERVERS})`,
      ),
      picture: pictureArgument(true),
    },
    outputSchema: COMPARE_OUTPUT,
    run({ destination, servers, maxServers }, extra) {
      const progressToken = extra._meta?.progressToken;
      return compareRoute(lg, { destination, servers, maxServers }, {
        signal: extra.signal,
        onResult: (one, done, total) => {
          if (progressToken === undefined) return;
          extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken, progress: done, total, message: progressMessage(one) },
          }).catch(() => {});
        },
      });
    },
    render: renderCompare,
    attach: (result, { picture }) => attachPicture(result, picture ?? true),
  });
}

/**
 * `list_servers`: the configured route servers with their remaining quota,
 * optionally probed for reachability.
 *
 * @module
 */

import { z } from "zod";
import { DIALECT_IDS } from "../../dialects/mod.ts";
import type { McpServer } from "../_sdk.ts";
import type { LookingGlass } from "../../service/looking_glass.ts";
import type { ServerList } from "../../bgp/results.ts";
import { listServers } from "../../service/list_servers.ts";
import { renderServerList } from "../../render.ts";
import { errorResult } from "./_shared.ts";

const amounts = z.object({
  connections: z.number().int(),
  bytesDown: z.number().int(),
  bytesUp: z.number().int(),
});

const outputSchema = {
  defaultServer: z.string(),
  ledger: z.enum(["file", "memory"]),
  servers: z.array(z.object({
    name: z.string(),
    host: z.string(),
    port: z.number().int(),
    dialect: z.enum(DIALECT_IDS),
    location: z.string(),
    addressFamilies: z.array(z.enum(["ipv4", "ipv6"])),
    enabled: z.boolean(),
    budget: z.object({
      limits: amounts,
      used: amounts,
      remaining: amounts,
      unknownUntil: z.string().optional(),
    }),
    probe: z.object({
      reachable: z.boolean(),
      connectMs: z.number().optional(),
      error: z.string().optional(),
      note: z.string().optional(),
    }).optional(),
  })),
};

/** Registers `list_servers` on an MCP server. */
export function registerListServers(server: McpServer, lg: LookingGlass): void {
  server.registerTool(
    "list_servers",
    {
      title: "List route servers",
      description: "List the configured public route servers: name, host, CLI dialect, location, " +
        "address families, whether each is enabled, and the quota left over the last 24 h " +
        "(connections, bytes down and up). With probe=true, also try a TCP connection to every " +
        "enabled server (no login; one connection of its budget each, none when a session with " +
        "it is open; results kept for a minute) and report reachability and connect time.",
      inputSchema: {
        probe: z.boolean().optional().describe(
          "Connect to each enabled server to check reachability (one connection of its budget " +
            "each, none for a server with a session open)",
        ),
      },
      outputSchema,
      annotations: {
        title: "List route servers",
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: true,
      },
    },
    async ({ probe }, extra) => {
      let result: ServerList;
      try {
        result = await listServers(lg, { probe }, { signal: extra.signal });
      } catch (error) {
        return errorResult(error);
      }
      return {
        content: [{ type: "text", text: renderServerList(result, probe === true) }],
        structuredContent: { ...result },
      };
    },
  );
}

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
import type { ProbeResult } from "../../politeness/probe.ts";
import { renderServers } from "../../render.ts";
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
  const { config } = lg;
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
      let probes: (ProbeResult | undefined)[] | undefined;
      try {
        if (probe) {
          // A probe is a connection too: booked first, refused over budget, within maxConcurrent.
          const enabled = config.servers.filter((s) => s.enabled);
          const results = await lg.probe(enabled, { signal: extra.signal });
          probes = config.servers.map((s) => (s.enabled ? results[enabled.indexOf(s)] : undefined));
        }
      } catch (error) {
        return errorResult(error);
      }
      const budgets = config.servers.map((s) => lg.budget(s));
      const servers = config.servers.map((s, i) => ({
        name: s.name,
        host: s.host,
        port: s.port,
        dialect: s.dialect,
        location: s.location,
        addressFamilies: s.addressFamilies,
        enabled: s.enabled,
        budget: budgets[i],
        ...(probes?.[i] ? { probe: probes[i] } : {}),
      }));
      const ledgerNote = lg.ledgerMode === "file"
        ? "Quota use is remembered across restarts."
        : "Quota use is kept in memory only (no writable state directory).";
      return {
        content: [{
          type: "text",
          text: `Default server: ${config.defaultServer}. ${ledgerNote}\n` +
            renderServers(config.servers, probes, budgets),
        }],
        structuredContent: { defaultServer: config.defaultServer, ledger: lg.ledgerMode, servers },
      };
    },
  );
}

/**
 * `list_servers`: the configured route servers, optionally probed for reachability.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import type { Config } from "../config.ts";
import { type ProbeResult, probeServers } from "../probe.ts";
import { renderServers } from "../render.ts";
import { errorResult } from "./_shared.ts";

const outputSchema = {
  defaultServer: z.string(),
  servers: z.array(z.object({
    name: z.string(),
    host: z.string(),
    port: z.number().int(),
    dialect: z.enum(["cisco-ios", "frr"]),
    location: z.string(),
    addressFamilies: z.array(z.enum(["ipv4", "ipv6"])),
    enabled: z.boolean(),
    probe: z.object({
      reachable: z.boolean(),
      connectMs: z.number().optional(),
      error: z.string().optional(),
    }).optional(),
  })),
};

/** Registers `list_servers` on an MCP server. */
export function registerListServers(server: McpServer, config: Config): void {
  server.registerTool(
    "list_servers",
    {
      title: "List route servers",
      description: "List the configured public route servers: name, host, CLI dialect, location, " +
        "address families and whether each is enabled. With probe=true, also try a TCP connection " +
        "to every enabled server at once (no login) and report reachability and connect time.",
      inputSchema: {
        probe: z.boolean().optional().describe(
          "Connect to each enabled server to check reachability (counts as one connection each)",
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
          const enabled = config.servers.filter((s) => s.enabled);
          const results = await probeServers(enabled, { signal: extra.signal });
          probes = config.servers.map((s) => {
            const i = enabled.indexOf(s);
            return i < 0 ? undefined : results[i];
          });
        }
      } catch (error) {
        return errorResult(error);
      }
      const servers = config.servers.map((s, i) => ({
        name: s.name,
        host: s.host,
        port: s.port,
        dialect: s.dialect,
        location: s.location,
        addressFamilies: s.addressFamilies,
        enabled: s.enabled,
        ...(probes?.[i] ? { probe: probes[i] } : {}),
      }));
      return {
        content: [{
          type: "text",
          text: `Default server: ${config.defaultServer}\n${renderServers(config.servers, probes)}`,
        }],
        structuredContent: { defaultServer: config.defaultServer, servers },
      };
    },
  );
}

/**
 * `ping`: reachability and round-trip time of an address as seen from a route
 * server that allows it (route-views main). Registered only when one does.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import { renderPing } from "../../render.ts";
import { engineOf, type LookingGlass } from "../../service/looking_glass.ts";
import { diagnosticServers, ping, PING_LIMITS } from "../../service/measure.ts";
import { PING_OUTPUT } from "./_schemas.ts";
import { queryTool } from "./_tool.ts";

/** Registers `ping` when at least one enabled server allows it. */
export function registerPing(server: McpServer, lg: LookingGlass): void {
  const names = diagnosticServers(lg, "ping").map((s) => s.name);
  if (names.length === 0) return;
  const dns = engineOf(lg).resolver !== null;
  queryTool(server, {
    name: "ping",
    title: "Ping from a route server",
    description:
      `Ping an IP address from a route server (${names.join(", ")}) and report loss and ` +
      "round-trip times. One global unicast address; a few packets at most.",
    inputSchema: {
      destination: z.string().describe(
        `IPv4 or IPv6 address, e.g. 8.8.8.8${dns ? ", or a host name (resolved with DNS)" : ""}`,
      ),
      server: z.enum(names as [string, ...string[]]).optional().describe(
        `Server to ping from (default ${names[0]})`,
      ),
      count: z.number().int().min(1).max(PING_LIMITS.count.max).optional().describe(
        `Echo requests (default ${PING_LIMITS.count.default})`,
      ),
      timeoutSeconds: z.number().int().min(1).max(PING_LIMITS.timeoutSeconds.max).optional()
        .describe(
          `Seconds to wait for each reply (default ${PING_LIMITS.timeoutSeconds.default})`,
        ),
    },
    outputSchema: PING_OUTPUT,
    annotations: { idempotentHint: false },
    run: (args, extra) => ping(lg, args, { signal: extra.signal }),
    render: renderPing,
  });
}

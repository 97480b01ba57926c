/**
 * `traceroute`: the forwarding path from a route server that allows it
 * (route-views main) to an address, hop by hop. Registered only when one does.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import { renderTraceroute } from "../../render.ts";
import { engineOf, type LookingGlass } from "../../service/looking_glass.ts";
import { diagnosticServers, traceroute, TRACEROUTE_LIMITS } from "../../service/measure.ts";
import { TRACEROUTE_OUTPUT } from "./_schemas.ts";
import { queryTool } from "./_tool.ts";

/** Registers `traceroute` when at least one enabled server allows it. */
export function registerTraceroute(server: McpServer, lg: LookingGlass): void {
  const names = diagnosticServers(lg, "traceroute").map((s) => s.name);
  if (names.length === 0) return;
  const dns = engineOf(lg).resolver !== null;
  queryTool(server, {
    name: "traceroute",
    title: "Traceroute from a route server",
    description: `Trace the forwarding path from a route server (${names.join(", ")}) to an IP ` +
      "address: each hop's address, name, AS and round-trip times. One global unicast address.",
    inputSchema: {
      destination: z.string().describe(
        `IPv4 or IPv6 address, e.g. 8.8.8.8${dns ? ", or a host name (resolved with DNS)" : ""}`,
      ),
      server: z.enum(names as [string, ...string[]]).optional().describe(
        `Server to trace from (default ${names[0]})`,
      ),
      maxHops: z.number().int().min(1).max(TRACEROUTE_LIMITS.maxHops.max).optional().describe(
        `Highest TTL probed (default ${TRACEROUTE_LIMITS.maxHops.default})`,
      ),
      timeoutSeconds: z.number().int().min(1).max(TRACEROUTE_LIMITS.timeoutSeconds.max).optional()
        .describe(
          `Seconds to wait for each probe (default ${TRACEROUTE_LIMITS.timeoutSeconds.default})`,
        ),
    },
    outputSchema: TRACEROUTE_OUTPUT,
    annotations: { idempotentHint: false },
    run: (args, extra) => traceroute(lg, args, { signal: extra.signal }),
    render: renderTraceroute,
  });
}

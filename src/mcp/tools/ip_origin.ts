/**
 * `ip_origin`: the dataset's range and origin AS for an address, a prefix or
 * a host name — offline, labelled as the dataset's view, not a live one.
 * Registered only when AS names are on.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import { renderIpOrigin } from "../../render.ts";
import { ipOrigin } from "../../service/ip_origin.ts";
import { engineOf, type LookingGlass } from "../../service/looking_glass.ts";
import { IP_ORIGIN_OUTPUT } from "./_schemas.ts";
import { queryTool } from "./_tool.ts";

/** Registers `ip_origin` on an MCP server. */
export function registerIpOrigin(server: McpServer, lg: LookingGlass): void {
  const dns = engineOf(lg).resolver !== null;
  queryTool(server, {
    name: "ip_origin",
    title: "Origin AS of an address (offline dataset)",
    description: "Map an IP address or prefix" + (dns ? " (or a host name)" : "") + " to the " +
      "range and origin AS the offline dataset gives for it, with the AS's name, without " +
      "asking any route server. The answer is the dataset as of its build date, not a live " +
      "view: use route_lookup for the route servers' live table. Only global unicast " +
      "destinations, refused exactly as route_lookup refuses them.",
    inputSchema: {
      address: z.string().describe(
        "IPv4 or IPv6 address (8.8.8.8) or prefix (8.8.8.0/24)" +
          (dns ? ", or a host name (github.com), resolved with DNS" : ""),
      ),
    },
    outputSchema: IP_ORIGIN_OUTPUT,
    // Offline, except for the DNS query of a host name.
    annotations: { openWorldHint: dns },
    run: ({ address }, extra) => ipOrigin(lg, { address }, { signal: extra.signal }),
    render: renderIpOrigin,
  });
}

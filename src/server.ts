/**
 * `createServer()`: the MCP server with its tools and instructions. The
 * transport is chosen by the caller (stdio in `main.ts`, in-memory in tests).
 *
 * @module
 */

import { McpServer } from "./_sdk.ts";
import type { Config } from "./config.ts";
import { registerBgpSummary } from "./tools/bgp_summary.ts";
import { registerListServers } from "./tools/list_servers.ts";
import { registerRouteLookup } from "./tools/route_lookup.ts";
import { VERSION } from "./version.ts";

const INSTRUCTIONS = `Live BGP looking glass: queries public route servers (the Route Views \
collectors, AS6447) over telnet.
- route_lookup: BGP paths for one IP address (longest match) or prefix (exact match) on one server: \
AS path (nearest AS first, origin AS last), next hop, peer, MED, communities; ">" marks the best path.
- bgp_summary: the server's BGP neighbours, their state and prefix counts.
- list_servers: the configured servers with location and address families; probe=true checks reachability.
Only global unicast destinations are accepted; private, documentation and other special-purpose \
space is refused without contacting any server.
Be polite to the public servers: Route Views allows each user about 100 connections and 500 KB of \
output per day. Ask about specific prefixes, do not repeat a query whose answer you already have, and \
use one server unless the user asks for several vantage points.`;

/** Builds the MCP server for a configuration. */
export function createServer(config: Config): McpServer {
  const server = new McpServer(
    { name: "bgp-lg-mcp", title: "BGP looking glass", version: VERSION },
    { instructions: INSTRUCTIONS },
  );
  registerRouteLookup(server, config);
  registerBgpSummary(server, config);
  registerListServers(server, config);
  return server;
}

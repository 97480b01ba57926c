/**
 * Every tool, registered from one place: `route_lookup`, `route_compare`,
 * `bgp_summary`, `list_servers`, and `ping` / `traceroute` where a server
 * allows them. Each tool is one file: its arguments, its output schema, the
 * query it runs and the text it renders, through `queryTool()`.
 *
 * @module
 */

import type { McpServer } from "../_sdk.ts";
import type { LookingGlass } from "../../service/looking_glass.ts";
import { registerBgpSummary } from "./bgp_summary.ts";
import { registerListServers } from "./list_servers.ts";
import { registerPing } from "./ping.ts";
import { registerRouteCompare } from "./route_compare.ts";
import { registerRouteLookup } from "./route_lookup.ts";
import { registerTraceroute } from "./traceroute.ts";

/** Registers every tool on an MCP server, in the order clients list them. */
export function registerTools(server: McpServer, lg: LookingGlass): void {
  registerRouteLookup(server, lg);
  registerRouteCompare(server, lg);
  registerBgpSummary(server, lg);
  registerListServers(server, lg);
  registerPing(server, lg);
  registerTraceroute(server, lg);
}

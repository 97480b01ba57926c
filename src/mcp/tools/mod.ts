/**
 * Every tool, registered from one place: `route_lookup`, `route_compare`,
 * `bgp_summary`, `list_servers`, `ping` / `traceroute` where a server allows
 * them, and `as_info` / `ip_origin` when AS names are on. Each tool is one file: its arguments, its output schema, the
 * query it runs and the text it renders, through `queryTool()`.
 *
 * @module
 */

import type { McpServer } from "../_sdk.ts";
import { engineOf, type LookingGlass } from "../../service/looking_glass.ts";
import { registerAsInfo } from "./as_info.ts";
import { registerBgpSummary } from "./bgp_summary.ts";
import { registerIpOrigin } from "./ip_origin.ts";
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
  if (engineOf(lg).names) {
    registerAsInfo(server, lg);
    registerIpOrigin(server, lg);
  }
}

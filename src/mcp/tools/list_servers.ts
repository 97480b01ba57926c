/**
 * `list_servers`: the configured route servers with their remaining quota,
 * optionally probed for reachability (the same listing as the CLI's `servers`).
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import { renderServerList } from "../../render.ts";
import { listServers } from "../../service/list_servers.ts";
import type { LookingGlass } from "../../service/looking_glass.ts";
import { SERVER_LIST_OUTPUT } from "./_schemas.ts";
import { queryTool } from "./_tool.ts";

/** Registers `list_servers` on an MCP server. */
export function registerListServers(server: McpServer, lg: LookingGlass): void {
  queryTool(server, {
    name: "list_servers",
    title: "List route servers",
    description: "List the configured public route servers: name, host, CLI dialect, location, " +
      "address families, whether each is enabled, and the quota left over the last 24 h " +
      "(connections, bytes down and up); what each offers (ping, traceroute, rpki), whether " +
      "telnet to it is confirmed, the server to use instead of a renamed one, and, once " +
      "contacted, the software its greeting showed (a mismatch with its dialect is flagged). " +
      "With probe=true, also try a TCP connection to every " +
      "enabled server (no login; one connection of its budget each, none when a session with " +
      "it is open; results kept for a minute) and report reachability and connect time.",
    inputSchema: {
      probe: z.boolean().optional().describe(
        "Connect to each enabled server to check reachability (one connection of its budget " +
          "each, none for a server with a session open)",
      ),
    },
    outputSchema: SERVER_LIST_OUTPUT,
    run: ({ probe }, extra) => listServers(lg, { probe }, { signal: extra.signal }),
    render: renderServerList,
  });
}

/**
 * MCP prompts: `diagnose_prefix` (is a prefix visible everywhere, from which
 * origin, via which upstreams?) and `explain_as_path` (walk a path AS by AS).
 * Arguments are validated like tool destinations.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "./_sdk.ts";
import type { LookingGlass } from "./looking_glass.ts";
import { parseDestination } from "./target.ts";

function user(text: string) {
  return { messages: [{ role: "user" as const, content: { type: "text" as const, text } }] };
}

/** Registers the prompts. */
export function registerPrompts(server: McpServer, lg: LookingGlass): void {
  server.registerPrompt(
    "diagnose_prefix",
    {
      title: "Diagnose a prefix",
      description: "Check the visibility and origin of a prefix across route servers",
      argsSchema: {
        prefix: z.string().describe("The prefix (or address) to check, e.g. 192.0.2.0/24"),
      },
    },
    ({ prefix }) => {
      const destination = parseDestination(prefix).canonical;
      return user(
        `Diagnose how the internet sees ${destination}.\n` +
          `1. Call route_compare with destination "${destination}" (the default spread of servers; ` +
          `"all" only if I ask, to spare the public servers' quotas).\n` +
          "2. Report: how many servers see it and which miss it; the origin AS(es) — if more than " +
          "one (MOAS), say so first and list which servers see which origin, as a possible hijack or " +
          "leak; any more-specific or less-specific prefixes that match instead; the upstreams of the " +
          "origin; the shortest and longest best paths.\n" +
          "3. If the answers differ, call route_lookup on one server that sees the prefix and one " +
          "that does not, and look at communities (no-export, blackhole, …) and path details.\n" +
          "4. Finish with a short verdict: healthy, partially visible, or suspicious — and the next " +
          "thing an operator should check.",
      );
    },
  );
  server.registerPrompt(
    "explain_as_path",
    {
      title: "Explain an AS path",
      description: "Look up a destination and explain its best AS path hop by hop",
      argsSchema: {
        destination: z.string().describe("Address or prefix, e.g. 8.8.8.8"),
        server: z.string().optional().describe(`Route server (default ${lg.config.defaultServer})`),
      },
    },
    ({ destination, server }) => {
      const canonical = parseDestination(destination).canonical;
      if (server !== undefined && !lg.config.servers.some((s) => s.name === server && s.enabled)) {
        throw new Error(`Unknown or disabled server "${server}"; see servers://list`);
      }
      const on = server ? ` with server "${server}"` : "";
      return user(
        `Call route_lookup for "${canonical}"${on}. Then explain the best path (marked best) AS by ` +
          "AS, from the collector's neighbour (first) to the origin (last): who each AS is if you " +
          "know, which hop is the transit provider of the origin, and any AS prepending (an AS " +
          "repeated). Explain the communities on the path (well-known ones are named in " +
          "communityDetails), the MED and local preference if present, and why the other paths " +
          "were not chosen if that is visible. Keep it short and concrete.",
      );
    },
  );
}

/**
 * MCP prompts: `diagnose_prefix` (is a prefix visible everywhere, from which
 * origin, via which upstreams?) and `explain_as_path` (walk a path AS by AS).
 * Arguments are validated like tool destinations: a refused one is an
 * invalid-params error (-32602) that says why. Every argument offers
 * completions: example destinations, and the enabled servers' names.
 *
 * @module
 */

import { z } from "zod";
import { completable, ErrorCode, type McpServer } from "./_sdk.ts";
import { InvalidDestinationError, ProtocolError } from "../errors.ts";
import type { LookingGlass } from "../service/looking_glass.ts";
import { successorMessage } from "../service/select_server.ts";
import { parseDestination } from "../validation/destination.ts";
import { quoted } from "../_text.ts";

/** Example prefixes offered by completion: well-known, globally routed, never refused. */
export const EXAMPLE_PREFIXES: readonly string[] = [
  "8.8.8.0/24",
  "1.1.1.0/24",
  "9.9.9.0/24",
  "2001:4860::/32",
  "2606:4700::/32",
];

/** Example addresses offered by completion. */
export const EXAMPLE_ADDRESSES: readonly string[] = [
  "8.8.8.8",
  "1.1.1.1",
  "9.9.9.9",
  "2001:4860:4860::8888",
  "2606:4700:4700::1111",
];

function user(text: string) {
  return { messages: [{ role: "user" as const, content: { type: "text" as const, text } }] };
}

/** The canonical destination, or an invalid-params error that says why it is refused. */
function destinationArgument(text: string): string {
  try {
    return parseDestination(text).canonical;
  } catch (error) {
    if (error instanceof InvalidDestinationError) {
      throw new ProtocolError(ErrorCode.InvalidParams, error.message);
    }
    throw error;
  }
}

/**
 * Completions for a destination: the canonical form of what was typed, if it
 * is accepted and spelled differently, then the examples that start with it.
 */
function completeDestination(value: string, examples: readonly string[]): string[] {
  const typed = value.trim();
  const out: string[] = [];
  try {
    const canonical = parseDestination(typed).canonical;
    if (canonical !== typed) out.push(canonical);
  } catch {
    // Not a destination (yet): only the examples.
  }
  for (const example of examples) {
    if (example.startsWith(typed) && !out.includes(example)) out.push(example);
  }
  return out;
}

/** Registers the prompts. */
export function registerPrompts(server: McpServer, lg: LookingGlass): void {
  const enabled = lg.config.servers.filter((s) => s.enabled).map((s) => s.name);
  server.registerPrompt(
    "diagnose_prefix",
    {
      title: "Diagnose a prefix",
      description: "Check the visibility and origin of a prefix across route servers",
      argsSchema: {
        prefix: completable(
          z.string().describe(`The prefix (or address) to check, e.g. ${EXAMPLE_PREFIXES[0]}`),
          (value) => completeDestination(value, [...EXAMPLE_PREFIXES, ...EXAMPLE_ADDRESSES]),
        ),
      },
    },
    ({ prefix }) => {
      const destination = destinationArgument(prefix);
      return user(
        `Diagnose how the internet sees ${destination}.\n` +
          `1. Call route_compare with destination "${destination}" (the default spread of servers; ` +
          `"all" only if I ask, to spare the public servers' quotas).\n` +
          "2. Start from its findings (most severe first) and quote their evidence: servers, " +
          "prefixes and paths. Then report: how many servers see it and which miss it; the origin " +
          "AS(es) — if more than one (MOAS), say so first and list which servers see which origin, " +
          "as a possible hijack or leak; any more-specific or less-specific prefixes that match " +
          "instead; the upstreams of the origin; the shortest and longest best paths.\n" +
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
        destination: completable(
          z.string().describe(`Address or prefix, e.g. ${EXAMPLE_ADDRESSES[0]}`),
          (value) => completeDestination(value, [...EXAMPLE_ADDRESSES, ...EXAMPLE_PREFIXES]),
        ),
        server: completable(
          z.string().optional().describe(`Route server (default ${lg.config.defaultServer})`),
          (value) => enabled.filter((name) => name.startsWith(value ?? "")),
        ),
      },
    },
    ({ destination, server }) => {
      const canonical = destinationArgument(destination);
      if (server !== undefined && !enabled.includes(server)) {
        throw new ProtocolError(
          ErrorCode.InvalidParams,
          successorMessage(lg.config, server) ??
            `Unknown or disabled server ${quoted(server)}; see servers://list`,
        );
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

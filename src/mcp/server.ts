/**
 * `createServer()`: the MCP server with its tools and instructions. The
 * transport is chosen by the caller (stdio in `main.ts`, in-memory in tests).
 *
 * @module
 */

import { McpServer } from "./_sdk.ts";
import { engineOf, type LookingGlass } from "../service/looking_glass.ts";
import { registerPrompts } from "./prompts.ts";
import { registerResources } from "./resources.ts";
import { registerTools } from "./tools/mod.ts";
import { VERSION } from "../version.ts";

const INSTRUCTIONS = `Live BGP looking glass: queries public route servers (the Route Views \
collectors, AS6447, and AT&T's Junos route server) over telnet.
- route_lookup: BGP paths for one IP address (longest match) or prefix (exact match, or match \
"orlonger" for the prefix and its more specifics) on one server: AS path (nearest AS first, origin \
AS last), next hop, peer, MED, communities (well-known ones named); ">" marks the best path. \
Filters (originAs, asPathContains, asPathRegex like _15169$, community, bestOnly) narrow the \
answer without extra load on the server.
- route_compare: the same question to several servers at once, with a verdict: who sees the \
destination, who misses it, origin AS(es) (MOAS = more than one), upstreams, differing prefixes; evidence-backed findings (possible hijack, leak, bogon ASNs, RPKI) first, and the AS graph as Mermaid text and a PNG image (picture=false leaves the image out).
- bgp_summary: the server's BGP neighbours, their state and prefix counts.
- list_servers: the configured servers with location, address families and quota left; \
probe=true checks reachability. Resources servers://list and servers://{name} hold the same data.
- ping / traceroute (where a server allows them): reachability and path from that server.
{names}Prompts diagnose_prefix and explain_as_path walk through common investigations.
Only global unicast destinations are accepted; private, documentation and other special-purpose \
space is refused without contacting any server.{dns}
Be polite to the public servers: Route Views allows each user 100 connections and 500 KB of \
output per collector per day; the server keeps sessions open between calls, caches answers for a \
minute and refuses queries over budget (list_servers shows what is left). Ask about specific \
prefixes and use route_compare only when several vantage points are wanted.`;

const NAMES_INSTRUCTIONS = `- as_info (asn or query) and ip_origin (address or prefix): who an AS \
is and which AS originates an address, from an offline dataset with a build date — not a live \
view; nothing leaves the machine. Answers name every AS from the same dataset (asPathNames, a \
legend line in the text).
`;

const DNS_INSTRUCTIONS = ` A host name (github.com) is resolved with DNS and every address it \
gives is checked the same way; the answer says which address was asked.`;

/** The instructions for what this looking glass offers (AS names and host names may be off). */
export function instructions(lg: LookingGlass): string {
  const engine = engineOf(lg);
  return INSTRUCTIONS.replace("{names}", engine.names ? NAMES_INSTRUCTIONS : "")
    .replace("{dns}", engine.resolver ? DNS_INSTRUCTIONS : "");
}

/** Builds the MCP server on a running looking glass (its pool, cache and ledger). */
export function createServer(lg: LookingGlass): McpServer {
  const server = new McpServer(
    { name: "bgp-lg-mcp", title: "BGP looking glass", version: VERSION },
    { instructions: instructions(lg) },
  );
  registerTools(server, lg);
  registerResources(server, lg);
  registerPrompts(server, lg);
  cacheToolsList(server);
  return server;
}

/** The SDK's request handlers by method (`Protocol#_requestHandlers`, a plain field in 1.x). */
type RequestHandlers = Map<string, (request: unknown, extra: unknown) => Promise<unknown>>;

/**
 * Answers `tools/list` from the first answer, computed once: the SDK turns
 * every tool's zod schemas into JSON Schema on each request (28 to 38 ms for
 * this server's six tools, against 1 ms for a bare server; `deno task
 * bench:tools-list`). A change to the tools (the SDK then sends
 * `notifications/tools/list_changed`) computes it again.
 */
export function cacheToolsList(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers: RequestHandlers })
    ._requestHandlers;
  const compute = handlers.get("tools/list");
  if (!(handlers instanceof Map) || compute === undefined) {
    throw new TypeError("The MCP SDK has no tools/list handler to cache (an SDK change?)");
  }
  let cached: Promise<unknown> | undefined;
  handlers.set("tools/list", (request, extra) => {
    cached ??= compute(request, extra).catch((error) => {
      cached = undefined;
      throw error;
    });
    return cached;
  });
  const changed = server.sendToolListChanged.bind(server);
  server.sendToolListChanged = () => {
    cached = undefined;
    changed();
  };
}

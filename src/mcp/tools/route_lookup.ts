/**
 * `route_lookup`: the BGP paths one route server has for an address or prefix.
 *
 * @module
 */

import { z } from "zod";
import type { McpServer } from "../_sdk.ts";
import { renderRoute } from "../../render.ts";
import { engineOf, type LookingGlass } from "../../service/looking_glass.ts";
import { lookupRoute, PATH_LIMITS, PREFIX_LIMITS } from "../../service/route_lookup.ts";
import { ROUTE_LOOKUP_OUTPUT, serverNameSchema } from "./_schemas.ts";
import { attachPicture, pictureArgument } from "./_picture.ts";
import { queryTool } from "./_tool.ts";

/** Registers `route_lookup` on an MCP server. */
export function registerRouteLookup(server: McpServer, lg: LookingGlass): void {
  const dns = engineOf(lg).resolver !== null;
  queryTool(server, {
    name: "route_lookup",
    title: "BGP route lookup",
    description: "Show the BGP paths a public route server (Route Views collector) has for an IP " +
      "address (longest match) or prefix (exact match, or orlonger: the prefix and its more " +
      "specifics): AS path, origin AS, next hop, peer, MED, local preference and communities " +
      "(well-known ones named), with the best path marked. Optional filters narrow the paths " +
      "returned (origin AS, an AS in the path, an AS-path regex like _15169$, a community, best " +
      "only). Answers live from the server over telnet. Only global unicast destinations" +
      (dns ? "; a host name is resolved with DNS and the answer says to which address" : "") +
      ". Every AS of the paths is named from the offline AS-names dataset (asPathNames). " +
      "Findings over the paths (bogon ASNs, RPKI, MOAS, prepending, possible leak…) come with " +
      "the answer; with more than one path, the AS graph (each path from its peer) as Mermaid " +
      "text (graph.mermaid), and as a PNG image when picture is true.",
    inputSchema: {
      destination: z.string().describe(
        "IPv4 or IPv6 address (8.8.8.8, 2001:4860:4860::8888) or prefix (8.8.8.0/24, " +
          `2001:4860::/32)${dns ? ", or a host name (github.com)" : ""}`,
      ),
      server: serverNameSchema(lg.config),
      match: z.enum(["longest", "exact", "orlonger"]).optional().describe(
        "longest (default for an address), exact (default for a prefix), or orlonger (prefix and " +
          "more specifics; prefixes of /16 or longer for IPv4, /32 or longer for IPv6)",
      ),
      originAs: z.number().int().min(0).max(4294967295).optional().describe(
        "Only paths originated by this AS",
      ),
      asPathContains: z.number().int().min(0).max(4294967295).optional().describe(
        "Only paths through this AS",
      ),
      asPathRegex: z.string().max(100).optional().describe(
        "Only paths whose AS path matches this Cisco-style regular expression: digits, space, " +
          "_ (boundary), ^ $ . * + ? [] () |. Example: _3356_ or ^174_",
      ),
      community: z.string().max(40).optional().describe(
        "Only paths with this community: ASN:VALUE, a well-known name (no-export) or a large " +
          "community GA:LD1:LD2",
      ),
      bestOnly: z.boolean().optional().describe("Only the best path"),
      maxPaths: z.number().int().min(1).max(PATH_LIMITS.max).optional().describe(
        `Most paths returned (default ${PATH_LIMITS.default})`,
      ),
      maxPrefixes: z.number().int().min(1).max(PREFIX_LIMITS.max).optional().describe(
        `orlonger: most prefixes returned (default ${PREFIX_LIMITS.default})`,
      ),
      picture: pictureArgument(false),
    },
    outputSchema: ROUTE_LOOKUP_OUTPUT,
    run(
      { destination, server: name, match, maxPaths, maxPrefixes, picture: _, ...filters },
      extra,
    ) {
      return lookupRoute(
        lg,
        { destination, server: name, match, filters, maxPaths, maxPrefixes },
        { signal: extra.signal },
      );
    },
    render: renderRoute,
    attach: (result, { picture }) => attachPicture(result, picture ?? false),
  });
}

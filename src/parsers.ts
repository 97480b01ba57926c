/**
 * Every dialect's pure parsers, for router output captured elsewhere: one
 * answer's text in, typed BGP data out (or a {@linkcode ParseError} saying
 * which line could not be read). Nothing here talks to a server. The same
 * parsers read the live answers of the looking glass; `bgp-lg-mcp parse` runs
 * them on a file.
 *
 * ```ts
 * import { parseFrrRoute } from "@bgp-lg/mcp/parsers";
 * const route = parseFrrRoute(await Deno.readTextFile("show_ip_bgp_8.8.8.8.txt"));
 * console.log(route.paths.find((p) => p.best)?.asPath);
 * ```
 *
 * Also here: the AS-path pattern matcher the `asPathRegex` filter uses, and
 * the community describer (well-known names, parts, a user's dictionary).
 *
 * @module
 */

export { parseIosRoute, parseIosSummary, parseIosTable } from "./dialects/cisco_ios.ts";
export { parseFrrRoute, parseFrrSummary, parseFrrTable } from "./dialects/frr.ts";
export { parseFrrRouteJson, parseFrrSummaryJson, parseFrrTableJson } from "./dialects/frr_json.ts";
export { parseJunosRoute, parseJunosRoutes, parseJunosSummary } from "./dialects/junos.ts";
export { parseIosPing, parseIosTraceroute } from "./dialects/ios_ping.ts";
export { type AsPathPattern, compileAsPathPattern } from "./validation/as_path_regex.ts";
export { type CommunityInfo, describeCommunities } from "./bgp/communities.ts";
export { CommunityDictionary } from "./bgp/community_dictionary.ts";
export { WELL_KNOWN_COMMUNITY_NAMES } from "./bgp/well_known.ts";
export { ParseError, type ParseErrorOptions } from "./errors.ts";
export type {
  BgpNeighbor,
  BgpPath,
  Origin,
  ParsedRoute,
  ParsedSummary,
  PathPeer,
  PingResult,
  RouteEntry,
  RpkiState,
  TraceHop,
  TracerouteResult,
  UnknownAttribute,
} from "./bgp/types.ts";
export type { Family } from "./validation/destination.ts";

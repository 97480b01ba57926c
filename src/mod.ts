/**
 * bgp-lg-mcp: a BGP looking glass for MCP clients. It queries public route
 * servers (the Route Views collectors) over telnet and returns structured
 * BGP paths and neighbour summaries.
 *
 * ```ts
 * import { builtinConfig, lookupRoute } from "@bgp-lg/mcp";
 * const result = await lookupRoute(builtinConfig(), { destination: "8.8.8.0/24" });
 * console.log(result.paths.find((p) => p.best)?.asPath);
 * ```
 *
 * @module
 */

export {
  builtinConfig,
  type Config,
  ConfigError,
  type DialectId,
  enabledServers,
  type Limits,
  loadConfig,
  parseConfig,
  type ServerConfig,
} from "./config.ts";
export {
  CommandRejectedError,
  InvalidDestinationError,
  ParseError,
  ServerSelectionError,
  TelnetError,
  type TelnetFailure,
} from "./errors.ts";
export {
  fetchSummary,
  lookupRoute,
  type QueryOptions,
  type RouteLookupResult,
  selectServer,
  type ServerChoice,
  type SummaryResult,
} from "./lookup.ts";
export { type ProbeResult, probeServers } from "./probe.ts";
export { type Destination, type Family, parseDestination } from "./target.ts";
export { type Login } from "./telnet/session.ts";
export type {
  BgpNeighbor,
  BgpPath,
  Origin,
  ParsedRoute,
  ParsedSummary,
  PathPeer,
  RpkiState,
} from "./types.ts";
export { parseIosRoute, parseIosSummary } from "./dialects/cisco_ios.ts";
export { parseFrrRoute, parseFrrSummary } from "./dialects/frr.ts";
export { parseFrrRouteJson, parseFrrSummaryJson } from "./dialects/frr_json.ts";
export { VERSION } from "./version.ts";

/**
 * bgp-lg-mcp: a BGP looking glass for MCP clients. It queries public route
 * servers (the Route Views collectors) over telnet and returns structured
 * BGP paths and neighbour summaries.
 *
 * ```ts
 * import { builtinConfig, LookingGlass, lookupRoute } from "@bgp-lg/mcp";
 * await using lg = await LookingGlass.open(builtinConfig());
 * const result = await lookupRoute(lg, { destination: "8.8.8.0/24" });
 * console.log(result.paths.find((p) => p.best)?.asPath);
 * ```
 *
 * @module
 */

export {
  builtinConfig,
  type Config,
  ConfigError,
  type Diagnostic,
  type DialectId,
  enabledServers,
  type Limits,
  loadConfig,
  parseConfig,
  type ServerConfig,
} from "./config/schema.ts";
export {
  abortError,
  CommandRejectedError,
  describeError,
  InvalidDestinationError,
  InvalidFilterError,
  LedgerBusyError,
  ParseError,
  PoolBusyError,
  QuotaExceededError,
  ServerSelectionError,
  TelnetError,
  type TelnetFailure,
  UnsupportedQueryError,
} from "./errors.ts";
export {
  type CompareOptions,
  type CompareRequest,
  type CompareResult,
  compareRoute,
  type CompareServerResult,
  DEFAULT_COMPARE_SERVERS,
  MAX_COMPARE_SERVERS,
} from "./service/route_compare.ts";
export {
  type AsnServers,
  type Consensus,
  consensus,
  type NotablePath,
  type VantageOutcome,
} from "./bgp/consensus.ts";
export { type CacheHit, QueryCache } from "./politeness/cache.ts";
export {
  ALL_SERVERS,
  type Bucket,
  BUCKET_MS,
  type BudgetStatus,
  DAY_MS,
  type LedgerSnapshot,
  type QuotaKind,
  QuotaLedger,
  type QuotaLedgerOptions,
  type QuotaLimits,
  readLedgerSnapshot,
  type ReadSnapshot,
  type ReadSnapshotOptions,
  ROUTE_VIEWS_QUOTA,
  type UnknownUse,
  type Usage,
} from "./politeness/ledger.ts";
export {
  defaultLedgerPath,
  type DownloadLease,
  type LedgerMode,
  LedgerStore,
  type LedgerStoreOptions,
  MAX_LEDGER_FILE_BYTES,
  openLedgerStore,
} from "./politeness/ledger_store.ts";
export {
  type StateDirectory,
  stateDirectory,
  type StateDirectoryOptions,
} from "./politeness/state_dir.ts";
export {
  budgetKey,
  type ByteMeter,
  LEASE_BYTES,
  type MeteredServer,
  SessionMeter,
} from "./politeness/budget.ts";
export { ConnectionGate, type GateRequest, Permit } from "./politeness/gate.ts";
export { LookingGlass, type LookingGlassOptions } from "./service/looking_glass.ts";
export { type PoolOptions, type PoolStats, SessionPool } from "./politeness/pool.ts";
export {
  type CommandOptions,
  hostPort,
  type OpenOptions,
  type PartialAnswer,
  type SessionTarget,
  TelnetSession,
} from "./telnet/session.ts";
export { allowNetFlag, allowNetList } from "./config/permissions.ts";
export {
  type Answer,
  fetchSummary,
  lookupRoute,
  type MatchedPrefix,
  ORLONGER_MIN_LENGTH,
  PATH_LIMITS,
  PREFIX_LIMITS,
  type QueryOptions,
  routeAnswer,
  type RouteLookupRequest,
  type RouteLookupResult,
  routesAnswer,
  selectServer,
  type ServerChoice,
  type SummaryResult,
} from "./service/lookup.ts";
export { type ProbeContext, type ProbeResult, probeServers } from "./politeness/probe.ts";
export { type Destination, type Family, parseDestination } from "./validation/destination.ts";
export type { Login } from "./telnet/session.ts";
export type {
  BgpNeighbor,
  BgpPath,
  Origin,
  ParsedRoute,
  ParsedSummary,
  PathPeer,
  RpkiState,
} from "./bgp/types.ts";
export { parseIosRoute, parseIosSummary, parseIosTable } from "./dialects/cisco_ios.ts";
export { parseFrrRoute, parseFrrSummary, parseFrrTable } from "./dialects/frr.ts";
export { parseFrrRouteJson, parseFrrSummaryJson, parseFrrTableJson } from "./dialects/frr_json.ts";
export { parseJunosRoute, parseJunosRoutes, parseJunosSummary } from "./dialects/junos.ts";
export type { MatchMode, RouteEntry } from "./dialects/mod.ts";
export { type PathFilters } from "./validation/filters.ts";
export {
  type AsPathPattern,
  AsPathPatternError,
  compileAsPathPattern,
} from "./validation/as_path_regex.ts";
export {
  CommunityDictionary,
  CommunityDictionaryError,
  type CommunityInfo,
  describeCommunities,
  loadCommunityDictionary,
  WELL_KNOWN_COMMUNITY_NAMES,
} from "./bgp/communities.ts";
export {
  diagnosticServers,
  ping,
  PING_LIMITS,
  type PingAnswer,
  traceroute,
  TRACEROUTE_LIMITS,
  type TracerouteAnswer,
} from "./service/measure.ts";
export type { PingResult, TraceHop, TracerouteResult } from "./dialects/ios_ping.ts";
export { VERSION } from "./version.ts";

// `deno run jsr:@bgp-lg/mcp` runs the CLI (by default: serve MCP on stdio). Loaded lazily so
// that library users do not load the MCP SDK.
if (import.meta.main) {
  const { main } = await import("./main.ts");
  Deno.exitCode = await main(Deno.args);
}

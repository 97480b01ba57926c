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

export { builtinConfig, loadConfig } from "./config/load.ts";
export {
  type Config,
  type Diagnostic,
  type DialectId,
  enabledServers,
  type Limits,
  parseConfig,
  type ServerConfig,
} from "./config/schema.ts";
export {
  abortError,
  AsPathPatternError,
  CommandRejectedError,
  CommunityDictionaryError,
  ConfigError,
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
export { describeError } from "./service/describe_error.ts";
export {
  type CompareOptions,
  type CompareRequest,
  compareRoute,
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
  type OpenOptions,
  openTelnetSession,
  type SessionTarget,
  TelnetSession,
} from "./telnet/session.ts";
export type {
  CommandOptions,
  OpenSession,
  OpenSessionOptions,
  PartialAnswer,
  Session,
} from "./session.ts";
export { hostPort } from "./telnet/connect.ts";
export { allowNetFlag, allowNetList } from "./config/permissions.ts";
export {
  cachedMoreSpecifics,
  cachedRoute,
  lookupRoute,
  ORLONGER_MIN_LENGTH,
  PATH_LIMITS,
  PREFIX_LIMITS,
  type RouteLookupRequest,
} from "./service/route_lookup.ts";
export { fetchSummary } from "./service/bgp_summary.ts";
export { type PlanAnswer } from "./service/run_plan.ts";
export { type QueryOptions } from "./service/looking_glass.ts";
export { selectServer, type ServerChoice } from "./service/select_server.ts";
export type {
  CompareResult,
  CompareServerResult,
  MatchedPrefix,
  PingAnswer,
  RouteLookupResult,
  SummaryResult,
  SummaryTotals,
  TracerouteAnswer,
} from "./bgp/results.ts";
export { type ProbeContext, type ProbeResult, probeServers } from "./politeness/probe.ts";
export { type Destination, type Family, parseDestination } from "./validation/destination.ts";
export type { Login } from "./telnet/login.ts";
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
export type { MatchMode, RouteEntry } from "./bgp/types.ts";
export { type PathFilters } from "./validation/filters.ts";
export { type AsPathPattern, compileAsPathPattern } from "./validation/as_path_regex.ts";
export { type CommunityInfo, describeCommunities } from "./bgp/communities.ts";
export { CommunityDictionary, loadCommunityDictionary } from "./bgp/community_dictionary.ts";
export { WELL_KNOWN_COMMUNITY_NAMES } from "./bgp/well_known.ts";
export {
  diagnosticServers,
  ping,
  PING_LIMITS,
  traceroute,
  TRACEROUTE_LIMITS,
} from "./service/measure.ts";
export type { PingResult, TraceHop, TracerouteResult } from "./bgp/types.ts";
export { VERSION } from "./version.ts";

// `deno run jsr:@bgp-lg/mcp` runs the CLI (by default: serve MCP on stdio). Loaded lazily so
// that library users do not load the MCP SDK.
if (import.meta.main) {
  const { main } = await import("./main.ts");
  Deno.exitCode = await main(Deno.args);
}

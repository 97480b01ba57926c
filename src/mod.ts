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
 * This entry point is the looking glass and its queries (each polite to the
 * public servers: pooled sessions, a cache, and a quota ledger that refuses
 * queries over budget), the server list, destination validation and the
 * consensus over vantage points, the offline AS-names lookups (`asInfo`,
 * `ipOrigin`), with the types they take and return. The
 * others: `@bgp-lg/mcp/parsers` (every dialect's pure parsers, for captured
 * router output), `@bgp-lg/mcp/errors` (the error classes, to tell failures
 * apart) and `@bgp-lg/mcp/cli` (the command line and the MCP server on stdio).
 *
 * @module
 */

// The looking glass and its queries.
export {
  type Budgets,
  LookingGlass,
  type LookingGlassOptions,
  type QueryOptions,
} from "./service/looking_glass.ts";
export { lookupRoute, type RouteLookupRequest } from "./service/route_lookup.ts";
export { type CompareOptions, type CompareRequest, compareRoute } from "./service/route_compare.ts";
export { fetchSummary } from "./service/bgp_summary.ts";
export { listServers } from "./service/list_servers.ts";
export { ping, traceroute } from "./service/measure.ts";
export { asInfo, type AsInfoRequest } from "./service/as_info.ts";
export { ipOrigin } from "./service/ip_origin.ts";
export { describeError } from "./service/describe_error.ts";

// The server list.
export { builtinConfig, loadConfig } from "./config/load.ts";
export {
  type Capability,
  type Config,
  type Diagnostic,
  type DialectId,
  type Limits,
  parseConfig,
  type ServerConfig,
} from "./config/schema.ts";
export type { Login } from "./telnet/login.ts";
export { CommunityDictionary, loadCommunityDictionary } from "./bgp/community_dictionary.ts";

// Validation and the verdict.
export { type Destination, type Family, parseDestination } from "./validation/destination.ts";
export type { PathFilters } from "./validation/filters.ts";
export {
  type AsnServers,
  type Consensus,
  consensus,
  type NotablePath,
  type VantageOutcome,
} from "./bgp/consensus.ts";
export type { DatasetOrigin, DatasetOriginCheck, DatasetVerdict } from "./bgp/dataset_origin.ts";
export type { SpecialAsn, SpecialAsnKind } from "./bgp/special_asns.ts";

// Findings and the AS graph of an answer (CompareResult.findings and .graph).
export {
  type Evidence,
  type EvidencePath,
  type Finding,
  FINDING_KINDS,
  type FindingKind,
  type Severity,
} from "./findings/types.ts";
export type { AsGraph, AsNode, GraphEdge, VantageNode } from "./picture/graph.ts";

// What the queries return.
export type {
  AsInfo,
  AsInfoMatch,
  AsInfoResult,
  CompareResult,
  CompareServerResult,
  HostResolutionInfo,
  IpOriginResult,
  MatchedPrefix,
  PingAnswer,
  RouteGraph,
  RouteLookupResult,
  ServerList,
  ServerListing,
  SharedStateStatus,
  SummaryResult,
  SummaryTotals,
  TracerouteAnswer,
} from "./bgp/results.ts";
export type {
  BgpNeighbor,
  BgpPath,
  MatchMode,
  Origin,
  ParsedRoute,
  PathPeer,
  PingResult,
  RpkiState,
  TraceHop,
  TracerouteResult,
  UnknownAttribute,
} from "./bgp/types.ts";
export type { CommunityInfo } from "./bgp/communities.ts";
export type { AddressRange, AsMatchKind } from "./names/table.ts";
export type { RefusedAddress } from "./errors.ts";
export type { BudgetStatus, QuotaLimits, Usage } from "./politeness/ledger.ts";
export type { LedgerMode } from "./politeness/ledger_api.ts";
export type { ProbeResult } from "./politeness/probe.ts";

export { VERSION } from "./version.ts";

// `deno run jsr:@bgp-lg/mcp` runs the CLI (by default: serve MCP on stdio). Loaded lazily so
// that library users do not load the MCP SDK.
if (import.meta.main) {
  const { main } = await import("./main.ts");
  Deno.exitCode = await main(Deno.args);
}

/**
 * What every query returns: the results of `route_lookup`, `bgp_summary`,
 * `route_compare`, `ping`, `traceroute` and `list_servers`, exactly as the tools' structured
 * content and the CLI's `--json` carry them. The MCP output schemas are
 * checked against these types when the project is type-checked
 * (`mcp/tools/_schemas.ts`), so the two cannot drift apart.
 *
 * @module
 */

import type { Consensus } from "./consensus.ts";
import type {
  BgpNeighbor,
  BgpPath,
  MatchMode,
  PingResult,
  RpkiState,
  TracerouteResult,
} from "./types.ts";
import type { Capability } from "../config/schema.ts";
import type { DialectId } from "../dialects/mod.ts";
import type { BudgetStatus } from "../politeness/ledger.ts";
import type { LedgerMode } from "../politeness/ledger_api.ts";
import type { ProbeResult } from "../politeness/probe.ts";
import type { Family } from "../validation/destination.ts";
import type { RefusedAddress } from "../errors.ts";
import type { AddressRange, AsMatchKind } from "../names/table.ts";
import type { SpecialAsn } from "./special_asns.ts";
import type { Finding } from "../findings/types.ts";
import type { AsGraph } from "../picture/graph.ts";

/**
 * The AS-level picture of an answer as data: vantage points → ASes →
 * origin, edges weighted by the best paths that use them, with the same
 * graph as Mermaid `flowchart` text.
 */
export interface RouteGraph extends Omit<AsGraph, "warnings"> {
  /** The graph as Mermaid `flowchart` text (a client renders it; the PNG shows the same). */
  mermaid: string;
}

/** A host name given as the destination: what it resolved to and which address was asked. */
export interface HostResolutionInfo {
  /** The name as asked (ASCII form, lower case, without a trailing dot). */
  host: string;
  /** Every address it resolved to that is a valid destination: IPv4 first, then IPv6. */
  addresses: string[];
  /** Addresses it resolved to that are not valid destinations, with the reasons. */
  refused: RefusedAddress[];
  /** The address the query was about. */
  asked: string;
  /** How long resolving took, in milliseconds. */
  elapsedMs: number;
}

/** One prefix of an `orlonger` answer. */
export interface MatchedPrefix {
  /** The prefix. */
  prefix: string;
  /** Paths the server has for it. */
  totalPaths: number;
}

/** A `route_lookup` answer. */
export interface RouteLookupResult {
  /** Server that answered. */
  server: string;
  /** The command whose answer was parsed. */
  command: string;
  /** The destination in canonical form. */
  destination: string;
  /** How the destination was matched. */
  match: MatchMode;
  /** The prefix the server matched (the asked prefix for `orlonger`), `null` when not found. */
  prefix: string | null;
  /** Whether the server has a route. */
  found: boolean;
  /** Paths that pass the filters, at most `maxPaths` (each with its `prefix` for `orlonger`). */
  paths: (BgpPath & { prefix?: string })[];
  /** Paths the server reports having (all matched prefixes). */
  totalPaths: number;
  /** Whether path filters were given (`matchedPaths` counts the paths that pass them). */
  filtered: boolean;
  /** Paths that pass the filters (before the `maxPaths` cut); all paths when none were given. */
  matchedPaths: number;
  /** `orlonger`: the prefixes found, at most `maxPrefixes`. */
  prefixes?: MatchedPrefix[];
  /** Whether paths or prefixes were cut at a limit. */
  truncated: boolean;
  /** Findings over the paths returned (the rules one server suffices for); absent when not found. */
  findings?: Finding[];
  /** The AS graph of the paths returned, each path from its peer; only for more than one path. */
  graph?: RouteGraph;
  /** Wall time of the whole call. */
  elapsedMs: number;
  /** Whether the answer came from the cache (or a concurrent identical query) instead of the server. */
  cached: boolean;
  /** Age of the answer in seconds (0 when fresh). */
  ageSeconds: number;
  /** Things the user should know (normalised input, substituted server, fallbacks). */
  warnings: string[];
  /** The build date of the AS-names dataset the names come from; absent without names. */
  namesAsOf?: string;
  /** When the destination was a host name: what it resolved to. */
  resolution?: HostResolutionInfo;
}

/** Counts over all of a summary's neighbours, not only the ones listed. */
export interface SummaryTotals {
  /** Neighbours the server lists for the family. */
  neighbors: number;
  /** Of those, the ones whose session is up. */
  established: number;
  /** Prefixes received over the established sessions. */
  prefixes: number;
}

/** A `bgp_summary` answer. */
export interface SummaryResult {
  /** Server that answered. */
  server: string;
  /** The command whose answer was parsed. */
  command: string;
  /** Address family summarised. */
  addressFamily: Family;
  /** The server's BGP router ID (`null` when it has no neighbour for the family). */
  routerId: string | null;
  /** The server's local AS (`null` when it has no neighbour for the family). */
  localAs: number | null;
  /** The local AS's name from the offline dataset (`null`: none known; absent: names off). */
  localAsName?: string | null;
  /** Neighbours, at most `limit` of them. */
  neighbors: BgpNeighbor[];
  /** Counts over all neighbours, not only the ones listed. */
  totals: SummaryTotals;
  /** Whether `neighbors` was cut at the limit. */
  truncated: boolean;
  /** Wall time of the whole call. */
  elapsedMs: number;
  /** Whether the answer came from the cache (or a concurrent identical query). */
  cached: boolean;
  /** Age of the answer in seconds (0 when fresh). */
  ageSeconds: number;
  /** Things the user should know. */
  warnings: string[];
  /** The build date of the AS-names dataset the names come from; absent without names. */
  namesAsOf?: string;
}

/** One server's line in a comparison. */
export interface CompareServerResult {
  /** Server name. */
  server: string;
  /** Whether it has a route. */
  found: boolean;
  /** The prefix it matched. */
  prefix?: string;
  /** Its best path. */
  bestPath?: BgpPath;
  /** Paths it has. */
  pathCount: number;
  /**
   * The RPKI state of its best path, where it validates (`supports: ["rpki"]`)
   * or prints a state; `not-validated` where it does not validate, so that "not
   * validated here" is never read as "valid" or "not found".
   */
  rpki?: RpkiState | "not-validated";
  /** Why it could not answer. */
  error?: string;
  /** Whether the answer came from the cache. */
  cached: boolean;
  /** Age of a cached answer, in seconds. */
  ageSeconds?: number;
  /** Time this server took in this call. */
  elapsedMs: number;
}

/** A `route_compare` answer. */
export interface CompareResult {
  /** The destination in canonical form. */
  destination: string;
  /** One entry per server asked, in the order chosen. */
  results: CompareServerResult[];
  /** The verdict. */
  consensus: Consensus;
  /** Evidence-backed findings (possible hijack, leak, bogon ASNs, RPKI…), most severe first. */
  findings: Finding[];
  /** The AS graph of the servers' best paths. */
  graph: RouteGraph;
  /** Wall time of the whole comparison. */
  elapsedMs: number;
  /** Things the user should know. */
  warnings: string[];
  /** The build date of the AS-names dataset the names come from; absent without names. */
  namesAsOf?: string;
  /** When the destination was a host name: what it resolved to. */
  resolution?: HostResolutionInfo;
}

/** A `ping` answer. */
export interface PingAnswer extends PingResult {
  /** Server that pinged. */
  server: string;
  /** The command sent. */
  command: string;
  /** Wall time of the whole call. */
  elapsedMs: number;
  /** When the destination was a host name: what it resolved to. */
  resolution?: HostResolutionInfo;
}

/** A `traceroute` answer. */
export interface TracerouteAnswer extends TracerouteResult {
  /** Server that traced. */
  server: string;
  /** The command sent. */
  command: string;
  /** Wall time of the whole call. */
  elapsedMs: number;
  /** The build date of the AS-names dataset the hop names come from; absent without names. */
  namesAsOf?: string;
  /** Things the user should know (AS names left out, …); absent when there is nothing. */
  warnings?: string[];
  /** When the destination was a host name: what it resolved to. */
  resolution?: HostResolutionInfo;
}

/** One AS as the offline dataset knows it (`as_info`). */
export interface AsInfo {
  /** The AS number. */
  asn: number;
  /** Its name: the dataset's organisation name, or IANA's for a special-purpose number. */
  name: string | null;
  /** Where the name comes from: `dataset`, `iana`, or `none` when nobody names it. */
  source: "dataset" | "iana" | "none";
  /** The IANA special-purpose block holding the number, if any. */
  special?: SpecialAsn;
  /** Whether the dataset knows the number at all. */
  inDataset: boolean;
  /** How many address ranges the dataset maps to it. */
  ranges: { ipv4: number; ipv6: number };
}

/** One match of an `as_info` name search. */
export interface AsInfoMatch extends AsInfo {
  /** How it matched: the AS number itself, the whole name, its start, a word's start, anywhere. */
  match: AsMatchKind;
}

/** An `as_info` answer: one AS in detail, or the best matches of a name search. */
export interface AsInfoResult {
  /** The AS asked about (for `asn`). */
  as?: AsInfo;
  /** Its first ranges per family, in address order (for `asn`; counts are in `as.ranges`). */
  examples?: { ipv4: AddressRange[]; ipv6: AddressRange[] };
  /** The name search (for `query`). */
  search?: { query: string; matches: AsInfoMatch[]; total: number };
  /** The build date of the dataset: names and ranges are as of then, not live. */
  namesAsOf: string;
  /** What the answer is: `dataset as of DATE, not a live view: …`. */
  note: string;
}

/** An `ip_origin` answer: the dataset's range and origin AS for an address or prefix. */
export interface IpOriginResult {
  /** The destination in canonical form. */
  destination: string;
  /** Address family. */
  family: Family;
  /** The one dataset range holding the whole address or prefix, or `null`. */
  covering: AddressRange | null;
  /** For a prefix no single range holds: the ranges overlapping it (at most 20 listed). */
  overlapping: AddressRange[];
  /** How many ranges overlap it (0 when `covering` is set). */
  overlappingCount: number;
  /** The build date of the dataset: the origin is as of then, not live. */
  namesAsOf: string;
  /** What the answer is: `dataset as of DATE, not a live view: use route_lookup …`. */
  note: string;
  /** Things the user should know (normalised input). */
  warnings: string[];
  /** When the destination was a host name: what it resolved to. */
  resolution?: HostResolutionInfo;
}

/** One server of a `list_servers` answer: where it is, what it speaks, and its quota left. */
export interface ServerListing {
  /** Short unique name used by the tools. */
  name: string;
  /** Host name or IP literal. */
  host: string;
  /** Telnet port. */
  port: number;
  /** CLI dialect. */
  dialect: DialectId;
  /** Where the server is, for people. */
  location: string;
  /** Address families it carries. */
  addressFamilies: Family[];
  /** Whether the tools may use it. */
  enabled: boolean;
  /** What it offers beyond route lookups: `ping`, `traceroute`, `rpki` (prints RPKI states). */
  supports: Capability[];
  /**
   * Whether a public source confirms that it offers telnet (false: its operator lists it, but
   * no transcript shows it answering; the first use tells).
   */
  confirmed: boolean;
  /** For a disabled, renamed or retired server: the one to use instead. */
  successor?: string;
  /** What its greeting showed when a session was last opened with it (this process). */
  seen?: {
    /** When (ISO 8601). */
    at: string;
    /** The software (FRR, Quagga, Zebra, IOS, Junos), when the greeting showed it. */
    software?: string;
    /** Its version, when the greeting printed one. */
    version?: string;
    /** Set when the software is not what the configured dialect speaks. */
    mismatch?: string;
  };
  /**
   * Its quota over the last 24 h: limits, use, what is left (shared by every
   * name for its host:port) — in team mode, the whole team's.
   */
  budget: BudgetStatus;
  /** The caller's share of that budget (the per-user fairness rule), when the call is for a user. */
  yourShare?: BudgetStatus;
  /** Reachability, when probing was asked (enabled servers only). */
  probe?: ProbeResult;
}

/** Whether the team's shared state in Redis can be used. */
export interface SharedStateStatus {
  /** The Redis URL, without its password. */
  redis: string;
  /** Whether Redis answers now; while it does not, route-server queries are refused. */
  reachable: boolean;
  /** What that means for the budgets shown, when Redis is away. */
  note?: string;
}

/** A `list_servers` answer. */
export interface ServerList {
  /** Server used when a call names none. */
  defaultServer: string;
  /**
   * Where quota use is kept: a state `file` (remembered across restarts),
   * `memory` only, or the team's `redis`.
   */
  ledger: LedgerMode;
  /** The user the call is for (a bearer token's name), in team mode. */
  user?: string;
  /** The fraction of each server's budget one user may take, when the call is for a user. */
  userShare?: number;
  /** The team's shared state, when the ledger is in Redis. */
  sharedState?: SharedStateStatus;
  /** Every configured server, enabled or not, in file order. */
  servers: ServerListing[];
}

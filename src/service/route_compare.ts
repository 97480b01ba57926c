/**
 * Fan-out: ask several route servers about one destination at once (bounded,
 * through the pool and the cache), report each as it answers, and compute the
 * consensus. A server that fails does not fail the comparison.
 *
 * @module
 */

import { enabledServers, type ServerConfig } from "../config/schema.ts";
import { successorMessage } from "./select_server.ts";
import {
  bestPath,
  type Consensus,
  consensus,
  type NotablePath,
  type VantageOutcome,
} from "../bgp/consensus.ts";
import { checkDatasetOrigins, type DatasetOrigin } from "../bgp/dataset_origin.ts";
import { type NamesTable, rangeText } from "../names/table.ts";
import { nameOf, startNames, withPathNames } from "./as_names.ts";
import { type AskedDestination, resolveTarget, targetOf } from "./resolve_target.ts";
import { abortError, ServerSelectionError } from "../errors.ts";
import { describeError } from "./describe_error.ts";
import { loadJudgement } from "./load_judgement.ts";
import type { LookingGlass } from "./looking_glass.ts";
import { cachedRoute } from "./route_lookup.ts";
import { withCommunityDetails } from "../bgp/communities.ts";
import type { Destination, Family } from "../validation/destination.ts";
import { mapPooled } from "../_async.ts";
import { quoted } from "../_text.ts";
import type { CompareResult, CompareServerResult } from "../bgp/results.ts";
import type { BgpPath } from "../bgp/types.ts";

/** Most servers one comparison may ask. */
export const MAX_COMPARE_SERVERS = 40;
/** Servers asked when the caller does not say. */
export const DEFAULT_COMPARE_SERVERS = 8;
/** Servers queried at the same time. */
const FAN_OUT = 8;

/** What to compare. */
export interface CompareRequest {
  /** Address, prefix, or host name (resolved with DNS when host names are on). */
  destination: string;
  /** Server names, or `"all"` enabled servers carrying the family; default: a spread of servers. */
  servers?: string[] | "all";
  /** Cap on servers asked (default 8, at most 40). */
  maxServers?: number;
}

/** Options for {@linkcode compareRoute}. */
export interface CompareOptions {
  /** Cancels every query still running. */
  signal?: AbortSignal;
  /** Called as each server answers (or fails). */
  onResult?: (result: CompareServerResult, done: number, total: number) => void;
}

/**
 * Asks several servers about one destination and computes the consensus.
 *
 * @throws {InvalidDestinationError} before anything is sent, for a refused destination
 * @throws {InvalidHostNameError} before anything is sent, for a host name that is not one
 * @throws {HostResolutionError} before any route server is asked, for a name with no usable address
 * @throws {ServerSelectionError} for unknown or disabled server names
 */
export async function compareRoute(
  lg: LookingGlass,
  request: CompareRequest,
  options: CompareOptions = {},
): Promise<CompareResult> {
  const started = performance.now();
  const target = targetOf(lg, request.destination);
  const maxServers = Math.min(request.maxServers ?? DEFAULT_COMPARE_SERVERS, MAX_COMPARE_SERVERS);
  // Server names are checked before a host name is resolved.
  if (Array.isArray(request.servers)) checkNames(lg, request.servers);
  const { destination, resolution }: AskedDestination = target.destination
    ? { destination: target.destination }
    : await resolveTarget(lg, target, { signal: options.signal });
  const warnings = [...destination.warnings];
  const { chosen, skipped } = chooseServers(
    lg,
    request.servers,
    destination.family,
    maxServers,
    warnings,
  );
  const names = startNames(lg);
  const judgement = loadJudgement();

  const results: CompareServerResult[] = [];
  const outcomes: VantageOutcome[] = [];
  for (const { server, reason } of skipped) {
    results.push({
      server: server.name,
      found: false,
      pathCount: 0,
      error: reason,
      cached: false,
      elapsedMs: 0,
    });
    outcomes.push({ server: server.name, route: null });
  }
  const total = chosen.length + skipped.length;
  let done = skipped.length;
  const slots = await mapPooled(chosen, FAN_OUT, async (server) => {
    const slot = await askOne(lg, server, destination, options.signal);
    // After a cancellation the remaining answers are failures nobody waits for.
    if (!options.signal?.aborted) options.onResult?.(slot.result, ++done, total);
    return slot;
  });
  if (options.signal?.aborted) throw abortError(options.signal);
  for (const slot of slots) {
    results.push(slot.result);
    outcomes.push(slot.outcome);
  }
  // The servers asked come first in the order chosen; the ones not asked follow.
  const order = new Map([...chosen, ...skipped.map((s) => s.server)].map((s, i) => [s.name, i]));
  results.sort((a, b) => order.get(a.server)! - order.get(b.server)!);
  outcomes.sort((a, b) => order.get(a.server)! - order.get(b.server)!);

  const verdict = consensus(outcomes);
  const { table, warning } = await names;
  if (warning) warnings.push(warning);
  const { judge } = await judgement;
  const judged = judge({ destination: destination.canonical, outcomes, table: table ?? null });
  warnings.push(...judged.warnings);
  return {
    destination: destination.canonical,
    results: table ? results.map((r) => withBestPathNames(r, table)) : results,
    consensus: table ? withNames(verdict, outcomes, table) : verdict,
    findings: judged.findings,
    graph: judged.graph,
    elapsedMs: Math.round(performance.now() - started),
    warnings,
    ...(table ? { namesAsOf: table.date } : {}),
    ...(resolution ? { resolution } : {}),
  };
}

function withBestPathNames(result: CompareServerResult, table: NamesTable): CompareServerResult {
  return result.bestPath ? { ...result, bestPath: withPathNames(result.bestPath, table) } : result;
}

/** The verdict with every AS named and the live origins checked against the dataset's. */
function withNames(
  verdict: Consensus,
  outcomes: readonly VantageOutcome[],
  table: NamesTable,
): Consensus {
  const named = <T extends { asn: number }>(list: T[]) =>
    list.map((entry) => ({ ...entry, name: nameOf(table, entry.asn) }));
  const namedPath = (path: NotablePath | null): NotablePath | null =>
    path && { ...path, asPathNames: path.asPath.map((asn) => nameOf(table, asn)) };
  return {
    ...verdict,
    origins: named(verdict.origins),
    upstreams: named(verdict.upstreams),
    shortestPath: namedPath(verdict.shortestPath),
    longestPath: namedPath(verdict.longestPath),
    datasetOrigins: checkDatasetOrigins(outcomes, (prefix) => datasetOrigins(table, prefix)),
  };
}

/** The dataset's origins for a prefix: the range holding it, or the ranges overlapping it. */
function datasetOrigins(table: NamesTable, prefix: string): DatasetOrigin[] {
  let answer;
  try {
    answer = table.originOf(prefix);
  } catch {
    return []; // a prefix the dataset cannot be asked about (not global unicast)
  }
  const ranges = answer.covering ? [answer.covering] : answer.overlapping;
  return ranges.map((range) => ({ asn: range.asn, name: range.name, range: rangeText(range) }));
}

/** Refuses unknown or disabled server names before anything is resolved or sent. */
function checkNames(lg: LookingGlass, names: readonly string[]): void {
  const enabled = new Set(enabledServers(lg.config).map((s) => s.name));
  const unknown = names.find((name) => !enabled.has(name));
  if (unknown !== undefined) {
    throw new ServerSelectionError(
      `Unknown or disabled server ${quoted(unknown)}. Use list_servers to see the enabled servers`,
      unknown,
    );
  }
}

async function askOne(
  lg: LookingGlass,
  server: ServerConfig,
  destination: Destination,
  signal?: AbortSignal,
): Promise<{ result: CompareServerResult; outcome: VantageOutcome }> {
  const started = performance.now();
  try {
    const hit = await cachedRoute(lg, server, destination, { signal });
    const route = hit.value.parsed;
    const best = route.found ? bestPath(route) : undefined;
    return {
      result: {
        server: server.name,
        found: route.found,
        ...(route.prefix ? { prefix: route.prefix } : {}),
        ...(best ? { bestPath: withCommunityDetails(best, lg.communityDictionary) } : {}),
        pathCount: route.totalPaths,
        ...rpkiOf(server, best),
        cached: hit.cached,
        ...(hit.cached ? { ageSeconds: hit.ageSeconds } : {}),
        elapsedMs: Math.round(performance.now() - started),
      },
      outcome: { server: server.name, route },
    };
  } catch (error) {
    return {
      result: {
        server: server.name,
        found: false,
        pathCount: 0,
        error: describeError(error),
        cached: false,
        elapsedMs: Math.round(performance.now() - started),
      },
      outcome: { server: server.name, route: null },
    };
  }
}

/**
 * The best path's RPKI state: the one printed, else `not-validated` on a
 * server that does not validate (nothing where one that validates printed no
 * state: unknown, not claimed).
 */
function rpkiOf(
  server: ServerConfig,
  best: BgpPath | undefined,
): Pick<CompareServerResult, "rpki"> {
  if (!best) return {};
  if (best.rpki) return { rpki: best.rpki };
  return server.supports.includes("rpki") ? {} : { rpki: "not-validated" };
}

/**
 * The servers to ask: named ones (those lacking the family are reported, not
 * asked), all enabled ones carrying the family, or by default a spread across
 * locations starting with the default server.
 */
function chooseServers(
  lg: LookingGlass,
  names: string[] | "all" | undefined,
  family: Family,
  maxServers: number,
  warnings: string[],
): { chosen: ServerConfig[]; skipped: { server: ServerConfig; reason: string }[] } {
  const { config } = lg;
  const enabled = enabledServers(config);
  const carrying = enabled.filter((s) => s.addressFamilies.includes(family));
  const label = family === "ipv4" ? "IPv4" : "IPv6";
  if (Array.isArray(names)) {
    const chosen: ServerConfig[] = [];
    const skipped: { server: ServerConfig; reason: string }[] = [];
    for (const name of new Set(names)) {
      const server = enabled.find((s) => s.name === name);
      if (!server) {
        throw new ServerSelectionError(
          successorMessage(config, name) ??
            `Unknown or disabled server ${
              quoted(name)
            }. Use list_servers to see the enabled servers`,
          name,
        );
      }
      if (server.addressFamilies.includes(family)) chosen.push(server);
      else {skipped.push({
          server,
          reason: `does not carry ${label} routes (per the server list); not asked`,
        });}
    }
    if (chosen.length > maxServers) {
      warnings.push(`Asked the first ${maxServers} of ${chosen.length} servers named (maxServers)`);
      chosen.length = maxServers;
    }
    return { chosen, skipped };
  }
  const pool = names === "all" ? carrying : spreadByLocation(carrying, config.defaultServer);
  if (pool.length > maxServers) {
    warnings.push(
      `${pool.length} enabled servers carry ${label} routes; asked ${maxServers} (raise maxServers, up to ${MAX_COMPARE_SERVERS})`,
    );
  }
  if (pool.length === 0) {
    throw new ServerSelectionError(`No enabled server carries ${label} routes`);
  }
  return { chosen: pool.slice(0, maxServers), skipped: [] };
}

/**
 * Orders servers so that each location comes once before any comes twice; the
 * default first, then the servers known to offer telnet before the ones no
 * public source confirms (`confirmed: false`), so that a default comparison
 * asks servers that answer.
 */
function spreadByLocation(servers: ServerConfig[], first: string): ServerConfig[] {
  const rank = (s: ServerConfig) => (s.name === first ? 0 : s.confirmed ? 1 : 2);
  const ordered = [...servers].sort((a, b) => rank(a) - rank(b));
  const rounds: ServerConfig[][] = [];
  const seen = new Map<string, number>();
  for (const server of ordered) {
    const round = seen.get(server.location) ?? 0;
    seen.set(server.location, round + 1);
    (rounds[round] ??= []).push(server);
  }
  return rounds.flat();
}

/**
 * The verdict over several vantage points: who sees the destination, who
 * misses it, which ASes originate it (two or more is MOAS, a hijack hint),
 * the origin's upstreams, which prefixes match, and the shortest and longest
 * best paths. Pure.
 *
 * @module
 */

import type { DatasetOriginCheck } from "./dataset_origin.ts";
import type { BgpPath, ParsedRoute } from "./types.ts";

/** One server's outcome, as the consensus needs it. */
export interface VantageOutcome {
  /** Server name. */
  server: string;
  /** The parsed answer, or `null` when the query failed. */
  route: ParsedRoute | null;
}

/** ASNs with the servers that saw them. */
export interface AsnServers {
  /** The AS number. */
  asn: number;
  /** Servers, in the order they were asked. */
  servers: string[];
  /** The AS's name from the offline dataset (`null`: none known; absent: names off). */
  name?: string | null;
}

/** A best path picked out for the verdict. */
export interface NotablePath {
  /** Server whose best path it is. */
  server: string;
  /** The AS path (prepends kept). */
  asPath: number[];
  /** Its length, as BGP counts it. */
  length: number;
  /** The name of each AS of `asPath` from the offline dataset (`null`: none known; absent: names off). */
  asPathNames?: (string | null)[];
}

/** The verdict. */
export interface Consensus {
  /** Servers that have a route. */
  seenBy: string[];
  /** Servers that answered but have no route. */
  missingFrom: string[];
  /** Servers that could not be asked or did not answer. */
  failed: string[];
  /** Origin ASes over all valid paths, most widely seen first. */
  origins: AsnServers[];
  /**
   * Multiple-origin AS conflict: one prefix announced by more than one origin AS (different
   * origins for different prefixes, e.g. a more-specific, are not MOAS).
   */
  moas: boolean;
  /** The AS adjacent to the origin on each server's best path (prepends collapsed). */
  upstreams: AsnServers[];
  /** The prefixes the servers matched (different most-specifics show up here). */
  prefixes: { prefix: string; servers: string[] }[];
  /** Shortest best path. */
  shortestPath: NotablePath | null;
  /** Longest best path. */
  longestPath: NotablePath | null;
  /**
   * For each prefix seen with an origin: the live origins against the offline
   * dataset's (`differs` is evidence of a change, a hijack or a leak). Absent
   * when names are turned off or could not be loaded.
   */
  datasetOrigins?: DatasetOriginCheck[];
}

/** Computes the verdict over the outcomes, in the order given. */
export function consensus(outcomes: readonly VantageOutcome[]): Consensus {
  const seenBy: string[] = [];
  const missingFrom: string[] = [];
  const failed: string[] = [];
  const origins = new Grouping<number>();
  const originsByPrefix = new Map<string, Set<number>>();
  const upstreams = new Grouping<number>();
  const prefixes = new Grouping<string>();
  let shortestPath: NotablePath | null = null;
  let longestPath: NotablePath | null = null;

  for (const { server, route } of outcomes) {
    if (route === null) {
      failed.push(server);
      continue;
    }
    if (!route.found) {
      missingFrom.push(server);
      continue;
    }
    seenBy.push(server);
    if (route.prefix) prefixes.add(route.prefix, server);
    for (const path of route.paths) {
      if (path.originAs === null || !path.valid) continue;
      origins.add(path.originAs, server);
      const key = route.prefix ?? "";
      const set = originsByPrefix.get(key) ?? new Set<number>();
      set.add(path.originAs);
      originsByPrefix.set(key, set);
    }
    const best = bestPath(route);
    if (!best) continue;
    const upstream = upstreamOf(best);
    if (upstream !== null) upstreams.add(upstream, server);
    const notable = { server, asPath: best.asPath, length: pathLength(best) };
    if (!shortestPath || notable.length < shortestPath.length) shortestPath = notable;
    if (!longestPath || notable.length > longestPath.length) longestPath = notable;
  }

  const originList = origins.list().map(([asn, servers]) => ({ asn, servers }));
  return {
    seenBy,
    missingFrom,
    failed,
    origins: originList,
    moas: [...originsByPrefix.values()].some((set) => set.size > 1),
    upstreams: upstreams.list().map(([asn, servers]) => ({ asn, servers })),
    prefixes: prefixes.list().map(([prefix, servers]) => ({ prefix, servers })),
    shortestPath,
    longestPath,
  };
}

/** The AS path length as BGP counts it: every ASN of the sequence, one per AS_SET. */
function pathLength(path: BgpPath): number {
  return path.asPath.length + (path.asPathText.match(/\{/g)?.length ?? 0);
}

/** The server's best path, or its first path when none is marked best. */
export function bestPath(route: ParsedRoute): BgpPath | undefined {
  return route.paths.find((p) => p.best) ?? route.paths[0];
}

/** The AS just before the origin once prepends are collapsed; `null` if the path is one AS. */
export function upstreamOf(path: BgpPath): number | null {
  if (path.originAs === null) return null;
  const collapsed = path.asPath.filter((asn, i) => i === 0 || asn !== path.asPath[i - 1]);
  // When the path ends in an AS_SET, the origin is not in the sequence.
  const end = collapsed.at(-1) === path.originAs ? collapsed.length - 1 : collapsed.length;
  return end >= 1 ? collapsed[end - 1] : null;
}

/** Keys with the distinct servers that reported them, most servers first, then first seen. */
class Grouping<K> {
  readonly #map = new Map<K, string[]>();

  add(key: K, server: string): void {
    const servers = this.#map.get(key) ?? [];
    if (!servers.includes(server)) servers.push(server);
    this.#map.set(key, servers);
  }

  list(): [K, string[]][] {
    return [...this.#map.entries()].sort((a, b) => b[1].length - a[1].length);
  }
}

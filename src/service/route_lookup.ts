/**
 * `route_lookup`: the BGP paths one route server has for an address or a
 * prefix (longest, exact, or `orlonger` match), filtered and cut to the limits
 * asked, with communities described; and the cached per-server answers that
 * `route_compare` shares.
 *
 * @module
 */

import type { ServerConfig } from "../config/schema.ts";
import { DIALECTS } from "../dialects/mod.ts";
import { ParseError, UnsupportedQueryError } from "../errors.ts";
import { withCommunityDetails } from "../bgp/communities.ts";
import type { RouteLookupResult } from "../bgp/results.ts";
import type { MatchMode, ParsedRoute, RouteEntry } from "../bgp/types.ts";
import type { CacheHit } from "../politeness/cache.ts";
import { compileFilters, hasFilters, type PathFilters } from "../validation/filters.ts";
import { answerFits, type Destination, type Family } from "../validation/destination.ts";
import { startNames, withPathNames } from "./as_names.ts";
import { loadJudgement } from "./load_judgement.ts";
import { engineOf, type LookingGlass, type QueryOptions } from "./looking_glass.ts";
import { type AskedDestination, resolveTarget, targetOf } from "./resolve_target.ts";
import { type PlanAnswer, runPlan } from "./run_plan.ts";
import { selectServer } from "./select_server.ts";

/** What `route_lookup` asks. */
export interface RouteLookupRequest {
  /** Address, prefix, or host name (resolved with DNS when host names are on). */
  destination: string;
  /** Server name (default: the configured default). */
  server?: string;
  /** `longest` (default for an address), `exact` (default for a prefix) or `orlonger`. */
  match?: MatchMode;
  /** Filters applied to the paths the server returned. */
  filters?: PathFilters;
  /** Most paths returned (default 50). */
  maxPaths?: number;
  /** Most prefixes returned for `orlonger` (default 20). */
  maxPrefixes?: number;
}

/** Default and largest `maxPaths`. */
export const PATH_LIMITS = { default: 50, max: 500 } as const;
/** Default and largest `maxPrefixes`. */
export const PREFIX_LIMITS = { default: 20, max: 200 } as const;
/** Shortest prefix an `orlonger` query may ask about, per family. */
export const ORLONGER_MIN_LENGTH: Readonly<Record<Family, number>> = { ipv4: 16, ipv6: 32 };
/**
 * Share of the download budget left that one `orlonger` query may spend: a
 * big table can never burn the whole day's budget.
 */
export const ORLONGER_BUDGET_SHARE = 0.5;

/**
 * Looks up the BGP paths a route server has for a destination, from the cache
 * when a fresh answer is there.
 *
 * @throws {InvalidDestinationError} before anything is sent, for a refused destination
 * @throws {InvalidHostNameError} before anything is sent, for a host name that is not one
 * @throws {HostResolutionError} before any route server is asked, for a name with no usable address
 * @throws {ServerSelectionError} for an unusable server
 * @throws {QuotaExceededError} before connecting, when the server's budget is spent
 * @throws {TelnetError} for connection, login, timeout and size failures
 * @throws {CommandRejectedError} when the server refuses every form of the command
 * @throws {ParseError} when the answer cannot be read
 */
export async function lookupRoute(
  lg: LookingGlass,
  request: RouteLookupRequest,
  options: QueryOptions = {},
): Promise<RouteLookupResult> {
  const started = performance.now();
  const target = targetOf(lg, request.destination);
  const kind = target.destination?.kind ?? "address";
  const match = request.match ?? (kind === "address" ? "longest" : "exact");
  const filters = request.filters ?? {};
  const keep = compileFilters(filters);
  const maxPaths = clamp(request.maxPaths ?? PATH_LIMITS.default, 1, PATH_LIMITS.max);
  const maxPrefixes = clamp(request.maxPrefixes ?? PREFIX_LIMITS.default, 1, PREFIX_LIMITS.max);
  // Everything that can be refused without the network is refused before a host name is resolved.
  if (match === "orlonger") checkOrlonger(target.destination ?? null);
  const named = selectServer(lg.config, request.server, undefined).server;
  const { destination, resolution }: AskedDestination = target.destination
    ? { destination: target.destination }
    : await resolveTarget(
      lg,
      target,
      {
        signal: options.signal,
        families: request.server === undefined ? undefined : named.addressFamilies,
      },
    );
  const { server, warnings } = selectServer(lg.config, request.server, destination.family);
  if (match === "orlonger" && filters.community !== undefined) checkTableFilters(server);
  const names = startNames(lg);
  const judgement = loadJudgement();

  let entries: RouteEntry[];
  let found: boolean;
  let prefix: string | null;
  let hit: CacheHit<PlanAnswer<unknown>>;
  if (match === "orlonger") {
    const answer = await cachedMoreSpecifics(lg, server, destination, options);
    hit = answer;
    entries = answer.value.parsed;
    found = entries.length > 0;
    prefix = found ? destination.canonical : null;
  } else {
    const answer = await cachedRoute(lg, server, destination, { ...options, match });
    hit = answer;
    const route = answer.value.parsed;
    entries = route.found && route.prefix
      ? [{
        prefix: route.prefix,
        paths: route.paths,
        totalPaths: route.totalPaths,
        ...(route.warnings ? { warnings: route.warnings } : {}),
      }]
      : [];
    found = route.found;
    prefix = route.prefix;
  }

  // Filters apply to every prefix the server returned; then the prefixes with matching paths
  // are cut to maxPrefixes and the paths to maxPaths.
  const filtered = entries
    .map((entry) => ({
      entry,
      kept: entry.paths
        .map((path) => (match === "orlonger" ? { ...path, prefix: entry.prefix } : path))
        .filter(keep),
    }))
    .filter(({ kept }) => kept.length > 0 || !hasFilters(filters));
  const shown = filtered.slice(0, maxPrefixes);
  const matchedPaths = filtered.reduce((sum, { kept }) => sum + kept.length, 0);
  const shownPaths = shown.flatMap(({ kept }) => kept);
  const { table, warning } = await names;
  const paths = shownPaths.slice(0, maxPaths).map((path) => {
    const described = withCommunityDetails(path, lg.communityDictionary);
    return table ? withPathNames(described, table) : described;
  });
  const totalPaths = entries.reduce((sum, entry) => sum + entry.totalPaths, 0);
  const truncated = shownPaths.length > maxPaths || filtered.length > maxPrefixes ||
    hit.value.truncated === true;
  const notes = [
    ...destination.warnings,
    ...warnings,
    ...hit.value.notes,
    // Lines the parser left out (the answer is otherwise complete).
    ...entries.flatMap((entry) => entry.warnings ?? []),
  ];
  if (filtered.length > maxPrefixes) {
    notes.push(
      `${filtered.length} prefixes match; showing the first ${maxPrefixes} (raise maxPrefixes)`,
    );
  }
  if (shownPaths.length > maxPaths) {
    notes.push(`${shownPaths.length} paths match; showing the first ${maxPaths} (raise maxPaths)`);
  }
  if (warning) notes.push(warning);
  const { judgeLookup } = await judgement;
  const judged = found
    ? judgeLookup({ server: server.name, destination: destination.canonical, prefix, paths, table })
    : undefined;
  if (judged) notes.push(...judged.warnings);
  return {
    server: server.name,
    command: hit.value.command,
    destination: destination.canonical,
    match,
    prefix,
    found,
    paths,
    totalPaths,
    filtered: hasFilters(filters),
    matchedPaths,
    ...(match === "orlonger"
      ? {
        prefixes: shown.map(({ entry }) => ({
          prefix: entry.prefix,
          totalPaths: entry.totalPaths,
        })),
      }
      : {}),
    truncated,
    ...(judged ? { findings: judged.findings } : {}),
    ...(judged && paths.length > 1 ? { graph: judged.graph } : {}),
    elapsedMs: Math.round(performance.now() - started),
    cached: hit.cached,
    ageSeconds: hit.ageSeconds,
    warnings: notes,
    ...(table ? { namesAsOf: table.date } : {}),
    ...(resolution ? { resolution } : {}),
  };
}

/**
 * Refuses a community filter on an `orlonger` answer that cannot carry
 * communities (IOS and FRR tables): every path would seem not to match, a
 * false negative.
 *
 * @throws {UnsupportedQueryError} for such a server
 */
function checkTableFilters(server: ServerConfig): void {
  const dialect = DIALECTS[server.dialect];
  if (dialect.tableHasCommunities) return;
  throw new UnsupportedQueryError(
    `match "orlonger" with a community filter cannot be answered on ${server.name}: its ` +
      `${dialect.label} table form (\`… longer-prefixes\`) carries no communities, so every ` +
      'path would seem not to match. Ask each prefix with match "exact" (which shows ' +
      "communities), or drop the community filter",
    { dialect: server.dialect },
  );
}

/**
 * Refuses an `orlonger` query that would walk too much of a public table.
 *
 * @throws {UnsupportedQueryError} for an address (or a host name: `null`) or a prefix shorter
 *   than the minimum
 */
function checkOrlonger(destination: Destination | null): void {
  if (destination === null || destination.kind === "address") {
    throw new UnsupportedQueryError(
      `match "orlonger" needs a prefix (e.g. 8.8.8.0/24), not ${
        destination ? "an address" : "a host name"
      }`,
    );
  }
  const min = ORLONGER_MIN_LENGTH[destination.family];
  if (destination.length < min) {
    throw new UnsupportedQueryError(
      `match "orlonger" is limited to prefixes of /${min} or longer for ${
        destination.family === "ipv4" ? "IPv4" : "IPv6"
      }, to keep public route servers from walking large parts of their table; ` +
        `${destination.canonical} is /${destination.length}. Ask for a longer prefix`,
    );
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/**
 * One server's parsed answer for a validated destination (`longest` or
 * `exact` match), through the cache; `route_compare` asks each server this.
 */
export function cachedRoute(
  lg: LookingGlass,
  server: ServerConfig,
  destination: Destination,
  options: QueryOptions & { match?: Exclude<MatchMode, "orlonger"> } = {},
): Promise<CacheHit<PlanAnswer<ParsedRoute>>> {
  const mode = options.match ?? (destination.kind === "address" ? "longest" : "exact");
  const steps = DIALECTS[server.dialect].routeQuery(destination, { ...server, match: mode });
  return engineOf(lg).cache.get(
    `${server.name}|route|${mode}|${destination.canonical}`,
    server.limits.cacheTtlMs,
    async (signal) => {
      const answer = await runPlan(lg, server, { steps, signal });
      const { found, prefix } = answer.parsed;
      if (found) checkPrefix(server, destination, mode, prefix ?? "");
      return answer;
    },
    options.signal,
  );
}

/**
 * Refuses an answer about a prefix that is not what was asked: for `exact`,
 * another prefix; for `longest`, one that does not cover the destination; for
 * `orlonger`, one outside the asked prefix. Such an answer is not shown.
 *
 * @throws {ParseError} naming both prefixes
 */
function checkPrefix(
  server: ServerConfig,
  destination: Destination,
  mode: MatchMode,
  prefix: string,
): void {
  if (answerFits(destination, mode, prefix)) return;
  const relation = mode === "exact"
    ? "is not the prefix asked for"
    : mode === "longest"
    ? "does not cover it"
    : "is not inside it";
  throw new ParseError(
    server.dialect,
    `${server.name} answered about ${prefix || "no prefix"} for ${destination.canonical} ` +
      `(${mode} match), which ${relation}; the answer was rejected and nothing of it is shown`,
  );
}

/**
 * One server's parsed `orlonger` answer: the prefix and its more specifics,
 * through the cache, counted first where the dialect can and within half the
 * download budget left.
 */
function cachedMoreSpecifics(
  lg: LookingGlass,
  server: ServerConfig,
  destination: Destination,
  options: QueryOptions = {},
): Promise<CacheHit<PlanAnswer<RouteEntry[]>>> {
  const dialect = DIALECTS[server.dialect];
  const steps = dialect.routesQuery(destination, server);
  const estimate = dialect.routesEstimate?.(destination, server);
  return engineOf(lg).cache.get(
    `${server.name}|orlonger|${destination.canonical}`,
    server.limits.cacheTtlMs,
    async (signal) => {
      const answer = await runPlan(lg, server, {
        steps,
        signal,
        estimate,
        budgetShare: ORLONGER_BUDGET_SHARE,
      });
      for (const entry of answer.parsed) checkPrefix(server, destination, "orlonger", entry.prefix);
      return answer;
    },
    options.signal,
  );
}

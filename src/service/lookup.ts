/**
 * The queries behind the tools and the CLI: pick the server, validate the
 * destination, open a session, ask in the dialect's words, parse, and close.
 *
 * @module
 */

import { type Config, enabledServers, type ServerConfig } from "../config/schema.ts";
import {
  commandRefusal,
  DIALECTS,
  type MatchMode,
  type QueryStep,
  type RouteEntry,
  type SizeEstimate,
} from "../dialects/mod.ts";
import {
  CommandRejectedError,
  ParseError,
  ServerSelectionError,
  TelnetError,
  UnsupportedQueryError,
} from "../errors.ts";
import { type CommunityDictionary, describeCommunities } from "../bgp/communities.ts";
import { compileFilters, hasFilters, type PathFilters } from "../validation/filters.ts";
import { log } from "../log.ts";
import type { LookingGlass } from "./looking_glass.ts";
import type { SessionPool } from "../politeness/pool.ts";
import type { TelnetSession } from "../telnet/session.ts";
import { type Destination, type Family, parseDestination } from "../validation/destination.ts";
import type { BgpNeighbor, BgpPath, ParsedRoute, ParsedSummary } from "../bgp/types.ts";
import type { CacheHit } from "../politeness/cache.ts";
import { blockContains } from "../validation/_ip.ts";
import { typedPrefix } from "../dialects/_typed.ts";
import { quoted } from "../_text.ts";

/** Options shared by every query. */
export interface QueryOptions {
  /** Cancels the query; the connection is closed at once. */
  signal?: AbortSignal;
}

/** What `route_lookup` asks. */
export interface RouteLookupRequest {
  /** Address or prefix. */
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
  /** Wall time of the whole call. */
  elapsedMs: number;
  /** Whether the answer came from the cache (or a concurrent identical query) instead of the server. */
  cached: boolean;
  /** Age of the answer in seconds (0 when fresh). */
  ageSeconds: number;
  /** Things the user should know (normalised input, substituted server, fallbacks). */
  warnings: string[];
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
  /** Neighbours, at most `limit` of them. */
  neighbors: BgpNeighbor[];
  /** Counts over all neighbours, not only the ones listed. */
  totals: { neighbors: number; established: number; prefixes: number };
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
}

/** The server chosen for a query and why. */
export interface ServerChoice {
  /** The server. */
  server: ServerConfig;
  /** Set when a different server than the default was chosen. */
  warnings: string[];
}

/**
 * Chooses the server for a query: the named one, or the configured default,
 * or (when the default does not carry the family) the first enabled server that does.
 *
 * @throws {ServerSelectionError} for an unknown or disabled name, or a family the server lacks
 */
export function selectServer(
  config: Config,
  name: string | undefined,
  family: Family | undefined,
): ServerChoice {
  const enabled = enabledServers(config);
  const carrying = (f: Family) => enabled.filter((s) => s.addressFamilies.includes(f));
  const label = (f: Family) => (f === "ipv4" ? "IPv4" : "IPv6");
  if (name !== undefined) {
    const server = config.servers.find((s) => s.name === name);
    if (!server) {
      throw new ServerSelectionError(
        `Unknown server ${quoted(name)}. Use list_servers to see the configured servers`,
        name,
      );
    }
    if (!server.enabled) {
      throw new ServerSelectionError(`Server ${quoted(name)} is disabled in the server list`, name);
    }
    if (family && !server.addressFamilies.includes(family)) {
      const others = carrying(family).slice(0, 5).map((s) => s.name).join(", ");
      throw new ServerSelectionError(
        `${name} does not carry ${label(family)} routes (per the server list). ` +
          `Servers that do: ${others || "none"}. Nothing was sent`,
        name,
      );
    }
    return { server, warnings: [] };
  }
  const fallback = enabled.find((s) => s.name === config.defaultServer)!;
  if (!family || fallback.addressFamilies.includes(family)) {
    return { server: fallback, warnings: [] };
  }
  const substitute = carrying(family)[0];
  if (!substitute) {
    throw new ServerSelectionError(`No enabled server carries ${label(family)} routes`);
  }
  return {
    server: substitute,
    warnings: [
      `The default server ${fallback.name} does not carry ${label(family)} routes; ` +
      `asked ${substitute.name} instead`,
    ],
  };
}

/** A parsed answer with the command that produced it (what the cache holds). */
export interface Answer<T> {
  /** The parsed answer. */
  value: T;
  /** The command whose answer it is. */
  command: string;
  /** Fallbacks taken on the way. */
  notes: string[];
  /** Set when the answer was cut at its byte cap and only its complete part was read. */
  truncated?: boolean;
}

/**
 * Looks up the BGP paths a route server has for a destination, from the cache
 * when a fresh answer is there.
 *
 * @throws {InvalidDestinationError} before anything is sent, for a refused destination
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
  const destination = parseDestination(request.destination);
  const match = request.match ?? (destination.kind === "address" ? "longest" : "exact");
  const filters = request.filters ?? {};
  const keep = compileFilters(filters);
  const maxPaths = clamp(request.maxPaths ?? PATH_LIMITS.default, 1, PATH_LIMITS.max);
  const maxPrefixes = clamp(request.maxPrefixes ?? PREFIX_LIMITS.default, 1, PREFIX_LIMITS.max);
  if (match === "orlonger") checkOrlonger(destination);
  const { server, warnings } = selectServer(lg.config, request.server, destination.family);

  let entries: RouteEntry[];
  let found: boolean;
  let prefix: string | null;
  let hit: CacheHit<Answer<unknown>>;
  if (match === "orlonger") {
    const answer = await routesAnswer(lg, server, destination, options);
    hit = answer;
    entries = answer.value.value;
    found = entries.length > 0;
    prefix = found ? destination.canonical : null;
  } else {
    const answer = await routeAnswer(lg, server, destination, options, match);
    hit = answer;
    const route = answer.value.value;
    entries = route.found && route.prefix
      ? [{ prefix: route.prefix, paths: route.paths, totalPaths: route.totalPaths }]
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
  const paths = shownPaths.slice(0, maxPaths).map((path) =>
    withCommunityDetails(path, lg.communityDictionary)
  );
  const totalPaths = entries.reduce((sum, entry) => sum + entry.totalPaths, 0);
  const truncated = shownPaths.length > maxPaths || filtered.length > maxPrefixes ||
    hit.value.truncated === true;
  const notes = [...destination.warnings, ...warnings, ...hit.value.notes];
  if (filtered.length > maxPrefixes) {
    notes.push(
      `${filtered.length} prefixes match; showing the first ${maxPrefixes} (raise maxPrefixes)`,
    );
  }
  if (shownPaths.length > maxPaths) {
    notes.push(`${shownPaths.length} paths match; showing the first ${maxPaths} (raise maxPaths)`);
  }
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
    elapsedMs: Math.round(performance.now() - started),
    cached: hit.cached,
    ageSeconds: hit.ageSeconds,
    warnings: notes,
  };
}

/**
 * Refuses an `orlonger` query that would walk too much of a public table.
 *
 * @throws {UnsupportedQueryError} for an address or a prefix shorter than the minimum
 */
function checkOrlonger(destination: Destination): void {
  const min = ORLONGER_MIN_LENGTH[destination.family];
  if (destination.kind === "address") {
    throw new UnsupportedQueryError(
      "any",
      'match "orlonger" needs a prefix (e.g. 8.8.8.0/24), not an address',
    );
  }
  if (destination.length < min) {
    throw new UnsupportedQueryError(
      "any",
      `match "orlonger" is limited to prefixes of /${min} or longer for ${
        destination.family === "ipv4" ? "IPv4" : "IPv6"
      }, to keep public route servers from walking large parts of their table; ` +
        `${destination.canonical} is /${destination.length}. Ask for a longer prefix. Nothing was sent`,
    );
  }
}

/** The path with its communities described (names, parts), when it has any. */
export function withCommunityDetails<P extends BgpPath>(
  path: P,
  dictionary?: CommunityDictionary,
): P {
  const details = describeCommunities(path, dictionary);
  return details.length > 0 ? { ...path, communityDetails: details } : path;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/**
 * The parsed route answer of one server for a validated destination, through
 * the cache (shared with `route_compare`).
 */
export function routeAnswer(
  lg: LookingGlass,
  server: ServerConfig,
  destination: Destination,
  options: QueryOptions = {},
  match?: Exclude<MatchMode, "orlonger">,
): Promise<CacheHit<Answer<ParsedRoute>>> {
  const mode = match ?? (destination.kind === "address" ? "longest" : "exact");
  const steps = DIALECTS[server.dialect].routeQuery(destination, { ...server, match: mode });
  return lg.cache.get(
    `${server.name}|route|${mode}|${destination.canonical}`,
    server.limits.cacheTtlMs,
    async (signal) => {
      const answer = await ask(lg, server, steps, signal);
      const { found, prefix } = answer.value;
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
  const asked = typedPrefix(`${destination.address}/${destination.length}`)!.block;
  const answered = typedPrefix(prefix)?.block;
  const fits = answered !== undefined && (
    mode === "exact"
      ? blockContains(answered, asked) && answered.length === asked.length
      : mode === "longest"
      ? blockContains(answered, asked)
      : blockContains(asked, answered)
  );
  if (fits) return;
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

/** The parsed `orlonger` answer of one server, through the cache. */
export function routesAnswer(
  lg: LookingGlass,
  server: ServerConfig,
  destination: Destination,
  options: QueryOptions = {},
): Promise<CacheHit<Answer<RouteEntry[]>>> {
  const dialect = DIALECTS[server.dialect];
  const steps = dialect.routesQuery(destination, server);
  const estimate = dialect.routesEstimate?.(destination, server);
  return lg.cache.get(
    `${server.name}|orlonger|${destination.canonical}`,
    server.limits.cacheTtlMs,
    async (signal) => {
      const answer = await ask(lg, server, steps, signal, lg.pool, {
        estimate,
        budgetShare: ORLONGER_BUDGET_SHARE,
      });
      for (const entry of answer.value) checkPrefix(server, destination, "orlonger", entry.prefix);
      return answer;
    },
    options.signal,
  );
}

/**
 * Fetches a server's BGP neighbour summary for one address family.
 *
 * @throws {ServerSelectionError} for an unusable server
 * @throws {QuotaExceededError} before connecting, when the server's budget is spent
 * @throws {TelnetError} for connection, login, timeout and size failures
 * @throws {CommandRejectedError} when the server refuses every form of the command
 * @throws {ParseError} when the answer cannot be read
 */
export async function fetchSummary(
  lg: LookingGlass,
  request: { server?: string; addressFamily?: Family; limit?: number },
  options: QueryOptions = {},
): Promise<SummaryResult> {
  const started = performance.now();
  const family = request.addressFamily ?? "ipv4";
  const limit = request.limit ?? 50;
  const { server, warnings } = selectServer(lg.config, request.server, family);
  const steps = DIALECTS[server.dialect].summaryQuery(family, server);
  const hit = await lg.cache.get<Answer<ParsedSummary>>(
    `${server.name}|summary|${family}`,
    server.limits.cacheTtlMs,
    (signal) => ask(lg, server, steps, signal),
    options.signal,
  );
  const { value, command, notes } = hit.value;
  const established = value.neighbors.filter((n) => n.established);
  return {
    server: server.name,
    command,
    addressFamily: family,
    routerId: value.routerId,
    localAs: value.localAs,
    neighbors: value.neighbors.slice(0, limit),
    totals: {
      neighbors: value.neighbors.length,
      established: established.length,
      prefixes: established.reduce((sum, n) => sum + (n.prefixesReceived ?? 0), 0),
    },
    truncated: value.neighbors.length > limit,
    elapsedMs: Math.round(performance.now() - started),
    cached: hit.cached,
    ageSeconds: hit.ageSeconds,
    warnings: [...warnings, ...notes],
  };
}

/** Options for {@linkcode ask}. */
export interface AskOptions {
  /** A count asked first: when it says the answer will not fit in its cap, nothing more is sent. */
  estimate?: SizeEstimate;
  /** Share of the download budget left that this query may spend (default: all of it). */
  budgetShare?: number;
}

/**
 * Closes a session whose answer could not be read before the error goes up:
 * what else is on its way from that server (the rest of an answer cut short,
 * for instance) is unknown, so the session is not reused.
 */
function unusable(session: TelnetSession, error: ParseError): ParseError {
  session.close();
  return error;
}

/**
 * Runs the steps on a pooled session until one is accepted, within the
 * server's deadline for the whole query. Paging was turned off when the
 * session was opened. Later steps are tried when the server refuses earlier
 * ones. One query never downloads more than its share of the budget left:
 * with an estimate, a query whose answer would not fit is refused before it is
 * sent; a step that can read a cut answer returns its complete part, marked
 * `truncated`.
 */
export async function ask<T>(
  lg: LookingGlass,
  server: ServerConfig,
  steps: QueryStep<T>[],
  signal: AbortSignal,
  pool: SessionPool = lg.pool,
  askOptions: AskOptions = {},
): Promise<Answer<T>> {
  const { limits } = server;
  const deadline = new AbortController();
  const timer = setTimeout(() => {
    deadline.abort(
      new TelnetError(
        server.name,
        "timeout",
        `${server.name} did not answer within ${limits.queryTimeoutMs / 1000} s (waiting for a ` +
          "session, connecting, logging in and asking together); no partial output is shown. " +
          "Try again later or another server",
      ),
    );
  }, limits.queryTimeoutMs);
  const querySignal = AbortSignal.any([signal, deadline.signal]);
  const share = Math.min(1, Math.max(0, askOptions.budgetShare ?? 1));
  try {
    return await pool.run(server, async (session) => {
      // Never download more than this query's share of what the ledger has left (the session's
      // meter enforces the budget itself, read by read), minus what this query has already
      // received (a refused json form, for instance).
      const left = lg.budget(server).remaining.bytesDown;
      const allowance = Math.max(1, Math.floor(left * share));
      const capReason = share < 1
        ? `share of today's download budget left (${Math.round(share * 100)}% of ${formatKb(left)})`
        : "download budget left for today";
      const startDown = session.bytesReceived;
      const commandOptions = () => {
        const room = Math.max(1, allowance - (session.bytesReceived - startDown));
        return {
          timeoutMs: limits.commandTimeoutMs,
          maxBytes: Math.min(limits.maxOutputBytes, room),
          capReason: room < limits.maxOutputBytes ? capReason : undefined,
          signal: querySignal,
        };
      };
      const notes: string[] = [];
      const { estimate } = askOptions;
      if (estimate) {
        // A count is a line or two: a server that prints more does not support it.
        const small = { ...commandOptions(), maxBytes: Math.min(4096, commandOptions().maxBytes) };
        const counted = estimate.read(await session.command(estimate.command, small));
        const cap = commandOptions().maxBytes;
        if (counted && counted.bytes > cap) {
          const why = cap < limits.maxOutputBytes ? capReason : "maxOutputBytes";
          throw new TelnetError(
            server.name,
            "output-limit",
            `${server.name} counted ${counted.counted} for \`${steps[0].command}\` ` +
              `(\`${estimate.command}\`): about ${formatKb(counted.bytes)} or more, over the ` +
              `${formatKb(cap)} this query may download, its ${why}. The table was not asked ` +
              "for. Ask for a longer prefix",
          );
        }
        if (counted) {
          notes.push(
            `Counted first with \`${estimate.command}\`: ${counted.counted}, about ` +
              `${formatKb(counted.bytes)}; within the ${formatKb(cap)} this query may download`,
          );
        } else {
          log("debug", `${server.name} gave no count for \`${estimate.command}\``);
        }
      }
      let lastRefusal = "";
      // An answer that could not be read says more than the refusals of the fallbacks after it.
      let unreadable: ParseError | null = null;
      for (const step of steps) {
        let output: string;
        let complete = true;
        let cutReason: string | undefined;
        if (step.parsePartial) {
          ({ output, complete, cutReason } = await session.commandUpTo(
            step.command,
            commandOptions(),
          ));
        } else {
          output = await session.command(step.command, commandOptions());
        }
        const refusal = complete ? commandRefusal(output) : null;
        if (refusal) {
          lastRefusal = refusal;
          log("debug", `${server.name} refused \`${step.command}\`: ${refusal}`);
          continue;
        }
        let value: T;
        try {
          value = complete ? step.parse(output) : step.parsePartial!(output);
        } catch (error) {
          const parseError = error instanceof ParseError
            ? error
            : new ParseError(server.dialect, (error as Error)?.message ?? String(error));
          if (step.fallbackOnParseError && complete) {
            lastRefusal = parseError.message;
            unreadable ??= parseError;
            continue;
          }
          throw unusable(session, parseError);
        }
        if (step !== steps[0]) {
          notes.push(
            `${server.name} did not accept \`${steps[0].command}\`; used \`${step.command}\``,
          );
        }
        if (!complete) {
          if (Array.isArray(value) && value.length === 0) {
            throw new TelnetError(
              server.name,
              "output-limit",
              `The answer from ${server.name} to \`${step.command}\` reached the ${cutReason} ` +
                "before its first complete prefix; the session was ended and nothing is shown. " +
                "Ask for a longer prefix",
            );
          }
          notes.push(
            `The answer was cut at the ${cutReason}, so the session was ended: ` +
              `${Array.isArray(value) ? `the ${value.length} prefixes shown` : "what is shown"} ` +
              "are complete, but more may follow them. Ask for a longer prefix to see the rest",
          );
          return { value, command: step.command, notes, truncated: true };
        }
        return { value, command: step.command, notes };
      }
      if (unreadable) throw unusable(session, unreadable);
      throw new CommandRejectedError(
        server.name,
        steps[steps.length - 1].command,
        lastRefusal,
        "The server does not support this query; try another server (list_servers shows them)",
      );
    }, querySignal);
  } finally {
    clearTimeout(timer);
  }
}

function formatKb(bytes: number): string {
  return bytes >= 10_000 ? `${(bytes / 1000).toFixed(1)} KB` : `${bytes} bytes`;
}

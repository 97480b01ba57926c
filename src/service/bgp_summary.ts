/**
 * `bgp_summary`: a route server's BGP neighbours for one address family, with
 * totals over all of them, through the cache.
 *
 * @module
 */

import { DIALECTS } from "../dialects/mod.ts";
import type { SummaryResult } from "../bgp/results.ts";
import type { ParsedSummary } from "../bgp/types.ts";
import type { Family } from "../validation/destination.ts";
import { nameOf, startNames } from "./as_names.ts";
import { engineOf, type LookingGlass, type QueryOptions } from "./looking_glass.ts";
import { type PlanAnswer, runPlan } from "./run_plan.ts";
import { selectServer } from "./select_server.ts";

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
  const names = startNames(lg);
  const hit = await engineOf(lg).cache.get<PlanAnswer<ParsedSummary>>(
    `${server.name}|summary|${family}`,
    server.limits.cacheTtlMs,
    (signal) => runPlan(lg, server, { steps, signal }),
    options.signal,
  );
  const { parsed: value, command, notes } = hit.value;
  const established = value.neighbors.filter((n) => n.established);
  const { table, warning } = await names;
  const listed = value.neighbors.slice(0, limit);
  return {
    server: server.name,
    command,
    addressFamily: family,
    routerId: value.routerId,
    localAs: value.localAs,
    ...(table ? { localAsName: value.localAs === null ? null : nameOf(table, value.localAs) } : {}),
    neighbors: table ? listed.map((n) => ({ ...n, asName: nameOf(table, n.asn) })) : listed,
    totals: {
      neighbors: value.neighbors.length,
      established: established.length,
      prefixes: established.reduce((sum, n) => sum + (n.prefixesReceived ?? 0), 0),
    },
    truncated: value.neighbors.length > limit,
    elapsedMs: Math.round(performance.now() - started),
    cached: hit.cached,
    ageSeconds: hit.ageSeconds,
    warnings: [...warnings, ...notes, ...(warning ? [warning] : [])],
    ...(table ? { namesAsOf: table.date } : {}),
  };
}

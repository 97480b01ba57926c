/**
 * Fills the `/metrics` gauges that reflect the shared state before each
 * scrape: quota used and allowed per server (read from the ledger, in Redis
 * for a team), answers served without asking a route server (from the
 * cache's counts) and whether Redis can be used. While Redis is away the
 * quota gauges keep their last values.
 *
 * @module
 */

import type { BudgetStatus, QuotaLimits } from "../politeness/ledger.ts";
import type { ServerMetrics } from "./metrics.ts";

/** A server as the metrics name it: its configured name, budget key and limits. */
export interface MeteredServerInfo {
  /** The configured name (the `server` label). */
  name: string;
  /** Its `host:port` budget key. */
  key: string;
  /** Its allowance. */
  quota: QuotaLimits;
}

/** Where the numbers come from. */
export interface TeamMetricSources {
  /** The servers to report. */
  servers: readonly MeteredServerInfo[];
  /** A server's budget now (e.g. `(key, limits) => ledger.refresh(key, limits, undefined).then((b) => b.team)`). */
  budget: (key: string, limits: QuotaLimits) => BudgetStatus | Promise<BudgetStatus>;
  /** The cache's counts, if it keeps them. */
  cacheStats?: () => { hits: number; joined: number; waited: number };
  /** Whether the shared state (Redis) can be used now; absent without one. */
  sharedStateUp?: () => boolean;
}

const KIND_LABEL = { connections: "connections", bytesDown: "bytes_down", bytesUp: "bytes_up" };

/** Registers the collector on the metrics' registry. */
export function collectTeamMetrics(metrics: ServerMetrics, sources: TeamMetricSources): void {
  metrics.registry.collect(async () => {
    if (sources.sharedStateUp) metrics.sharedStateUp.set({}, sources.sharedStateUp() ? 1 : 0);
    const stats = sources.cacheStats?.();
    if (stats) {
      metrics.cacheHits.set({ source: "cache" }, stats.hits);
      metrics.cacheHits.set({ source: "joined" }, stats.joined);
      metrics.cacheHits.set({ source: "waited" }, stats.waited);
    }
    for (const server of sources.servers) {
      const budget = await sources.budget(server.key, server.quota);
      for (const kind of ["connections", "bytesDown", "bytesUp"] as const) {
        const labels = { server: server.name, kind: KIND_LABEL[kind] };
        metrics.quotaUsed.set(labels, budget.used[kind]);
        metrics.quotaLimit.set(labels, budget.limits[kind]);
      }
    }
  });
}

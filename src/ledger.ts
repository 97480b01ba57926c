/**
 * The quota ledger: per server, connections opened and bytes downloaded and
 * uploaded over a sliding window (Route Views: 24 h, 100 connections, 500 KB
 * down, 100 KB up per user). Usage is kept in one-minute buckets, so the
 * ledger stays small however busy it is. Pure: the clock is injected.
 *
 * @module
 */

import { QuotaExceededError, type QuotaKind } from "./errors.ts";

/** Per-server allowance over the sliding window. */
export interface QuotaLimits {
  /** TCP connections opened. */
  connections: number;
  /** Bytes received from the server. */
  bytesDown: number;
  /** Bytes sent to the server. */
  bytesUp: number;
}

/** Usage over the window. */
export type Usage = QuotaLimits;

export type { QuotaKind } from "./errors.ts";

/** One server's budget: limits, use and what remains. */
export interface BudgetStatus {
  /** The allowance. */
  limits: QuotaLimits;
  /** Use in the current window. */
  used: Usage;
  /** What is left (never negative). */
  remaining: Usage;
}

/** The Route Views telnet policy, per user, per sliding 24 h. */
export const ROUTE_VIEWS_QUOTA: Readonly<QuotaLimits> = {
  connections: 100,
  bytesDown: 500_000,
  bytesUp: 100_000,
};

/** Length of the sliding window. */
export const DAY_MS = 24 * 3_600_000;

const BUCKET_MS = 60_000;

/** One minute of use: `[minute start ms, connections, bytes down, bytes up]`. */
export type Bucket = [number, number, number, number];

/** The serialised ledger (the state file's content). */
export interface LedgerSnapshot {
  /** Format version. */
  version: 1;
  /** Buckets by server name. */
  servers: Record<string, Bucket[]>;
}

/** Sliding-window usage per server. */
export class QuotaLedger {
  readonly #now: () => number;
  readonly #windowMs: number;
  readonly #buckets = new Map<string, Bucket[]>();

  /** Creates an empty ledger. */
  constructor(options: { now?: () => number; windowMs?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#windowMs = options.windowMs ?? DAY_MS;
  }

  /** The window length. */
  get windowMs(): number {
    return this.#windowMs;
  }

  /** Adds use for a server at the current time. */
  record(server: string, use: Partial<Usage>): void {
    const minute = Math.floor(this.#now() / BUCKET_MS) * BUCKET_MS;
    const buckets = this.#live(server);
    let last = buckets.at(-1);
    if (!last || last[0] !== minute) {
      last = [minute, 0, 0, 0];
      buckets.push(last);
      this.#buckets.set(server, buckets);
    }
    last[1] += use.connections ?? 0;
    last[2] += use.bytesDown ?? 0;
    last[3] += use.bytesUp ?? 0;
  }

  /** Use over the window for a server. */
  usage(server: string): Usage {
    const used = { connections: 0, bytesDown: 0, bytesUp: 0 };
    for (const [, c, d, u] of this.#live(server)) {
      used.connections += c;
      used.bytesDown += d;
      used.bytesUp += u;
    }
    return used;
  }

  /** Limits, use and remaining budget for a server. */
  status(server: string, limits: QuotaLimits): BudgetStatus {
    const used = this.usage(server);
    return {
      limits: { ...limits },
      used,
      remaining: {
        connections: Math.max(0, limits.connections - used.connections),
        bytesDown: Math.max(0, limits.bytesDown - used.bytesDown),
        bytesUp: Math.max(0, limits.bytesUp - used.bytesUp),
      },
    };
  }

  /**
   * Refuses a query that would exceed a limit: a new connection needs one
   * connection left (counting `reserved` ones being opened); any query needs
   * some download and upload budget left.
   *
   * @throws {QuotaExceededError} naming the limit, the use and when budget frees up
   */
  check(
    server: string,
    limits: QuotaLimits,
    options: { newConnection: boolean; reserved?: number },
  ): void {
    const used = this.usage(server);
    // Connections being opened right now are not booked yet but will be.
    used.connections += options.reserved ?? 0;
    const needs: [QuotaKind, number][] = [["bytesDown", 1], ["bytesUp", 1]];
    if (options.newConnection) needs.unshift(["connections", 1]);
    for (const [kind, amount] of needs) {
      if (used[kind] + amount > limits[kind]) {
        const freesAt = this.#freesAt(server, kind, used[kind] + amount - limits[kind]);
        throw new QuotaExceededError(
          server,
          kind,
          used[kind],
          limits[kind],
          freesAt,
          this.#windowMs,
        );
      }
    }
  }

  /** The ledger as plain data for the state file. */
  toJSON(): LedgerSnapshot {
    const servers: Record<string, Bucket[]> = {};
    for (const name of this.#buckets.keys()) {
      const live = this.#live(name);
      if (live.length > 0) servers[name] = live.map((b) => [...b] as Bucket);
    }
    return { version: 1, servers };
  }

  /** Replaces the content with a snapshot; malformed entries are skipped. */
  load(snapshot: unknown): void {
    this.#buckets.clear();
    const servers = (snapshot as LedgerSnapshot)?.servers;
    if (
      (snapshot as LedgerSnapshot)?.version !== 1 || typeof servers !== "object" || servers === null
    ) {
      throw new TypeError("Not a ledger snapshot (version 1)");
    }
    for (const [name, buckets] of Object.entries(servers)) {
      if (!Array.isArray(buckets)) continue;
      const valid = buckets.filter((b): b is Bucket =>
        Array.isArray(b) && b.length === 4 && b.every((n) => Number.isFinite(n) && n >= 0)
      ).sort((a, b) => a[0] - b[0]);
      this.#buckets.set(name, valid);
    }
  }

  /**
   * Folds another snapshot of the same ledger in (another process sharing the
   * state file): for each server and minute, the larger of each count. Use is
   * not double counted; what two processes booked in the same minute may be
   * undercounted. Malformed input is ignored.
   */
  merge(snapshot: unknown): void {
    const other = new QuotaLedger({ now: this.#now, windowMs: this.#windowMs });
    try {
      other.load(snapshot);
    } catch {
      return;
    }
    for (const [server, theirs] of other.#buckets) {
      const ours = new Map(this.#live(server).map((b) => [b[0], b]));
      for (const bucket of theirs) {
        const mine = ours.get(bucket[0]);
        if (!mine) ours.set(bucket[0], [...bucket] as Bucket);
        else for (let i = 1; i < 4; i++) mine[i] = Math.max(mine[i], bucket[i]);
      }
      this.#buckets.set(server, [...ours.values()].sort((a, b) => a[0] - b[0]));
    }
  }

  /** The buckets still inside the window (older ones are dropped). */
  #live(server: string): Bucket[] {
    const buckets = this.#buckets.get(server) ?? [];
    const horizon = this.#now() - this.#windowMs;
    // A bucket covers [start, start + 1 min): keep it while any of it is inside the window.
    const firstLive = buckets.findIndex((b) => b[0] + BUCKET_MS > horizon);
    const live = firstLive < 0 ? [] : firstLive === 0 ? buckets : buckets.slice(firstLive);
    if (live !== buckets) this.#buckets.set(server, live);
    return live;
  }

  /** When `excess` units of `kind` will have left the window. */
  #freesAt(server: string, kind: QuotaKind, excess: number): Date {
    const column = kind === "connections" ? 1 : kind === "bytesDown" ? 2 : 3;
    let freed = 0;
    for (const bucket of this.#live(server)) {
      freed += bucket[column];
      if (freed >= excess) return new Date(bucket[0] + BUCKET_MS + this.#windowMs);
    }
    return new Date(this.#now() + this.#windowMs);
  }
}

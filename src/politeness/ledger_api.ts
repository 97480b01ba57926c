/**
 * What the pools, the probes and the session meters need of a quota ledger,
 * whichever keeps it: the file store (`LedgerStore`, one machine) and the
 * Redis store (`RedisLedgerStore`, a team's replicas) both fit. Typing those
 * users against this interface instead of `LedgerStore` is the whole change
 * needed to put the Redis store behind them.
 *
 * @module
 */

import type { BudgetStatus, QuotaLimits, Usage } from "./ledger.ts";

/**
 * Where a quota ledger lives: a state `file` shared by the processes of one
 * machine, `memory` (lost on restart), or `redis`, shared by a team's replicas.
 */
export type LedgerMode = "file" | "memory" | "redis";

/** A download reservation (see `LedgerStore.reserveDown`). */
export interface Lease {
  /** Bytes granted (at least 1). */
  granted: number;
  /** When it was booked (a refund goes to the same bucket). */
  at: number;
  /** Who it was booked for, in team mode. */
  user?: string;
}

/** The synchronous budget check of a ledger's current view. */
export interface LedgerView {
  /**
   * Refuses use that would exceed a limit.
   *
   * @throws {QuotaExceededError} naming the limit, the use and when budget frees up
   */
  check(key: string, limits: QuotaLimits, needs: Partial<Usage>, label?: string): void;
  /** Limits, use and remaining budget for a server. */
  status(key: string, limits: QuotaLimits): BudgetStatus;
}

/** A quota ledger with its persistence: the one place use is booked. */
export interface PolitenessLedger {
  /** The current view, for synchronous checks. */
  readonly ledger: LedgerView;
  /** Where the ledger lives. */
  readonly mode: LedgerMode;
  /** Limits, use and remaining budget of a server (by `host:port`). */
  status(key: string, limits: QuotaLimits): BudgetStatus;
  /**
   * Books one connection after checking the budget; call it before connecting.
   *
   * @throws {QuotaExceededError} when the budget does not allow it
   */
  bookConnection(key: string, limits: QuotaLimits, label: string): Promise<number>;
  /** Gives back a connection booked for a socket that never connected. */
  unbookConnection(key: string, at: number): void;
  /**
   * Reserves up to `wanted` bytes of download (at least 1).
   *
   * @throws {QuotaExceededError} when no download budget is left
   */
  reserveDown(key: string, limits: QuotaLimits, wanted: number, label: string): Promise<Lease>;
  /** Gives back reserved download bytes that were not received. */
  refund(key: string, bytes: number, at: number, user?: string): void;
  /**
   * Books bytes about to be sent, checked where every process (or replica)
   * books (under the file's lock, in Redis); call it before sending.
   *
   * @throws {QuotaExceededError} when that would exceed the upload budget; nothing is booked
   */
  bookUp(key: string, limits: QuotaLimits, bytes: number, label: string): Promise<void>;
  /** Writes pending changes now. */
  save(): Promise<void>;
  /** Writes what is pending and stops. */
  close(): Promise<void>;
}

/** A ledger that applies the per-user fairness rule and reports each user's share. */
export interface UserShares {
  /** The fraction of each server's budget one user may take (1: no rule). */
  readonly share: number;
  /** A user's share of a server's budget: their allowance, use and what is left. */
  userStatus(key: string, limits: QuotaLimits, user: string): BudgetStatus;
}

/**
 * The quota ledger: per server (keyed by `host:port`, so two names for one
 * server share one budget), connections opened and bytes downloaded and
 * uploaded over a sliding window (Route Views: 24 h, 100 connections, 500 KB
 * down, 100 KB up per user). Usage is kept in one-minute buckets, so the
 * ledger stays small however busy it is.
 *
 * Use that cannot be known (a state file that was unreadable, a malformed
 * field) is recorded as an "unknown use" mark: the whole budget of that kind
 * counts as spent from the mark until it slides out of the window. Pure: the
 * clock is injected.
 *
 * @module
 */

import { QuotaExceededError, type QuotaKind } from "../errors.ts";

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

export type { QuotaKind } from "../errors.ts";

/** One server's budget: limits, use and what remains. */
export interface BudgetStatus {
  /** The allowance. */
  limits: QuotaLimits;
  /** Known use in the current window. */
  used: Usage;
  /** What is left (never negative; 0 for a kind whose use is unknown). */
  remaining: Usage;
  /** When use that cannot be known stops counting as the whole budget (ISO 8601), if any. */
  unknownUntil?: string;
}

/** The Route Views telnet policy, per user, per sliding 24 h. */
export const ROUTE_VIEWS_QUOTA: Readonly<QuotaLimits> = {
  connections: 100,
  bytesDown: 500_000,
  bytesUp: 100_000,
};

/** Length of the sliding window. */
export const DAY_MS = 24 * 3_600_000;

/** Width of one bucket. */
export const BUCKET_MS = 60_000;

/** The key of an unknown-use mark that covers every server. */
export const ALL_SERVERS = "*";

/** How far ahead of the clock a time may be without counting as damage (it is taken as now). */
const FUTURE_TOLERANCE_MS = 10 * 60_000;

/** Largest count kept per bucket field (far above any budget; keeps the arithmetic exact). */
const MAX_COUNT = 2 ** 48;

const KINDS: readonly QuotaKind[] = ["connections", "bytesDown", "bytesUp"];
const COLUMN: Record<QuotaKind, 1 | 2 | 3> = { connections: 1, bytesDown: 2, bytesUp: 3 };

/** One minute of use: `[minute start ms, connections, bytes down, bytes up]`. */
export type Bucket = [number, number, number, number];

/** When use of each kind became unknown (ms since the epoch). */
export type UnknownUse = Partial<Record<QuotaKind, number>>;

/** The serialised ledger (the state file's content). */
export interface LedgerSnapshot {
  /** Format version (1 was keyed by server name). */
  version: 2;
  /** Buckets by `host:port`. */
  servers: Record<string, Bucket[]>;
  /** Unknown-use marks by `host:port`, or `*` for every server. */
  unknown?: Record<string, UnknownUse>;
}

/** Options for {@linkcode QuotaLedger}. */
export interface QuotaLedgerOptions {
  /** The clock (default `Date.now`). */
  now?: () => number;
  /** The window length (default 24 h). */
  windowMs?: number;
  /**
   * Keep negative amounts (a ledger of changes not yet saved, which may hold
   * refunds); otherwise every bucket field is clamped at 0.
   */
  signed?: boolean;
}

/** Sliding-window usage per server. */
export class QuotaLedger {
  readonly #now: () => number;
  readonly #windowMs: number;
  readonly #signed: boolean;
  readonly #buckets = new Map<string, Bucket[]>();
  readonly #unknown = new Map<string, UnknownUse>();

  /** Creates an empty ledger. */
  constructor(options: QuotaLedgerOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#windowMs = options.windowMs ?? DAY_MS;
    this.#signed = options.signed ?? false;
  }

  /** The window length. */
  get windowMs(): number {
    return this.#windowMs;
  }

  /** The clock. */
  get now(): () => number {
    return this.#now;
  }

  /** Whether nothing is recorded (no use, no unknown-use mark). */
  get empty(): boolean {
    return this.#buckets.size === 0 && this.#unknown.size === 0;
  }

  /**
   * Adds use for a server in the bucket of `at` (default: now). Negative
   * amounts take use back (a refund of bytes reserved but not received).
   */
  add(key: string, use: Partial<Usage>, at: number = this.#now()): void {
    const minute = Math.floor(at / BUCKET_MS) * BUCKET_MS;
    const buckets = this.#live(key);
    let i = buckets.length - 1;
    while (i >= 0 && buckets[i][0] > minute) i--;
    let bucket = buckets[i];
    if (!bucket || bucket[0] !== minute) {
      bucket = [minute, 0, 0, 0];
      buckets.splice(i + 1, 0, bucket);
      this.#buckets.set(key, buckets);
    }
    for (const kind of KINDS) {
      const column = COLUMN[kind];
      const value = bucket[column] + (use[kind] ?? 0);
      bucket[column] = this.#signed ? value : Math.min(MAX_COUNT, Math.max(0, value));
    }
  }

  /** Marks use of some kinds as unknown from `at` on (for one server, or `*` for all). */
  markUnknown(key: string, kinds: readonly QuotaKind[], at: number): void {
    const marks = this.#unknown.get(key) ?? {};
    for (const kind of kinds) marks[kind] = Math.max(marks[kind] ?? -Infinity, at);
    this.#unknown.set(key, marks);
  }

  /** The latest live unknown-use mark of a kind for a server (its own or `*`), if any. */
  unknownSince(key: string, kind: QuotaKind): number | null {
    const horizon = this.#now() - this.#windowMs;
    let since: number | null = null;
    for (const marks of [this.#unknown.get(key), this.#unknown.get(ALL_SERVERS)]) {
      const at = marks?.[kind];
      if (at !== undefined && at > horizon && (since === null || at > since)) since = at;
    }
    return since;
  }

  /** Known use over the window for a server. */
  usage(key: string): Usage {
    const used = { connections: 0, bytesDown: 0, bytesUp: 0 };
    for (const [, c, d, u] of this.#live(key)) {
      used.connections += c;
      used.bytesDown += d;
      used.bytesUp += u;
    }
    return used;
  }

  /** Limits, use and remaining budget for a server. */
  status(key: string, limits: QuotaLimits): BudgetStatus {
    const used = this.usage(key);
    const remaining = { connections: 0, bytesDown: 0, bytesUp: 0 };
    let unknownUntil: number | null = null;
    for (const kind of KINDS) {
      const since = this.unknownSince(key, kind);
      if (since !== null) {
        unknownUntil = Math.max(unknownUntil ?? 0, since + this.#windowMs);
      } else {
        remaining[kind] = Math.max(0, limits[kind] - used[kind]);
      }
    }
    return {
      limits: { ...limits },
      used,
      remaining,
      ...(unknownUntil === null ? {} : { unknownUntil: new Date(unknownUntil).toISOString() }),
    };
  }

  /**
   * Refuses use that would exceed a limit: each kind in `needs` must have that
   * much left, and a kind whose use is unknown has nothing left.
   *
   * @throws {QuotaExceededError} naming the limit, the use and when budget frees up
   */
  check(key: string, limits: QuotaLimits, needs: Partial<Usage>, label: string = key): void {
    const used = this.usage(key);
    for (const kind of KINDS) {
      const amount = needs[kind] ?? 0;
      if (amount <= 0) continue;
      const since = this.unknownSince(key, kind);
      if (since !== null) {
        throw new QuotaExceededError(
          label,
          kind,
          used[kind],
          limits[kind],
          new Date(since + this.#windowMs),
          this.#windowMs,
          { unknownSince: new Date(since) },
        );
      }
      if (used[kind] + amount > limits[kind]) {
        const freesAt = this.#freesAt(key, kind, used[kind] + amount - limits[kind]);
        throw new QuotaExceededError(
          label,
          kind,
          used[kind],
          limits[kind],
          freesAt,
          this.#windowMs,
        );
      }
    }
  }

  /** Adds everything another ledger holds (its use and its unknown-use marks). */
  addAll(other: QuotaLedger): void {
    for (const [key, buckets] of other.#buckets) {
      for (const [at, connections, bytesDown, bytesUp] of buckets) {
        this.add(key, { connections, bytesDown, bytesUp }, at);
      }
    }
    for (const [key, marks] of other.#unknown) {
      for (const kind of KINDS) {
        const at = marks[kind];
        if (at !== undefined) this.markUnknown(key, [kind], at);
      }
    }
  }

  /** A copy with the same clock and window. */
  clone(options: { signed?: boolean } = {}): QuotaLedger {
    const copy = new QuotaLedger({
      now: this.#now,
      windowMs: this.#windowMs,
      signed: options.signed ?? this.#signed,
    });
    copy.addAll(this);
    return copy;
  }

  /** The ledger as plain data for the state file (only what is still inside the window). */
  toJSON(): LedgerSnapshot {
    const servers: Record<string, Bucket[]> = {};
    for (const key of [...this.#buckets.keys()]) {
      const live = this.#live(key).filter((b) => b[1] !== 0 || b[2] !== 0 || b[3] !== 0);
      if (live.length > 0) servers[key] = live.map((b) => [...b] as Bucket);
    }
    const unknown: Record<string, UnknownUse> = {};
    const horizon = this.#now() - this.#windowMs;
    for (const [key, marks] of this.#unknown) {
      const live: UnknownUse = {};
      for (const kind of KINDS) {
        const at = marks[kind];
        if (at !== undefined && at > horizon) live[kind] = at;
      }
      if (Object.keys(live).length > 0) unknown[key] = live;
    }
    return Object.keys(unknown).length > 0
      ? { version: 2, servers, unknown }
      : { version: 2, servers };
  }

  /** The buckets still inside the window (older ones are dropped). */
  #live(key: string): Bucket[] {
    const buckets = this.#buckets.get(key) ?? [];
    const horizon = this.#now() - this.#windowMs;
    // A bucket covers [start, start + 1 min): keep it while any of it is inside the window.
    const firstLive = buckets.findIndex((b) => b[0] + BUCKET_MS > horizon);
    const live = firstLive < 0 ? [] : firstLive === 0 ? buckets : buckets.slice(firstLive);
    if (live !== buckets) {
      if (live.length === 0) this.#buckets.delete(key);
      else this.#buckets.set(key, live);
    }
    return live;
  }

  /** When `excess` units of `kind` will have left the window. */
  #freesAt(key: string, kind: QuotaKind, excess: number): Date {
    const column = COLUMN[kind];
    let freed = 0;
    for (const bucket of this.#live(key)) {
      freed += bucket[column];
      if (freed >= excess) return new Date(bucket[0] + BUCKET_MS + this.#windowMs);
    }
    return new Date(this.#now() + this.#windowMs);
  }
}

/** Options for {@linkcode readLedgerSnapshot}. */
export interface ReadSnapshotOptions {
  /** The clock (default `Date.now`). */
  now?: () => number;
  /** The window length (default 24 h). */
  windowMs?: number;
  /** When use of unreadable parts counts from: the file's modification time (default now). */
  fallbackAt?: number;
  /** The `host:port` key for a version 1 file's server name, when known. */
  legacyKey?: (name: string) => string | undefined;
}

/** A snapshot read back: the ledger, and what was wrong with the data, if anything. */
export interface ReadSnapshot {
  /** Everything that could be read, with unknown-use marks for what could not. */
  ledger: QuotaLedger;
  /** What was wrong, in words (empty for a sound snapshot). */
  problems: string[];
}

/**
 * Reads a snapshot field by field. What is sound is kept; a malformed field
 * marks that kind's use as unknown at its bucket's time (or at `fallbackAt`
 * when the time itself is unreadable); anything that cannot be attributed to
 * a server marks every server. Times in the future are taken as now, so no
 * bucket outlives the window. Version 1 snapshots (keyed by server name) are
 * migrated through `legacyKey`.
 */
export function readLedgerSnapshot(json: unknown, options: ReadSnapshotOptions = {}): ReadSnapshot {
  const now = (options.now ?? Date.now)();
  const ledger = new QuotaLedger({ now: options.now, windowMs: options.windowMs });
  const fallbackAt = Math.min(now, finite(options.fallbackAt) ? options.fallbackAt : now);
  const problems: string[] = [];
  const everything = (why: string) => {
    problems.push(why);
    ledger.markUnknown(ALL_SERVERS, KINDS, fallbackAt);
  };
  if (!isRecord(json)) {
    everything("it is not a JSON object");
    return { ledger, problems };
  }
  const { version, servers, unknown } = json;
  if (version !== 1 && version !== 2) {
    everything(`its version is ${short(version)}, not 1 or 2`);
    return { ledger, problems };
  }
  if (!isRecord(servers)) {
    everything('"servers" is not an object');
  } else {
    for (const [rawKey, buckets] of Object.entries(servers)) {
      if (!isKey(rawKey) || rawKey === ALL_SERVERS) {
        everything(`server key ${short(rawKey)} is not a server`);
        continue;
      }
      const key = version === 1 ? options.legacyKey?.(rawKey) ?? rawKey : rawKey;
      if (!Array.isArray(buckets)) {
        problems.push(`${key}: the buckets are not a list`);
        ledger.markUnknown(key, KINDS, fallbackAt);
        continue;
      }
      for (const bucket of buckets) readBucket(ledger, key, bucket, { now, fallbackAt, problems });
    }
  }
  if (unknown !== undefined) {
    if (!isRecord(unknown)) {
      everything('"unknown" is not an object');
    } else {
      for (const [key, marks] of Object.entries(unknown)) {
        const target = isKey(key) ? key : ALL_SERVERS;
        if (!isRecord(marks)) {
          problems.push(`unknown use of ${short(key)} is not an object`);
          ledger.markUnknown(target, KINDS, fallbackAt);
          continue;
        }
        for (const kind of KINDS) {
          const at = marks[kind];
          if (at === undefined) continue;
          if (!finite(at) || at < 0) {
            problems.push(`unknown use of ${short(key)} has an unreadable time`);
            ledger.markUnknown(target, [kind], fallbackAt);
          } else {
            if (at > now + FUTURE_TOLERANCE_MS) {
              problems.push(`unknown use of ${short(key)} is dated in the future`);
            }
            ledger.markUnknown(target, [kind], Math.min(at, now));
          }
        }
      }
    }
  }
  return { ledger, problems };
}

function readBucket(
  ledger: QuotaLedger,
  key: string,
  bucket: unknown,
  context: { now: number; fallbackAt: number; problems: string[] },
): void {
  const { now, fallbackAt, problems } = context;
  if (!Array.isArray(bucket) || bucket.length !== 4) {
    problems.push(`${key}: a bucket is not [time, connections, bytes down, bytes up]`);
    ledger.markUnknown(key, KINDS, fallbackAt);
    return;
  }
  let at = bucket[0];
  if (!finite(at) || at < 0) {
    problems.push(`${key}: a bucket has an unreadable time`);
    at = fallbackAt;
  } else if (at > now) {
    // A clock set back a little (NTP) is no damage; further ahead is.
    if (at > now + FUTURE_TOLERANCE_MS) problems.push(`${key}: a bucket is dated in the future`);
    at = now;
  }
  const use: Partial<Usage> = {};
  for (const kind of KINDS) {
    const value = bucket[COLUMN[kind]];
    // Counts are whole numbers this program wrote: anything else (1.5, 1e300, -1) is damage.
    if (isCount(value)) {
      use[kind] = value;
    } else {
      problems.push(`${key}: a bucket's ${kind} is ${short(value)}, not a count`);
      ledger.markUnknown(key, [kind], at);
    }
  }
  ledger.add(key, use, at);
}

/** A count as the ledger writes it: a whole number from 0 to {@linkcode MAX_COUNT}. */
function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_COUNT;
}

function finite(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isKey(key: string): boolean {
  return /^[\x21-\x7e]{1,300}$/.test(key);
}

function short(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

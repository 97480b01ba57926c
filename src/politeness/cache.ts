/**
 * Answer cache keyed by (server, canonical query), with a TTL and single
 * flight: identical concurrent calls share one server query. A shared query is
 * cancelled only when every caller waiting on it has given up. Failures are
 * shared by the callers that were waiting but never cached.
 *
 * @module
 */

import { abortError } from "../errors.ts";
import { type Flight as SharedFlight, waitForFlight } from "./_flight.ts";

/** A value with where it came from. */
export interface CacheHit<T> {
  /** The answer. */
  value: T;
  /** `true` when this call did not query the server itself (cached or shared in flight). */
  cached: boolean;
  /** Age of the answer in whole seconds (0 for a fresh one). */
  ageSeconds: number;
}

interface Entry {
  value: unknown;
  storedAt: number;
  expiresAt: number;
}

type Flight = SharedFlight<unknown>;

/** Counts since a cache was made (for `/metrics`). */
export interface CacheStats {
  /** Answers found fresh in the cache. */
  hits: number;
  /** Calls that joined a query already in flight on this process. */
  joined: number;
  /** Calls answered by another replica's query (team mode only; 0 here). */
  waited: number;
}

/**
 * What the queries need of an answer cache: the in-process
 * {@linkcode QueryCache}, or the team's cache in Redis (`redis_cache.ts`),
 * which has the same single flight across replicas.
 */
export interface AnswerCache {
  /**
   * The cached answer for `key`, the answer of the query in flight for it, or
   * `produce`'s answer, kept for `ttlMs` (0: not kept).
   */
  get<T>(
    key: string,
    ttlMs: number,
    produce: (signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<CacheHit<T>>;
  /** Counts since the cache was made. */
  readonly stats: Readonly<CacheStats>;
}

/** Most answers kept; the oldest are dropped first. */
const MAX_ENTRIES = 2_000;

/** A TTL cache with single flight. */
export class QueryCache implements AnswerCache {
  readonly #now: () => number;
  readonly #stats: CacheStats = { hits: 0, joined: 0, waited: 0 };
  readonly #entries = new Map<string, Entry>();
  readonly #flights = new Map<string, Flight>();

  /** Creates an empty cache. */
  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Counts since the cache was made. */
  get stats(): Readonly<CacheStats> {
    return { ...this.#stats };
  }

  /**
   * Returns the cached answer for `key` if it is younger than `ttlMs`, joins a
   * query already in flight for it, or runs `produce` and caches its answer.
   * `ttlMs` of 0 disables caching (single flight still applies).
   */
  async get<T>(
    key: string,
    ttlMs: number,
    produce: (signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<CacheHit<T>> {
    if (signal?.aborted) throw abortError(signal);
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > now) {
      this.#stats.hits++;
      return {
        value: entry.value as T,
        cached: true,
        ageSeconds: Math.floor((now - entry.storedAt) / 1000),
      };
    }
    if (entry) this.#entries.delete(key);

    let flight = this.#flights.get(key);
    // A flight every caller gave up on is dying: start a new one rather than join it.
    if (flight?.controller.signal.aborted) {
      this.#flights.delete(key);
      flight = undefined;
    }
    const joined = flight !== undefined;
    if (joined) this.#stats.joined++;
    if (!flight) {
      const controller = new AbortController();
      const promise = produce(controller.signal).then((value) => {
        if (ttlMs > 0) this.#store(key, value, ttlMs);
        return value;
      });
      flight = { promise, controller, waiters: 0 };
      this.#flights.set(key, flight);
      const settled = () => {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      };
      promise.then(settled, settled);
    }
    const value = (await waitForFlight(flight, signal)) as T;
    return { value, cached: joined, ageSeconds: 0 };
  }

  /** Drops every cached answer (queries in flight continue). */
  clear(): void {
    this.#entries.clear();
  }

  #store(key: string, value: unknown, ttlMs: number): void {
    const now = this.#now();
    this.#entries.delete(key);
    this.#entries.set(key, { value, storedAt: now, expiresAt: now + ttlMs });
    if (this.#entries.size > MAX_ENTRIES) {
      for (const [k, e] of this.#entries) {
        if (this.#entries.size <= MAX_ENTRIES) break;
        if (e.expiresAt <= now || this.#entries.size > MAX_ENTRIES) this.#entries.delete(k);
      }
    }
  }
}

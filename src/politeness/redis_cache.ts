/**
 * The answer cache of a team, in Redis, with single flight across replicas:
 * of all the callers on every replica asking the same question at once, one
 * asks the route server and the others wait for its answer.
 *
 * On a miss a replica takes the question's lock (`SET NX PX`, refreshed while
 * it asks). The others wait: they are woken by a message on the question's
 * channel and look every `pollMs` anyway, so a lost message costs a poll, not
 * a hang. The answer goes to the cache (for `ttlMs`) and, for those waiting,
 * under the lock holder's flight id (for `resultTtlMs`, so a `ttlMs` of 0
 * still shares an answer in flight). A holder that dies stops refreshing its
 * lock; when it expires, a waiter takes the question over. A holder whose own
 * callers all give up (cancel) stops asking and lets a waiter take over. A
 * failure is passed on to the waiters (as {@linkcode SharedQueryError}) unless
 * it is about the holder alone (its user's share, a cancellation).
 * Within a replica, identical calls share one flight, as in `QueryCache`.
 *
 * While Redis cannot be used every call fails with
 * {@linkcode RedisUnavailableError} before anything is asked.
 *
 * @module
 */

import type { AnswerCache, CacheHit } from "./cache.ts";
import { abortError } from "../errors.ts";
import { type Flight as SharedFlight, waitForFlight } from "./_flight.ts";
import { log } from "../log.ts";
import { LuaScript, type RedisLink } from "./redis_client.ts";
import {
  RedisUnavailableError,
  SharedQueryError,
  SharedWaitTimeoutError,
  ShareExceededError,
} from "../errors.ts";

/** Options for {@linkcode RedisQueryCache}. */
export interface RedisCacheOptions {
  /** The connection to Redis. */
  link: RedisLink;
  /** Prefix of every key (default `bgp-lg-mcp`). */
  prefix?: string;
  /** How long a question's lock lasts without a refresh (default 10 s; refreshed every third of it). */
  lockTtlMs?: number;
  /** How long an answer is kept for the callers waiting on it (default 30 s). */
  resultTtlMs?: number;
  /** How often a waiter looks for the answer besides being woken (default 250 ms). */
  pollMs?: number;
  /** Longest wait for another replica's answer (default 120 s). */
  maxWaitMs?: number;
  /** Whether a failure is passed on to the waiters (default: all but cancellations and per-user refusals). */
  shareFailure?: (error: unknown) => boolean;
}

/** Counts since the cache was made (for `/metrics`). */
export interface RedisCacheStats {
  /** Answers found in the cache. */
  hits: number;
  /** Questions this replica asked itself. */
  asked: number;
  /** Calls that joined a flight of this replica. */
  joined: number;
  /** Calls answered by another replica's flight. */
  waited: number;
}

type Flight = SharedFlight<CacheHit<unknown>>;

type Outcome =
  | { kind: "value"; value: unknown }
  | { kind: "error"; name: string; message: string }
  | { kind: "retry" };

const RELEASE = new LuaScript(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
);
/** The cached answer (`1`, answer), else the question's lock taken (`2`) or held by another (`0`). */
const LOOK_OR_LOCK = new LuaScript(`local cached = redis.call('GET', KEYS[1])
if cached then return {1, cached} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
return {0}`);
const REFRESH = new LuaScript(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
);

/** A TTL cache in Redis with single flight across replicas. */
export class RedisQueryCache implements AnswerCache {
  readonly #link: RedisLink;
  readonly #prefix: string;
  readonly #lockTtlMs: number;
  readonly #resultTtlMs: number;
  readonly #pollMs: number;
  readonly #maxWaitMs: number;
  readonly #shareFailure: (error: unknown) => boolean;
  readonly #flights = new Map<string, Flight>();
  readonly #stats: RedisCacheStats = { hits: 0, asked: 0, joined: 0, waited: 0 };

  /** Creates a cache on a link. */
  constructor(options: RedisCacheOptions) {
    this.#link = options.link;
    this.#prefix = options.prefix ?? "bgp-lg-mcp";
    this.#lockTtlMs = options.lockTtlMs ?? 10_000;
    this.#resultTtlMs = options.resultTtlMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 250;
    this.#maxWaitMs = options.maxWaitMs ?? 120_000;
    this.#shareFailure = options.shareFailure ?? defaultShareFailure;
  }

  /** Counts since the cache was made. */
  get stats(): Readonly<RedisCacheStats> {
    return { ...this.#stats };
  }

  /**
   * Returns the cached answer for `key`, waits for the replica (this one or
   * another) already asking it, or runs `produce` and caches its answer for
   * `ttlMs` (0: not cached; waiters still get it).
   *
   * @throws {RedisUnavailableError} when Redis cannot be used (nothing was asked)
   * @throws {SharedQueryError} when the replica that asked failed
   * @throws {SharedWaitTimeoutError} when another replica's answer did not come in time
   */
  async get<T>(
    key: string,
    ttlMs: number,
    produce: (signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<CacheHit<T>> {
    if (signal?.aborted) throw abortError(signal);
    let flight = this.#flights.get(key);
    if (flight?.controller.signal.aborted) {
      this.#flights.delete(key);
      flight = undefined;
    }
    const joined = flight !== undefined;
    if (!flight) {
      const controller = new AbortController();
      const promise = this.#resolve(key, ttlMs, produce, controller.signal);
      flight = { promise, controller, waiters: 0 };
      this.#flights.set(key, flight);
      const settled = () => {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      };
      promise.then(settled, settled);
    } else {
      this.#stats.joined++;
    }
    const hit = await waitForFlight(flight, signal);
    return joined ? { ...hit, cached: true } as CacheHit<T> : hit as CacheHit<T>;
  }

  /** Drops every cached answer of this prefix (questions in flight go on). */
  async clear(): Promise<void> {
    let cursor = "0";
    do {
      const [next, keys] = await this.#link.command<[string, string[]]>([
        "SCAN",
        cursor,
        "MATCH",
        `${this.#prefix}:cache:*`,
        "COUNT",
        "500",
      ]);
      cursor = next;
      if (keys.length > 0) await this.#link.command(["UNLINK", ...keys]);
    } while (cursor !== "0");
  }

  async #resolve(
    key: string,
    ttlMs: number,
    produce: (signal: AbortSignal) => Promise<unknown>,
    signal: AbortSignal,
  ): Promise<CacheHit<unknown>> {
    const cacheKey = `${this.#prefix}:cache:${key}`;
    const lockKey = `${this.#prefix}:cache-lock:${key}`;
    const started = Date.now();
    for (;;) {
      if (signal.aborted) throw abortError(signal);
      const flightId = crypto.randomUUID();
      // One step: a holder that stored its answer and let go of the lock between a separate
      // look and a separate SET NX would have the question asked twice.
      const [found, cached] = await this.#link.script<[number, string?]>(
        LOOK_OR_LOCK,
        [cacheKey, lockKey],
        [flightId, String(this.#lockTtlMs)],
      );
      if (Number(found) === 1) {
        const entry = decode(cached!) as { storedAt: number; value: unknown } | undefined;
        if (entry) {
          this.#stats.hits++;
          const ageSeconds = Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000));
          return { value: entry.value, cached: true, ageSeconds };
        }
        // Not an answer of ours: dropped, and the question asked again.
        await this.#link.command(["DEL", cacheKey]);
        continue;
      }
      if (Number(found) === 2) {
        return await this.#ask(key, ttlMs, produce, signal, flightId);
      }
      const outcome = await this.#waitForOther(key, signal, started);
      if (outcome.kind === "value") {
        this.#stats.waited++;
        return { value: outcome.value, cached: true, ageSeconds: 0 };
      }
      if (outcome.kind === "error") throw new SharedQueryError(outcome.name, outcome.message);
      // The holder is gone or gave up: ask again (maybe taking the lock this time).
    }
  }

  /** Asks the route server under the lock, then hands the answer to the cache and the waiters. */
  async #ask(
    key: string,
    ttlMs: number,
    produce: (signal: AbortSignal) => Promise<unknown>,
    signal: AbortSignal,
    flightId: string,
  ): Promise<CacheHit<unknown>> {
    const lockKey = `${this.#prefix}:cache-lock:${key}`;
    const resultKey = `${this.#prefix}:cache-result:${flightId}`;
    const channel = `${this.#prefix}:cache-done:${key}`;
    this.#stats.asked++;
    const heartbeat = setInterval(() => {
      this.#link.script(REFRESH, [lockKey], [flightId, String(this.#lockTtlMs)]).catch(() => {});
    }, Math.max(50, Math.floor(this.#lockTtlMs / 3)));
    let outcome: Outcome;
    let value: unknown;
    let failure: unknown;
    let failed = false;
    try {
      value = await produce(signal);
      outcome = { kind: "value", value };
    } catch (error) {
      failed = true;
      failure = error;
      outcome = !signal.aborted && this.#shareFailure(error)
        ? {
          kind: "error",
          name: (error as Error)?.name ?? "Error",
          message: (error as Error)?.message ?? String(error),
        }
        : { kind: "retry" };
    } finally {
      clearInterval(heartbeat);
    }
    try {
      const at = Date.now();
      if (outcome.kind === "value" && ttlMs > 0) {
        await this.#link.command([
          "SET",
          `${this.#prefix}:cache:${key}`,
          JSON.stringify({ storedAt: at, value }),
          "PX",
          String(ttlMs),
        ]);
      }
      await this.#link.command([
        "SET",
        resultKey,
        JSON.stringify(outcome),
        "PX",
        String(this.#resultTtlMs),
      ]);
      await this.#link.command(["PUBLISH", channel, flightId]);
      await this.#link.script(RELEASE, [lockKey], [flightId]);
    } catch (error) {
      // The answer was paid for: it still goes to this replica's callers; the others retry.
      log("warn", `answer cache: could not share an answer in Redis (${(error as Error).message})`);
    }
    if (failed) throw failure;
    return { value, cached: false, ageSeconds: 0 };
  }

  /** Waits for the lock holder's outcome: its answer, its failure, or `retry` when it is gone. */
  async #waitForOther(key: string, signal: AbortSignal, started: number): Promise<Outcome> {
    const lockKey = `${this.#prefix}:cache-lock:${key}`;
    const holder = await this.#link.command<string | null>(["GET", lockKey]);
    if (holder === null) return { kind: "retry" };
    const resultKey = `${this.#prefix}:cache-result:${holder}`;
    let wake: () => void = () => {};
    const unsubscribe = await this.#link.subscribe(
      `${this.#prefix}:cache-done:${key}`,
      (id) => {
        if (id === holder) wake();
      },
    );
    try {
      for (;;) {
        const result = await this.#link.command<string | null>(["GET", resultKey]);
        if (result !== null) return (decode(result) as Outcome | undefined) ?? { kind: "retry" };
        const current = await this.#link.command<string | null>(["GET", lockKey]);
        if (current !== holder) {
          // Released or expired: its result, if any, was stored before the release.
          const late = await this.#link.command<string | null>(["GET", resultKey]);
          if (late !== null) return (decode(late) as Outcome | undefined) ?? { kind: "retry" };
          return { kind: "retry" };
        }
        const waited = Date.now() - started;
        if (waited >= this.#maxWaitMs) throw new SharedWaitTimeoutError(waited);
        await this.#sleep(Math.min(this.#pollMs, this.#maxWaitMs - waited), signal, (w) => {
          wake = w;
        });
      }
    } finally {
      await unsubscribe();
    }
  }

  /** Sleeps up to `ms`, or until woken; rejects when `signal` aborts. */
  #sleep(ms: number, signal: AbortSignal, setWake: (wake: () => void) => void): Promise<void> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        setWake(() => {});
      };
      const timer = setTimeout(() => {
        done();
        resolve();
      }, ms);
      const onAbort = () => {
        done();
        reject(abortError(signal));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      setWake(() => {
        done();
        resolve();
      });
    });
  }
}

/** Failures about the asking replica alone are not passed on: the waiters ask themselves. */
function defaultShareFailure(error: unknown): boolean {
  if ((error as Error)?.name === "AbortError") return false;
  return !(error instanceof ShareExceededError || error instanceof RedisUnavailableError ||
    error instanceof SharedWaitTimeoutError);
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

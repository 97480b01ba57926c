/**
 * The per-server connection limit across a team's replicas: a semaphore in
 * Redis (a sorted set per `host:port` of slot ids scored by their expiry, on
 * Redis's clock). A replica takes a slot before it connects, on top of its
 * own in-process `ConnectionGate`, and keeps it while the connection is open;
 * its slots are renewed every third of `leaseTtlMs`, so the slots of a
 * replica that dies expire within `leaseTtlMs` and others may connect.
 *
 * A replica that waits for a slot is woken when one is released (pub/sub)
 * and looks every `pollMs` anyway (expired slots announce nothing). While it
 * waits it says so on the server's "wanted" channel, so that replicas holding
 * idle connections to that server can close one ({@linkcode RedisSemaphore.onWanted}).
 * Waiters are not served in order across replicas.
 *
 * A slot found expired at renewal (the replica was paused or cut off from
 * Redis longer than the TTL) is taken again if there is room; otherwise it is
 * reported lost ({@linkcode RedisSemaphore.onLost}) and its connection
 * should be closed as soon as it is idle.
 *
 * @module
 */

import { abortError } from "../errors.ts";
import { LuaScript, type RedisLink } from "./redis_client.ts";

/** Options for {@linkcode RedisSemaphore}. */
export interface RedisSemaphoreOptions {
  /** The connection to Redis. */
  link: RedisLink;
  /** Prefix of every key (default `bgp-lg-mcp`). */
  prefix?: string;
  /** How long a slot lasts without renewal (default 15 s). */
  leaseTtlMs?: number;
  /** How often a waiter looks for room besides being woken (default 200 ms). */
  pollMs?: number;
}

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const ACQUIRE = new LuaScript(`${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  return 1
end
return 0`);

const RENEW = new LuaScript(`${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ttl, limit, lost = tonumber(ARGV[1]), tonumber(ARGV[2]), {}
for i = 3, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], 'XX', now + ttl, ARGV[i])
  elseif redis.call('ZCARD', KEYS[1]) < limit then
    redis.call('ZADD', KEYS[1], now + ttl, ARGV[i])
  else
    table.insert(lost, ARGV[i])
  end
end
return lost`);

const COUNT = new LuaScript(`${NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`);

const RELEASE = new LuaScript(`redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('PUBLISH', KEYS[2], ARGV[1])
return 1`);

/** One slot of a server's connection limit, held by this replica. */
export class SharedSlot {
  /** The server's `host:port`. */
  readonly key: string;
  /** The slot's id in Redis. */
  readonly id: string;
  /** The limit it was taken under. */
  readonly limit: number;
  readonly #release: (slot: SharedSlot) => Promise<void>;
  #released = false;
  #lost = false;

  /** Created by the semaphore only. */
  constructor(key: string, limit: number, release: (slot: SharedSlot) => Promise<void>) {
    this.key = key;
    this.id = crypto.randomUUID();
    this.limit = limit;
    this.#release = release;
  }

  /** Whether it was given back. */
  get released(): boolean {
    return this.#released;
  }

  /** Whether Redis no longer counts it (found expired with no room to take it again). */
  get lost(): boolean {
    return this.#lost;
  }

  /** Marks the slot lost (the semaphore's renewal). */
  markLost(): void {
    this.#lost = true;
  }

  /** Gives the slot back (the connection is closed). Safe to call more than once. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#release(this);
  }
}

/** Per-server connection limits across replicas, in Redis. */
export class RedisSemaphore {
  readonly #link: RedisLink;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #pollMs: number;
  readonly #held = new Map<string, Set<SharedSlot>>();
  readonly #wantedListeners = new Set<(key: string) => void>();
  readonly #lostListeners = new Set<(slot: SharedSlot) => void>();
  readonly #wantedSubscriptions = new Map<string, Promise<() => Promise<void>>>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  /** Creates a semaphore on a link. */
  constructor(options: RedisSemaphoreOptions) {
    this.#link = options.link;
    this.#prefix = options.prefix ?? "bgp-lg-mcp";
    this.#ttlMs = options.leaseTtlMs ?? 15_000;
    this.#pollMs = options.pollMs ?? 200;
  }

  /** Slots this replica holds for a server. */
  held(key: string): number {
    return this.#held.get(key)?.size ?? 0;
  }

  /**
   * Slots held for a server by every replica, as Redis counts them now.
   *
   * @throws {RedisUnavailableError} when Redis cannot be used
   */
  async count(key: string): Promise<number> {
    return Number(await this.#link.script(COUNT, [this.#setKey(key)], []));
  }

  /**
   * Calls `listener` with a server's key when a replica waits for one of its
   * slots (this replica's own waits included). Subscribes for `keys`.
   *
   * @throws {RedisUnavailableError} when Redis cannot be used
   */
  async onWanted(keys: readonly string[], listener: (key: string) => void): Promise<() => void> {
    this.#wantedListeners.add(listener);
    for (const key of keys) {
      if (!this.#wantedSubscriptions.has(key)) {
        const subscription = this.#link.subscribe(this.#wantedChannel(key), () => {
          for (const l of this.#wantedListeners) l(key);
        });
        subscription.catch(() => this.#wantedSubscriptions.delete(key));
        this.#wantedSubscriptions.set(key, subscription);
      }
      await this.#wantedSubscriptions.get(key);
    }
    return () => this.#wantedListeners.delete(listener);
  }

  /** Calls `listener` with a slot that Redis no longer counts; close its connection. */
  onLost(listener: (slot: SharedSlot) => void): () => void {
    this.#lostListeners.add(listener);
    return () => this.#lostListeners.delete(listener);
  }

  /**
   * A slot now if there is room, else `null`.
   *
   * @throws {RedisUnavailableError} when Redis cannot be used
   */
  async tryAcquire(key: string, limit: number): Promise<SharedSlot | null> {
    if (this.#closed) throw new Error("The connection semaphore is closed");
    const slot = new SharedSlot(key, limit, (s) => this.#releaseSlot(s));
    const taken = await this.#link.script<number>(ACQUIRE, [this.#setKey(key)], [
      String(limit),
      String(this.#ttlMs),
      slot.id,
    ]);
    if (Number(taken) !== 1) return null;
    let slots = this.#held.get(key);
    if (!slots) this.#held.set(key, slots = new Set());
    slots.add(slot);
    this.#startRenewing();
    return slot;
  }

  /**
   * Waits for a slot, up to `timeoutMs`; `null` when none came in time.
   *
   * @throws {RedisUnavailableError} when Redis cannot be used
   * @throws the signal's reason when it aborts
   */
  async acquire(
    key: string,
    limit: number,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<SharedSlot | null> {
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal);
    const now = await this.tryAcquire(key, limit);
    if (now) return now;
    const deadline = Date.now() + options.timeoutMs;
    let wake: () => void = () => {};
    const unsubscribe = await this.#link.subscribe(this.#freeChannel(key), () => wake());
    let lastWant = 0;
    try {
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        if (Date.now() - lastWant >= 1000) {
          lastWant = Date.now();
          await this.#link.command(["PUBLISH", this.#wantedChannel(key), key]);
        }
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await new Promise<void>((resolve, reject) => {
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", onAbort);
            wake = () => {};
          };
          const timer = setTimeout(() => {
            done();
            resolve();
          }, Math.min(this.#pollMs, left));
          const onAbort = () => {
            done();
            reject(abortError(signal!));
          };
          signal?.addEventListener("abort", onAbort, { once: true });
          wake = () => {
            done();
            resolve();
          };
        });
        const slot = await this.tryAcquire(key, limit);
        if (slot) return slot;
      }
    } finally {
      await unsubscribe();
    }
  }

  /** Renews every held slot now (the timer does this every third of the TTL). */
  async renew(): Promise<void> {
    for (const [key, slots] of this.#held) {
      if (slots.size === 0) continue;
      const list = [...slots];
      const lost = await this.#link.script<string[]>(RENEW, [this.#setKey(key)], [
        String(this.#ttlMs),
        String(Math.max(...list.map((s) => s.limit))),
        ...list.map((s) => s.id),
      ]);
      for (const id of lost ?? []) {
        const slot = list.find((s) => s.id === id);
        if (!slot || slot.lost) continue;
        slot.markLost();
        slots.delete(slot);
        for (const listener of this.#lostListeners) listener(slot);
      }
    }
  }

  /** Gives back every held slot and stops renewing. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    for (const slots of [...this.#held.values()]) {
      for (const slot of [...slots]) await slot.release().catch(() => {});
    }
    for (const subscription of this.#wantedSubscriptions.values()) {
      await subscription.then((unsubscribe) => unsubscribe(), () => {});
    }
    this.#wantedSubscriptions.clear();
  }

  async #releaseSlot(slot: SharedSlot): Promise<void> {
    const slots = this.#held.get(slot.key);
    slots?.delete(slot);
    if (slots?.size === 0) this.#held.delete(slot.key);
    if (this.#held.size === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
    if (slot.lost) return;
    // Not given back (Redis away): the slot expires by itself within the TTL.
    await this.#link.script(RELEASE, [this.#setKey(slot.key), this.#freeChannel(slot.key)], [
      slot.id,
    ]).catch(() => {});
  }

  #startRenewing(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => {
      this.renew().catch(() => {});
    }, Math.max(50, Math.floor(this.#ttlMs / 3)));
  }

  #setKey(key: string): string {
    return `${this.#prefix}:gate:${key}`;
  }

  #freeChannel(key: string): string {
    return `${this.#prefix}:gate-free:${key}`;
  }

  #wantedChannel(key: string): string {
    return `${this.#prefix}:gate-wanted:${key}`;
  }
}

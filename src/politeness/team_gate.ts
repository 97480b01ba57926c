/**
 * A server's `maxConcurrent` across a team's replicas: the in-process
 * {@linkcode ConnectionGate} says how many connections this replica holds,
 * the team's semaphore in Redis ({@linkcode RedisSemaphore}) how many every
 * replica holds. Whatever connects (the pools, the probes) first takes a
 * local permit, then a slot in Redis for it, before the connection is booked
 * and opened; the slot is given back with the permit, so it lives exactly as
 * long as the connection is counted.
 *
 * When another replica waits for a slot of a server, this replica closes its
 * longest-idle connection to that server. A slot Redis no longer counts
 * (this replica was cut off longer than the slot's TTL and another took the
 * room) closes its connection at once if it is idle, after its query if not.
 * While Redis cannot be used no slot is granted: nothing connects.
 *
 * @module
 */

import { PoolBusyError } from "../errors.ts";
import { log } from "../log.ts";
import type { ConnectionGate, Permit } from "./gate.ts";
import type { RedisSemaphore, SharedSlot } from "./redis_gate.ts";

/** A server as the gate needs it. */
export interface GatedServer {
  /** Name, for messages. */
  name: string;
  /** Its limits. */
  limits: { maxConcurrent: number; queueTimeoutMs: number };
}

/** The team's per-server connection limit on top of a replica's own gate. */
export class TeamGate {
  readonly #semaphore: RedisSemaphore;
  readonly #gate: ConnectionGate;
  readonly #slots = new WeakMap<Permit, SharedSlot>();
  readonly #permits = new Map<SharedSlot, Permit>();
  readonly #releasing = new Set<Promise<void>>();
  readonly #unlisten: (() => void)[] = [];

  /** Puts `semaphore` (the team's slots in Redis) on top of `gate` (this replica's permits). */
  constructor(semaphore: RedisSemaphore, gate: ConnectionGate) {
    this.#semaphore = semaphore;
    this.#gate = gate;
    this.#unlisten.push(semaphore.onLost((slot) => {
      const permit = this.#permits.get(slot);
      if (!permit) return;
      log("warn", `${slot.key}: this replica's connection slot in Redis was lost; closing it`);
      if (permit.idle) permit.evict();
    }));
  }

  /**
   * Closes an idle connection of this replica whenever a replica waits for a
   * slot of one of `keys` (the servers' `host:port`).
   *
   * @throws {RedisUnavailableError} when Redis cannot be used
   */
  async watch(keys: readonly string[]): Promise<void> {
    this.#unlisten.push(
      await this.#semaphore.onWanted(keys, (key) => {
        if (this.#gate.evictIdle(key)) {
          log("debug", `${key}: closing an idle connection, another replica waits for room`);
        }
      }),
    );
  }

  /**
   * Takes a slot of the team's limit for `permit` (a connection about to be
   * opened), unless it holds one already; it is given back with the permit.
   *
   * @throws {PoolBusyError} when no slot frees up within the server's `queueTimeoutMs`
   * @throws {RedisUnavailableError} when Redis cannot be used
   * @throws the signal's reason when it aborts
   */
  async hold(
    permit: Permit,
    key: string,
    server: GatedServer,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    if (this.#slots.has(permit)) return;
    const started = performance.now();
    const { maxConcurrent, queueTimeoutMs } = server.limits;
    const slot = await this.#semaphore.acquire(key, maxConcurrent, {
      timeoutMs: options.timeoutMs ?? queueTimeoutMs,
      signal: options.signal,
    });
    if (slot === null) {
      throw new PoolBusyError(server.name, performance.now() - started, maxConcurrent);
    }
    this.#slots.set(permit, slot);
    this.#permits.set(slot, permit);
    permit.onRelease(() => {
      this.#permits.delete(slot);
      const releasing: Promise<void> = slot.release().catch(() => {}).finally(() =>
        this.#releasing.delete(releasing)
      );
      this.#releasing.add(releasing);
    });
  }

  /** Whether the permit's slot is no longer counted by Redis (close its connection). */
  lost(permit: Permit): boolean {
    return this.#slots.get(permit)?.lost ?? false;
  }

  /** Stops listening and waits for the slots being given back. */
  async close(): Promise<void> {
    for (const unlisten of this.#unlisten.splice(0)) unlisten();
    while (this.#releasing.size > 0) await Promise.all(this.#releasing);
  }
}

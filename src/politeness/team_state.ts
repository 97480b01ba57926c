/**
 * The shared state of a team deployment (`--redis URL`), opened in one call:
 * the Redis link, the quota ledger, the answer cache and the cross-replica
 * connection limit, all under one key prefix. Close it last, after the pools.
 *
 * @module
 */

import { openRedis, type RedisLink } from "./redis_client.ts";
import { RedisQueryCache } from "./redis_cache.ts";
import { RedisSemaphore } from "./redis_gate.ts";
import { openRedisLedger, type RedisLedgerStore } from "./redis_ledger.ts";

/** Options for {@linkcode openTeamState}. */
export interface TeamStateOptions {
  /** `redis://…` or `rediss://…`. */
  redisUrl: string;
  /** Prefix of every key (default `bgp-lg-mcp`): replicas of one team share it. */
  prefix?: string;
  /** Most of each server's budget one user may take (default 0.5). */
  share?: number;
  /** Longest wait for the first connection (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Longest wait for any answer from Redis (default 5000 ms). */
  commandTimeoutMs?: number;
}

/** The team's shared state. */
export interface TeamState extends AsyncDisposable {
  /** The connection to Redis. */
  link: RedisLink;
  /** The quota ledger (replaces the file ledger). */
  ledger: RedisLedgerStore;
  /** The answer cache (replaces the in-process cache). */
  cache: RedisQueryCache;
  /** The per-server connection limit across replicas (on top of the in-process gate). */
  gate: RedisSemaphore;
  /** Writes what is pending, gives back held slots and closes the link. */
  close(): Promise<void>;
}

/**
 * Connects to Redis and opens the shared state.
 *
 * @throws {RedisUnavailableError} when Redis does not answer in time
 * @throws {RedisConfigError} when Redis would evict the ledger
 * @throws {TypeError} for a URL that is not redis:// or rediss://
 */
export async function openTeamState(options: TeamStateOptions): Promise<TeamState> {
  const link = await openRedis({
    url: options.redisUrl,
    connectTimeoutMs: options.connectTimeoutMs,
    commandTimeoutMs: options.commandTimeoutMs,
  });
  try {
    const { prefix } = options;
    const ledger = await openRedisLedger({ link, prefix, share: options.share });
    const cache = new RedisQueryCache({ link, prefix });
    const gate = new RedisSemaphore({ link, prefix });
    const close = async () => {
      await gate.close();
      await ledger.close();
      await link.close();
    };
    return { link, ledger, cache, gate, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await link.close();
    throw error;
  }
}

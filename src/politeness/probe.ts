/**
 * Reachability probes for `list_servers` and `servers --probe`: a TCP connect
 * to each server, closed at once (no login, no command). A probe is a
 * connection like any other: it waits for room under the server's
 * `maxConcurrent` (the process-wide gate), is booked in the quota ledger
 * before it connects and is refused when the connection budget is spent. A
 * server with a session open now is reachable without a new connection;
 * concurrent probes of one server share one connection, and a result is
 * reused for the server's `cacheTtlMs`.
 *
 * @module
 */

import { budgetKey } from "./budget.ts";
import type { QueryCache } from "./cache.ts";
import type { ServerConfig } from "../config/schema.ts";
import { QuotaExceededError } from "../errors.ts";
import type { ConnectionGate } from "./gate.ts";
import type { LedgerStore } from "./ledger_store.ts";
import { hostPort } from "../telnet/connect.ts";
import { deadlineSignal, mapPooled } from "../_async.ts";

/** Result of probing one server. */
export interface ProbeResult {
  /** Whether a TCP connection was accepted (or a session with the server is open now). */
  reachable: boolean;
  /** Time to connect, when a connection was made. */
  connectMs?: number;
  /** Why not, when unreachable or not probed. */
  error?: string;
  /** How the answer was found without connecting, when it was. */
  note?: string;
}

/** What a probe goes through. */
export interface ProbeContext {
  /** The per-server connection limit shared with the session pools. */
  gate: ConnectionGate;
  /** Books the connection before it is made. */
  ledger: LedgerStore;
  /** Shares concurrent probes of one server and keeps results for `cacheTtlMs`. */
  cache?: QueryCache;
}

/** Most probes in flight at once. */
const CONCURRENCY = 8;

/** The probes' own share of a server's connections. */
const PROBER = {};

/** Probes every given server; results are in the same order. */
export async function probeServers(
  servers: readonly ServerConfig[],
  context: ProbeContext,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ProbeResult[]> {
  return await mapPooled(servers, CONCURRENCY, (server) => probeOne(server, context, options));
}

async function probeOne(
  server: ServerConfig,
  context: ProbeContext,
  options: { timeoutMs?: number; signal?: AbortSignal },
): Promise<ProbeResult> {
  const key = budgetKey(server);
  if (context.gate.open(key) > 0) return openSession();
  const timeoutMs = options.timeoutMs ?? server.limits.probeTimeoutMs;
  const run = (signal?: AbortSignal) => probe(server, context, timeoutMs, signal);
  if (!context.cache) return await run(options.signal);
  try {
    const hit = await context.cache.get(
      `probe|${key}`,
      server.limits.cacheTtlMs,
      run,
      options.signal,
    );
    return hit.value;
  } catch {
    return { reachable: false, error: "cancelled" };
  }
}

function openSession(): ProbeResult {
  return {
    reachable: true,
    note: "a session with the server is open now; no new connection was made",
  };
}

async function probe(
  server: ServerConfig,
  context: ProbeContext,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  if (signal?.aborted) return { reachable: false, error: "cancelled" };
  const key = budgetKey(server);
  const started = performance.now();
  let permit;
  try {
    permit = await context.gate.acquire(
      key,
      { limit: server.limits.maxConcurrent, owner: PROBER },
      { timeoutMs, signal },
    );
  } catch {
    return { reachable: false, error: "cancelled" };
  }
  if (permit === null) {
    // Every connection the server allows is taken by sessions: those prove it is reachable.
    return context.gate.open(key) > 0 ? openSession() : {
      reachable: false,
      error: `not probed: no room under its limit of ${server.limits.maxConcurrent} ` +
        `connections within ${timeoutMs} ms`,
    };
  }
  try {
    let bookedAt: number;
    try {
      bookedAt = await context.ledger.bookConnection(key, server.quota, server.name);
    } catch (error) {
      if (error instanceof QuotaExceededError) {
        return {
          reachable: false,
          error: error.unknownSince
            ? "not probed: the connection budget is unknown (the quota ledger was unreadable)"
            : "not probed: the connection budget is used up",
        };
      }
      throw error;
    }
    const left = Math.max(1, timeoutMs - (performance.now() - started));
    using deadline = deadlineSignal(left, { signal });
    const connectStarted = performance.now();
    try {
      const conn = await Deno.connect({
        hostname: server.host,
        port: server.port,
        signal: deadline.signal,
      });
      const connectMs = Math.round((performance.now() - connectStarted) * 10) / 10;
      conn.close();
      return { reachable: true, connectMs };
    } catch (error) {
      // No TCP connection was made: give the booking back.
      context.ledger.unbookConnection(key, bookedAt);
      if (deadline.signal.aborted) {
        return {
          reachable: false,
          error: signal?.aborted ? "cancelled" : `no answer within ${timeoutMs} ms`,
        };
      }
      if (error instanceof Deno.errors.NotCapable) {
        return {
          reachable: false,
          error: `not allowed: start with --allow-net including ${hostPort(server)}`,
        };
      }
      return { reachable: false, error: (error as Error).message };
    }
  } finally {
    permit.release();
  }
}

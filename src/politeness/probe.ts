/**
 * Reachability probes for `list_servers` and `servers --probe`: a TCP connect
 * to each server, hung up at once (no login, no command; its permit is held
 * until the server has closed its side, `telnet/hang_up.ts`). A probe is a
 * connection like any other: it waits for room under the server's
 * `maxConcurrent` (the process-wide gate), is booked in the quota ledger
 * before it connects and is refused when the connection budget is spent.
 * Concurrent probes of one server share one probe, and a result is reused for
 * the server's `cacheTtlMs`; a server with a logged-in session open now (not
 * one still connecting, nor another probe) is reachable without a new
 * connection.
 *
 * @module
 */

import { budgetKey, SessionMeter } from "./budget.ts";
import type { AnswerCache } from "./cache.ts";
import type { ServerConfig } from "../config/schema.ts";
import {
  LedgerBusyError,
  LedgerUnavailableError,
  PoolBusyError,
  QuotaExceededError,
  RedisUnavailableError,
} from "../errors.ts";
import type { ConnectionGate } from "./gate.ts";
import type { PolitenessLedger } from "./ledger_api.ts";
import type { TeamGate } from "./team_gate.ts";
import { hostPort } from "../telnet/connect.ts";
import { hangUp } from "../telnet/hang_up.ts";
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
  ledger: PolitenessLedger;
  /** Team mode: the limit across replicas (a slot in Redis for the probe's connection). */
  team?: TeamGate;
  /** Shares concurrent probes of one server and keeps results for `cacheTtlMs` (in Redis for a team). */
  cache?: AnswerCache;
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
  } catch (error) {
    // The team's cache in Redis away, or another replica's probe failed: not probed here.
    if (options.signal?.aborted) return { reachable: false, error: "cancelled" };
    return notProbed(error);
  }
}

/** A probe that could not be made: Redis away (team mode), or what else went wrong. */
function notProbed(error: unknown): ProbeResult {
  const why = error instanceof RedisUnavailableError
    ? `the team's shared budget in Redis cannot be used (${error.reason})`
    : (error as Error).message;
  return { reachable: false, error: `not probed: ${why}` };
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
  if (context.gate.sessions(key) > 0) return openSession();
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
    return context.gate.sessions(key) > 0 ? openSession() : {
      reachable: false,
      error: `not probed: no room under its limit of ${server.limits.maxConcurrent} ` +
        `connections within ${timeoutMs} ms`,
    };
  }
  try {
    if (context.team) {
      try {
        await context.team.hold(permit, key, server, {
          timeoutMs: Math.max(1, timeoutMs - (performance.now() - started)),
          signal,
        });
      } catch (error) {
        if (signal?.aborted) return { reachable: false, error: "cancelled" };
        if (error instanceof PoolBusyError) {
          return {
            reachable: false,
            error: `not probed: no room under its limit of ${server.limits.maxConcurrent} ` +
              `connections across the team's replicas within ${timeoutMs} ms`,
          };
        }
        return notProbed(error);
      }
    }
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
      // The team's ledger in Redis away: nothing was booked, nothing connects.
      if (error instanceof RedisUnavailableError) return notProbed(error);
      if (error instanceof LedgerUnavailableError) {
        return {
          reachable: false,
          error: "not probed: the quota ledger cannot be locked or written",
        };
      }
      if (error instanceof LedgerBusyError) {
        return {
          reachable: false,
          error: "not probed: the quota ledger is locked by another process",
        };
      }
      throw error;
    }
    const left = Math.max(1, timeoutMs - (performance.now() - started));
    // A cancel does not cut the connect short: a connection the server's kernel completed is
    // one the server counts, so the permit is held until it is hung up.
    using deadline = deadlineSignal(left);
    const connectStarted = performance.now();
    try {
      const conn = await Deno.connect({
        hostname: server.host,
        port: server.port,
        signal: deadline.signal,
      });
      const connectMs = Math.round((performance.now() - connectStarted) * 10) / 10;
      // The greeting the server sends before it sees our end is booked like any download.
      await hangUp(conn, { meter: new SessionMeter(context.ledger, server) });
      if (signal?.aborted) return { reachable: false, error: "cancelled" };
      return { reachable: true, connectMs };
    } catch (error) {
      // No TCP connection was made: give the booking back.
      context.ledger.unbookConnection(key, bookedAt);
      if (signal?.aborted) return { reachable: false, error: "cancelled" };
      if (deadline.signal.aborted) {
        return { reachable: false, error: `no answer within ${timeoutMs} ms` };
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

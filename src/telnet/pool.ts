/**
 * Session reuse: per server, up to `maxConcurrent` logged-in sessions, one
 * command at a time each. Finished sessions wait idle for the next query and
 * are closed (politely, with `exit`) after `idleTimeoutMs`, below the
 * server's own idle limit. Queries beyond the limit queue, with a deadline.
 * A reused session the server has closed meanwhile is replaced once,
 * transparently. Every connection and byte is booked in the quota ledger,
 * and a new connection is refused up front when the budget is spent.
 *
 * @module
 */

import type { ServerConfig } from "../config.ts";
import { abortError, PoolBusyError, TelnetError } from "../errors.ts";
import type { QuotaLedger } from "../ledger.ts";
import { log } from "../log.ts";
import { TelnetSession } from "./session.ts";

/** Options for {@linkcode SessionPool}. */
export interface PoolOptions {
  /** Books use and refuses connections over budget. */
  ledger: QuotaLedger;
  /** Runs once on every new session before its first query (e.g. `terminal length 0`). */
  prepare?: (server: ServerConfig, session: TelnetSession, signal?: AbortSignal) => Promise<void>;
  /** Called after use was booked (e.g. to persist the ledger). */
  onUsage?: () => void;
}

/** A query waiting for a free session slot. */
interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Per-server state. */
class ServerSlots {
  busy = 0;
  readonly idle: { session: TelnetSession; timer: ReturnType<typeof setTimeout> }[] = [];
  readonly queue: Waiter[] = [];
  opened = 0;
  /** Connections being opened now (counted against the quota before they are booked). */
  opening = 0;
}

/** Pool statistics for one server. */
export interface PoolStats {
  /** Sessions open now (busy and idle). */
  open: number;
  /** Sessions running a query. */
  busy: number;
  /** Queries waiting for a session. */
  queued: number;
  /** Connections opened since the pool started. */
  opened: number;
}

/** Reusable telnet sessions for every configured server. */
export class SessionPool implements AsyncDisposable {
  readonly #options: PoolOptions;
  readonly #servers = new Map<string, ServerSlots>();
  #closed = false;

  /** Creates an empty pool. */
  constructor(options: PoolOptions) {
    this.#options = options;
  }

  /**
   * Runs `work` on a session with `server`: an idle one if there is one, a
   * new one if the server's limit allows, otherwise after waiting in line.
   *
   * @throws {QuotaExceededError} before connecting, when the budget is spent
   * @throws {PoolBusyError} when no session frees up within `queueTimeoutMs`
   * @throws {TelnetError} and whatever `work` throws
   */
  async run<T>(
    server: ServerConfig,
    work: (session: TelnetSession) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.#closed) throw new Error("The session pool is closed");
    const slots = this.#slots(server.name);
    await this.#takeSlot(server, slots, signal);
    try {
      if (this.#closed) throw new Error("The session pool is closed");
      // A reused session may have been closed by the server meanwhile: retry once, on a new one.
      let forceNew = false;
      for (let attempt = 0;; attempt++) {
        const reused = forceNew ? null : this.#takeIdle(slots);
        const { ledger, onUsage } = this.#options;
        try {
          ledger.check(server.name, server.quota, {
            newConnection: reused === null,
            reserved: slots.opening,
          });
        } catch (error) {
          if (reused) this.#park(server, slots, reused);
          throw error;
        }
        const session = reused ?? await this.#open(server, slots, signal);
        // A new session's login and setup bytes count too.
        const before = reused
          ? { down: session.bytesReceived, up: session.bytesSent }
          : { down: 0, up: 0 };
        let healthy = false;
        try {
          const result = await work(session);
          healthy = !session.closed;
          return result;
        } catch (error) {
          // A refused or unreadable answer leaves a good session: keep it for the next query.
          healthy = !session.closed && !(error instanceof TelnetError) && !signal?.aborted;
          // Stale: the server had closed it (maybe after a goodbye line such as FRR's
          // "Vty connection is timed out.") before it began answering our command.
          const stale = reused !== null && attempt === 0 && error instanceof TelnetError &&
            error.failure === "closed" && !session.answerStarted && !signal?.aborted;
          if (stale) {
            log("debug", `${server.name}: the idle session was closed by the server; reconnecting`);
            forceNew = true;
            continue;
          }
          throw error;
        } finally {
          ledger.record(server.name, {
            bytesDown: session.bytesReceived - before.down,
            bytesUp: session.bytesSent - before.up,
          });
          onUsage?.();
          if (healthy && !this.#closed) this.#park(server, slots, session);
          else session.close();
        }
      }
    } finally {
      this.#freeSlot(slots);
    }
  }

  /** Pool statistics for a server. */
  stats(server: string): PoolStats {
    const slots = this.#servers.get(server);
    if (!slots) return { open: 0, busy: 0, queued: 0, opened: 0 };
    return {
      open: slots.busy + slots.idle.length,
      busy: slots.busy,
      queued: slots.queue.length,
      opened: slots.opened,
    };
  }

  /** Closes every idle session (sending `exit`) and refuses new work. */
  async close(): Promise<void> {
    this.#closed = true;
    const quits: Promise<void>[] = [];
    for (const slots of this.#servers.values()) {
      for (const { session, timer } of slots.idle.splice(0)) {
        clearTimeout(timer);
        quits.push(session.quit());
      }
      for (const waiter of slots.queue.splice(0)) {
        waiter.reject(new Error("The session pool is closed"));
      }
    }
    await Promise.all(quits);
  }

  /** Same as {@linkcode SessionPool.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #slots(name: string): ServerSlots {
    let slots = this.#servers.get(name);
    if (!slots) {
      slots = new ServerSlots();
      this.#servers.set(name, slots);
    }
    return slots;
  }

  async #takeSlot(server: ServerConfig, slots: ServerSlots, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError(signal);
    const limit = server.limits.maxConcurrent;
    if (slots.busy < limit) {
      slots.busy++;
      return;
    }
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          cleanup();
          resolve();
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      const leave = (error: Error) => {
        const i = slots.queue.indexOf(waiter);
        if (i >= 0) slots.queue.splice(i, 1);
        waiter.reject(error);
      };
      const timer = setTimeout(
        () => leave(new PoolBusyError(server.name, performance.now() - started, limit)),
        server.limits.queueTimeoutMs,
      );
      const onAbort = () => leave(abortError(signal!));
      signal?.addEventListener("abort", onAbort, { once: true });
      function cleanup() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      }
      slots.queue.push(waiter);
    });
    // The slot was handed over by #freeSlot: busy already counts it.
  }

  #freeSlot(slots: ServerSlots): void {
    const next = slots.queue.shift();
    if (next) next.resolve(); // hand the slot over directly
    else slots.busy--;
  }

  #takeIdle(slots: ServerSlots): TelnetSession | null {
    while (slots.idle.length > 0) {
      const { session, timer } = slots.idle.pop()!;
      clearTimeout(timer);
      if (!session.closed) return session;
    }
    return null;
  }

  async #open(
    server: ServerConfig,
    slots: ServerSlots,
    signal?: AbortSignal,
  ): Promise<TelnetSession> {
    log("debug", `connecting to ${server.name} (${server.host}:${server.port})`);
    slots.opening++;
    const session = await TelnetSession.open(server, {
      connectTimeoutMs: server.limits.connectTimeoutMs,
      loginTimeoutMs: server.limits.loginTimeoutMs,
      signal,
    }).catch((error) => {
      // A refused login or a timeout still used a connection.
      if (
        !(error instanceof TelnetError &&
          (error.failure === "connect" || error.failure === "permission"))
      ) {
        this.#options.ledger.record(server.name, { connections: 1 });
      }
      throw error;
    }).finally(() => slots.opening--);
    slots.opened++;
    this.#options.ledger.record(server.name, { connections: 1 });
    try {
      await this.#options.prepare?.(server, session, signal);
    } catch (error) {
      session.close();
      throw error;
    }
    return session;
  }

  #park(server: ServerConfig, slots: ServerSlots, session: TelnetSession): void {
    if (this.#closed) {
      session.quit().catch(() => {});
      return;
    }
    const timer = setTimeout(() => {
      const i = slots.idle.findIndex((entry) => entry.session === session);
      if (i >= 0) slots.idle.splice(i, 1);
      log(
        "debug",
        `${server.name}: closing the session after ${server.limits.idleTimeoutMs} ms idle`,
      );
      session.quit().catch(() => {});
    }, server.limits.idleTimeoutMs);
    slots.idle.push({ session, timer });
  }
}

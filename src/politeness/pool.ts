/**
 * Session reuse: per server, logged-in sessions run one command at a time
 * each. Finished sessions go to the next query waiting for that server, or
 * wait idle and are closed (politely, with `exit`) after `idleTimeoutMs`,
 * below the server's own idle limit. A reused session the server has closed
 * meanwhile is replaced once, transparently.
 *
 * Politeness: every connection holds a permit of the process-wide
 * {@linkcode ConnectionGate}, so `maxConcurrent` bounds the connections to a
 * server across every pool and the probes; queries beyond it wait in line,
 * with a deadline. A permit is given back only when its connection is gone
 * at the server too ({@linkcode Session.gone}), not when our socket closes:
 * the server counts a connection until it has seen the end of it. Every
 * connection is booked in the quota ledger before it is opened (refused up
 * front when the budget is spent) and every byte is booked by the session's
 * meter as it is read or written.
 *
 * @module
 */

import { budgetKey, SessionMeter } from "./budget.ts";
import type { ServerConfig } from "../config/schema.ts";
import { abortError, PoolBusyError, TelnetError } from "../errors.ts";
import { ConnectionGate, type Permit } from "./gate.ts";
import type { PolitenessLedger } from "./ledger_api.ts";
import { log } from "../log.ts";
import type { OpenSession, Session } from "../session.ts";
import type { TeamGate } from "./team_gate.ts";

/** Options for {@linkcode SessionPool}. */
export interface PoolOptions {
  /** Opens a logged-in session (the transport: `openTelnetSession` for route servers' vtys). */
  open: OpenSession;
  /** Books use and refuses connections over budget (the file ledger, or the team's in Redis). */
  ledger: PolitenessLedger;
  /** The per-server connection limit shared with everything else that connects (default: the pool's own). */
  gate?: ConnectionGate;
  /** Team mode: the limit across replicas, a slot in Redis for each connection (on top of `gate`). */
  team?: TeamGate;
  /** Most sessions this pool keeps per server, below the server's `maxConcurrent` (default: none of its own). */
  sessionsPerServer?: number;
  /** Runs once on every new session before its first query (e.g. `terminal length 0`). */
  prepare?: (server: ServerConfig, session: Session, signal?: AbortSignal) => Promise<void>;
}

/** A session with its connection permit. */
interface Lease {
  session: Session;
  permit: Permit;
  /** Whether the session ran a query before this one. */
  reused: boolean;
}

/** A query waiting for a session. */
interface Waiter {
  /** Takes a finished session of the same server; false when the waiter is gone. */
  handOver: (lease: Lease) => boolean;
  fail: (error: Error) => void;
}

/** Per-server state. */
class ServerSlots {
  busy = 0;
  readonly idle: { lease: Lease; timer: ReturnType<typeof setTimeout> }[] = [];
  readonly queue: Waiter[] = [];
  opened = 0;
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
  readonly #gate: ConnectionGate;
  readonly #servers = new Map<string, ServerSlots>();
  /** Closed sessions whose permits wait for the connection to be gone. */
  readonly #leaving = new Set<Promise<void>>();
  #closed = false;

  /** Creates an empty pool. */
  constructor(options: PoolOptions) {
    this.#options = options;
    this.#gate = options.gate ?? new ConnectionGate();
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
    work: (session: Session) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.#closed) throw new Error("The session pool is closed");
    const slots = this.#slots(server.name);
    let lease = await this.#acquire(server, slots, signal);
    slots.busy++;
    // A session the budget refuses to use stays healthy: it goes back for the next query.
    let healthy = true;
    try {
      // A reused session may have been closed by the server meanwhile: retry once, on a new one.
      for (let attempt = 0;; attempt++) {
        if (this.#closed) throw new Error("The session pool is closed");
        if (lease.reused) {
          this.#options.ledger.ledger.check(
            budgetKey(server),
            server.quota,
            { bytesDown: 1, bytesUp: 1 },
            server.name,
          );
        }
        healthy = false;
        try {
          const result = await work(lease.session);
          healthy = !lease.session.closed;
          return result;
        } catch (error) {
          const { session } = lease;
          // A refused or unreadable answer leaves a good session: keep it for the next query.
          healthy = !session.closed && !(error instanceof TelnetError) && !signal?.aborted;
          // Stale: the server had closed it (maybe after a goodbye line such as FRR's
          // "Vty connection is timed out.") before it began answering our command.
          const stale = lease.reused && attempt === 0 && error instanceof TelnetError &&
            error.failure === "closed" && !session.answerStarted && !signal?.aborted;
          if (!stale) throw error;
          log("debug", `${server.name}: the idle session was closed by the server; reconnecting`);
          session.close();
          await session.gone;
          // The permit stays with us: the new connection takes the place of the old one.
          lease = {
            session: await this.#connect(server, slots, lease.permit, signal),
            permit: lease.permit,
            reused: false,
          };
        }
      }
    } finally {
      slots.busy--;
      this.#finish(server, slots, lease, healthy);
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
      for (const { lease, timer } of slots.idle.splice(0)) {
        clearTimeout(timer);
        quits.push(this.#retire(lease));
      }
      for (const waiter of [...slots.queue]) waiter.fail(new Error("The session pool is closed"));
    }
    await Promise.all(quits);
    while (this.#leaving.size > 0) await Promise.all(this.#leaving);
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

  /** An idle session, a new one, or (after waiting) a finished one or room for a new one. */
  async #acquire(server: ServerConfig, slots: ServerSlots, signal?: AbortSignal): Promise<Lease> {
    if (signal?.aborted) throw abortError(signal);
    const idle = this.#takeIdle(slots);
    if (idle) return idle;
    const key = budgetKey(server);
    const request = {
      limit: server.limits.maxConcurrent,
      owner: this,
      ownerLimit: this.#options.sessionsPerServer,
    };
    if (slots.queue.length === 0) {
      const permit = this.#gate.tryAcquire(key, request);
      if (permit) {
        return {
          session: await this.#connect(server, slots, permit, signal),
          permit,
          reused: false,
        };
      }
    }
    const started = performance.now();
    const got = await new Promise<{ lease?: Lease; permit?: Permit }>((resolve, reject) => {
      let done = false;
      const finish = () => {
        done = true;
        withdraw();
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const i = slots.queue.indexOf(waiter);
        if (i >= 0) slots.queue.splice(i, 1);
      };
      const waiter: Waiter = {
        handOver: (lease) => {
          if (done) return false;
          finish();
          resolve({ lease });
          return true;
        },
        fail: (error) => {
          if (done) return;
          finish();
          reject(error);
        },
      };
      slots.queue.push(waiter);
      const withdraw = this.#gate.request(key, request, (permit) => {
        if (done) return false;
        finish();
        resolve({ permit });
        return true;
      });
      const timer = setTimeout(
        () =>
          waiter.fail(
            new PoolBusyError(
              server.name,
              performance.now() - started,
              server.limits.maxConcurrent,
            ),
          ),
        server.limits.queueTimeoutMs,
      );
      const onAbort = () => waiter.fail(abortError(signal!));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    if (got.lease) return { ...got.lease, reused: true };
    const permit = got.permit!;
    return { session: await this.#connect(server, slots, permit, signal), permit, reused: false };
  }

  /**
   * Opens a session on a permit: books the connection first (refused over budget),
   * then connects, logs in and prepares. On failure the permit is released (once
   * the connection is gone).
   */
  async #connect(
    server: ServerConfig,
    slots: ServerSlots,
    permit: Permit,
    signal?: AbortSignal,
  ): Promise<Session> {
    const { ledger, open } = this.#options;
    const key = budgetKey(server);
    let session: Session | null = null;
    let lingering: Promise<void> | null = null;
    try {
      if (this.#closed) throw new Error("The session pool is closed");
      // Across replicas: a slot of the team's limit before the connection is booked.
      await this.#options.team?.hold(permit, key, server, { signal });
      const bookedAt = await ledger.bookConnection(key, server.quota, server.name);
      log("debug", `connecting to ${server.name} (${server.host}:${server.port})`);
      try {
        session = await open(server, {
          signal,
          meter: new SessionMeter(ledger, server),
          lingering: (gone) => (lingering = gone),
        });
      } catch (error) {
        // No TCP connection was made: the connection is given back.
        if (
          error instanceof TelnetError &&
          (error.failure === "connect" || error.failure === "permission")
        ) {
          ledger.unbookConnection(key, bookedAt);
        }
        throw error;
      }
      slots.opened++;
      permit.markBusy();
      permit.attach(session);
      await this.#options.prepare?.(server, session, signal);
      return session;
    } catch (error) {
      if (session) this.#release(session, permit);
      else if (lingering) this.#releaseWhen(lingering, permit);
      else permit.release();
      throw error;
    }
  }

  /** Closes a session and gives its permit back once the connection is gone at the server. */
  #release(session: Session, permit: Permit): void {
    session.close();
    this.#releaseWhen(session.gone, permit);
  }

  /** Gives a permit back once its connection is gone. */
  #releaseWhen(gone: Promise<void>, permit: Permit): void {
    const leaving: Promise<void> = gone.catch(() => {}).finally(() => {
      this.#leaving.delete(leaving);
      permit.release();
    });
    this.#leaving.add(leaving);
  }

  /** After a query: the session goes to the next waiter, or idles, or is closed. */
  #finish(server: ServerConfig, slots: ServerSlots, lease: Lease, healthy: boolean): void {
    // A slot Redis no longer counts: the connection goes, so the team's limit holds.
    if (
      !healthy || this.#closed || lease.session.closed || this.#options.team?.lost(lease.permit)
    ) {
      this.#release(lease.session, lease.permit);
      return;
    }
    for (const waiter of [...slots.queue]) {
      if (waiter.handOver(lease)) return;
    }
    this.#park(server, slots, lease);
  }

  #takeIdle(slots: ServerSlots): Lease | null {
    while (slots.idle.length > 0) {
      const { lease, timer } = slots.idle.pop()!;
      clearTimeout(timer);
      if (!lease.session.closed) {
        lease.permit.markBusy();
        return { ...lease, reused: true };
      }
      this.#release(lease.session, lease.permit);
    }
    return null;
  }

  #park(server: ServerConfig, slots: ServerSlots, lease: Lease): void {
    const remove = () => {
      const i = slots.idle.findIndex((entry) => entry.lease.session === lease.session);
      if (i < 0) return false;
      clearTimeout(slots.idle[i].timer);
      slots.idle.splice(i, 1);
      return true;
    };
    const timer = setTimeout(() => {
      if (!remove()) return;
      log(
        "debug",
        `${server.name}: closing the session after ${server.limits.idleTimeoutMs} ms idle`,
      );
      this.#retire(lease);
    }, server.limits.idleTimeoutMs);
    slots.idle.push({ lease, timer });
    // Another query (another pool, a probe) may need the room: then the idle session goes.
    lease.permit.markIdle(() => {
      if (!remove()) return;
      log("debug", `${server.name}: closing an idle session to make room for another connection`);
      this.#retire(lease);
    });
  }

  /** Says goodbye, waits for the server to hang up (bounded), and gives the permit back. */
  #retire(lease: Lease): Promise<void> {
    const leaving: Promise<void> = lease.session.quit().catch(() => {}).finally(() => {
      this.#leaving.delete(leaving);
      lease.permit.release();
    });
    this.#leaving.add(leaving);
    return leaving;
  }
}

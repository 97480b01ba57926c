/**
 * The link between a connection and the quota ledger: the budget key of a
 * server (`host:port`, so two names for one server share one budget) and the
 * byte meter a telnet session reads and writes through — download bytes are
 * reserved before each read and the read is never larger than the
 * reservation, uploads are booked before they are sent.
 *
 * @module
 */

import { RedisUnavailableError } from "../errors.ts";
import type { QuotaLimits } from "./ledger.ts";
import { formatIpv6Groups, parseIpv6Groups } from "../validation/_ip.ts";
import type { Lease, PolitenessLedger } from "./ledger_api.ts";

/** Smallest download reservation (one read buffer): fewer, larger reservations mean fewer writes. */
export const LEASE_BYTES = 16 * 1024;

/**
 * The budget key of a server: `host:port` with the host as one spelling of
 * it, so that every way of writing one server shares one budget — a name in
 * lower case without its trailing dot, an IPv6 literal in brackets in its
 * RFC 5952 form (`[2001:db8::1]:23` for `2001:DB8:0:0::1`).
 */
export function budgetKey(server: { host: string; port: number }): string {
  let host = server.host.toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (!host.includes(":")) return `${host.replace(/\.+$/, "") || host}:${server.port}`;
  const groups = parseIpv6Groups(host);
  return `[${groups === null ? host : formatIpv6Groups(groups)}]:${server.port}`;
}

/** What a telnet session asks before it reads or writes (see {@linkcode SessionMeter}). */
export interface ByteMeter {
  /**
   * How many bytes the next read may take, at most `wanted` and at least 1.
   *
   * @throws {QuotaExceededError} when no download budget is left
   */
  allowDown(wanted: number): Promise<number>;
  /** Books what a read returned (never more than allowed). */
  received(count: number): void;
  /**
   * Books bytes about to be sent (send them once this resolves).
   *
   * @throws {QuotaExceededError} when the upload budget does not allow them
   */
  sending(count: number): Promise<void>;
  /** Gives back what was reserved and not received (after a command, on close). */
  settle(): void;
}

/** A server as the meter needs it. */
export interface MeteredServer {
  /** Name, for messages. */
  name: string;
  /** Host. */
  host: string;
  /** Port. */
  port: number;
  /** Allowance over the window. */
  quota: QuotaLimits;
}

/** The byte meter of one session: reservations against the ledger store. */
export class SessionMeter implements ByteMeter {
  readonly #store: PolitenessLedger;
  readonly #server: MeteredServer;
  readonly #key: string;
  #lease: Lease | null = null;
  #left = 0;

  /** Creates a meter for a session with `server`. */
  constructor(store: PolitenessLedger, server: MeteredServer) {
    this.#store = store;
    this.#server = server;
    this.#key = budgetKey(server);
  }

  async allowDown(wanted: number): Promise<number> {
    if (this.#left <= 0) {
      this.settle();
      this.#lease = await duringSession(this.#store.reserveDown(
        this.#key,
        this.#server.quota,
        Math.max(wanted, LEASE_BYTES),
        this.#server.name,
      ));
      this.#left = this.#lease.granted;
    }
    return Math.max(1, Math.min(wanted, this.#left));
  }

  received(count: number): void {
    this.#left -= count;
  }

  async sending(count: number): Promise<void> {
    await duringSession(
      this.#store.bookUp(this.#key, this.#server.quota, count, this.#server.name),
    );
  }

  settle(): void {
    if (this.#lease && this.#left > 0) {
      // To the user the lease was booked for (settled later, outside their call, too).
      this.#store.refund(this.#key, this.#left, this.#lease.at, this.#lease.user);
    }
    this.#lease = null;
    this.#left = 0;
  }
}

/** A booking on an open session: Redis away is said as such (the session is to be closed). */
async function duringSession<T>(booking: Promise<T>): Promise<T> {
  try {
    return await booking;
  } catch (error) {
    if (!(error instanceof RedisUnavailableError) || error.stage !== "connect") throw error;
    throw new RedisUnavailableError(error.url, error.reason, { cause: error, stage: "session" });
  }
}

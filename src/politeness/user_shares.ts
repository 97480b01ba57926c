/**
 * The per-user fairness rule (`share.ts`) on a ledger that knows nothing of
 * users: the file ledger of one machine, behind `serve --http --tokens`
 * without Redis. (The Redis ledger applies the rule itself, in its script.)
 *
 * A call for a user (a token's name, see `user_context.ts`) is booked twice
 * in the same ledger: for the server (`host:port`, the team's budget) and
 * under the user's own key for that server (`user/NAME/host:port`), whose
 * limits are the user's share of the server's. So the user's use is kept,
 * locked and persisted exactly like the team's, shared by every process on
 * the file. The team is booked first: a booking the user's share then
 * refuses is given back at once. What is given back later (a connection that
 * never connected, download bytes not received) goes back at the team
 * booking's time, which is never later than the user's: at a minute's edge
 * the user's use counts a minute longer, never shorter. Calls for no user
 * (stdio, the CLI without `--user`) are booked for the team only.
 *
 * @module
 */

import { QuotaExceededError, type QuotaKind, ShareExceededError } from "../errors.ts";
import { type BudgetStatus, DAY_MS, type QuotaLimits, type Usage } from "./ledger.ts";
import type { Lease, LedgerMode, LedgerView, PolitenessLedger, UserShares } from "./ledger_api.ts";
import { checkShare, DEFAULT_USER_SHARE, userLimits } from "./share.ts";
import { currentUser } from "./user_context.ts";

/** Options for {@linkcode UserShareLedger}. */
export interface UserShareOptions {
  /** Most of each server's budget one user may take (default 0.5; 1 turns the rule off). */
  share?: number;
  /** The inner ledger's sliding window, for messages (default 24 h). */
  windowMs?: number;
}

/** The ledger key of a user's use of a server. */
export function userKey(user: string, key: string): string {
  return `user/${user}/${key}`;
}

/** A ledger with the per-user fairness rule on top (see the module documentation). */
export class UserShareLedger implements PolitenessLedger, UserShares {
  readonly #inner: PolitenessLedger;
  readonly #share: number;
  readonly #windowMs: number;
  readonly #view: LedgerView;

  /** Wraps `inner`; every booking goes through it. */
  constructor(inner: PolitenessLedger, options: UserShareOptions = {}) {
    this.#inner = inner;
    this.#share = checkShare(options.share ?? DEFAULT_USER_SHARE);
    this.#windowMs = options.windowMs ?? DAY_MS;
    this.#view = {
      check: (key, limits, needs, label) => {
        inner.ledger.check(key, limits, needs, label);
        const user = currentUser();
        if (user !== undefined) this.#checkUser(key, limits, needs, label ?? key, user);
      },
      status: (key, limits) => inner.ledger.status(key, limits),
    };
  }

  /** The checks of the team's budget and, for a user, their share. */
  get ledger(): LedgerView {
    return this.#view;
  }

  /** Where the inner ledger lives. */
  get mode(): LedgerMode {
    return this.#inner.mode;
  }

  /** The fraction of each server's budget one user may take. */
  get share(): number {
    return this.#share;
  }

  /** The team's budget of a server. */
  status(key: string, limits: QuotaLimits): BudgetStatus {
    return this.#inner.status(key, limits);
  }

  /** A user's share of a server's budget: their allowance, use and what is left. */
  userStatus(key: string, limits: QuotaLimits, user: string): BudgetStatus {
    return this.#inner.status(userKey(user, key), userLimits(limits, this.#share));
  }

  /**
   * Books one connection for the team and, for a user, under their share.
   *
   * @throws {ShareExceededError} when the user's share does not allow it (nothing stays booked)
   * @throws {QuotaExceededError} when the team's budget does not allow it
   */
  async bookConnection(key: string, limits: QuotaLimits, label: string): Promise<number> {
    const user = currentUser();
    if (user === undefined) return await this.#inner.bookConnection(key, limits, label);
    const needs = { connections: 1, bytesDown: 1, bytesUp: 1 };
    this.#checkUser(key, limits, needs, label, user);
    const at = await this.#inner.bookConnection(key, limits, label);
    try {
      await this.#inner.bookConnection(userKey(user, key), userLimits(limits, this.#share), label);
    } catch (error) {
      this.#inner.unbookConnection(key, at);
      throw this.#asShare(error, key, limits, label, user);
    }
    return at;
  }

  /** Gives back a connection that never connected, for the team and the user. */
  unbookConnection(key: string, at: number): void {
    this.#inner.unbookConnection(key, at);
    const user = currentUser();
    if (user !== undefined) this.#inner.unbookConnection(userKey(user, key), at);
  }

  /**
   * Reserves download bytes for the team and, for a user, under their share
   * (the lease is the smaller of the two).
   *
   * @throws {ShareExceededError} when the user's share has no download left (nothing stays booked)
   * @throws {QuotaExceededError} when the team's budget has none
   */
  async reserveDown(
    key: string,
    limits: QuotaLimits,
    wanted: number,
    label: string,
  ): Promise<Lease> {
    const user = currentUser();
    if (user === undefined) return await this.#inner.reserveDown(key, limits, wanted, label);
    this.#checkUser(key, limits, { bytesDown: 1 }, label, user);
    const team = await this.#inner.reserveDown(key, limits, wanted, label);
    let mine: Lease;
    try {
      mine = await this.#inner.reserveDown(
        userKey(user, key),
        userLimits(limits, this.#share),
        team.granted,
        label,
      );
    } catch (error) {
      this.#inner.refund(key, team.granted, team.at);
      throw this.#asShare(error, key, limits, label, user);
    }
    if (mine.granted < team.granted) this.#inner.refund(key, team.granted - mine.granted, team.at);
    return { granted: Math.min(mine.granted, team.granted), at: team.at, user };
  }

  /** Gives back download bytes not received, for the team and the lease's user. */
  refund(key: string, bytes: number, at: number, user: string | undefined = currentUser()): void {
    this.#inner.refund(key, bytes, at);
    if (user !== undefined) this.#inner.refund(userKey(user, key), bytes, at);
  }

  /**
   * Books bytes about to be sent, for the team and, for a user, under their share.
   *
   * @throws {ShareExceededError} when the user's share does not allow them; nothing is sent
   * @throws {QuotaExceededError} when the team's budget does not allow them; nothing is booked
   */
  async bookUp(key: string, limits: QuotaLimits, bytes: number, label: string): Promise<void> {
    const user = currentUser();
    if (user === undefined) return await this.#inner.bookUp(key, limits, bytes, label);
    this.#checkUser(key, limits, { bytesUp: bytes }, label, user);
    await this.#inner.bookUp(key, limits, bytes, label);
    try {
      await this.#inner.bookUp(userKey(user, key), userLimits(limits, this.#share), bytes, label);
    } catch (error) {
      // Another process took the user's last bytes meanwhile: nothing is sent, and the team's
      // booking stays (an upload cannot be given back): over-counted, never under.
      throw this.#asShare(error, key, limits, label, user);
    }
  }

  /** Writes pending changes now. */
  save(): Promise<void> {
    return this.#inner.save();
  }

  /** Writes what is pending and stops. */
  close(): Promise<void> {
    return this.#inner.close();
  }

  /** Refuses use over the user's share, as a {@linkcode ShareExceededError}. */
  #checkUser(
    key: string,
    limits: QuotaLimits,
    needs: Partial<Usage>,
    label: string,
    user: string,
  ): void {
    try {
      this.#inner.ledger.check(userKey(user, key), userLimits(limits, this.#share), needs, label);
    } catch (error) {
      throw this.#asShare(error, key, limits, label, user);
    }
  }

  /** A refusal of the user's key as the user reads it: their share, next to the team's use. */
  #asShare(
    error: unknown,
    key: string,
    limits: QuotaLimits,
    label: string,
    user: string,
  ): unknown {
    if (!(error instanceof QuotaExceededError) || error.unknownSince) return error;
    const kind: QuotaKind = error.kind;
    return new ShareExceededError(
      label,
      kind,
      error.used,
      limits[kind],
      error.freesAt,
      this.#windowMs,
      {
        user,
        userLimit: userLimits(limits, this.#share)[kind],
        share: this.#share,
        teamUsed: this.#inner.status(key, limits).used[kind],
      },
    );
  }
}

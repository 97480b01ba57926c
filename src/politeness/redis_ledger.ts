/**
 * The quota ledger of a team, in Redis, shared by every replica: the same
 * one-minute buckets and sliding window as the file ledger (`ledger.ts`),
 * checked and booked in one Lua script (`redis_ledger_script.ts`) so that two
 * replicas can never both take the last connection or byte.
 *
 * Use is booked for the team and, when the call is for a user (a bearer
 * token's name, see `user_context.ts`), for that user too: a user may take
 * at most `share` of each server's budget (`share.ts`), the team at most the
 * whole of it.
 *
 * Connections, download reservations and uploads are checked and booked in
 * Redis before the socket is opened, read or written. What is given back
 * (refunds, connections that never connected) is added to this replica's
 * view — the totals of the last answer from Redis plus the changes not yet
 * written — and written at once in the background, in order.
 *
 * While Redis cannot be reached every booking is refused with
 * {@linkcode RedisUnavailableError} — there is no fallback to an unshared
 * budget — and changes not yet written wait for the reconnection. A ledger
 * that vanished from Redis (restart without persistence, flush) is noticed by
 * its epoch key and counts as every server's whole budget for a window.
 *
 * @module
 */

import { QuotaExceededError, type QuotaKind } from "../errors.ts";
import { type BudgetStatus, DAY_MS, QuotaLedger, type QuotaLimits, type Usage } from "./ledger.ts";
import { log } from "../log.ts";
import type { Lease, LedgerView, PolitenessLedger, UserShares } from "./ledger_api.ts";
import type { RedisLink } from "./redis_client.ts";
import { RedisReplyError } from "../errors.ts";
import { LEDGER_SCRIPT } from "./redis_ledger_script.ts";
import { checkShare, DEFAULT_USER_SHARE, userLimits } from "./share.ts";
import {
  RedisConfigError,
  RedisUnavailableError,
  ShareExceededError,
  UnknownSharedUseError,
} from "../errors.ts";
import { currentUser } from "./user_context.ts";

/** Options for {@linkcode openRedisLedger}. */
export interface RedisLedgerOptions {
  /** The connection to Redis. */
  link: RedisLink;
  /** Prefix of every key (default `bgp-lg-mcp`); replicas of one team use the same. */
  prefix?: string;
  /** Most of each server's budget one user may take (default 0.5; 1 turns the rule off). */
  share?: number;
  /** Clock (tests); by default Redis's own clock, one for every replica. */
  now?: () => number;
  /** The sliding window (default 24 h). */
  windowMs?: number;
}

/** A server's budget for the team and for one user. */
export interface TeamBudget {
  /** The team's limits, use and remaining budget. */
  team: BudgetStatus;
  /** The user's allowance (the share of the limits), use and remaining; absent without a user. */
  user?: BudgetStatus;
  /** The user's fraction of each limit. */
  share: number;
}

const KINDS: readonly QuotaKind[] = ["connections", "bytesDown", "bytesUp"];

/** What the last answer from Redis said about one server: its buckets, as a ledger. */
interface ServerView {
  team: QuotaLedger;
  users: Map<string, QuotaLedger>;
}

interface Change {
  key: string;
  user: string | undefined;
  at: number;
  deltas: [number, number, number];
}

type Reply = (string | number)[];

/**
 * Opens the shared ledger: checks that Redis will not evict it, warns when
 * Redis does not persist it, and learns (or creates) the ledger's epoch.
 *
 * @throws {RedisConfigError} when Redis evicts any key when full (`allkeys-*`)
 * @throws {RedisUnavailableError} when Redis cannot be used
 */
export async function openRedisLedger(options: RedisLedgerOptions): Promise<RedisLedgerStore> {
  const { link } = options;
  await checkRedisSetup(link);
  const store = new RedisLedgerStore(options);
  await store.refresh("(epoch)", { connections: 0, bytesDown: 0, bytesUp: 0 });
  return store;
}

/**
 * Refuses a Redis that evicts any key when full, and warns about one that
 * keeps nothing on disk. A Redis that does not allow CONFIG (managed
 * services) gets a warning instead.
 *
 * @throws {RedisConfigError} for `maxmemory-policy allkeys-*`
 */
export async function checkRedisSetup(link: RedisLink): Promise<void> {
  let config: Record<string, string>;
  try {
    // A map in RESP3, a flat list of names and values in RESP2.
    const answer = await link.command<string[] | Record<string, string>>(["CONFIG", "GET", "*"]);
    if (Array.isArray(answer)) {
      config = {};
      for (let i = 0; i + 1 < answer.length; i += 2) config[answer[i]] = answer[i + 1];
    } else {
      config = answer;
    }
  } catch (error) {
    if (!(error instanceof RedisReplyError)) throw error;
    log(
      "warn",
      `redis ${link.url}: cannot read its configuration (${error.message}); make sure its ` +
        "maxmemory-policy is noeviction or volatile-* and that it persists (appendonly yes), or " +
        "the team's quota ledger may vanish",
    );
    return;
  }
  const policy = config["maxmemory-policy"] ?? "noeviction";
  if (policy.startsWith("allkeys")) {
    throw new RedisConfigError(
      `Redis at ${link.url} evicts any key when it is full (maxmemory-policy ${policy}), so the ` +
        "team's quota ledger could vanish without a trace. Set maxmemory-policy to noeviction " +
        "or volatile-lru (the ledger's keys have no TTL; cached answers do), or use another Redis",
    );
  }
  if (config.appendonly !== "yes" && (config.save ?? "") === "") {
    log(
      "warn",
      `redis ${link.url} keeps nothing on disk (appendonly no, no save points): if it restarts, ` +
        "the team's quota ledger is lost and every server's budget counts as spent for 24 h. " +
        "Run it with --appendonly yes",
    );
  }
}

/** The team's quota ledger in Redis (see the module documentation). */
export class RedisLedgerStore implements PolitenessLedger, UserShares {
  /** Where the ledger lives. */
  readonly mode = "redis" as const;
  readonly #link: RedisLink;
  readonly #prefix: string;
  readonly #share: number;
  readonly #now: (() => number) | undefined;
  readonly #windowMs: number;
  readonly #views = new Map<string, ServerView>();
  #pending: Change[] = [];
  #epoch = "";
  #flushing: Promise<void> | null = null;
  #lossLogged = "";
  readonly #unlisten: () => void;
  readonly #view: LedgerView;

  /** Creates a store on a link; use {@linkcode openRedisLedger} to check Redis first. */
  constructor(options: RedisLedgerOptions) {
    this.#link = options.link;
    this.#prefix = options.prefix ?? "bgp-lg-mcp";
    this.#share = checkShare(options.share ?? DEFAULT_USER_SHARE);
    this.#now = options.now;
    this.#windowMs = options.windowMs ?? DAY_MS;
    this.#unlisten = this.#link.onReadyChange((ready) => {
      if (ready) this.#flushSoon();
    });
    this.#view = {
      check: (key, limits, needs, label) => this.#check(key, limits, needs, label ?? key),
      status: (key, limits) => this.status(key, limits),
    };
  }

  /** Synchronous checks against this replica's view (refused at once while Redis is away). */
  get ledger(): LedgerView {
    return this.#view;
  }

  /** The fraction of each server's budget one user may take. */
  get share(): number {
    return this.#share;
  }

  /** Changes booked here and not yet written to Redis. */
  get pendingChanges(): number {
    return this.#pending.length;
  }

  /** The team's budget of a server as of the last answer from Redis, with changes not yet written. */
  status(key: string, limits: QuotaLimits): BudgetStatus {
    return this.#viewOf(key, undefined).status(key, limits);
  }

  /** A user's budget of a server (the share of its limits) as this replica knows it. */
  userStatus(key: string, limits: QuotaLimits, user: string): BudgetStatus {
    return this.#viewOf(key, user).status(key, userLimits(limits, this.#share));
  }

  /**
   * The team's (and a user's) budget of a server, read from Redis now.
   *
   * @throws {RedisUnavailableError} when Redis cannot be used
   */
  async refresh(
    key: string,
    limits: QuotaLimits,
    user: string | undefined = currentUser(),
  ): Promise<TeamBudget> {
    const reply = await this.#run(key, user, "status", [
      ...triple(limits),
      ...this.#userArgs(limits, user),
    ]);
    this.#learn(key, user, reply);
    return {
      team: this.status(key, limits),
      ...(user === undefined ? {} : { user: this.userStatus(key, limits, user) }),
      share: this.#share,
    };
  }

  /**
   * Books one connection to a server, after checking in Redis that the team's
   * budget and the user's share allow it (one connection and some download
   * and upload left). Call it before opening the socket.
   *
   * @throws {QuotaExceededError} (or {@linkcode ShareExceededError}) when the budget does not allow it
   * @throws {RedisUnavailableError} when Redis cannot be used; nothing is booked
   */
  async bookConnection(
    key: string,
    limits: QuotaLimits,
    label: string,
    user: string | undefined = currentUser(),
  ): Promise<number> {
    const reply = await this.#run(key, user, "book", [
      ...triple(limits),
      ...this.#userArgs(limits, user),
      "1",
      "1",
      "1",
      "1",
      "0",
      "0",
    ]);
    this.#refusal(reply, label, user, limits);
    this.#learn(key, user, reply);
    return Number(reply[1]);
  }

  /** Gives back a connection booked for a socket that never connected. */
  unbookConnection(key: string, at: number, user: string | undefined = currentUser()): void {
    this.#change({ key, user, at, deltas: [-1, 0, 0] });
  }

  /**
   * Reserves up to `wanted` bytes of download (at least 1) in Redis; give
   * back what was not received with {@linkcode RedisLedgerStore.refund}.
   *
   * @throws {QuotaExceededError} when no download budget is left
   * @throws {RedisUnavailableError} when Redis cannot be used
   */
  async reserveDown(
    key: string,
    limits: QuotaLimits,
    wanted: number,
    label: string,
    user: string | undefined = currentUser(),
  ): Promise<Lease> {
    const reply = await this.#run(key, user, "reserve", [
      ...triple(limits),
      ...this.#userArgs(limits, user),
      String(Math.max(1, Math.ceil(wanted))),
    ]);
    this.#refusal(reply, label, user, limits);
    this.#learn(key, user, reply);
    return {
      granted: Number(reply[2]),
      at: Number(reply[1]),
      ...(user === undefined ? {} : { user }),
    };
  }

  /** Gives back reserved download bytes that were not received (to the lease's bucket and user). */
  refund(key: string, bytes: number, at: number, user: string | undefined = currentUser()): void {
    if (bytes > 0) this.#change({ key, user, at, deltas: [0, -bytes, 0] });
  }

  /**
   * Books bytes about to be sent, after checking in Redis that the team's
   * upload budget and the user's share allow them (one step, like a
   * connection: replicas sending at once never exceed it).
   *
   * @throws {QuotaExceededError} (or {@linkcode ShareExceededError}) when that would exceed the upload budget; nothing is booked
   * @throws {RedisUnavailableError} when Redis cannot be used; nothing is booked
   */
  async bookUp(
    key: string,
    limits: QuotaLimits,
    bytes: number,
    label: string,
    user: string | undefined = currentUser(),
  ): Promise<void> {
    const up = String(Math.max(0, Math.ceil(bytes)));
    const reply = await this.#run(key, user, "book", [
      ...triple(limits),
      ...this.#userArgs(limits, user),
      "0",
      "0",
      up,
      "0",
      "0",
      up,
    ]);
    this.#refusal(reply, label, user, limits);
    this.#learn(key, user, reply);
  }

  /**
   * Marks a server's use (or every server's, with `*`) as unknown from `at`:
   * it counts as the whole budget until it leaves the window.
   *
   * @throws {RedisUnavailableError} when Redis cannot be used
   */
  async markUnknown(key: string, at: number): Promise<void> {
    const reply = await this.#run(key, undefined, "mark", [String(at)], key === "*" ? "*" : key);
    this.#learn(key, undefined, reply);
  }

  /** Writes the changes not yet written; they stay pending (and are retried) while Redis is away. */
  async save(): Promise<void> {
    while (this.#pending.length > 0) {
      const before = this.#pending.length;
      await this.#flush();
      if (this.#pending.length >= before) return;
    }
  }

  /** Writes what is pending (if Redis is there) and stops listening to the link. */
  async close(): Promise<void> {
    await this.save();
    this.#unlisten();
    if (this.#pending.length > 0) {
      log(
        "warn",
        `quota ledger: ${this.#pending.length} changes (uploads and refunds) could not be ` +
          `written to Redis (${this.#link.url} is away)`,
      );
    }
  }

  #clock(): number {
    return (this.#now ?? Date.now)();
  }

  #userArgs(limits: QuotaLimits, user: string | undefined): string[] {
    return user === undefined ? ["", "", ""] : triple(userLimits(limits, this.#share));
  }

  /** Runs one op of the script, learning the epoch first when needed. */
  async #run(
    key: string,
    user: string | undefined,
    op: string,
    args: string[],
    server: string = key,
  ): Promise<Reply> {
    const keys = [
      `${this.#prefix}:ledger:epoch`,
      `${this.#prefix}:ledger:unknown`,
      `${this.#prefix}:ledger:team:${key}`,
      ...(user === undefined ? [] : [`${this.#prefix}:ledger:user:${user}:${key}`]),
    ];
    for (let attempt = 0; attempt < 3; attempt++) {
      let reply: Reply;
      try {
        reply = await this.#link.script<Reply>(LEDGER_SCRIPT, keys, [
          op,
          this.#now ? String(this.#now()) : "",
          String(this.#windowMs),
          this.#epoch,
          crypto.randomUUID(),
          server,
          ...args,
        ]);
      } catch (error) {
        if (error instanceof RedisUnavailableError) throw error;
        throw this.#link.unavailable(`Redis answered: ${(error as Error).message}`, error);
      }
      if (reply[0] !== "epoch") {
        if (reply[0] === "ok" && Number(reply[3]) > 0) {
          log(
            "warn",
            `quota ledger in Redis: ${reply[3]} damaged entries for ${key} were removed; that ` +
              "use counts as the whole budget until it leaves the window",
          );
        }
        return reply;
      }
      const [, epoch, lost] = reply;
      if (Number(lost) === 1 && this.#lossLogged !== String(epoch)) {
        this.#lossLogged = String(epoch);
        log(
          "warn",
          `quota ledger in Redis (${this.#link.url}) was lost (its epoch ${this.#epoch} is gone): ` +
            "every server's use is unknown and counts as the whole budget for the next 24 h",
        );
      }
      this.#epoch = String(epoch);
    }
    throw this.#link.unavailable("the ledger's epoch keeps changing");
  }

  /** Throws the refusal in a reply, if it is one. */
  #refusal(reply: Reply, label: string, user: string | undefined, limits: QuotaLimits): void {
    if (reply[0] !== "refuse") return;
    const [, scope, k, used, limit, freesAt, unknownSince, teamUsed] = reply;
    const kind = KINDS[Number(k) - 1];
    if (scope === "unknown") {
      throw new UnknownSharedUseError(
        label,
        kind,
        Number(used),
        Number(limit),
        new Date(Number(unknownSince)),
        this.#windowMs,
      );
    }
    if (scope === "user") {
      throw new ShareExceededError(
        label,
        kind,
        Number(used),
        Number(limit),
        new Date(Number(freesAt)),
        this.#windowMs,
        {
          user: user ?? "",
          userLimit: userLimits(limits, this.#share)[kind],
          share: this.#share,
          teamUsed: Number(teamUsed),
        },
      );
    }
    throw new QuotaExceededError(
      label,
      kind,
      Number(used),
      Number(limit),
      new Date(Number(freesAt)),
      this.#windowMs,
    );
  }

  /** Keeps what an `ok` reply says about a server: its buckets and unknown use, team and user. */
  #learn(key: string, user: string | undefined, reply: Reply): void {
    if (reply[0] !== "ok") return;
    let view = this.#views.get(key);
    if (!view) {
      view = { team: this.#ledger(), users: new Map() };
      this.#views.set(key, view);
    }
    const unknown = [Number(reply[4]), Number(reply[5]), Number(reply[6])];
    let i = 7;
    const read = () => {
      const count = Number(reply[i++]);
      if (count < 0) return null;
      const ledger = this.#ledger();
      for (let b = 0; b < count; b++, i += 4) {
        const [minute, connections, bytesDown, bytesUp] = reply.slice(i, i + 4).map(Number);
        ledger.add(key, { connections, bytesDown, bytesUp }, minute);
      }
      KINDS.forEach((kind, k) => {
        if (unknown[k] >= 0) ledger.markUnknown(key, [kind], unknown[k]);
      });
      return ledger;
    };
    view.team = read()!;
    const mine = read();
    if (user !== undefined && mine) view.users.set(user, mine);
  }

  #ledger(): QuotaLedger {
    return new QuotaLedger({ now: this.#now, windowMs: this.#windowMs });
  }

  /** The team's (or a user's) use of a server as this replica sees it: the last answer plus changes not yet written. */
  #viewOf(key: string, user: string | undefined): QuotaLedger {
    const view = this.#views.get(key);
    const known = user === undefined ? view?.team : view?.users.get(user);
    const ledger = known ? known.clone() : this.#ledger();
    if (user !== undefined && view) {
      // The user's use is unknown whenever the team's is.
      for (const kind of KINDS) {
        const since = view.team.unknownSince(key, kind);
        if (since !== null) ledger.markUnknown(key, [kind], since);
      }
    }
    for (const change of this.#pending) {
      if (change.key !== key || (user !== undefined && change.user !== user)) continue;
      const [connections, bytesDown, bytesUp] = change.deltas;
      ledger.add(key, { connections, bytesDown, bytesUp }, change.at);
    }
    return ledger;
  }

  /** The synchronous check of {@linkcode RedisLedgerStore.ledger} and uploads. */
  #check(
    key: string,
    limits: QuotaLimits,
    needs: Partial<Usage>,
    label: string,
    user: string | undefined = currentUser(),
  ): void {
    if (!this.#link.ready) throw this.#link.unavailable();
    const team = this.#viewOf(key, undefined);
    try {
      team.check(key, limits, needs, label);
    } catch (error) {
      if (error instanceof QuotaExceededError && error.unknownSince) {
        throw new UnknownSharedUseError(
          label,
          error.kind,
          error.used,
          error.limit,
          error.unknownSince,
          this.#windowMs,
        );
      }
      throw error;
    }
    if (user === undefined) return;
    const share = userLimits(limits, this.#share);
    try {
      this.#viewOf(key, user).check(key, share, needs, label);
    } catch (error) {
      if (!(error instanceof QuotaExceededError)) throw error;
      throw new ShareExceededError(
        label,
        error.kind,
        error.used,
        limits[error.kind],
        error.freesAt,
        this.#windowMs,
        {
          user,
          userLimit: share[error.kind],
          share: this.#share,
          teamUsed: team.usage(key)[error.kind],
        },
      );
    }
  }

  #change(change: Change): void {
    this.#pending.push(change);
    this.#flushSoon();
  }

  #flushSoon(): void {
    if (this.#flushing || this.#pending.length === 0 || !this.#link.ready) return;
    this.#flush().catch(() => {});
  }

  /** Writes pending changes in order; stops at the first failure (they stay pending). */
  #flush(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    const run = (async () => {
      while (this.#pending.length > 0) {
        const change = this.#pending[0];
        const reply = await this.#run(change.key, change.user, "add", [
          String(change.at),
          ...change.deltas.map(String),
        ]);
        this.#pending.shift();
        this.#learn(change.key, change.user, reply);
      }
    })();
    this.#flushing = run.catch(() => {}).finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }
}

function triple(limits: QuotaLimits): string[] {
  return [String(limits.connections), String(limits.bytesDown), String(limits.bytesUp)];
}

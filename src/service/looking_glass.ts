/**
 * The running service behind the tools and the CLI: the configuration with
 * the session pools, the answer cache and the politeness layer they share —
 * one connection gate (`maxConcurrent` per server across every pool and the
 * probes) and one quota ledger (booked before connecting, byte by byte while
 * reading). Close it to say goodbye to idle sessions and save the ledger.
 *
 * The library sees the configuration, the budgets and the ledger's mode; the
 * machinery (pools, cache, gate, ledger store) is the query engine's, reached
 * through {@linkcode engineOf} inside the project only.
 *
 * @module
 */

import type { CommunityDictionary } from "../bgp/community_dictionary.ts";
import type { Config, ServerConfig } from "../config/schema.ts";
import { DIALECTS } from "../dialects/mod.ts";
import { budgetKey } from "../politeness/budget.ts";
import { type AnswerCache, QueryCache } from "../politeness/cache.ts";
import { ConnectionGate } from "../politeness/gate.ts";
import type { BudgetStatus } from "../politeness/ledger.ts";
import { openLedgerStore } from "../politeness/ledger_store.ts";
import type { LedgerMode } from "../politeness/ledger_api.ts";
import { SessionPool } from "../politeness/pool.ts";
import { type ProbeResult, probeServers } from "../politeness/probe.ts";
import type { OpenSession, Session } from "../session.ts";
import type { SoftwareSeen } from "../telnet/banner.ts";
import { openTelnetSession } from "../telnet/session.ts";
import type { SharedStateStatus } from "../bgp/results.ts";
import { RedisUnavailableError } from "../errors.ts";
import type { PolitenessLedger, UserShares } from "../politeness/ledger_api.ts";
import { RedisLedgerStore } from "../politeness/redis_ledger.ts";
import { openTeamState, type TeamState } from "../politeness/team_state.ts";
import { TeamGate } from "../politeness/team_gate.ts";
import { currentUser } from "../politeness/user_context.ts";
import { UserShareLedger } from "../politeness/user_shares.ts";
import { log } from "../log.ts";
import { NamesLoader } from "../names/loader.ts";
import {
  type HostResolution,
  resolveHost,
  type ResolveHostOptions,
} from "../validation/resolve_host.ts";

/** Options shared by every query. */
export interface QueryOptions {
  /** Cancels the query; the connection is closed at once. */
  signal?: AbortSignal;
}

/** Options for {@linkcode LookingGlass.open}. */
export interface LookingGlassOptions {
  /** Quota ledger file; `undefined` uses the user's state directory, `null` keeps it in memory. */
  ledgerPath?: string | null;
  /** Clock for the cache and the ledger (tests). */
  now?: () => number;
  /** Names for operators' communities (see `loadCommunityDictionary`). */
  communityDictionary?: CommunityDictionary;
  /**
   * Name the ASes in answers from the offline dataset (default: the server
   * list's `asNames`, true). `false` never loads the data (`--no-names`).
   */
  asNames?: boolean;
  /** An AS-names data file (`--names-data FILE`) instead of the built-in table. */
  namesData?: string;
  /**
   * Accept host names as destinations, resolved with DNS (default: the
   * server list's `hostNames`, true). `false` never resolves (`--no-dns`).
   */
  hostNames?: boolean;
  /** The DNS server to ask instead of the system's (`--dns-server ADDR[:PORT]`). */
  dnsServer?: { ipAddr: string; port: number };
}

/** What the edges and the tests may add when they open a looking glass: the transport, team mode. */
export interface EngineOptions extends LookingGlassOptions {
  /** How sessions are opened (default: telnet, `openTelnetSession`). */
  openSession?: OpenSession;
  /** The AS-names loader (tests give one over a slice of the data). */
  namesLoader?: NamesLoader;
  /** How host names are resolved (tests give one; default `Deno.resolveDns`). */
  resolveDns?: ResolveHostOptions["resolveDns"];
  /** Team mode: the quota ledger, answer cache and connection limits in Redis (`--redis`). */
  redis?: { redisUrl: string; prefix?: string };
  /** Most of each server's budget one user may take (default 0.5; `--user-share`). */
  userShare?: number;
}

/** Resolves a host name that `readTarget` accepted, within the call's signal. */
export type HostResolver = (host: string, signal?: AbortSignal) => Promise<HostResolution>;

/** The machinery behind a looking glass, shared by every query on it. */
export interface Engine {
  /** How its pools open sessions: the transport (telnet unless the edge chose another). */
  openSession: OpenSession;
  /** Reusable sessions for queries. */
  readonly pool: SessionPool;
  /** Sessions for ping and traceroute, one per server, within the same connection limit. */
  readonly diagnosticsPool: SessionPool;
  /** Recent answers (and probe results): in-process, or the team's in Redis. */
  readonly cache: AnswerCache;
  /** The per-server connection limit shared by the pools and the probes (this process). */
  readonly gate: ConnectionGate;
  /** The same limit across the team's replicas (`--redis`), on top of `gate`. */
  readonly teamGate?: TeamGate;
  /** The quota ledger and its persistence: the file's (with the per-user rule), or the team's in Redis. */
  readonly ledger: PolitenessLedger;
  /** The team's shared state in Redis (`--redis`), if any. */
  readonly team?: TeamState;
  /** What each server's greeting showed when a session was last opened, by server name. */
  readonly contacts: Map<string, ServerContact>;
  /** Probes servers for reachability (each probe is a booked connection; see `politeness/probe.ts`). */
  probe(servers: readonly ServerConfig[], options?: QueryOptions): Promise<ProbeResult[]>;
  /**
   * The AS-names table, loaded on first use (`null` when names are turned
   * off): the one way every query, and whatever comes next (findings,
   * pictures), reaches the dataset.
   */
  readonly names: NamesLoader | null;
  /** Resolves host names (`null` when they are turned off). */
  readonly resolver: HostResolver | null;
}

/** Whether a ledger applies the per-user fairness rule itself. */
function hasUserShares(ledger: object): ledger is UserShares {
  return typeof (ledger as Partial<UserShares>).userStatus === "function";
}

/** A server's budget for the team and for the user a call is for. */
export interface Budgets {
  /** The server's whole budget: limits, use by everyone, what is left. */
  team: BudgetStatus;
  /** The user's share of it (the fairness rule), when the call is for a user. */
  user?: BudgetStatus;
  /** The fraction of each limit one user may take, when the call is for a user. */
  share?: number;
}

/** What a server showed when a session was last opened with it. */
export interface ServerContact {
  /** When (ISO 8601). */
  at: string;
  /** The software its greeting showed (`null`: it said nothing either way). */
  software: SoftwareSeen | null;
}

const ENGINES = new WeakMap<LookingGlass, Engine>();

/** The engine of a looking glass: its pools, cache, gate and ledger. */
export function engineOf(lg: LookingGlass): Engine {
  return ENGINES.get(lg)!;
}

/**
 * Opens a looking glass with another transport, for the edges and the tests;
 * the library's way is {@linkcode LookingGlass.open}.
 */
export async function openLookingGlass(
  config: Config,
  options: EngineOptions = {},
): Promise<LookingGlass> {
  const lg = await openWithEngine(config, options);
  if (options.openSession) engineOf(lg).openSession = options.openSession;
  return lg;
}

/** Opens a looking glass on every option of the engine (set by the class, which may construct one). */
let openWithEngine: (config: Config, options: EngineOptions) => Promise<LookingGlass>;

/** The names loader of a looking glass: off, the given one, a data file, or the built-in table. */
function namesLoader(config: Config, options: EngineOptions): NamesLoader | null {
  if (!(options.asNames ?? config.asNames)) return null;
  return options.namesLoader ?? new NamesLoader({ file: options.namesData });
}

/** The host-name resolver of a looking glass, or `null` when host names are turned off. */
function hostResolver(config: Config, options: EngineOptions): HostResolver | null {
  if (!(options.hostNames ?? config.hostNames)) return null;
  const { dnsServer, resolveDns } = options;
  return (host, signal) =>
    resolveHost(host, {
      signal,
      ...(dnsServer ? { nameServer: dnsServer } : {}),
      ...(resolveDns ? { resolveDns } : {}),
    });
}

/** The engine for a configuration, on its ledger (and the team's shared state, if any). */
function engine(
  config: Config,
  ledger: PolitenessLedger,
  options: EngineOptions,
  team: TeamState | undefined,
): Engine {
  const { now } = options;
  const gate = new ConnectionGate();
  const cache: AnswerCache = team?.cache ?? new QueryCache({ now });
  const teamGate = team ? new TeamGate(team.gate, gate) : undefined;
  const contacts = new Map<string, ServerContact>();
  // Paging off without waiting for the answers: the first query's answer is recognised
  // after the echo of its own command, so this costs no round trip. Every new session says
  // what software the server runs.
  const prepare = async (server: ServerConfig, session: Session) => {
    contacts.set(server.name, {
      at: new Date(now?.() ?? Date.now()).toISOString(),
      software: session.software ?? null,
    });
    for (const setup of DIALECTS[server.dialect].setupCommands) await session.typeAhead(setup);
  };
  let transport: OpenSession = openTelnetSession;
  const open: OpenSession = (server, options) => transport(server, options);
  return {
    get openSession() {
      return transport;
    },
    set openSession(value: OpenSession) {
      transport = value;
    },
    pool: new SessionPool({ open, ledger, gate, team: teamGate, prepare }),
    // A long traceroute never holds up route lookups beyond its own one session.
    diagnosticsPool: new SessionPool({
      open,
      ledger,
      gate,
      team: teamGate,
      sessionsPerServer: 1,
      prepare,
    }),
    cache,
    gate,
    ...(teamGate ? { teamGate } : {}),
    ledger,
    ...(team ? { team } : {}),
    contacts,
    probe: (servers, options = {}) =>
      probeServers(servers, { gate, team: teamGate, ledger, cache }, { signal: options.signal }),
    names: namesLoader(config, options),
    resolver: hostResolver(config, options),
  };
}

/** Configuration plus the state shared between queries. */
export class LookingGlass implements AsyncDisposable {
  /** The server list. */
  readonly config: Config;
  /** Names for operators' communities, if the user gave a dictionary. */
  readonly communityDictionary?: CommunityDictionary;
  readonly #ledger: PolitenessLedger;

  /** Made by {@linkcode LookingGlass.open}. */
  private constructor(
    config: Config,
    communityDictionary: CommunityDictionary | undefined,
    ledger: PolitenessLedger,
  ) {
    this.config = config;
    this.communityDictionary = communityDictionary;
    this.#ledger = ledger;
  }

  static {
    openWithEngine = (config, options) => LookingGlass.#open(config, options);
  }

  /** Opens the service: loads (or starts) the quota ledger. */
  static open(config: Config, options: LookingGlassOptions = {}): Promise<LookingGlass> {
    return LookingGlass.#open(config, options);
  }

  /**
   * Opens the service on the file ledger (with the per-user fairness rule for
   * calls made for a user), or on the team's shared state in Redis.
   */
  static async #open(config: Config, options: EngineOptions): Promise<LookingGlass> {
    let ledger: PolitenessLedger;
    let team: TeamState | undefined;
    if (options.redis) {
      try {
        team = await openTeamState({
          redisUrl: options.redis.redisUrl,
          prefix: options.redis.prefix,
          share: options.userShare,
        });
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
        throw new RedisUnavailableError(error.url, error.reason, { cause: error, stage: "start" });
      }
      ledger = team.ledger;
    } else {
      const keys = new Map(config.servers.map((s) => [s.name, budgetKey(s)]));
      const store = await openLedgerStore({
        path: options.ledgerPath,
        now: options.now,
        legacyKey: (name) => keys.get(name),
      });
      ledger = new UserShareLedger(store, { share: options.userShare });
    }
    const lg = new LookingGlass(config, options.communityDictionary, ledger);
    const machinery = engine(config, ledger, options, team);
    ENGINES.set(lg, machinery);
    if (machinery.teamGate) {
      // Other replicas waiting for room close this one's idle sessions; without it they wait.
      await machinery.teamGate.watch([...new Set(config.servers.map(budgetKey))]).catch(
        (error) => log("warn", `redis: cannot listen for other replicas' waits: ${error.message}`),
      );
    }
    return lg;
  }

  /** Whether the ledger is persisted (`file`), kept in memory, or the team's in Redis. */
  get ledgerMode(): LedgerMode {
    return this.#ledger.mode;
  }

  /** A server's budget: limits, use and what is left (shared by every name for its host:port). */
  budget(server: ServerConfig): BudgetStatus {
    return this.#ledger.status(budgetKey(server), server.quota);
  }

  /**
   * A server's budget for the team and, when the call is for a user (a
   * token's name), that user's share of it. With the ledger in Redis it is
   * read from Redis now; while Redis is away, as of its last answer.
   *
   * @throws whatever the ledger throws other than Redis being away
   */
  async budgets(server: ServerConfig, user: string | undefined = currentUser()): Promise<Budgets> {
    const key = budgetKey(server);
    const ledger = this.#ledger;
    if (ledger instanceof RedisLedgerStore) {
      try {
        const fresh = await ledger.refresh(key, server.quota, user);
        return user === undefined ? { team: fresh.team } : fresh;
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
      }
    }
    const team = ledger.status(key, server.quota);
    if (user === undefined || !hasUserShares(ledger)) return { team };
    return { team, user: ledger.userStatus(key, server.quota, user), share: ledger.share };
  }

  /** Whether the team's shared state in Redis can be used now; `undefined` without one. */
  sharedState(): SharedStateStatus | undefined {
    const team = engineOf(this).team;
    if (!team) return undefined;
    const reachable = team.link.ready;
    return {
      redis: team.link.url,
      reachable,
      ...(reachable ? {} : {
        note: "Redis cannot be reached: route-server queries are refused until it is back " +
          "(reconnecting with backoff); the budgets shown are as of its last answer",
      }),
    };
  }

  /** Writes the ledger's pending changes now (e.g. on SIGTERM). */
  flush(): Promise<void> {
    return this.#ledger.save();
  }

  /** Closes idle sessions, saves the ledger and (in team mode) lets Redis go. */
  async close(): Promise<void> {
    const { pool, diagnosticsPool, teamGate, team } = engineOf(this);
    await Promise.all([pool.close(), diagnosticsPool.close()]);
    // The slots of closed connections go back to Redis before the link closes.
    await teamGate?.close();
    if (team) await team.close();
    else await this.#ledger.close();
  }

  /** Same as {@linkcode LookingGlass.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

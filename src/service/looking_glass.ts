/**
 * The running service behind the tools and the CLI: the configuration with
 * the session pools, the answer cache and the politeness layer they share —
 * one connection gate (`maxConcurrent` per server across every pool and the
 * probes) and one quota ledger (booked before connecting, byte by byte while
 * reading). Close it to say goodbye to idle sessions and save the ledger.
 *
 * @module
 */

import { budgetKey } from "../politeness/budget.ts";
import { QueryCache } from "../politeness/cache.ts";
import type { CommunityDictionary } from "../bgp/community_dictionary.ts";
import type { Config, ServerConfig } from "../config/schema.ts";
import { DIALECTS } from "../dialects/mod.ts";
import { ConnectionGate } from "../politeness/gate.ts";
import type { BudgetStatus } from "../politeness/ledger.ts";
import { type LedgerMode, type LedgerStore, openLedgerStore } from "../politeness/ledger_store.ts";
import { type ProbeResult, probeServers } from "../politeness/probe.ts";
import { SessionPool } from "../politeness/pool.ts";
import type { OpenSession, Session } from "../session.ts";
import { openTelnetSession } from "../telnet/session.ts";

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
  /** How sessions are opened: the transport (default: telnet, `openTelnetSession`). */
  openSession?: OpenSession;
}

/** Configuration plus the state shared between queries. */
export class LookingGlass implements AsyncDisposable {
  /** The server list. */
  readonly config: Config;
  /** The per-server connection limit shared by the pools and the probes. */
  readonly gate: ConnectionGate = new ConnectionGate();
  /** Reusable sessions for queries. */
  readonly pool: SessionPool;
  /** Sessions for ping and traceroute, one per server, within the same connection limit. */
  readonly diagnosticsPool: SessionPool;
  /** Recent answers. */
  readonly cache: QueryCache;
  /** Names for operators' communities, if the user gave a dictionary. */
  readonly communityDictionary?: CommunityDictionary;
  readonly #store: LedgerStore;

  private constructor(config: Config, store: LedgerStore, options: LookingGlassOptions) {
    const { now } = options;
    this.config = config;
    this.communityDictionary = options.communityDictionary;
    this.#store = store;
    this.cache = new QueryCache({ now });
    // Paging off without waiting for the answers: the first query's answer is recognised
    // after the echo of its own command, so this costs no round trip.
    const prepare = async (server: ServerConfig, session: Session) => {
      for (const setup of DIALECTS[server.dialect].setupCommands) await session.typeAhead(setup);
    };
    const open = options.openSession ?? openTelnetSession;
    this.pool = new SessionPool({ open, ledger: store, gate: this.gate, prepare });
    // A long traceroute never holds up route lookups beyond its own one session.
    this.diagnosticsPool = new SessionPool({
      open,
      ledger: store,
      gate: this.gate,
      sessionsPerServer: 1,
      prepare,
    });
  }

  /** Opens the service: loads (or starts) the quota ledger. */
  static async open(config: Config, options: LookingGlassOptions = {}): Promise<LookingGlass> {
    const keys = new Map(config.servers.map((s) => [s.name, budgetKey(s)]));
    const store = await openLedgerStore({
      path: options.ledgerPath,
      now: options.now,
      legacyKey: (name) => keys.get(name),
    });
    return new LookingGlass(config, store, options);
  }

  /** The quota ledger and its persistence. */
  get ledger(): LedgerStore {
    return this.#store;
  }

  /** Whether the ledger is persisted (`file`) or kept in memory. */
  get ledgerMode(): LedgerMode {
    return this.#store.mode;
  }

  /** A server's budget: limits, use and what is left (shared by every name for its host:port). */
  budget(server: ServerConfig): BudgetStatus {
    return this.#store.status(budgetKey(server), server.quota);
  }

  /** Probes servers for reachability (each probe is a booked connection; see `probe.ts`). */
  probe(
    servers: readonly ServerConfig[],
    options: { signal?: AbortSignal } = {},
  ): Promise<ProbeResult[]> {
    return probeServers(
      servers,
      { gate: this.gate, ledger: this.#store, cache: this.cache },
      options,
    );
  }

  /** Writes the ledger's pending changes now (e.g. on SIGTERM). */
  flush(): Promise<void> {
    return this.#store.save();
  }

  /** Closes idle sessions and saves the ledger. */
  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.diagnosticsPool.close()]);
    await this.#store.close();
  }

  /** Same as {@linkcode LookingGlass.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

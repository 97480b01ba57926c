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
import { QueryCache } from "../politeness/cache.ts";
import { ConnectionGate } from "../politeness/gate.ts";
import type { BudgetStatus } from "../politeness/ledger.ts";
import { type LedgerMode, type LedgerStore, openLedgerStore } from "../politeness/ledger_store.ts";
import { SessionPool } from "../politeness/pool.ts";
import { type ProbeResult, probeServers } from "../politeness/probe.ts";
import type { OpenSession, Session } from "../session.ts";
import type { SoftwareSeen } from "../telnet/banner.ts";
import { openTelnetSession } from "../telnet/session.ts";
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

/** What the edges and the tests may add when they open a looking glass. */
export interface EngineOptions extends LookingGlassOptions {
  /** How sessions are opened (default: telnet, `openTelnetSession`). */
  openSession?: OpenSession;
  /** The AS-names loader (tests give one over a slice of the data). */
  namesLoader?: NamesLoader;
  /** How host names are resolved (tests give one; default `Deno.resolveDns`). */
  resolveDns?: ResolveHostOptions["resolveDns"];
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
  /** Recent answers (and probe results). */
  readonly cache: QueryCache;
  /** The per-server connection limit shared by the pools and the probes. */
  readonly gate: ConnectionGate;
  /** The quota ledger and its persistence. */
  readonly ledger: LedgerStore;
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
  const lg = await LookingGlass.open(config, options);
  if (options.openSession) engineOf(lg).openSession = options.openSession;
  return lg;
}

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

/** The engine for a configuration, on its ledger. */
function engine(
  config: Config,
  ledger: LedgerStore,
  options: EngineOptions,
): Engine {
  const { now } = options;
  const gate = new ConnectionGate();
  const cache = new QueryCache({ now });
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
    pool: new SessionPool({ open, ledger, gate, prepare }),
    // A long traceroute never holds up route lookups beyond its own one session.
    diagnosticsPool: new SessionPool({ open, ledger, gate, sessionsPerServer: 1, prepare }),
    cache,
    gate,
    ledger,
    contacts,
    probe: (servers, options = {}) =>
      probeServers(servers, { gate, ledger, cache }, { signal: options.signal }),
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
  readonly #ledger: LedgerStore;

  /** Made by {@linkcode LookingGlass.open}. */
  private constructor(
    config: Config,
    communityDictionary: CommunityDictionary | undefined,
    ledger: LedgerStore,
  ) {
    this.config = config;
    this.communityDictionary = communityDictionary;
    this.#ledger = ledger;
  }

  /** Opens the service: loads (or starts) the quota ledger. */
  static async open(config: Config, options: LookingGlassOptions = {}): Promise<LookingGlass> {
    const keys = new Map(config.servers.map((s) => [s.name, budgetKey(s)]));
    const ledger = await openLedgerStore({
      path: options.ledgerPath,
      now: options.now,
      legacyKey: (name) => keys.get(name),
    });
    const lg = new LookingGlass(config, options.communityDictionary, ledger);
    // openLookingGlass passes the engine's options (the transport, a names loader) through here.
    ENGINES.set(lg, engine(config, ledger, options as EngineOptions));
    return lg;
  }

  /** Whether the ledger is persisted (`file`) or kept in memory. */
  get ledgerMode(): LedgerMode {
    return this.#ledger.mode;
  }

  /** A server's budget: limits, use and what is left (shared by every name for its host:port). */
  budget(server: ServerConfig): BudgetStatus {
    return this.#ledger.status(budgetKey(server), server.quota);
  }

  /** Writes the ledger's pending changes now (e.g. on SIGTERM). */
  flush(): Promise<void> {
    return this.#ledger.save();
  }

  /** Closes idle sessions and saves the ledger. */
  async close(): Promise<void> {
    const { pool, diagnosticsPool } = engineOf(this);
    await Promise.all([pool.close(), diagnosticsPool.close()]);
    await this.#ledger.close();
  }

  /** Same as {@linkcode LookingGlass.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

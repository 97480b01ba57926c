/**
 * The running service behind the tools and the CLI: the configuration with
 * the session pool, the answer cache and the quota ledger it shares between
 * queries. Close it to say goodbye to idle sessions and save the ledger.
 *
 * @module
 */

import { QueryCache } from "./cache.ts";
import type { CommunityDictionary } from "./community_names.ts";
import type { Config } from "./config.ts";
import { DIALECTS } from "./dialects/mod.ts";
import type { QuotaLedger } from "./ledger.ts";
import { type LedgerMode, type LedgerStore, openLedgerStore } from "./ledger_store.ts";
import { SessionPool } from "./telnet/pool.ts";

/** Options for {@linkcode LookingGlass.open}. */
export interface LookingGlassOptions {
  /** Quota ledger file; `undefined` uses the user's state directory, `null` keeps it in memory. */
  ledgerPath?: string | null;
  /** Clock for the cache and the ledger (tests). */
  now?: () => number;
  /** Names for operators' communities (see `loadCommunityDictionary`). */
  communityDictionary?: CommunityDictionary;
}

/** Configuration plus the state shared between queries. */
export class LookingGlass implements AsyncDisposable {
  /** The server list. */
  readonly config: Config;
  /** Reusable sessions for queries. */
  readonly pool: SessionPool;
  /** Sessions for ping and traceroute, one per server, apart from the query sessions. */
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
    this.pool = new SessionPool({
      ledger: store.ledger,
      // Paging off without waiting for the answers: the first query's answer is recognised
      // after the echo of its own command, so this costs no round trip.
      prepare: async (server, session) => {
        for (const setup of DIALECTS[server.dialect].setupCommands) await session.typeAhead(setup);
      },
      onUsage: () => {
        store.save().catch(() => {});
      },
    });
    this.diagnosticsPool = new SessionPool({
      ledger: store.ledger,
      // Paging off without waiting for the answers: the first query's answer is recognised
      // after the echo of its own command, so this costs no round trip.
      prepare: async (server, session) => {
        for (const setup of DIALECTS[server.dialect].setupCommands) await session.typeAhead(setup);
      },
      onUsage: () => {
        store.save().catch(() => {});
      },
    });
  }

  /** Opens the service: loads (or starts) the quota ledger. */
  static async open(config: Config, options: LookingGlassOptions = {}): Promise<LookingGlass> {
    const store = await openLedgerStore({ path: options.ledgerPath, now: options.now });
    return new LookingGlass(config, store, options);
  }

  /** The quota ledger. */
  get ledger(): QuotaLedger {
    return this.#store.ledger;
  }

  /** Whether the ledger is persisted (`file`) or kept in memory. */
  get ledgerMode(): LedgerMode {
    return this.#store.mode;
  }

  /** Closes idle sessions and saves the ledger. */
  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.diagnosticsPool.close()]);
    await this.#store.save();
  }

  /** Same as {@linkcode LookingGlass.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

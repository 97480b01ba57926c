/**
 * Keeps the quota ledger across restarts in a small JSON file under the user's
 * state directory (`$XDG_STATE_HOME/bgp-lg-mcp/ledger.json`, or
 * `~/.local/state/bgp-lg-mcp/ledger.json`). Without permission to read the
 * environment or write there, the ledger lives in memory and says so once on
 * stderr. A corrupt or unreadable file is never fatal: warn and start fresh.
 *
 * @module
 */

import { QuotaLedger } from "./ledger.ts";
import { log } from "./log.ts";

/** Where the ledger lives. */
export type LedgerMode = "file" | "memory";

/** A ledger with its persistence. */
export interface LedgerStore {
  /** The ledger. */
  ledger: QuotaLedger;
  /** `file` when changes are written to `path`, `memory` otherwise. */
  readonly mode: LedgerMode;
  /** The state file, when there is one. */
  readonly path: string | null;
  /** Writes the ledger (serialised with earlier saves; failures switch to memory mode). */
  save(): Promise<void>;
}

/** Options for {@linkcode openLedgerStore}. */
export interface LedgerStoreOptions {
  /** The state file; `undefined` finds it from the environment, `null` keeps the ledger in memory. */
  path?: string | null;
  /** Clock for the ledger (tests). */
  now?: () => number;
}

/** The default state file path, or `null` with the reason when it cannot be known. */
export function defaultLedgerPath(): { path: string | null; reason?: string } {
  try {
    const xdg = Deno.env.get("XDG_STATE_HOME");
    if (xdg) return { path: `${xdg}/bgp-lg-mcp/ledger.json` };
    const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE");
    if (home) return { path: `${home}/.local/state/bgp-lg-mcp/ledger.json` };
    return { path: null, reason: "neither XDG_STATE_HOME nor HOME is set" };
  } catch (error) {
    return {
      path: null,
      reason: `no permission to read the environment (${(error as Error).message})`,
    };
  }
}

/** Opens the ledger: loads the state file if possible, else starts in memory. */
export async function openLedgerStore(options: LedgerStoreOptions = {}): Promise<LedgerStore> {
  const ledger = new QuotaLedger({ now: options.now });
  let path: string | null;
  let reason = "";
  if (options.path === undefined) {
    const found = defaultLedgerPath();
    path = found.path;
    reason = found.reason ?? "";
  } else {
    path = options.path;
    reason = "no state file configured";
  }
  if (path === null) return memoryStore(ledger, reason, options.path === null ? "info" : "warn");

  try {
    const text = await Deno.readTextFile(path);
    try {
      ledger.load(JSON.parse(text));
    } catch (error) {
      log("warn", `quota ledger ${path} is corrupt (${(error as Error).message}); starting fresh`);
    }
  } catch (error) {
    if (isPermissionError(error)) {
      return memoryStore(ledger, `no permission to read ${path}`);
    }
    if (!(error instanceof Deno.errors.NotFound)) {
      log(
        "warn",
        `quota ledger ${path} is unreadable (${(error as Error).message}); starting fresh`,
      );
    }
  }

  try {
    await Deno.mkdir(directoryOf(path), { recursive: true });
    await writeAtomically(path, JSON.stringify(ledger.toJSON()));
  } catch (error) {
    return memoryStore(ledger, `cannot write ${path} (${(error as Error).message})`);
  }
  return new FileStore(ledger, path);
}

class FileStore implements LedgerStore {
  readonly ledger: QuotaLedger;
  readonly #path: string;
  #mode: LedgerMode = "file";
  #pending: Promise<void> = Promise.resolve();

  constructor(ledger: QuotaLedger, path: string) {
    this.ledger = ledger;
    this.#path = path;
  }

  get mode(): LedgerMode {
    return this.#mode;
  }

  get path(): string | null {
    return this.#mode === "file" ? this.#path : null;
  }

  save(): Promise<void> {
    this.#pending = this.#pending.then(async () => {
      if (this.#mode !== "file") return;
      try {
        // Another process (a second MCP client, the CLI) may share the file: merge its use in.
        try {
          this.ledger.merge(JSON.parse(await Deno.readTextFile(this.#path)));
        } catch {
          // missing or unreadable: ours is all there is
        }
        await writeAtomically(this.#path, JSON.stringify(this.ledger.toJSON()));
      } catch (error) {
        this.#mode = "memory";
        log(
          "warn",
          `cannot write the quota ledger ${this.#path} (${(error as Error).message}); ` +
            "keeping it in memory from now on",
        );
      }
    });
    return this.#pending;
  }
}

function memoryStore(
  ledger: QuotaLedger,
  reason: string,
  level: "info" | "warn" = "warn",
): LedgerStore {
  log(
    level,
    `quota ledger kept in memory only (${reason}); budgets reset when the process restarts`,
  );
  return { ledger, mode: "memory", path: null, save: () => Promise.resolve() };
}

/** The directory part of a path (`.` for a bare file name), for `/` and `\` separators. */
function directoryOf(path: string): string {
  const at = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (at < 0) return ".";
  return at === 0 ? path.slice(0, 1) : path.slice(0, at);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(temporary, text);
  await Deno.rename(temporary, path);
}

function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied;
}

/**
 * The quota ledger with its persistence, shared exactly between processes.
 *
 * The state file (`ledger.json` in the state directory, see `state_dir.ts`,
 * or `--ledger FILE`) is only changed under an exclusive lock on a sibling
 * `ledger.json.lock` (`Deno.FsFile.lock`; the data file itself is replaced by
 * an atomic rename). Each process reads the file under the lock, adds only its
 * own changes not yet written, and writes the sum: every connection and byte
 * is counted once, however many processes share the file.
 *
 * A connection is booked under the lock, after the quota check and before the
 * socket is opened, so two processes cannot both take the last one. Download
 * bytes are reserved the same way before they are read (in leases of 16 KiB or
 * more) and what was not received is given back afterwards; uploads are booked
 * the same way, exactly, before they are sent. What is only kept in memory —
 * bytes given back, a connection that never opened — is written within a
 * second, on `save()` and on `close()`: a process that dies has booked at
 * least what it used.
 *
 * A file that cannot be read as it is — not JSON, a malformed field, a time in
 * the future, not a regular file, larger than 4 MiB — is renamed aside
 * (`ledger.json.corrupt-<time>`, never overwritten) with one warning. What
 * could be read is kept; what could not counts as the whole budget of that kind
 * from its time (or the file's modification time) until it leaves the window.
 * Without a state directory the ledger lives in memory and says so once on
 * stderr. A file that cannot be locked or written (a lock that is not a
 * regular file, no permission, a full disk) refuses every booking with
 * {@linkcode LedgerUnavailableError} until it can be — use made then would
 * count for no other process sharing the file and be forgotten at a restart.
 * Meanwhile what the file holds is still read (never written) for the status,
 * and one that cannot be read counts as every server's whole budget.
 *
 * @module
 */

import {
  ALL_SERVERS,
  type BudgetStatus,
  QuotaLedger,
  type QuotaLimits,
  readLedgerSnapshot,
} from "./ledger.ts";
import { LedgerBusyError, LedgerUnavailableError } from "../errors.ts";
import { log } from "../log.ts";
import { stateDirectory } from "./state_dir.ts";
import { readAtMost } from "../_files.ts";

/** Where the ledger lives. */
export type LedgerMode = "file" | "memory";

/** Options for {@linkcode openLedgerStore} and {@linkcode LedgerStore}. */
export interface LedgerStoreOptions {
  /** The state file; `undefined` finds it in the state directory, `null` keeps the ledger in memory. */
  path?: string | null;
  /** Clock for the ledger (tests). */
  now?: () => number;
  /** The sliding window (default 24 h). */
  windowMs?: number;
  /** The `host:port` key of a server name, to migrate a version 1 file (keyed by name). */
  legacyKey?: (name: string) => string | undefined;
  /** Longest time a change kept in memory waits before it is written (default 1000 ms). */
  flushDelayMs?: number;
  /** Longest wait for another process's lock on the file (default 5000 ms). */
  lockTimeoutMs?: number;
}

/** A download reservation: how many bytes may be read, and the bucket time to give back to. */
export interface DownloadLease {
  /** Bytes granted (at least 1). */
  granted: number;
  /** When the reservation was booked (refunds go to the same bucket). */
  at: number;
}

/** Largest state file read (a full day of one-minute buckets for 40 servers is under 2 MiB). */
export const MAX_LEDGER_FILE_BYTES = 4 * 1024 * 1024;

const ALL_KINDS = ["connections", "bytesDown", "bytesUp"] as const;

/** The default state file, or `null` with the reason when there is none this process may use. */
function defaultLedgerPath(): { path: string | null; reason?: string } {
  const directory = stateDirectory();
  if (directory.path === null) return { path: null, reason: directory.reason };
  const separator = directory.path.includes("\\") && !directory.path.includes("/") ? "\\" : "/";
  return { path: `${directory.path}${separator}ledger.json` };
}

/** Opens the ledger: reads the state file if there is one it may use, else keeps it in memory. */
export async function openLedgerStore(options: LedgerStoreOptions = {}): Promise<LedgerStore> {
  let path: string | null;
  let reason: string;
  if (options.path === undefined) {
    const found = defaultLedgerPath();
    path = found.path;
    reason = found.reason ?? "";
  } else {
    path = options.path;
    reason = "no state file configured";
  }
  const store = new LedgerStore({ ...options, path });
  if (path === null) {
    store.toMemory(reason, options.path === null ? "info" : "warn");
    return store;
  }
  await store.start();
  return store;
}

/** A quota ledger with its persistence: the one place use is booked. */
export class LedgerStore {
  readonly #path: string | null;
  readonly #options: LedgerStoreOptions;
  #mode: LedgerMode;
  /** The file's content as of the last sync. */
  #base: QuotaLedger;
  /** Changes of this process not yet written (may hold refunds). */
  #delta: QuotaLedger;
  /** What the budget checks see: the base plus the changes. */
  #view: QuotaLedger;
  #chain: Promise<unknown> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;
  /** Whether the file was read and written once (after which a save without changes is skipped). */
  #synced = false;
  /** Why the file cannot be locked or written now (bookings are refused), `null` when it can. */
  #unavailable: string | null = null;
  /** A lock request that outlived its wait: the next sync takes it over (it cannot be cancelled). */
  #pendingLock: { file: Deno.FsFile; locked: Promise<Deno.FsFile> } | null = null;

  /**
   * Creates a store. With a `path` it is not read until
   * {@linkcode LedgerStore.start}; use {@linkcode openLedgerStore} for that.
   * Without one (`null`, the default) the ledger lives in memory.
   */
  constructor(options: LedgerStoreOptions = {}) {
    this.#options = options;
    this.#path = options.path ?? null;
    this.#mode = this.#path === null ? "memory" : "file";
    this.#base = this.#ledger();
    this.#delta = this.#ledger(true);
    this.#view = this.#ledger();
  }

  /** The ledger as this process sees it (read it; book through the store). */
  get ledger(): QuotaLedger {
    return this.#view;
  }

  /** `file` when changes are written to `path`, `memory` otherwise. */
  get mode(): LedgerMode {
    return this.#mode;
  }

  /** The state file, when there is one. */
  get path(): string | null {
    return this.#mode === "file" ? this.#path : null;
  }

  /**
   * Why the file cannot be locked or written as of the last try, `null` when
   * it can (or in memory mode). While it is set every booking is refused.
   */
  get unavailable(): string | null {
    return this.#mode === "file" ? this.#unavailable : null;
  }

  /** Limits, use and remaining budget of a server (by `host:port`). */
  status(key: string, limits: QuotaLimits): BudgetStatus {
    return this.#view.status(key, limits);
  }

  /**
   * Creates the state directory and reads and writes the file once, so that a
   * missing permission shows now (one warning; bookings are refused until the
   * file can be used) rather than at the first query.
   */
  async start(): Promise<void> {
    if (this.#mode !== "file") return;
    try {
      await Deno.mkdir(directoryOf(this.#path!), { recursive: true, mode: 0o700 });
    } catch {
      // An existing directory, or one that cannot be made: the lock and write below tell.
    }
    await this.save();
  }

  /**
   * Books one connection to a server, after checking under the lock that the
   * budget allows it (one connection and some download and upload left).
   * Call it before opening the socket.
   *
   * @throws {QuotaExceededError} when the budget does not allow it; nothing is booked
   * @throws {LedgerUnavailableError} when the file cannot be locked or written; nothing is booked
   */
  async bookConnection(key: string, limits: QuotaLimits, label: string): Promise<number> {
    return await this.#sync((ledger) => {
      ledger.check(key, limits, { connections: 1, bytesDown: 1, bytesUp: 1 }, label);
      const at = ledger.now();
      ledger.add(key, { connections: 1 }, at);
      return at;
    });
  }

  /** Gives back a connection booked for a socket that never connected. */
  unbookConnection(key: string, at: number): void {
    this.#change(key, { connections: -1 }, at);
  }

  /**
   * Reserves up to `wanted` bytes of download (at least 1) under the lock;
   * give back what was not received with {@linkcode LedgerStore.refund}.
   *
   * @throws {QuotaExceededError} when no download budget is left
   * @throws {LedgerUnavailableError} when the file cannot be locked or written; nothing is booked
   */
  async reserveDown(
    key: string,
    limits: QuotaLimits,
    wanted: number,
    label: string,
  ): Promise<DownloadLease> {
    return await this.#sync((ledger) => {
      ledger.check(key, limits, { bytesDown: 1 }, label);
      const left = ledger.status(key, limits).remaining.bytesDown;
      const granted = Math.max(1, Math.min(Math.ceil(wanted), left));
      const at = ledger.now();
      ledger.add(key, { bytesDown: granted }, at);
      return { granted, at };
    });
  }

  /** Gives back reserved download bytes that were not received. */
  refund(key: string, bytes: number, at: number): void {
    if (bytes > 0) this.#change(key, { bytesDown: -bytes }, at);
  }

  /**
   * Books bytes about to be sent, under the lock after checking the upload
   * budget (so processes together never exceed it). Call it before sending.
   *
   * @throws {QuotaExceededError} when that would exceed the upload budget; nothing is booked
   * @throws {LedgerUnavailableError} when the file cannot be locked or written; nothing is booked
   */
  async bookUp(key: string, limits: QuotaLimits, bytes: number, label: string): Promise<void> {
    await this.#sync((ledger) => {
      ledger.check(key, limits, { bytesUp: bytes }, label);
      ledger.add(key, { bytesUp: bytes });
    });
  }

  /** Writes every change kept in memory now (reading and adding others' use under the lock). */
  save(): Promise<void> {
    if (this.#synced && this.#delta.empty) return this.#chain.then(() => {});
    // Not written (the lock stayed taken): the changes stay in memory and are tried again.
    return this.#sync(() => undefined).catch(() => this.#schedule());
  }

  /** Writes what is pending and stops the write timer. The store stays usable in memory. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#clearTimer();
    await this.save();
    const pending = this.#pendingLock;
    if (pending) {
      // Let go of a lock request still waiting, as soon as it comes (within the lock timeout).
      this.#pendingLock = null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        pending.locked.then((file) => file.close(), () => pending.file.close()),
        new Promise((resolve) => (timer = setTimeout(resolve, this.#lockTimeoutMs()))),
      ]);
      clearTimeout(timer);
    }
  }

  /** Switches to memory, saying so once. */
  toMemory(reason: string, level: "info" | "warn" = "warn"): void {
    if (this.#mode === "memory" && this.#path !== null) return;
    this.#mode = "memory";
    this.#clearTimer();
    log(
      level,
      `quota ledger kept in memory only (${reason}); budgets reset when the process restarts`,
    );
  }

  #ledger(signed = false): QuotaLedger {
    return new QuotaLedger({ now: this.#options.now, windowMs: this.#options.windowMs, signed });
  }

  #change(key: string, use: Partial<Record<(typeof ALL_KINDS)[number], number>>, at?: number) {
    this.#view.add(key, use, at);
    if (this.#mode !== "file") return;
    this.#delta.add(key, use, at);
    this.#schedule();
  }

  /** Writes the changes kept in memory within `flushDelayMs`. */
  #schedule(): void {
    if (this.#mode === "file" && this.#timer === null && !this.#closed) {
      const timer = setTimeout(() => {
        this.#timer = null;
        this.save();
      }, this.#options.flushDelayMs ?? 1000);
      Deno.unrefTimer(timer);
      this.#timer = timer;
    }
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * Runs `mutate` on the freshest ledger: in memory mode the view itself; with
   * a file, under the lock, on the file's content plus this process's changes,
   * then writes the result. Serialised with every other sync of this store.
   */
  #sync<T>(mutate: (ledger: QuotaLedger) => T): Promise<T> {
    const run = this.#chain.then(async () => {
      if (this.#mode !== "file") return mutate(this.#view);
      this.#clearTimer();
      let lock: Deno.FsFile;
      try {
        lock = await this.#lock();
      } catch (error) {
        // Held too long by another process: refuse this booking (a save is retried later).
        if (error instanceof LedgerBusyError) throw error;
        await this.#readWithoutLock();
        throw this.#unusable(`cannot lock ${this.#path}.lock (${message(error)})`);
      }
      try {
        let fresh: QuotaLedger;
        try {
          fresh = (await this.#read()) ?? this.#base;
        } catch (error) {
          // Not readable and not set aside: never overwrite it; what it held is unknown.
          this.#view.markUnknown(ALL_SERVERS, ALL_KINDS, this.#now());
          this.toMemory(message(error));
          return mutate(this.#view);
        }
        const next = fresh.clone({ signed: false });
        next.addAll(this.#delta);
        let outcome: T;
        try {
          outcome = mutate(next);
        } catch (error) {
          this.#base = fresh;
          this.#view = next;
          throw error;
        }
        try {
          await writeAtomically(this.#path!, JSON.stringify(next.toJSON()));
        } catch (error) {
          // Not written: what `mutate` booked never happened; the changes stay for the next try.
          this.#base = fresh;
          this.#view = fresh.clone({ signed: false });
          this.#view.addAll(this.#delta);
          throw this.#unusable(`cannot write ${this.#path} (${message(error)})`);
        }
        if (this.#unavailable !== null) {
          log("info", `quota ledger ${this.#path} can be locked and written again`);
          this.#unavailable = null;
        }
        this.#base = next;
        this.#view = next.clone();
        this.#delta = this.#ledger(true);
        this.#synced = true;
        return outcome;
      } finally {
        lock.close();
      }
    });
    this.#chain = run.catch(() => {});
    return run;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /**
   * Remembers why the file cannot be used, warns the first time, and returns
   * the error that refuses the booking.
   */
  #unusable(reason: string): LedgerUnavailableError {
    const path = this.#path!;
    if (this.#unavailable === null) {
      log(
        "warn",
        `quota ledger ${path} cannot be used (${reason}): no connection is made until it can be ` +
          `locked and written. Let the process read and write ${directoryOf(path)}, ` +
          "or pass --ledger memory for a budget of this process alone",
      );
    }
    this.#unavailable = reason;
    return new LedgerUnavailableError(path, reason);
  }

  /**
   * Reads the file without the lock, for the status only (it is never written
   * nor set aside without the lock): one that can be read is taken as it is;
   * one that may exist but cannot be looked at holds unknown use, counted as
   * every server's whole budget.
   */
  async #readWithoutLock(): Promise<void> {
    const path = this.#path!;
    try {
      const info = await Deno.stat(path);
      if (!info.isFile || info.size > MAX_LEDGER_FILE_BYTES) {
        this.#view.markUnknown(ALL_SERVERS, ALL_KINDS, this.#now());
        return;
      }
      const bytes = await readAtMost(path, MAX_LEDGER_FILE_BYTES + 1);
      const { ledger } = readLedgerSnapshot(
        JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)),
        {
          now: this.#options.now,
          windowMs: this.#options.windowMs,
          fallbackAt: info.mtime?.getTime() ?? this.#now(),
          legacyKey: this.#options.legacyKey,
        },
      );
      const next = ledger.clone({ signed: false });
      next.addAll(this.#delta);
      this.#view = next;
    } catch (error) {
      // No file where none can be (a missing directory, a file in the way) holds no use.
      if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
        this.#view.markUnknown(ALL_SERVERS, ALL_KINDS, this.#now());
      }
    }
  }

  #lockTimeoutMs(): number {
    return this.#options.lockTimeoutMs ?? 5000;
  }

  /**
   * Opens and exclusively locks the lock file (a regular file, created if
   * missing). A request that is not granted in time is kept for the next call.
   *
   * @throws {LedgerBusyError} when another process holds it longer than the lock timeout
   */
  async #lock(): Promise<Deno.FsFile> {
    const path = `${this.#path}.lock`;
    if (!this.#pendingLock) {
      try {
        const info = await Deno.lstat(path);
        if (!info.isFile) throw new Error(`${path} is not a regular file`);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      const file = await Deno.open(path, { read: true, write: true, create: true });
      this.#pendingLock = { file, locked: file.lock(true).then(() => file) };
    }
    const pending = this.#pendingLock;
    const timeoutMs = this.#lockTimeoutMs();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((
      resolve,
    ) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    let file: Deno.FsFile | null;
    try {
      file = await Promise.race([pending.locked, late]);
    } catch (error) {
      this.#pendingLock = null;
      pending.file.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (file === null) throw new LedgerBusyError(path, timeoutMs);
    this.#pendingLock = null;
    return file;
  }

  /**
   * The file's content: `null` when there is no file, a ledger otherwise.
   * A file that cannot be read as it is goes aside first.
   *
   * @throws {Error} when it cannot be read and cannot be set aside either
   */
  async #read(): Promise<QuotaLedger | null> {
    const path = this.#path!;
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      return await this.#unreadable(`cannot look at it (${message(error)})`, this.#now());
    }
    const mtime = info.mtime?.getTime() ?? this.#now();
    // Never open a FIFO, a socket or a device: reading one can block forever.
    if (!info.isFile) return await this.#unreadable("it is not a regular file", mtime);
    if (info.size > MAX_LEDGER_FILE_BYTES) {
      return await this.#unreadable(
        `it is ${info.size} bytes, more than the ${MAX_LEDGER_FILE_BYTES} a ledger can be`,
        mtime,
      );
    }
    let bytes: Uint8Array;
    try {
      bytes = await readAtMost(path, MAX_LEDGER_FILE_BYTES + 1);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      return await this.#unreadable(`cannot read it (${message(error)})`, mtime);
    }
    if (bytes.length > MAX_LEDGER_FILE_BYTES) {
      return await this.#unreadable(
        `it is more than the ${MAX_LEDGER_FILE_BYTES} bytes a ledger can be`,
        mtime,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (error) {
      return await this.#unreadable(`it is not JSON (${message(error)})`, mtime);
    }
    const { ledger, problems } = readLedgerSnapshot(json, {
      now: this.#options.now,
      windowMs: this.#options.windowMs,
      fallbackAt: mtime,
      legacyKey: this.#options.legacyKey,
    });
    if (problems.length > 0) await this.#setAside(problems, ledger);
    return ledger;
  }

  /** A file with nothing readable: every server's use is unknown from its modification time. */
  async #unreadable(why: string, mtime: number): Promise<QuotaLedger> {
    const ledger = this.#ledger();
    ledger.markUnknown(ALL_SERVERS, ALL_KINDS, Math.min(mtime, this.#now()));
    await this.#setAside([why], ledger);
    return ledger;
  }

  /** Renames the file aside (never overwriting anything) and warns once. */
  async #setAside(problems: string[], salvaged: QuotaLedger): Promise<void> {
    const path = this.#path!;
    const stamp = new Date(this.#now()).toISOString().replace(/[-:]|\.\d+/g, "");
    let aside = `${path}.corrupt-${stamp}`;
    for (let i = 1; await exists(aside); i++) aside = `${path}.corrupt-${stamp}-${i}`;
    const what = problems.length > 3
      ? `${problems.slice(0, 3).join("; ")}; and ${problems.length - 3} more`
      : problems.join("; ");
    try {
      await Deno.rename(path, aside);
    } catch (error) {
      throw new Error(
        `the quota ledger ${path} cannot be read as it is (${what}) and cannot be renamed aside ` +
          `(${message(error)}); it is left untouched and its use counts as unknown`,
      );
    }
    const until = ALL_KINDS.map((kind) => salvaged.unknownSince(ALL_SERVERS, kind))
        .some((at) => at !== null)
      ? "every server's budget counts as spent until that use leaves the 24 h window"
      : "the use that could not be read counts as the whole budget until it leaves the 24 h window";
    log(
      "warn",
      `quota ledger ${path} could not be read as it was (${what}); kept it as ${aside}; ` +
        `what could be read is kept and ${until}`,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The directory part of a path (`.` for a bare file name), for `/` and `\` separators. */
function directoryOf(path: string): string {
  const at = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (at < 0) return ".";
  return at === 0 ? path.slice(0, 1) : path.slice(0, at);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${Deno.pid}.tmp`;
  const bytes = new TextEncoder().encode(text);
  {
    using file = await Deno.open(temporary, { write: true, create: true, truncate: true });
    for (let offset = 0; offset < bytes.length;) {
      offset += await file.write(bytes.subarray(offset));
    }
    await file.syncData();
  }
  await Deno.rename(temporary, path);
}

function message(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}

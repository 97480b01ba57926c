/**
 * What every suite shares: its context (seed, PRNG, the FRR rig, a scratch
 * directory), its plan (cases, concurrency, teardown), servers.json writing,
 * a server process that is respawned if an attack kills it, and the
 * invariants most cases check.
 *
 * @module
 */

import type { Rig } from "../../tests/harness/mod.ts";
import { type CaseSpec, type Category, type Checker, show } from "./case.ts";
import { controlCharacterProblems } from "./checks.ts";
import type { Meter } from "./fakes.ts";
import { type CallOutcome, ServerProcess, type SpawnOptions } from "./process.ts";
import type { Random } from "./random.ts";

/** What a suite is given. */
export interface SuiteContext {
  /** The run's seed. */
  seed: number;
  /** The suite's own seeded generator. */
  random: Random;
  /** The shared FRR rig (a real route server), or null when it cannot run here. */
  rig: Rig | null;
  /** Why there is no rig. */
  noRig: string;
  /** A scratch directory, removed after the suite. */
  dir: string;
  /** Progress line to stderr. */
  log(message: string): void;
}

/** What a suite sets up. */
export interface SuitePlan {
  /** Its cases, in a stable order for the seed. */
  cases: CaseSpec[];
  /** How many run at once. */
  concurrency: number;
  /** Cases that look back at the whole suite (memory, ledger totals, sockets): run last, one at a time, always. */
  after?: CaseSpec[];
  /** Stops everything the suite started (always run). */
  teardown(): Promise<void>;
}

/** A suite: its category and how to plan it. */
export interface Suite {
  /** The category its cases count in. */
  category: Category;
  /** Builds fixtures and cases. */
  plan(ctx: SuiteContext): Promise<SuitePlan>;
}

/** Limits that make hostile servers fail fast (every deadline a second or two). */
export const FAST_LIMITS = {
  connectTimeoutMs: 1_000,
  loginTimeoutMs: 1_000,
  commandTimeoutMs: 1_500,
  queryTimeoutMs: 4_000,
  maxOutputBytes: 64 * 1024,
  probeTimeoutMs: 1_000,
  queueTimeoutMs: 5_000,
  idleTimeoutMs: 600_000,
  cacheTtlMs: 0,
} as const;

/** A quota no case reaches by accident. */
export const BIG_QUOTA = { connections: 1_000_000, bytesDown: 1e12, bytesUp: 1e12 } as const;

/** Writes a servers.json at `path` and returns the path. */
export async function writeServers(
  path: string,
  file: {
    defaultServer: string;
    servers: Record<string, unknown>[];
    limits?: Record<string, unknown>;
    quota?: Record<string, unknown>;
  },
): Promise<string> {
  await Deno.writeTextFile(path, JSON.stringify(file, null, 2));
  return path;
}

/** `127.0.0.1:port` entries for `--allow-net`. */
export function loopback(...ports: number[]): string[] {
  return ports.map((port) => `127.0.0.1:${port}`);
}

/** Every server process started by suites, for the run's stdout verdict. */
export const STARTED: ServerProcess[] = [];

/** Starts a server process and remembers it for the run's stdout verdict. */
export async function startServer(options: SpawnOptions): Promise<ServerProcess> {
  const process = await ServerProcess.start(options);
  STARTED.push(process);
  return process;
}

/** One long-lived server process for many cases, started again if a case killed it. */
export class ProcessSlot {
  readonly #options: SpawnOptions;
  #current: ServerProcess | null = null;
  #starting: Promise<ServerProcess> | null = null;
  /** How many times it had to be started again. */
  restarts = 0;

  /** A slot for processes started with `options`. */
  constructor(options: SpawnOptions) {
    this.#options = options;
  }

  /** The live process (started on first use, or again after it died). */
  async get(): Promise<ServerProcess> {
    if (this.#current && !this.#current.gone) return this.#current;
    if (!this.#starting) {
      if (this.#current) this.restarts++;
      this.#starting = startServer(this.#options).finally(() => (this.#starting = null));
    }
    this.#current = await this.#starting;
    return this.#current;
  }

  /** The process if one is running. */
  get current(): ServerProcess | null {
    return this.#current;
  }

  /** Closes the process (stdin closed, then killed by pid if it lingers). */
  async close(): Promise<void> {
    await this.#current?.close();
  }
}

/** Most characters a refusal or error message may have (it must not echo a huge input). */
export const MAX_MESSAGE = 2_000;

/** The call came back as a tool result (not a protocol error, timeout or lost connection). */
export function expectResult(check: Checker, outcome: CallOutcome, what: string): boolean {
  return check.ok(
    outcome.kind === "result",
    `${what}: ${outcome.kind} instead of a tool result (${show(outcome.text, 200)})`,
  );
}

/** An `isError: true` result whose message matches `names`, clean and bounded. */
export function expectRefusal(
  check: Checker,
  outcome: CallOutcome,
  options: { names: RegExp; what: string },
): void {
  const { names, what } = options;
  if (!expectResult(check, outcome, what)) return;
  if (!check.ok(outcome.isError, `${what}: accepted (isError not set): ${show(outcome.text)}`)) {
    return;
  }
  check.ok(
    names.test(outcome.text),
    `${what}: the message does not name the problem (${names}): ${show(outcome.text, 240)}`,
  );
  check.ok(
    outcome.text.length <= MAX_MESSAGE,
    `${what}: the message is ${outcome.text.length} characters long`,
  );
  check.all(controlCharacterProblems(outcome.text, `${what} text`));
}

/** No text or structured string of the outcome holds a forbidden character. */
export function expectClean(check: Checker, outcome: CallOutcome, what: string): void {
  check.all(controlCharacterProblems(outcome.text, `${what} text`));
  if (outcome.structured !== undefined) {
    check.all(controlCharacterProblems(outcome.structured, `${what} structuredContent`));
  }
}

/** Nothing reached any counted socket since `before`. */
export function expectNoBytes(
  check: Checker,
  meter: Meter,
  options: { before: { connections: number; bytes: number }; what: string },
): void {
  const { before, what } = options;
  const now = meter.snapshot();
  check.ok(
    now.connections === before.connections && now.bytes === before.bytes,
    `${what}: reached a server (${now.connections - before.connections} connections, ` +
      `${now.bytes - before.bytes} bytes) for a refused input`,
  );
}

/**
 * The process still answers a follow-up call (list_servers, no network). One
 * that does not is killed, so that its slot starts a fresh one for the next
 * case instead of every later case waiting on a wedged process.
 */
export async function expectAlive(
  check: Checker,
  process: ServerProcess,
  what: string,
): Promise<void> {
  const next = await process.call("list_servers", {}, { timeoutMs: 10_000 });
  const alive = check.ok(
    next.kind === "result" && !next.isError,
    `${what}: the process did not answer a follow-up call (${next.kind}: ${show(next.text, 120)})`,
  );
  if (!alive) process.signal("SIGKILL");
}

/** A list_servers answer's budget for one server, as the process reports it. */
export interface ReportedBudget {
  limits: { connections: number; bytesDown: number; bytesUp: number };
  used: { connections: number; bytesDown: number; bytesUp: number };
  remaining: { connections: number; bytesDown: number; bytesUp: number };
}

/** The budget a process reports for `server` (list_servers), or null. */
export async function budgetOf(
  process: ServerProcess,
  server: string,
): Promise<ReportedBudget | null> {
  const listed = await process.call("list_servers", {}, { timeoutMs: 10_000 });
  const servers = (listed.structured as { servers?: { name: string; budget: ReportedBudget }[] })
    ?.servers;
  return servers?.find((s) => s.name === server)?.budget ?? null;
}

/** A case of `category` (its id gets the category as prefix). */
export function caseIn(
  category: Category,
  spec: { id: string; timeoutMs: number; run: CaseSpec["run"]; skip?: string },
): CaseSpec {
  return { ...spec, id: `${category}/${spec.id}`, category };
}

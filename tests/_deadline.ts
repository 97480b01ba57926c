/**
 * A deadline for every test, so that no run of the suite can hang.
 *
 * `deno task test` preloads this module (`--preload=tests/_deadline.ts`). It
 * wraps `Deno.test` so that every test gets Deno's own `timeout` option
 * (unless it sets one): a test still running after {@linkcode testDeadlineMs},
 * whether it awaits forever or spins in a loop, fails with "Test timed out",
 * and the run goes on with the next test. Reports keep the test's own file and
 * line. The slowest test takes a few seconds; the default deadline is two
 * minutes, for slow and busy machines (`TEST_DEADLINE_MS` sets another).
 *
 * A hang outside any test (at a test module's top level) is bounded by
 * `.ci/run`'s limit on the whole run. {@linkcode withDeadline} bounds one wait
 * inside a test and stops what it waits for, such as a child process.
 *
 * @module
 */

/** The environment variable that sets the per-test deadline in milliseconds. */
export const DEADLINE_VARIABLE = "TEST_DEADLINE_MS";

/** The deadline when {@linkcode DEADLINE_VARIABLE} is not set. */
export const DEFAULT_TEST_DEADLINE_MS = 120_000;

/** The per-test deadline of this run, in milliseconds; a set but invalid value throws. */
export function testDeadlineMs(): number {
  let text: string | undefined;
  try {
    text = Deno.env.get(DEADLINE_VARIABLE);
  } catch {
    text = undefined; // no --allow-env: the default
  }
  if (text === undefined || text === "") return DEFAULT_TEST_DEADLINE_MS;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(ms) || ms < 1 || ms > 0x7fff_ffff) {
    throw new RangeError(`${DEADLINE_VARIABLE}=${text} is not a number of milliseconds`);
  }
  return ms;
}

/** A wait that did not end in time. */
export class DeadlineError extends Error {
  /** How long it was given, in milliseconds. */
  readonly ms: number;

  /** Creates the error; `what` names what was waited for. */
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`}`);
    this.name = "DeadlineError";
    this.ms = ms;
  }
}

/**
 * Settles like `promise`, or rejects with a {@linkcode DeadlineError} naming
 * `what` after `ms`, once `onTimeout` has run (to kill a child process, say).
 * The timer is cleared either way, so the op sanitizer sees no leftover.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  onTimeout?: () => void,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        onTimeout?.();
      } finally {
        reject(new DeadlineError(what, ms));
      }
    }, ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Deno reports this location for a test whose function carries it, instead of the caller's. */
const LOCATION = Symbol.for("Deno.test.location");

/** Where `Deno.test` was called from (`file:line:column`): the first frame outside this file. */
function callerSite(): string | undefined {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  for (const frame of frames) {
    const site = /((?:file|https?):\/\/\S+?:\d+:\d+)\)?$/.exec(frame.trim())?.[1];
    if (site !== undefined && !site.includes("/tests/_deadline.ts:")) return site;
  }
  return undefined;
}

/** `Deno.test`'s arguments, in any of its forms, with the deadline and the caller's location. */
function withTimeout(args: unknown[], ms: number, site: string | undefined): unknown[] {
  const mark = (fn: unknown) => {
    if (site !== undefined && typeof fn === "function") {
      (fn as unknown as Record<symbol, string>)[LOCATION] ??= site;
    }
  };
  const [first, second, third] = args;
  if (typeof first === "string" && typeof second === "function") {
    mark(second);
    return [first, { timeout: ms }, second];
  }
  if (typeof first === "string") {
    mark(third);
    return [first, { timeout: ms, ...(second as object) }, third];
  }
  if (typeof first === "function") {
    mark(first);
    return [{ timeout: ms }, first];
  }
  mark(typeof second === "function" ? second : (first as Deno.TestDefinition).fn);
  return [{ timeout: ms, ...(first as object) }, ...args.slice(1)];
}

const INSTALLED = Symbol.for("bgp-lg-mcp.test-deadlines");

/** Wraps `Deno.test` and `Deno.test.only` once per isolate; later calls do nothing. */
export function installDeadlines(ms = testDeadlineMs()): void {
  const global = globalThis as unknown as Record<symbol, boolean>;
  if (global[INSTALLED]) return;
  global[INSTALLED] = true;
  const original = Deno.test;
  const wrap = (register: (...a: unknown[]) => void) => (...args: unknown[]) =>
    register.apply(Deno, withTimeout(args, ms, callerSite()));
  const test = wrap(original as (...a: unknown[]) => void);
  // Keep ignore, the hooks and the rest; `only` gets the deadline too.
  for (const key of Reflect.ownKeys(original)) {
    if (key === "length" || key === "name" || key === "prototype") continue;
    Object.defineProperty(test, key, Reflect.getOwnPropertyDescriptor(original, key)!);
  }
  Object.defineProperty(test, "only", {
    value: wrap(original.only as (...a: unknown[]) => void),
    configurable: true,
    writable: true,
  });
  Object.defineProperty(Deno, "test", { value: test, configurable: true, writable: true });
}

installDeadlines();

/**
 * A deadline for every test, so that no run of the suite can hang.
 *
 * `deno task test` preloads this module (`--preload=tests/_deadline.ts`): it
 * wraps `Deno.test` so that a test whose promise has not settled after
 * {@linkcode testDeadlineMs} fails, naming itself, and the run goes on to the
 * next test. The slowest test takes a few seconds; the default deadline is two
 * minutes, for slow and busy machines (`TEST_DEADLINE_MS` sets another).
 *
 * A timer cannot interrupt synchronous code: synchronous tests are bounded by
 * what they run (linear-time oracles, fast-check's `interruptAfterTimeLimit`),
 * and `.ci/run` puts a time limit on the whole run.
 *
 * @module
 */

/** The environment variable that sets the per-test deadline in milliseconds. */
export const DEADLINE_VARIABLE = "TEST_DEADLINE_MS";

/** The deadline when {@linkcode DEADLINE_VARIABLE} is not set. */
export const DEFAULT_TEST_DEADLINE_MS = 120_000;

/** The per-test deadline of this run, in milliseconds. */
export function testDeadlineMs(): number {
  let text: string | undefined;
  try {
    text = Deno.env.get(DEADLINE_VARIABLE);
  } catch {
    text = undefined;
  }
  if (text === undefined || text === "") return DEFAULT_TEST_DEADLINE_MS;
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new RangeError(`${DEADLINE_VARIABLE}=${text} is not a positive number of milliseconds`);
  }
  return ms;
}

/** A promise that did not settle in time. */
export class DeadlineError extends Error {
  /** How long it was given, in milliseconds. */
  readonly ms: number;

  /** Creates the error; `what` names what was waited for, `hint` what can be done. */
  constructor(what: string, ms: number, hint?: string) {
    super(`${what} did not finish within ${formatMs(ms)}${hint ? `; ${hint}` : ""}`);
    this.name = "DeadlineError";
    this.ms = ms;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Options for {@linkcode withDeadline}. */
export interface DeadlineOptions {
  /** Added to the error message: what can be done about it. */
  hint?: string;
  /** Runs when the deadline passes, before the promise rejects (e.g. to kill a child process). */
  onTimeout?: () => void;
}

/**
 * Settles like `promise`, or rejects with a {@linkcode DeadlineError} naming
 * `what` after `ms`; the timer is cleared either way (the op sanitizer sees no
 * leftover).
 */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  options: DeadlineOptions = {},
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        options.onTimeout?.();
      } finally {
        reject(new DeadlineError(what, ms, options.hint));
      }
    }, ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

type TestFn = (t: Deno.TestContext) => void | Promise<void>;

const HINT = `the per-test deadline (tests/_deadline.ts); set ${DEADLINE_VARIABLE} to change it`;

/** Where the test was declared: the first stack frame outside this file. */
function callerSite(): string {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  const frame = frames.find((line) => !line.includes("/tests/_deadline.ts")) ?? "";
  return frame.trim().replace(/^at /, "").replace(/^.*\((.*)\)$/, "$1");
}

/** `fn` with the deadline applied to the promise it returns; its name is kept. */
function bounded(fn: TestFn, name: () => string, ms: number): TestFn {
  const site = callerSite();
  const wrapped = function (t: Deno.TestContext) {
    const result = fn(t);
    if (!(result instanceof Promise)) return result;
    return withDeadline(result, ms, `Test "${name()}" (${site})`, { hint: HINT });
  };
  Object.defineProperty(wrapped, "name", { value: fn.name });
  return wrapped;
}

/** Every argument list `Deno.test` accepts, with its test function bounded. */
function boundArgs(args: unknown[], ms: number): unknown[] {
  const last = args.length - 1;
  if (typeof args[last] === "function") {
    const fn = args[last] as TestFn;
    const name = () => {
      const first = args[0];
      if (typeof first === "string") return first;
      if (typeof first === "object" && first !== null && "name" in first) {
        return String((first as { name: unknown }).name);
      }
      return fn.name;
    };
    return [...args.slice(0, last), bounded(fn, name, ms)];
  }
  const definition = args[0] as Deno.TestDefinition;
  return [{ ...definition, fn: bounded(definition.fn, () => definition.name, ms) }];
}

const INSTALLED = Symbol.for("bgp-lg-mcp.test-deadlines");

/** Wraps `Deno.test` (and `Deno.test.only`) once per isolate; later calls do nothing. */
export function installDeadlines(ms = testDeadlineMs()): void {
  const global = globalThis as unknown as Record<symbol, boolean>;
  if (global[INSTALLED]) return;
  global[INSTALLED] = true;
  const original = Deno.test;
  const test = (...args: unknown[]) =>
    (original as (...a: unknown[]) => void).apply(Deno, boundArgs(args, ms));
  const only = (...args: unknown[]) =>
    (original.only as (...a: unknown[]) => void).apply(Deno, boundArgs(args, ms));
  Object.assign(test, { ignore: original.ignore, only });
  Object.defineProperty(Deno, "test", { value: test, configurable: true, writable: true });
}

installDeadlines();

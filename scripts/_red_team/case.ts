/**
 * Red-team cases: what one case is, how its invariants are checked, and how a
 * list of cases runs with a concurrency limit and a deadline per case, so that
 * the run always ends.
 *
 * @module
 */

/** The categories of the red team, in report order. */
export const CATEGORIES = [
  "bad-input",
  "hostile-server",
  "faults",
  "state-files",
  "budget",
  "load",
  "sandbox",
] as const;

/** One category. */
export type Category = typeof CATEGORIES[number];

/**
 * Characters that must never reach a model or a terminal (as a RegExp
 * source, for the `u` flag): C0 controls except tab and line feed, DEL, C1
 * controls, the line and paragraph separators, the bidirectional overrides
 * and isolates, and the invisible characters a model still reads — the soft
 * hyphen, variation selectors and the tag characters U+E0000–U+E007F.
 */
export const FORBIDDEN_SOURCE =
  "[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u00ad\\u2028\\u2029\\u202a-\\u202e" +
  "\\u2066-\\u2069\\ufe00-\\ufe0f\\u{e0000}-\\u{e007f}\\u{e0100}-\\u{e01ef}]";

/** Collects the invariants a case found broken. */
export class Checker {
  readonly #failures: string[] = [];

  /** Records `why` unless `condition` holds; returns the condition. */
  ok(condition: boolean, why: string): boolean {
    if (!condition) this.#failures.push(why);
    return condition;
  }

  /** Records a failure when `actual !== expected`. */
  equal(actual: unknown, expected: unknown, what: string): boolean {
    return this.ok(
      Object.is(actual, expected),
      `${what}: expected ${show(expected)}, got ${show(actual)}`,
    );
  }

  /** Records a failure when `text` does not match `pattern`. */
  match(text: string, pattern: RegExp, what: string): boolean {
    return this.ok(pattern.test(text), `${what} does not match ${pattern}: ${show(text)}`);
  }

  /** Records every message of a list of problems (e.g. from a pure check). */
  all(problems: readonly string[]): boolean {
    this.#failures.push(...problems);
    return problems.length === 0;
  }

  /** Records a failure unconditionally. */
  fail(why: string): void {
    this.#failures.push(why);
  }

  /** The failures so far. */
  get failures(): readonly string[] {
    return this.#failures;
  }
}

/** One hostile case and the invariants that make it "held". */
export interface CaseSpec {
  /** Stable identifier (the same for the same seed), `category/…`. */
  id: string;
  /** Its category. */
  category: Category;
  /** Deadline for the whole case; past it, the case counts as not held. */
  timeoutMs: number;
  /** Why the case cannot run here (e.g. no FRR rig); it is then reported as skipped. */
  skip?: string;
  /** Runs the case and records broken invariants on the checker; a throw is a failure too. */
  run(check: Checker, signal: AbortSignal): Promise<void>;
}

/** What happened to one case. */
export interface CaseOutcome {
  /** The case's id. */
  id: string;
  /** Its category. */
  category: Category;
  /** `held`: every invariant held; `failed`: at least one did not; `skipped`: not run. */
  status: "held" | "failed" | "skipped";
  /** Broken invariants (failed) or the reason (skipped). */
  why: string[];
  /** Wall time. */
  ms: number;
}

/**
 * Runs cases, at most `concurrency` at a time. Each gets its deadline; a case
 * past it is recorded as not held and abandoned (its signal is aborted), so the
 * list always finishes. `stop` ends the run early (remaining cases are skipped).
 */
export async function runCases(
  cases: readonly CaseSpec[],
  options: {
    concurrency: number;
    stop?: AbortSignal;
    onOutcome?: (outcome: CaseOutcome) => void;
  },
): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const spec = cases[i];
      const outcome = options.stop?.aborted
        ? skipped(spec, "the run was stopped (time limit)")
        : spec.skip !== undefined
        ? skipped(spec, spec.skip)
        : await runOne(spec);
      outcomes[i] = outcome;
      options.onOutcome?.(outcome);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, cases.length)) }, worker),
  );
  return outcomes;
}

function skipped(spec: CaseSpec, why: string): CaseOutcome {
  return { id: spec.id, category: spec.category, status: "skipped", why: [why], ms: 0 };
}

async function runOne(spec: CaseSpec): Promise<CaseOutcome> {
  const check = new Checker();
  const controller = new AbortController();
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), spec.timeoutMs);
  });
  const work = spec.run(check, controller.signal).then(
    () => "done" as const,
    (error: unknown) => {
      check.fail(`threw: ${describe(error)}`);
      return "done" as const;
    },
  );
  const how = await Promise.race([work, deadline]);
  clearTimeout(timer);
  if (how === "timeout") {
    controller.abort(new Error("case deadline"));
    check.fail(`did not finish within ${spec.timeoutMs} ms`);
    // Give the case a moment to notice the abort and release what it holds.
    await Promise.race([work, new Promise((resolve) => setTimeout(resolve, 1000))]);
  }
  const failures = [...check.failures];
  return {
    id: spec.id,
    category: spec.category,
    status: failures.length === 0 ? "held" : "failed",
    why: failures,
    ms: Math.round(performance.now() - started),
  };
}

/** A short printable form of a value for failure messages. */
export function show(value: unknown, max = 160): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "undefined";
  } catch {
    text = String(value);
  }
  // Never print raw control characters from hostile output into the report.
  text = text.replace(
    new RegExp(FORBIDDEN_SOURCE, "gu"),
    (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** An error's message (name for non-Error values). */
export function describe(error: unknown): string {
  if (error instanceof Error) return show(`${error.name}: ${error.message}`, 300);
  return show(error, 300);
}

/** Sleeps `ms`, or less if the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes; resolves to whether it held. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (true) {
    if (await condition()) return true;
    if (performance.now() > deadline || signal?.aborted) return false;
    await sleep(20, signal);
  }
}

/**
 * What every property test file shares: fast-check, seeded from the suite's one
 * seed (printed before the file's tests start, so any run can be repeated with
 * `TEST_SEED=<n>`; see `harness/prng.ts`), and a generous per-call time limit
 * that only a pathological slowdown (a hang) fails. Like every test, each
 * property has a deadline (`tests/_deadline.ts`) that also stops a synchronous
 * loop.
 *
 * fast-check is for the tests only: it is pinned in tests/deno.lock, not in
 * deno.json's import map (`deno task` installs every entry there before any
 * task; see tests/dependencies_test.ts). This file is the one place it is
 * imported.
 *
 * @module
 */

import assert from "node:assert/strict";
// deno-lint-ignore no-import-prefix
import fc from "npm:fast-check@4.10.2";
import { seedBanner, testSeed } from "./harness/prng.ts";

export { fc };

/**
 * Seeds every property of the calling file (fixed, unless TEST_SEED chooses
 * another) and prints the seed with the file's name. Call it once, at the top.
 */
export function seedProperties(file: string): number {
  const seed = testSeed();
  fc.configureGlobal({ seed });
  // deno-lint-ignore no-console
  console.error(seedBanner(file, seed));
  return seed;
}

/** An error as a one-line description: its class and message. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs `fn`, returning what it threw (or its result). */
export function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Generous per-call limit: only a pathological slowdown (a hang) fails it. */
export const CALL_LIMIT_MS = 2000;

/** Runs `fn` like {@linkcode attempt}, failing when it takes longer than {@linkcode CALL_LIMIT_MS}. */
export function timed<T>(
  label: string,
  inputLength: number,
  fn: () => T,
): ReturnType<typeof attempt<T>> {
  const start = performance.now();
  const outcome = attempt(fn);
  const elapsed = performance.now() - start;
  assert.ok(
    elapsed < CALL_LIMIT_MS,
    `${label} took ${elapsed.toFixed(0)} ms on an input of ${inputLength} characters`,
  );
  return outcome;
}

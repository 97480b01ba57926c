/**
 * Seeds for tests and benchmarks: a seeded pseudo-random number generator, and
 * the one seed every property test starts from.
 *
 * @module
 */

/** mulberry32: numbers in [0, 1) from a 32-bit seed, the same sequence every run. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The environment variable that chooses another seed for every property test. */
export const SEED_VARIABLE = "TEST_SEED";

/** The seed property tests use unless {@linkcode SEED_VARIABLE} says otherwise. */
export const DEFAULT_SEED = 0x5eed_a5;

/**
 * The seed for this run: {@linkcode SEED_VARIABLE} when it is set to a whole
 * number (0 to 2^32 - 1), otherwise {@linkcode DEFAULT_SEED}. A set but invalid
 * value throws, so a typo never silently runs the default.
 */
export function testSeed(): number {
  let text: string | undefined;
  try {
    text = Deno.env.get(SEED_VARIABLE);
  } catch {
    text = undefined; // no --allow-env: the fixed seed
  }
  if (text === undefined || text === "") return DEFAULT_SEED;
  const seed = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(seed) || seed > 0xffff_ffff) {
    throw new RangeError(`${SEED_VARIABLE}=${text} is not a whole number from 0 to 4294967295`);
  }
  return seed;
}

/** The line a property test file prints before it runs, so any run can be repeated. */
export function seedBanner(file: string, seed: number): string {
  return `${file}: property tests use seed ${seed} (repeat with ${SEED_VARIABLE}=${seed})`;
}

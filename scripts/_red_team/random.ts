/**
 * Seeded choices for the red team, on the suite's PRNG (`tests/harness/prng.ts`).
 *
 * @module
 */

import { prng } from "../../tests/harness/mod.ts";

/** A seeded source of choices. */
export class Random {
  readonly #next: () => number;

  /** A generator for `seed`, offset by `stream` so that each suite draws its own sequence. */
  constructor(seed: number, stream = "") {
    let mixed = seed >>> 0;
    for (const char of stream) mixed = Math.imul(mixed ^ char.charCodeAt(0), 0x9e3779b1) >>> 0;
    this.#next = prng(mixed);
  }

  /** A number in [0, 1). */
  next(): number {
    return this.#next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  /** One element. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#next() * items.length)];
  }

  /** `count` distinct elements (all of them when there are fewer), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, count);
  }

  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.#next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** A random big integer below 2^bits. */
  bits(bits: number): bigint {
    let value = 0n;
    for (let i = 0; i < bits; i += 16) value = (value << 16n) | BigInt(this.int(0, 0xffff));
    return value & ((1n << BigInt(bits)) - 1n);
  }
}

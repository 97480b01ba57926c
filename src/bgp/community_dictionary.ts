/**
 * A user's names for operators' communities: a JSON file mapping each ASN's
 * values (numbers, ranges, `2xx` digit patterns, `*`) to names, for standard
 * and large communities. Validated whole when loaded; a bad file is refused
 * with a message naming the file and the entry.
 *
 * @module
 */

import { CommunityDictionaryError, FileReadError } from "../errors.ts";
import { readBoundedTextFile } from "../_files.ts";

/** Most patterns a dictionary may hold (all ASNs together), and most ASN keys. */
const MAX_ENTRIES = 10_000;

/** Longest name, in UTF-16 code units. */
const MAX_NAME_LENGTH = 200;

/** Largest dictionary file read. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Longest key quoted in an error message. */
const MAX_QUOTED_KEY = 40;

const MAX_UINT16 = 0xffff;
const MAX_UINT32 = 0xffffffff;

/** `text`, cut to {@link MAX_QUOTED_KEY} characters and an ellipsis if longer. */
function clip(text: string): string {
  return text.length > MAX_QUOTED_KEY ? `${text.slice(0, MAX_QUOTED_KEY)}…` : text;
}

/** One parsed value pattern. */
type Pattern =
  | { kind: "exact"; value: number }
  | { kind: "x"; text: string }
  | { kind: "range"; low: number; high: number }
  | { kind: "any" };

/** A range pattern with what it names. */
interface RangeEntry<T> {
  low: number;
  high: number;
  item: T;
}

/** Node of a centred interval tree: ranges containing `center`, smaller and larger ones below. */
interface RangeNode<T> {
  center: number;
  /** Ranges containing `center`, by ascending start. */
  byLow: RangeEntry<T>[];
  /** The same ranges, by descending end. */
  byHighDesc: RangeEntry<T>[];
  left: RangeNode<T> | undefined;
  right: RangeNode<T> | undefined;
}

/** Builds an interval tree: a lookup visits O(log n) nodes plus the ranges that contain the value. */
function buildRangeTree<T>(ranges: RangeEntry<T>[]): RangeNode<T> | undefined {
  if (ranges.length === 0) return undefined;
  const points = ranges.flatMap((r) => [r.low, r.high]).sort((a, b) => a - b);
  const center = points[points.length >> 1];
  const here = ranges.filter((r) => r.low <= center && center <= r.high);
  return {
    center,
    byLow: [...here].sort((a, b) => a.low - b.low),
    byHighDesc: [...here].sort((a, b) => b.high - a.high),
    left: buildRangeTree(ranges.filter((r) => r.high < center)),
    right: buildRangeTree(ranges.filter((r) => r.low > center)),
  };
}

/** Every range containing `value`, in no particular order. */
function rangesContaining<T>(tree: RangeNode<T> | undefined, value: number): RangeEntry<T>[] {
  const found: RangeEntry<T>[] = [];
  let node = tree;
  while (node) {
    if (value < node.center) {
      for (const r of node.byLow) {
        if (r.low > value) break;
        found.push(r);
      }
      node = node.left;
    } else if (value > node.center) {
      for (const r of node.byHighDesc) {
        if (r.high < value) break;
        found.push(r);
      }
      node = node.right;
    } else {
      found.push(...node.byLow);
      break;
    }
  }
  return found;
}

/** Orders ranges narrowest first, then by lowest start. */
function compareRanges<T>(a: RangeEntry<T>, b: RangeEntry<T>): number {
  return a.high - a.low - (b.high - b.low) || a.low - b.low;
}

/**
 * Range patterns. The number line is cut at every range's start and end + 1;
 * each piece is painted, once, with the narrowest range covering it, so the
 * best range for a value is a binary search away. An interval tree, built
 * when first needed, gives the others when the best one is not enough.
 */
class RangeIndex<T> {
  readonly #ranges: RangeEntry<T>[];
  #tree: RangeNode<T> | undefined;
  /** Start of each piece, ascending. */
  readonly #starts: number[];
  /** Narrowest range covering each piece. */
  readonly #best: (RangeEntry<T> | undefined)[];

  constructor(ranges: RangeEntry<T>[]) {
    this.#ranges = ranges;
    this.#starts = [...new Set(ranges.flatMap((r) => [r.low, r.high + 1]))].sort((a, b) => a - b);
    this.#best = new Array(this.#starts.length).fill(undefined);
    // Narrowest first; `next` skips pieces already painted (union-find with path halving).
    const next = Array.from({ length: this.#starts.length + 1 }, (_, i) => i);
    const unpainted = (i: number): number => {
      while (next[i] !== i) i = next[i] = next[next[i]];
      return i;
    };
    for (const range of [...ranges].sort(compareRanges)) {
      const end = this.#pieceAt(range.high + 1);
      for (let i = unpainted(this.#pieceAt(range.low)); i < end; i = unpainted(i + 1)) {
        this.#best[i] = range;
        next[i] = i + 1;
      }
    }
  }

  /** Index of the piece holding `value` (-1 before the first). */
  #pieceAt(value: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.#starts[middle] <= value) low = middle + 1;
      else high = middle - 1;
    }
    return high;
  }

  /** Every range containing `value`, in no particular order (the tree is built on first use). */
  allAt(value: number): RangeEntry<T>[] {
    this.#tree ??= buildRangeTree(this.#ranges);
    return rangesContaining(this.#tree, value);
  }

  /** The narrowest range containing `value` (lowest start among equals). */
  bestAt(value: number): RangeEntry<T> | undefined {
    const piece = this.#pieceAt(value);
    return piece < 0 ? undefined : this.#best[piece];
  }
}

/** `--x` for `25x`: which digits an x-pattern leaves open. */
function maskOf(pattern: string): string {
  return pattern.replace(/\d/g, "-");
}

/** Orders x-pattern masks: fewer `x` first, then the longer fixed prefix (`25x` before `2x5`). */
function compareMasks(a: string, b: string): number {
  const open = (mask: string) => mask.split("x").length - 1;
  return open(a) - open(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Patterns over one number (a standard value, or one part of a large
 * community), answering in order of specificity without scanning them all:
 * exact (a map), x-patterns (a map per open-digit mask of the value's length),
 * ranges (narrowest first, by binary search), then `*`.
 */
class ValueIndex<T> {
  readonly #exact = new Map<number, T>();
  readonly #xPatterns = new Map<string, T>();
  /** Masks present, by pattern length, most specific first. */
  readonly #xMasks = new Map<number, string[]>();
  readonly #ranges: RangeIndex<T> | undefined;
  readonly #any: { item: T } | undefined;

  constructor(entries: Iterable<[Pattern, T]>) {
    const ranges: RangeEntry<T>[] = [];
    let any: { item: T } | undefined;
    for (const [pattern, item] of entries) {
      switch (pattern.kind) {
        case "exact":
          this.#exact.set(pattern.value, item);
          break;
        case "x": {
          this.#xPatterns.set(pattern.text, item);
          const masks = this.#xMasks.get(pattern.text.length) ?? [];
          const mask = maskOf(pattern.text);
          if (!masks.includes(mask)) masks.push(mask);
          this.#xMasks.set(pattern.text.length, masks);
          break;
        }
        case "range":
          ranges.push({ low: pattern.low, high: pattern.high, item });
          break;
        case "any":
          any = { item };
      }
    }
    for (const masks of this.#xMasks.values()) masks.sort(compareMasks);
    this.#ranges = ranges.length > 0 ? new RangeIndex(ranges) : undefined;
    this.#any = any;
  }

  /** Offers `accept` each item whose pattern matches `value`, most specific first; returns its
   * first defined answer. */
  find<R>(value: number, accept: (item: T) => R | undefined): R | undefined {
    const exact = this.#exact.get(value);
    if (exact !== undefined) {
      const answer = accept(exact);
      if (answer !== undefined) return answer;
    }
    if (this.#xMasks.size > 0) {
      const digits = String(value);
      for (const mask of this.#xMasks.get(digits.length) ?? []) {
        let key = "";
        for (let i = 0; i < digits.length; i++) key += mask[i] === "x" ? "x" : digits[i];
        const item = this.#xPatterns.get(key);
        if (item !== undefined) {
          const answer = accept(item);
          if (answer !== undefined) return answer;
        }
      }
    }
    if (this.#ranges) {
      // The narrowest range usually answers: O(log n) from the painted segments.
      const best = this.#ranges.bestAt(value);
      if (best) {
        const answer = accept(best.item);
        if (answer !== undefined) return answer;
        // Rarely (a large community's L2 did not match): the other ranges, narrowest first.
        const others = this.#ranges.allAt(value).filter((r) => r !== best);
        for (const range of others.sort(compareRanges)) {
          const answer = accept(range.item);
          if (answer !== undefined) return answer;
        }
      }
    }
    return this.#any ? accept(this.#any.item) : undefined;
  }
}

/** Returns its argument: the `accept` for a lookup that wants the first name. */
function identity(name: string): string {
  return name;
}

/** A decimal number without sign or leading zero, at most `max`; `null` otherwise. */
function decimal(text: string, max: number): number | null {
  if (!/^(0|[1-9]\d{0,9})$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

/** Parses one value pattern; returns what is wrong as a string. */
function parsePattern(text: string, max: number): Pattern | string {
  if (text === "*") return { kind: "any" };
  const number = (part: string): number | string => {
    if (/^0\d/.test(part)) return `number ${part} has a leading zero`;
    if (part.length > 10 || Number(part) > max) return `number ${clip(part)} is above ${max}`;
    return Number(part);
  };
  if (/^\d+$/.test(text)) {
    const value = number(text);
    return typeof value === "string" ? value : { kind: "exact", value };
  }
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) {
    const low = number(range[1]);
    if (typeof low === "string") return low;
    const high = number(range[2]);
    if (typeof high === "string") return high;
    if (low > high) return `range start ${low} is greater than its end ${high}`;
    return { kind: "range", low, high };
  }
  if (/^[\dx]+$/.test(text)) {
    if (text.length > 1 && text[0] === "0") {
      return `pattern ${text} starts with 0 and so matches no value (x stands for a digit ` +
        `and the value must have exactly ${text.length} digits)`;
    }
    if (text.length > String(max).length) {
      return `pattern ${clip(text)} has more digits than ${max}`;
    }
    const smallest = Number(text.replace(/^x/, text.length > 1 ? "1" : "0").replace(/x/g, "0"));
    if (smallest > max) return `pattern ${text} matches no value up to ${max}`;
    return { kind: "x", text };
  }
  return `pattern ${JSON.stringify(clip(text))} is not a number, a range N-M, digits with x ` +
    "(2xx) or *";
}

/** Checks a name; returns it, or what is wrong as a string. */
function checkName(name: unknown): { name: string } | string {
  if (typeof name !== "string") return `name must be a string, not ${describeType(name)}`;
  if (name.trim() === "") return "name is empty";
  if (name.length > MAX_NAME_LENGTH) {
    return `name is ${name.length} characters long, more than ${MAX_NAME_LENGTH}`;
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) {
    return "name contains a control character or line break";
  }
  return { name };
}

/** `an array`, `null`, `a number` … for error messages. */
function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

/** Whether `value` is a JSON object (not null, not an array). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Names for communities, per ASN, written by hand as JSON:
 *
 * ```json
 * {
 *   "3356": { "3": "Lumen: learned in North America", "2xx": "Lumen: region 2xx",
 *             "500-599": "Lumen: customer", "*": "Lumen (other)" },
 *   "large:13335": { "1:*": "Cloudflare: example" }
 * }
 * ```
 *
 * A key is an ASN (0 to 65535) for standard communities, or `large:` and an
 * ASN (0 to 4294967295) for large ones. Each maps value patterns to names.
 * A pattern is a number, a range `N-M` (inclusive), `*`, or digits with `x`
 * standing for any digit: `2xx` is 200 to 299, and `xx` is 10 to 99, because
 * the value must have exactly as many digits as the pattern (numbers are
 * written without leading zeros). Large patterns are `L1:L2`, each part a
 * pattern. Most specific wins: exact, then x-pattern (fewer x first, then
 * the longer fixed prefix), then range (narrowest first, then lowest start),
 * then `*`. For large communities the first part decides first: the most
 * specific L1 pattern with a matching L2 pattern wins, so with `1-9:100` and
 * `*:200`, `3:200` takes the name of `*:200`.
 *
 * Limits: 10,000 patterns and 10,000 keys; names are 1 to 200 characters
 * without control characters. Numbers may not have leading zeros, so no two
 * keys mean the same thing (JSON.parse keeps the last of two identical keys).
 */
export class CommunityDictionary {
  readonly #standard: ReadonlyMap<number, ValueIndex<string>>;
  readonly #large: ReadonlyMap<number, ValueIndex<ValueIndex<string>>>;
  /** Number of patterns (names) in the dictionary. */
  readonly size: number;

  private constructor(
    standard: ReadonlyMap<number, ValueIndex<string>>,
    large: ReadonlyMap<number, ValueIndex<ValueIndex<string>>>,
    size: number,
  ) {
    this.#standard = standard;
    this.#large = large;
    this.size = size;
  }

  /**
   * Validates and indexes a parsed dictionary file. `source` names the file in
   * error messages.
   *
   * @throws {CommunityDictionaryError} naming `source` and the offending entry.
   */
  static parse(json: unknown, source: string): CommunityDictionary {
    const invalid = (entry: string[], problem: string) =>
      new CommunityDictionaryError(source, entry, problem);
    if (!isObject(json)) {
      throw invalid(
        [],
        `the top level must be an object mapping ASNs to patterns, not ${describeType(json)}`,
      );
    }
    const keys = Object.keys(json);
    if (keys.length > MAX_ENTRIES) {
      throw invalid([], `the dictionary has ${keys.length} keys, more than ${MAX_ENTRIES}`);
    }
    const standard = new Map<number, ValueIndex<string>>();
    const large = new Map<number, ValueIndex<ValueIndex<string>>>();
    let size = 0;
    for (const key of keys) {
      const largeKey = /^large:(.*)$/s.exec(key);
      const asn = largeKey ? decimal(largeKey[1], MAX_UINT32) : decimal(key, MAX_UINT16);
      if (asn === null) {
        throw invalid(
          [key],
          largeKey
            ? "a large community key must be large: and an ASN from 0 to 4294967295, " +
              "without leading zeros"
            : "a key must be an ASN from 0 to 65535, without leading zeros " +
              "(or large: and an ASN from 0 to 4294967295)",
        );
      }
      const patterns = json[key];
      if (!isObject(patterns)) {
        throw invalid(
          [key],
          `must be an object mapping patterns to names, not ${describeType(patterns)}`,
        );
      }
      const entries = Object.entries(patterns);
      size += entries.length;
      if (size > MAX_ENTRIES) {
        throw invalid([key], `the dictionary has more than ${MAX_ENTRIES} patterns`);
      }
      const nameOf = (patternKey: string, name: unknown): string => {
        const checked = checkName(name);
        if (typeof checked === "string") throw invalid([key, patternKey], checked);
        return checked.name;
      };
      if (!largeKey) {
        const parsed: [Pattern, string][] = entries.map(([patternKey, name]) => {
          const pattern = parsePattern(patternKey, MAX_UINT16);
          if (typeof pattern === "string") throw invalid([key, patternKey], pattern);
          return [pattern, nameOf(patternKey, name)];
        });
        standard.set(asn, new ValueIndex(parsed));
        continue;
      }
      // Large: the L2 patterns are grouped under their L1 pattern.
      const byFirst = new Map<string, { first: Pattern; second: [Pattern, string][] }>();
      for (const [patternKey, name] of entries) {
        const parts = patternKey.split(":");
        if (parts.length !== 2) {
          throw invalid([key, patternKey], "a large community pattern must be two patterns L1:L2");
        }
        const first = parsePattern(parts[0], MAX_UINT32);
        if (typeof first === "string") throw invalid([key, patternKey], `L1: ${first}`);
        const second = parsePattern(parts[1], MAX_UINT32);
        if (typeof second === "string") throw invalid([key, patternKey], `L2: ${second}`);
        const group = byFirst.get(parts[0]) ?? { first, second: [] };
        group.second.push([second, nameOf(patternKey, name)]);
        byFirst.set(parts[0], group);
      }
      const index = new ValueIndex<ValueIndex<string>>(
        [...byFirst.values()].map(({ first, second }) => [first, new ValueIndex(second)]),
      );
      large.set(asn, index);
    }
    return new CommunityDictionary(standard, large, size);
  }

  /** The dictionary's name for standard community `asn:value`, if any (well-known names are not
   * consulted here; {@link describeCommunities} puts them first). */
  lookupStandard(asn: number, value: number): string | undefined {
    if (!isUint(value, MAX_UINT16)) return undefined;
    return this.#standard.get(asn)?.find(value, identity);
  }

  /** The dictionary's name for large community `global:local1:local2`, if any. */
  lookupLarge(global: number, local1: number, local2: number): string | undefined {
    if (!isUint(local1, MAX_UINT32) || !isUint(local2, MAX_UINT32)) return undefined;
    return this.#large.get(global)?.find(local1, (second) => second.find(local2, identity));
  }
}

/** Whether `value` is an integer from 0 to `max`. */
function isUint(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= max;
}

/**
 * Reads and validates a dictionary file (JSON, UTF-8, an optional byte order
 * mark is ignored; at most 8 MiB).
 *
 * @throws {CommunityDictionaryError} naming the file when it is missing,
 * unreadable, not a regular file, too large, not JSON or invalid.
 */
export async function loadCommunityDictionary(path: string): Promise<CommunityDictionary> {
  let text: string;
  try {
    text = await readBoundedTextFile(path, MAX_FILE_BYTES);
  } catch (error) {
    const problem = !(error instanceof FileReadError)
      ? `cannot be read: ${error instanceof Error ? error.message : String(error)}`
      : error.cause instanceof Deno.errors.NotFound
      ? "file not found"
      : /^it is not a regular file|^it is a directory/.test(error.reason)
      ? "not a regular file"
      : error.reason;
    const cause = error instanceof FileReadError ? error.cause ?? error : error;
    throw new CommunityDictionaryError(path, [], problem, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CommunityDictionaryError(path, [], `not valid JSON: ${detail}`, { cause: error });
  }
  return CommunityDictionary.parse(json, path);
}

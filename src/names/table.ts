/**
 * The loaded AS-names table: AS number → name, address → covering range and
 * origin AS, name search. Pure and synchronous once built; binary search over
 * typed arrays. Special-purpose AS numbers are named from the IANA table, not
 * from the dataset.
 *
 * @module
 */

import {
  type Family,
  FAMILY_BITS,
  formatAddress,
  parseIpv4,
  parseIpv6,
} from "../validation/_ip.ts";
import { type Destination, parseDestination } from "../validation/destination.ts";
import { type SpecialAsn, specialAsn } from "../bgp/special_asns.ts";
import type { DataHeader, TableData } from "./format.ts";
import { foldForSearch, parseSearchText } from "./query.ts";
import { freeText, hasUnsafeCharacters } from "../_text.ts";

/** Longest name passed on (the distiller keeps at most 120 characters). */
const MAX_NAME_LENGTH = 120;

/** Most matches a name search returns. */
export const MAX_SEARCH_RESULTS = 50;

/** Most ranges listed in one answer (counts are always complete). */
export const MAX_LISTED_RANGES = 20;

/** Most CIDR prefixes listed for one range. */
const MAX_LISTED_PREFIXES = 8;

const UTF8 = new TextDecoder();
const LOW_BITS = 64n;
const LOW_MASK = (1n << LOW_BITS) - 1n;

/** How many address ranges the dataset maps to an AS. */
export interface AsRangeCounts {
  /** IPv4 ranges. */
  ipv4: number;
  /** IPv6 ranges. */
  ipv6: number;
}

/** What is known about one AS number. */
export interface AsName {
  /** The AS number. */
  asn: number;
  /** Its name: the dataset's organisation name, or the IANA name of a special-purpose number. */
  name: string | null;
  /** Where `name` comes from (`none` when nobody names it). */
  source: "dataset" | "iana" | "none";
  /** The organisation's country, where the data has one (this dataset has none). */
  country?: string;
  /** The IANA special-purpose block holding the number, if any. */
  special?: SpecialAsn;
  /** Whether the dataset knows the number at all. */
  inDataset: boolean;
  /** How many ranges the dataset maps to it. */
  ranges: AsRangeCounts;
}

/** One dataset range: an inclusive span of addresses and its origin AS. */
export interface AddressRange {
  /** Address family. */
  family: Family;
  /** First address. */
  start: string;
  /** Last address (inclusive). */
  end: string;
  /** The CIDR prefixes that make up the range exactly (at most 8 listed). */
  prefixes: string[];
  /** How many CIDR prefixes make up the range. */
  prefixCount: number;
  /** Origin AS per the dataset. */
  asn: number;
  /** Its name, as {@linkcode AsName.name}. */
  name: string | null;
  /** The IANA special-purpose block holding the origin AS (a bogon origin), if any. */
  special?: SpecialAsn;
}

/** Which dataset ranges hold an address or a prefix. */
export interface OriginAnswer {
  /** The destination in canonical form (`8.8.8.8`, `8.8.8.0/24`). */
  query: string;
  /** Address family. */
  family: Family;
  /** The one range holding the whole address or prefix, or `null`. */
  covering: AddressRange | null;
  /** For a prefix no single range holds: the ranges overlapping it (at most 20 listed). */
  overlapping: AddressRange[];
  /** How many ranges overlap a prefix no single range holds (0 when `covering` is set). */
  overlappingCount: number;
}

/** How a search match was found, best first. */
export type AsMatchKind = "asn" | "exact" | "prefix" | "word" | "substring";

/** One match of a name search. */
export interface AsSearchMatch extends AsName {
  /** How it matched: the AS number itself, the whole name, its start, a word's start, anywhere. */
  match: AsMatchKind;
}

/** The best matches of a name search. */
export interface AsSearchResult {
  /** The search text as folded for matching. */
  query: string;
  /** The best matches, best first (at most the limit asked for). */
  matches: AsSearchMatch[];
  /** How many ASes matched in all. */
  total: number;
}

/** The ranges the dataset maps to one AS (a few listed, all counted). */
export interface AsRangeList {
  /** The AS. */
  asn: number;
  /** Its first IPv4 ranges, in address order. */
  ipv4: AddressRange[];
  /** Its first IPv6 ranges, in address order. */
  ipv6: AddressRange[];
  /** How many there are in all. */
  counts: AsRangeCounts;
}

const MATCH_RANK: Record<AsMatchKind, number> = {
  asn: 0,
  exact: 1,
  prefix: 2,
  word: 3,
  substring: 4,
};

/** The AS-names table. Build it with `loadNames` (lazy, shared) or from decoded data. */
export class NamesTable {
  /** The data's header: build date, source, counts. */
  readonly header: DataHeader;
  #data: TableData;
  #nameStart: Uint32Array;
  #v4Count: Uint32Array;
  #v6Count: Uint32Array;
  #search: { text: string; starts: Uint32Array } | undefined;

  /** Wraps decoded data; `parsePayload` has checked its order and bounds. */
  constructor(header: DataHeader, data: TableData) {
    this.header = header;
    this.#data = data;
    this.#nameStart = lineStarts(data.names, data.asns.length);
    this.#v4Count = new Uint32Array(data.asns.length);
    for (const index of data.v4As) this.#v4Count[index]++;
    this.#v6Count = new Uint32Array(data.asns.length);
    for (const index of data.v6As) this.#v6Count[index]++;
  }

  /** The dataset's build date, `YYYY-MM-DD`. */
  get date(): string {
    return this.header.date;
  }

  /** How many ASes and ranges the table holds. */
  get counts(): DataHeader["counts"] {
    return { ...this.header.counts };
  }

  /**
   * Names one AS number. Never throws for a valid number: an AS the data does
   * not know comes back with `name: null`.
   *
   * @throws {RangeError} if `asn` is not an integer from 0 to 4294967295
   */
  asName(asn: number): AsName {
    const special = specialAsn(asn);
    const index = this.#asIndex(asn);
    return this.#describe(asn, index, special);
  }

  /**
   * The dataset's origin for an address or prefix: the range holding it and
   * that range's AS, or, for a prefix that spans several ranges, the ones that
   * overlap it. Text is validated exactly as a route_lookup destination.
   *
   * @throws {InvalidDestinationError} for text that is not a global unicast address or prefix
   */
  originOf(destination: string | Destination): OriginAnswer {
    const target = typeof destination === "string" ? parseDestination(destination) : destination;
    const { family, length } = target;
    const network = (family === "ipv4" ? parseIpv4(target.address) : parseIpv6(target.address))!;
    const hostBits = BigInt(FAMILY_BITS[family] - length);
    const last = network | ((1n << hostBits) - 1n);
    const query = target.canonical;
    const first = this.#floor(family, network);
    if (first >= 0 && this.#end(family, first) >= last) {
      return {
        query,
        family,
        covering: this.#range(family, first),
        overlapping: [],
        overlappingCount: 0,
      };
    }
    // No single range holds it: list the ranges that overlap [network, last].
    const from = first >= 0 && this.#end(family, first) >= network ? first : first + 1;
    const to = this.#floor(family, last);
    const overlappingCount = Math.max(0, to - from + 1);
    const overlapping: AddressRange[] = [];
    for (let i = from; i <= to && overlapping.length < MAX_LISTED_RANGES; i++) {
      overlapping.push(this.#range(family, i));
    }
    return { query, family, covering: null, overlapping, overlappingCount };
  }

  /**
   * The ASes whose name contains `text` (folded: case, accents and runs of
   * space ignored), best first: the AS number itself when `text` is one, then
   * whole-name, name-start, word-start and other matches; within each, the AS
   * with more ranges first, then the lower number.
   *
   * @throws {InvalidAsSearchError} if `text` is empty, too long or holds control characters
   */
  searchAs(text: string, limit = 10): AsSearchResult {
    const query = parseSearchText(text);
    const cap = Math.max(1, Math.min(MAX_SEARCH_RESULTS, Math.trunc(limit) || 1));
    const best = new Map<number, number>(); // AS index → best match rank
    const index = this.#searchIndex();
    for (let at = index.text.indexOf(query); at >= 0; at = index.text.indexOf(query, at + 1)) {
      const i = upperBound(index.starts, at) - 1;
      const start = index.starts[i];
      const nameLength = index.starts[i + 1] - 1 - start;
      const kind: AsMatchKind = at === start
        ? (query.length === nameLength ? "exact" : "prefix")
        : (isWordChar(index.text.charCodeAt(at - 1)) ? "substring" : "word");
      const rank = MATCH_RANK[kind];
      if (rank < (best.get(i) ?? Infinity)) best.set(i, rank);
    }
    const numeric = asnInText(query);
    const ordered = [...best.entries()].sort(([a, ra], [b, rb]) =>
      ra - rb || this.#rangeTotal(b) - this.#rangeTotal(a) ||
      this.#data.asns[a] - this.#data.asns[b]
    );
    const kinds = Object.keys(MATCH_RANK) as AsMatchKind[];
    const matches: AsSearchMatch[] = [];
    let total = best.size;
    if (numeric !== null) {
      const named = this.asName(numeric);
      if (named.source !== "none") {
        matches.push({ ...named, match: "asn" });
        if (!best.has(this.#asIndex(numeric))) total++;
      }
    }
    for (const [i, rank] of ordered) {
      if (matches.length >= cap) break;
      const asn = this.#data.asns[i];
      if (asn === numeric) continue;
      matches.push({ ...this.#describe(asn, i, specialAsn(asn)), match: kinds[rank] });
    }
    return { query, matches, total };
  }

  /**
   * The ranges the dataset maps to `asn`: the first `limit` of each family
   * in address order, and how many there are.
   *
   * @throws {RangeError} if `asn` is not an integer from 0 to 4294967295
   */
  rangesOf(asn: number, limit = 5): AsRangeList {
    specialAsn(asn); // validates
    const index = this.#asIndex(asn);
    const cap = Math.max(0, Math.min(MAX_LISTED_RANGES, Math.trunc(limit) || 0));
    const list = (family: Family, owners: Uint32Array): AddressRange[] => {
      const out: AddressRange[] = [];
      if (index < 0) return out;
      for (let i = 0; i < owners.length && out.length < cap; i++) {
        if (owners[i] === index) out.push(this.#range(family, i));
      }
      return out;
    };
    return {
      asn,
      ipv4: list("ipv4", this.#data.v4As),
      ipv6: list("ipv6", this.#data.v6As),
      counts: {
        ipv4: index < 0 ? 0 : this.#v4Count[index],
        ipv6: index < 0 ? 0 : this.#v6Count[index],
      },
    };
  }

  #describe(asn: number, index: number, special: SpecialAsn | undefined): AsName {
    const datasetName = index >= 0 ? this.#name(index) : null;
    const ranges = {
      ipv4: index >= 0 ? this.#v4Count[index] : 0,
      ipv6: index >= 0 ? this.#v6Count[index] : 0,
    };
    // A bogon number is named by IANA whatever the dataset calls it.
    const useIana = special !== undefined && (special.bogon || datasetName === null);
    const name = useIana ? special.name : datasetName;
    const source = useIana ? "iana" : name === null ? "none" : "dataset";
    return {
      asn,
      name,
      source,
      ...(special ? { special } : {}),
      inDataset: index >= 0,
      ranges,
    };
  }

  #asIndex(asn: number): number {
    const asns = this.#data.asns;
    const i = upperBound(asns, asn) - 1;
    return i >= 0 && asns[i] === asn ? i : -1;
  }

  #name(index: number): string | null {
    const start = this.#nameStart[index];
    const end = this.#nameStart[index + 1] - 1;
    if (end <= start) return null;
    const name = UTF8.decode(this.#data.names.subarray(start, end));
    // The distiller writes clean names; a data file given with --names-data is not trusted to.
    return hasUnsafeCharacters(name) ? freeText(name, MAX_NAME_LENGTH) : name;
  }

  #rangeTotal(index: number): number {
    return this.#v4Count[index] + this.#v6Count[index];
  }

  /** Index of the last range starting at or before `value`, or -1. */
  #floor(family: Family, value: bigint): number {
    const d = this.#data;
    if (family === "ipv4") return upperBound(d.v4Start, Number(value)) - 1;
    const hi = value >> LOW_BITS;
    const lo = value & LOW_MASK;
    let low = 0;
    let high = d.v6StartHi.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const h = d.v6StartHi[middle];
      if (h < hi || (h === hi && d.v6StartLo[middle] <= lo)) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }

  #start(family: Family, i: number): bigint {
    const d = this.#data;
    return family === "ipv4" ? BigInt(d.v4Start[i]) : (d.v6StartHi[i] << LOW_BITS) | d.v6StartLo[i];
  }

  #end(family: Family, i: number): bigint {
    const d = this.#data;
    return family === "ipv4" ? BigInt(d.v4End[i]) : (d.v6EndHi[i] << LOW_BITS) | d.v6EndLo[i];
  }

  #range(family: Family, i: number): AddressRange {
    const start = this.#start(family, i);
    const end = this.#end(family, i);
    const index = family === "ipv4" ? this.#data.v4As[i] : this.#data.v6As[i];
    const asn = this.#data.asns[index];
    const named = this.#describe(asn, index, specialAsn(asn));
    const { prefixes, count } = rangePrefixes(family, start, end);
    return {
      family,
      start: formatAddress(family, start),
      end: formatAddress(family, end),
      prefixes,
      prefixCount: count,
      asn,
      name: named.name,
      ...(named.special ? { special: named.special } : {}),
    };
  }

  /** The names folded for searching, built on the first search (a few MB, kept). */
  #searchIndex(): { text: string; starts: Uint32Array } {
    if (this.#search) return this.#search;
    const text = foldForSearch(UTF8.decode(this.#data.names));
    this.#search = { text, starts: lineStarts(text, this.#data.asns.length) };
    return this.#search;
  }
}

/**
 * Start offsets of `count` lines joined by `\n` (in a string or UTF-8 bytes),
 * plus one past the end (length + 1).
 */
function lineStarts(text: string | Uint8Array, count: number): Uint32Array {
  const starts = new Uint32Array(count + 1);
  const next = typeof text === "string"
    ? (from: number) => text.indexOf("\n", from)
    : (from: number) => text.indexOf(0x0a, from);
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = at;
    const newline = next(at);
    at = newline < 0 ? text.length + 1 : newline + 1;
  }
  starts[count] = text.length + 1;
  return starts;
}

/** The first index whose value is greater than `value` (arrays ascending). */
function upperBound(values: Uint32Array, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function isWordChar(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || code > 0x7f;
}

/** The AS number a folded search text names (`3356`, `as3356`), or `null`. */
function asnInText(query: string): number | null {
  const match = /^(?:as ?)?(\d{1,10})$/.exec(query);
  if (!match) return null;
  const value = Number(match[1]);
  return value <= 0xffff_ffff ? value : null;
}

/** `8.8.8.0/24`, or `4.0.0.0-4.4.61.191` for a range that is not one CIDR block. */
export function rangeText(range: AddressRange): string {
  return range.prefixCount === 1 ? range.prefixes[0] : `${range.start}-${range.end}`;
}

/**
 * The CIDR prefixes that make up [start, end] exactly, the first few listed
 * and all counted.
 */
export function rangePrefixes(
  family: Family,
  start: bigint,
  end: bigint,
): { prefixes: string[]; count: number } {
  const bits = FAMILY_BITS[family];
  const prefixes: string[] = [];
  let count = 0;
  let at = start;
  while (at <= end) {
    let size = 0; // host bits of the block
    while (size < bits && ((at >> BigInt(size)) & 1n) === 0n) size++;
    while (size > 0 && at + (1n << BigInt(size)) - 1n > end) size--;
    count++;
    if (prefixes.length < MAX_LISTED_PREFIXES) {
      prefixes.push(`${formatAddress(family, at)}/${bits - size}`);
    }
    at += 1n << BigInt(size);
  }
  return { prefixes, count };
}

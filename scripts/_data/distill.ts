/**
 * Distils the rows of `@ip-location-db/asn` (`start,end,asn,organisation`)
 * into sorted, disjoint ranges and one name per AS, repairing what the npm
 * copy is known to get wrong and counting every repair. Pure.
 *
 * Repairs (counted in the header's `repairs`):
 * - overlapping ranges: the smaller range wins where two overlap;
 * - ranges entirely in non-global space (IANA special-purpose registries, the
 *   same table destinations are checked against; IPv6 outside 2000::/3):
 *   dropped, since no lookup can ask for them;
 * - names: control and format characters become spaces, space runs collapse,
 *   names longer than 120 characters are shortened, a placeholder name
 *   (`AS65002` for AS 65002) becomes no name, and an AS given several names
 *   keeps the one on most rows.
 *
 * Rows that cannot be parsed are not repaired: they fail the run.
 *
 * @module
 */

import { type Family, maskFor, parseIpv4, parseIpv6 } from "../../src/validation/_ip.ts";
import {
  IPV4_REFUSED,
  IPV6_GLOBAL_UNICAST,
  IPV6_REFUSED,
  type RefusedBlock,
} from "../../src/validation/_special_ranges.ts";

/** Longest AS name kept. */
export const MAX_NAME_LENGTH = 120;

/** One distilled range: inclusive bounds and the index of its AS. */
export interface DistilledRange {
  /** First address. */
  start: bigint;
  /** Last address (inclusive). */
  end: bigint;
  /** Index into {@linkcode Distilled.asns}. */
  as: number;
}

/** The distilled table, ready to encode. */
export interface Distilled {
  /** AS numbers, ascending. */
  asns: number[];
  /** One name per AS (`null` for none), in `asns` order. */
  names: (string | null)[];
  /** IPv4 ranges, ascending and disjoint. */
  ipv4: DistilledRange[];
  /** IPv6 ranges, ascending and disjoint. */
  ipv6: DistilledRange[];
  /** What was repaired or dropped, by reason. */
  repairs: Record<string, number>;
}

/** A row that could not be parsed. */
export class RowError extends SyntaxError {
  /** Creates the error. */
  constructor(file: string, line: number, problem: string) {
    super(`${file} line ${line}: ${problem}`);
    this.name = "RowError";
  }
}

interface Row {
  start: bigint;
  end: bigint;
  asn: number;
}

/** Cleans one organisation name; `null` when nothing useful is left. */
export function cleanName(
  raw: string,
  asn: number,
  repairs: Record<string, number> = {},
): string | null {
  let name = raw.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, " ");
  if (name !== raw) count(repairs, "controlCharactersReplaced");
  name = name.replace(/\s+/g, " ").trim();
  if (name === "" || name.toUpperCase() === `AS${asn}`) {
    count(repairs, "placeholderNames");
    return null;
  }
  if (name.length > MAX_NAME_LENGTH) {
    count(repairs, "namesShortened");
    name = `${[...name].slice(0, MAX_NAME_LENGTH - 1).join("")}…`;
  }
  return name;
}

/**
 * Distils the parsed CSV rows of both files. `rows4` and `rows6` are the
 * records of `asn-ipv4.csv` and `asn-ipv6.csv` (addresses in text form).
 *
 * @throws {RowError} for a row that is not `start,end,asn,name` with valid addresses
 */
export function distill(rows4: string[][], rows6: string[][]): Distilled {
  const repairs: Record<string, number> = {};
  const nameVotes = new Map<number, Map<string | null, number>>();
  const parse = (rows: string[][], family: Family, file: string): Row[] => {
    const out: Row[] = [];
    rows.forEach((row, i) => {
      const line = i + 1;
      if (row.length !== 4) {
        throw new RowError(file, line, `expected 4 fields, found ${row.length}`);
      }
      const [startText, endText, asnText, nameText] = row;
      const parseAddress = family === "ipv4" ? parseIpv4 : parseIpv6;
      const start = parseAddress(startText);
      const end = parseAddress(endText);
      if (start === null || end === null) {
        throw new RowError(file, line, `${startText}-${endText} is not an ${family} range`);
      }
      if (!/^\d{1,10}$/.test(asnText) || Number(asnText) > 0xffff_ffff) {
        throw new RowError(file, line, `${JSON.stringify(asnText)} is not an AS number`);
      }
      if (start > end) {
        throw new RowError(file, line, `${startText}-${endText} ends before it starts`);
      }
      const asn = Number(asnText);
      const name = cleanName(nameText, asn, repairs);
      const votes = nameVotes.get(asn) ?? new Map<string | null, number>();
      votes.set(name, (votes.get(name) ?? 0) + 1);
      nameVotes.set(asn, votes);
      if (nonGlobal(family, start, end)) {
        count(repairs, `${family}NonGlobalDropped`);
        return;
      }
      out.push({ start, end, asn });
    });
    return out;
  };
  const v4 = disjoint(parse(rows4, "ipv4", "asn-ipv4.csv"), repairs, "ipv4");
  const v6 = disjoint(parse(rows6, "ipv6", "asn-ipv6.csv"), repairs, "ipv6");

  const asns = [...new Set([...v4, ...v6].map((r) => r.asn))].sort((a, b) => a - b);
  const index = new Map(asns.map((asn, i) => [asn, i]));
  const names = asns.map((asn) => {
    const votes = [...nameVotes.get(asn)!.entries()];
    if (votes.length > 1) count(repairs, "asesWithSeveralNames");
    // Most rows first; a real name before none; then the lowest in code-point order.
    votes.sort(([a, x], [b, y]) =>
      y - x || (a === null ? 1 : 0) - (b === null ? 1 : 0) ||
      (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0)
    );
    return votes[0][0];
  });
  const toRange = (r: Row): DistilledRange => ({
    start: r.start,
    end: r.end,
    as: index.get(r.asn)!,
  });
  return { asns, names, ipv4: v4.map(toRange), ipv6: v6.map(toRange), repairs };
}

/** Whether [start, end] lies entirely in space no lookup can ask for. */
function nonGlobal(family: Family, start: bigint, end: bigint): boolean {
  const all = (1n << BigInt(family === "ipv4" ? 32 : 128)) - 1n;
  const last = (network: bigint, length: number) => network | (~maskFor(family, length) & all);
  if (family === "ipv6") {
    // Entirely outside 2000::/3 (a range crossing its edge is kept).
    const g = IPV6_GLOBAL_UNICAST;
    if (end < g.network || start > last(g.network, g.length)) return true;
  }
  const table: readonly RefusedBlock[] = family === "ipv4" ? IPV4_REFUSED : IPV6_REFUSED;
  return table.some((entry) => {
    const mask = maskFor(family, entry.block.length);
    const inside = (value: bigint) => (value & mask) === entry.block.network;
    if (!inside(start) || !inside(end)) return false;
    // Unless it touches a globally reachable exception inside the block.
    return !entry.except.some((allowed) =>
      start <= last(allowed.network, allowed.length) && end >= allowed.network
    );
  });
}

/** Sorts rows and resolves overlaps (the smaller range wins), counting each one resolved. */
function disjoint(rows: Row[], repairs: Record<string, number>, family: Family): Row[] {
  let current = rows;
  for (let pass = 0; pass < 8; pass++) {
    current = [...current].sort((a, b) =>
      a.start < b.start ? -1 : a.start > b.start ? 1 : a.end > b.end ? -1 : a.end < b.end ? 1 : 0
    );
    const out: Row[] = [];
    let overlaps = 0;
    for (const row of current) {
      const last = out[out.length - 1];
      if (!last || last.end < row.start) {
        out.push(row);
        continue;
      }
      overlaps++;
      out.pop();
      out.push(...resolve(last, row));
    }
    if (overlaps === 0) return current;
    count(repairs, `${family}OverlapsResolved`, overlaps);
    current = out;
  }
  throw new RangeError(`${family} ranges still overlap after 8 passes`);
}

/** Two overlapping rows as disjoint pieces, in address order: the smaller one wins. */
function resolve(first: Row, second: Row): Row[] {
  const [a, b] = first.start <= second.start ? [first, second] : [second, first];
  const size = (r: Row) => r.end - r.start;
  if (size(b) <= size(a)) {
    const pieces: Row[] = [];
    if (a.start < b.start) pieces.push({ ...a, end: b.start - 1n });
    pieces.push(b);
    if (a.end > b.end) pieces.push({ ...a, start: b.end + 1n });
    return pieces;
  }
  return b.end > a.end ? [a, { ...b, start: a.end + 1n }] : [a];
}

function count(repairs: Record<string, number>, key: string, by = 1): void {
  repairs[key] = (repairs[key] ?? 0) + by;
}

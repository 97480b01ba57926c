/**
 * Sanity checks on a distilled AS-names table before it is written: enough
 * rows, enough IPv4 space covered, known addresses mapped to their known
 * origin and known ASes named as expected. The npm copy of the dataset is
 * known to carry bugs (its README says so) and a refresh can lose whole
 * blocks, so a table that fails any check is not written. Pure.
 *
 * @module
 */

import type { NamesTable } from "../../src/names/table.ts";
import type { Distilled } from "./distill.ts";

/** What a full table must have. */
export interface SanityLimits {
  /** Fewest IPv4 ranges. */
  minIpv4Ranges: number;
  /** Fewest IPv6 ranges. */
  minIpv6Ranges: number;
  /** Fewest ASes. */
  minAses: number;
  /** Fewest IPv4 addresses mapped to an AS. */
  minIpv4Addresses: number;
  /** Most overlapping ranges repaired. */
  maxOverlaps: number;
  /** Most ranges dropped as non-global space. */
  maxDropped: number;
  /** Addresses that must map to these origins. */
  origins: readonly [string, number][];
  /** ASes whose name must match. */
  names: readonly [number, RegExp][];
}

/** The limits for the real dataset (about 412k IPv4 and 103k IPv6 ranges, 91k ASes in 2026). */
export const FULL_TABLE: SanityLimits = {
  minIpv4Ranges: 300_000,
  minIpv6Ranges: 60_000,
  minAses: 70_000,
  minIpv4Addresses: 2_800_000_000,
  maxOverlaps: 1000,
  maxDropped: 1000,
  origins: [
    ["8.8.8.8", 15169],
    ["1.1.1.1", 13335],
    ["4.2.2.2", 3356],
    ["2001:4860:4860::8888", 15169],
    ["2606:4700:4700::1111", 13335],
  ],
  names: [
    [15169, /google/i],
    [13335, /cloudflare/i],
    [3356, /level 3|lumen/i],
    [174, /cogent/i],
  ],
};

/** Every way `table` (decoded from `distilled`) falls short of `limits`; empty when it passes. */
export function sanityProblems(
  distilled: Distilled,
  table: NamesTable,
  limits: SanityLimits = FULL_TABLE,
): string[] {
  const problems: string[] = [];
  const { ipv4, ipv6, asns, repairs } = distilled;
  if (ipv4.length < limits.minIpv4Ranges) {
    problems.push(`only ${ipv4.length} IPv4 ranges (expected at least ${limits.minIpv4Ranges})`);
  }
  if (ipv6.length < limits.minIpv6Ranges) {
    problems.push(`only ${ipv6.length} IPv6 ranges (expected at least ${limits.minIpv6Ranges})`);
  }
  if (asns.length < limits.minAses) {
    problems.push(`only ${asns.length} ASes (expected at least ${limits.minAses})`);
  }
  const covered = ipv4.reduce((sum, r) => sum + Number(r.end - r.start + 1n), 0);
  if (covered < limits.minIpv4Addresses) {
    problems.push(
      `only ${covered} IPv4 addresses mapped (expected at least ${limits.minIpv4Addresses})`,
    );
  }
  const overlaps = (repairs.ipv4OverlapsResolved ?? 0) + (repairs.ipv6OverlapsResolved ?? 0);
  if (overlaps > limits.maxOverlaps) {
    problems.push(`${overlaps} overlapping ranges (expected at most ${limits.maxOverlaps})`);
  }
  const dropped = (repairs.ipv4NonGlobalDropped ?? 0) + (repairs.ipv6NonGlobalDropped ?? 0);
  if (dropped > limits.maxDropped) {
    problems.push(`${dropped} ranges in non-global space (expected at most ${limits.maxDropped})`);
  }
  for (const [address, asn] of limits.origins) {
    const got = table.originOf(address).covering?.asn;
    if (got !== asn) problems.push(`${address} maps to ${got ?? "nothing"}, expected AS${asn}`);
  }
  for (const [asn, pattern] of limits.names) {
    const name = table.asName(asn).name;
    if (name === null || !pattern.test(name)) {
      problems.push(`AS${asn} is named ${JSON.stringify(name)}, expected ${pattern}`);
    }
  }
  return problems;
}

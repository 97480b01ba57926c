/**
 * Path filters applied to the paths a server returned — never table-walking
 * regex commands on a public server. Validated before anything is sent.
 *
 * @module
 */

import { compileAsPathPattern } from "./as_path_regex.ts";
import { normalizeCommunity, parseAsn } from "../bgp/values.ts";
import { quoted } from "../_text.ts";
import { InvalidFilterError } from "../errors.ts";
import type { BgpPath } from "../bgp/types.ts";

export { InvalidFilterError } from "../errors.ts";

/** What a user may filter on. */
export interface PathFilters {
  /** Only paths originated by this AS. */
  originAs?: number;
  /** Only paths whose AS path contains this AS. */
  asPathContains?: number;
  /** Only paths whose AS path matches this Cisco-style regular expression (`_15169$`). */
  asPathRegex?: string;
  /** Only paths carrying this community: `ASN:VALUE`, a well-known name, or a large `GA:LD1:LD2`. */
  community?: string;
  /** Only the best path. */
  bestOnly?: boolean;
}

/** Whether any filter is set. */
export function hasFilters(filters: PathFilters): boolean {
  return Object.values(filters).some((value) => value !== undefined && value !== false);
}

/**
 * Validates the filters and returns a predicate over paths.
 *
 * @throws {InvalidFilterError} for an invalid ASN, pattern or community
 */
export function compileFilters(filters: PathFilters): (path: BgpPath) => boolean {
  const tests: ((path: BgpPath) => boolean)[] = [];
  for (const key of ["originAs", "asPathContains"] as const) {
    const asn = filters[key];
    if (asn === undefined) continue;
    if (!Number.isInteger(asn) || asn < 0 || asn > 0xffffffff) {
      throw new InvalidFilterError(key, `${key} must be an AS number from 0 to 4294967295`);
    }
    tests.push(key === "originAs" ? (p) => p.originAs === asn : (p) => p.asPath.includes(asn));
  }
  if (filters.asPathRegex !== undefined) {
    let pattern;
    try {
      pattern = compileAsPathPattern(filters.asPathRegex);
    } catch (error) {
      throw new InvalidFilterError("asPathRegex", (error as Error).message);
    }
    tests.push((p) => pattern.test(p.asPathText));
  }
  if (filters.community !== undefined) {
    const wanted = parseCommunityFilter(filters.community);
    tests.push(
      wanted.large
        ? (p) => p.largeCommunities.includes(wanted.value)
        : (p) => p.communities.includes(wanted.value),
    );
  }
  if (filters.bestOnly) tests.push((p) => p.best);
  return (path) => tests.every((test) => test(path));
}

function parseCommunityFilter(text: string): { value: string; large: boolean } {
  const trimmed = text.trim();
  const large = /^(\d{1,10}):(\d{1,10}):(\d{1,10})$/.exec(trimmed);
  if (large && large.slice(1).every((part) => parseAsn(part) !== null)) {
    return { value: large.slice(1).map(Number).join(":"), large: true };
  }
  const standard = normalizeCommunity(trimmed);
  if (standard && /^\d+:\d+$/.test(standard) && trimmed.length <= 32) {
    return { value: standard, large: false };
  }
  throw new InvalidFilterError(
    "community",
    `${quoted(trimmed, 40)} is not a community: use ASN:VALUE (3356:3), a well-known ` +
      "name (no-export, blackhole) or a large community (13335:1:2)",
  );
}

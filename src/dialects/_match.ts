/**
 * How IOS and FRR express the match modes: both look up the longest match for
 * an address and the exact prefix for a prefix; neither can do a longest match
 * for a prefix. Internal: the dialect modules use it.
 *
 * @module
 */

import { UnsupportedQueryError } from "../errors.ts";
import type { Destination } from "../validation/destination.ts";
import type { MatchMode } from "../bgp/types.ts";

/**
 * The destination text to put in the command for a `longest` or `exact` match.
 *
 * @throws {UnsupportedQueryError} for a longest match of a prefix, or `orlonger`
 */
export function matchTarget(
  destination: Destination,
  match: MatchMode | undefined,
  dialect: { id: string; label: string },
): string {
  const mode = match ?? (destination.kind === "address" ? "longest" : "exact");
  if (mode === "orlonger") {
    throw new UnsupportedQueryError(
      "An orlonger match lists several prefixes; it has its own query",
      { dialect: dialect.id },
    );
  }
  if (mode === "longest") {
    if (destination.kind === "address") return destination.canonical;
    throw new UnsupportedQueryError(
      `${dialect.label} servers cannot look up the longest match for a prefix (${destination.canonical}). ` +
        'Ask for match "exact", give an address instead, or use a Junos server',
      { dialect: dialect.id },
    );
  }
  // An exact match of an address is its host route.
  return destination.kind === "prefix"
    ? destination.canonical
    : `${destination.address}/${destination.family === "ipv4" ? 32 : 128}`;
}

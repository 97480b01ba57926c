/**
 * Builders for the findings and picture tests: paths, routes and outcomes
 * shaped like the parsers' output, and a minimal special-ASN table (the real
 * IANA table is src/bgp/special_asns.ts, issue 12).
 *
 * @module
 */

import type { VantageOutcome } from "../../src/bgp/consensus.ts";
import type { SpecialAsn } from "../../src/findings/types.ts";
import type { BgpPath, ParsedRoute, RpkiState } from "../../src/bgp/types.ts";

/** Options for {@linkcode path}. */
export interface PathOptions {
  best?: boolean;
  valid?: boolean;
  rpki?: RpkiState;
  originAs?: number | null;
  asPathText?: string;
  prefix?: string;
}

/** A path with the AS path given (nearest first). */
export function path(asPath: number[], options: PathOptions = {}): BgpPath & { prefix?: string } {
  return {
    best: options.best ?? false,
    valid: options.valid ?? true,
    asPath,
    asPathText: options.asPathText ?? asPath.join(" "),
    originAs: options.originAs === undefined ? (asPath.at(-1) ?? null) : options.originAs,
    origin: "IGP",
    nextHop: "198.51.100.1",
    peer: { address: "198.51.100.1" },
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
    ...(options.rpki ? { rpki: options.rpki } : {}),
    ...(options.prefix ? { prefix: options.prefix } : {}),
  };
}

/** A best path. */
export function best(asPath: number[], options: PathOptions = {}): BgpPath {
  return path(asPath, { ...options, best: true });
}

/** A found route. */
export function route(prefix: string, ...paths: BgpPath[]): ParsedRoute {
  return { found: true, prefix, paths, totalPaths: paths.length };
}

/** A server that answered without a route. */
export const NOT_FOUND: ParsedRoute = { found: false, prefix: null, paths: [], totalPaths: 0 };

/** An outcome. */
export function at(server: string, answer: ParsedRoute | null): VantageOutcome {
  return { server, route: answer };
}

/** The same best path at `n` servers `rv1`…`rvN` for one prefix. */
export function everywhere(n: number, prefix: string, asPath: number[]): VantageOutcome[] {
  return Array.from({ length: n }, (_, i) => at(`rv${i + 1}`, route(prefix, best(asPath))));
}

/** A few IANA special-purpose ASNs, enough for the tests. */
export function testSpecialAsn(asn: number): SpecialAsn | undefined {
  if (asn === 0) return { kind: "reserved", name: "AS 0", rfc: "RFC 7607" };
  if (asn === 23456) return { kind: "as-trans", name: "AS_TRANS", rfc: "RFC 6793" };
  if (asn >= 64496 && asn <= 64511) return { kind: "documentation", rfc: "RFC 5398" };
  if (asn >= 65536 && asn <= 65551) return { kind: "documentation", rfc: "RFC 5398" };
  if (asn >= 64512 && asn <= 65534) return { kind: "private-use", rfc: "RFC 6996" };
  if (asn >= 4200000000 && asn <= 4294967294) return { kind: "private-use", rfc: "RFC 6996" };
  if (asn === 65535 || asn === 4294967295) return { kind: "reserved", rfc: "RFC 7300" };
  return undefined;
}

/** Names for a few real ASes. */
export function testAsName(asn: number): string | undefined {
  return ({ 3356: "Lumen", 174: "Cogent", 15169: "Google", 1299: "Arelion", 6939: "HE" } as Record<
    number,
    string
  >)[asn];
}

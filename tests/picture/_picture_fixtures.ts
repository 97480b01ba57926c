/**
 * Fixed inputs for the picture tests, the benchmark and the README example:
 * a made-up hijack of 8.8.8.0/24 seen from eight Route Views collectors (a
 * more-specific /25 from a documentation ASN), and a seeded synthetic fan-out
 * of any size.
 *
 * @module
 */

import type { VantageOutcome } from "../../src/bgp/consensus.ts";
import { at, best, NOT_FOUND, path, route } from "../findings/_findings_fixtures.ts";
import { prng } from "../harness/prng.ts";

/** AS names for the examples (the offline dataset's job in the product). */
export const EXAMPLE_NAMES: Readonly<Record<number, string>> = {
  174: "Cogent",
  1299: "Arelion",
  2914: "NTT",
  3257: "GTT",
  3356: "Lumen",
  6453: "Tata",
  6939: "Hurricane Electric",
  15169: "Google",
  64511: "Example hijacker",
};

/** Names lookup over {@linkcode EXAMPLE_NAMES}. */
export function exampleName(asn: number): string | undefined {
  return EXAMPLE_NAMES[asn];
}

/** Eight collectors: six see the /24 from AS15169, two a /25 from AS64511, one has nothing. */
export const EXAMPLE: readonly VantageOutcome[] = [
  at(
    "route-views2",
    route("8.8.8.0/24", best([3356, 15169], { rpki: "valid" }), path([174, 15169])),
  ),
  at("route-views.linx", route("8.8.8.0/24", best([1299, 15169], { rpki: "valid" }))),
  at("route-views.amsix", route("8.8.8.0/24", best([6939, 15169]))),
  at("route-views.eqix", route("8.8.8.0/24", best([2914, 3356, 15169]))),
  at("route-views.sg", route("8.8.8.0/25", best([6453, 64511, 64511, 64511]))),
  at("route-views.sydney", route("8.8.8.0/25", best([3257, 6453, 64511]))),
  at("route-views.wide", route("8.8.8.0/24", best([2914, 15169], { rpki: "valid" }))),
  at("route-views.napafrica", NOT_FOUND),
];

/**
 * `n` vantage points, seeded, shaped like a real fan-out: each collector's
 * peer is a regional network that reaches the origin through one or two
 * transit-free networks (sometimes a second regional network first), and a
 * few peers are transit-free networks themselves.
 */
export function syntheticFanOut(n: number, seed = 7): VantageOutcome[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const transit = [174, 1299, 2914, 3257, 3356, 6453, 6762, 3491];
  const regional = Array.from({ length: 24 }, (_, i) => 20000 + i * 37);
  return Array.from({ length: n }, (_, i) => {
    const asPath: number[] = [];
    if (random() < 0.85) asPath.push(pick(regional));
    if (random() < 0.25) asPath.push(pick(regional));
    asPath.push(pick(transit));
    if (random() < 0.3) asPath.push(pick(transit));
    asPath.push(15169);
    const unique = asPath.filter((a, j) => j === 0 || a !== asPath[j - 1]);
    return at(`collector-${String(i + 1).padStart(2, "0")}`, route("8.8.8.0/24", best(unique)));
  });
}

/** How README's example picture is drawn: a little larger than a tool's default. */
export const EXAMPLE_OPTIONS = { scale: 1.25 } as const;

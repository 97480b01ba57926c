/**
 * Large transit networks for the route-leak heuristic: the networks usually
 * called "Tier 1" — they reach the whole Internet through customers and
 * settlement-free peers and buy no transit — grouped by organisation, with
 * the sibling ASNs an organisation routes as one network.
 *
 * Sources (reviewed 2025): the list of Tier 1 networks in Wikipedia's
 * "Tier 1 network" article (its ASNs), cross-checked against the largest
 * customer cones in CAIDA's AS Rank (https://asrank.caida.org). The list is a
 * snapshot: a network that joins or leaves the set, or a sibling ASN missing
 * here, makes the heuristic miss a leak or flag a path that is fine.
 * Hurricane Electric (AS6939) is left out on purpose: it is very large but
 * not transit-free (no IPv6 peering with Cogent), so a path through it
 * between two of these is exactly what the heuristic is meant to catch.
 *
 * @module
 */

/** One transit-free network: a name and the ASNs it routes as one. */
export interface TransitNetwork {
  /** Organisation. */
  name: string;
  /** Its ASNs (main one first). */
  asns: readonly number[];
}

/** The transit-free networks the heuristic knows. */
export const LARGE_TRANSIT: readonly TransitNetwork[] = [
  { name: "Arelion (Telia Carrier)", asns: [1299] },
  { name: "AT&T", asns: [7018] },
  { name: "Cogent", asns: [174] },
  { name: "Deutsche Telekom", asns: [3320] },
  { name: "GTT", asns: [3257] },
  { name: "Liberty Global", asns: [6830] },
  { name: "Lumen (Level 3, CenturyLink, Qwest)", asns: [3356, 3549, 209] },
  { name: "NTT", asns: [2914] },
  { name: "Orange", asns: [5511] },
  { name: "PCCW Global", asns: [3491] },
  { name: "Sparkle (Telecom Italia)", asns: [6762] },
  { name: "Tata Communications", asns: [6453] },
  { name: "Telxius (Telefónica)", asns: [12956] },
  { name: "Verizon", asns: [701, 702, 703] },
  { name: "Zayo", asns: [6461] },
];

const BY_ASN = new Map(LARGE_TRANSIT.flatMap((n) => n.asns.map((asn) => [asn, n] as const)));

/** The transit-free network an ASN belongs to, `undefined` for any other. */
export function largeTransit(asn: number): TransitNetwork | undefined {
  return BY_ASN.get(asn);
}

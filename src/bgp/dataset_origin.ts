/**
 * The live origin against the dataset's: for each prefix the route servers
 * matched, the origin ASes they saw on valid paths and the origin the offline
 * dataset gives for it. An origin the dataset does not give is evidence of a
 * recent change, a hijack or a leak (or of a stale dataset): worth a look,
 * never proof. Pure: the dataset lookup is passed in.
 *
 * @module
 */

import type { VantageOutcome } from "./consensus.ts";

/** One origin the dataset gives for a prefix. */
export interface DatasetOrigin {
  /** The origin AS per the dataset. */
  asn: number;
  /** Its name, when known. */
  name: string | null;
  /** The dataset's range it comes from: a prefix, or `first-last` when not one CIDR block. */
  range: string;
}

/** What the dataset says for one prefix, as `checkDatasetOrigins` needs it. */
export type DatasetLookup = (prefix: string) => DatasetOrigin[];

/** How the live origins of a prefix compare with the dataset's. */
export type DatasetVerdict = "agrees" | "differs" | "not-in-dataset";

/** The check for one prefix the servers matched. */
export interface DatasetOriginCheck {
  /** The prefix. */
  prefix: string;
  /** Origin ASes seen live on valid paths for it, most widely seen first. */
  liveOrigins: number[];
  /**
   * The dataset's origins: the range holding the whole prefix, or the ranges
   * overlapping it when no single one does (at most 20).
   */
  dataset: DatasetOrigin[];
  /**
   * `agrees` when every live origin is one the dataset gives, `differs` when
   * one is not, `not-in-dataset` when the dataset has no range for it.
   */
  verdict: DatasetVerdict;
}

/** Compares, prefix by prefix in the order first seen, the live origins with the dataset's. */
export function checkDatasetOrigins(
  outcomes: readonly VantageOutcome[],
  lookup: DatasetLookup,
): DatasetOriginCheck[] {
  const byPrefix = new Map<string, Map<number, number>>();
  for (const { route } of outcomes) {
    if (!route?.found || !route.prefix) continue;
    const counts = byPrefix.get(route.prefix) ?? new Map<number, number>();
    byPrefix.set(route.prefix, counts);
    const seen = new Set<number>();
    for (const path of route.paths) {
      if (path.originAs === null || !path.valid || seen.has(path.originAs)) continue;
      seen.add(path.originAs);
      counts.set(path.originAs, (counts.get(path.originAs) ?? 0) + 1);
    }
  }
  const checks: DatasetOriginCheck[] = [];
  for (const [prefix, counts] of byPrefix) {
    if (counts.size === 0) continue; // no origin to compare (local routes, AS_SET origins)
    const liveOrigins = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([asn]) => asn);
    const dataset = lookup(prefix);
    const known = new Set(dataset.map((d) => d.asn));
    const verdict: DatasetVerdict = dataset.length === 0
      ? "not-in-dataset"
      : liveOrigins.every((asn) => known.has(asn))
      ? "agrees"
      : "differs";
    checks.push({ prefix, liveOrigins, dataset, verdict });
  }
  return checks;
}

/**
 * `path-length-outlier`: a server whose best path crosses many more ASes
 * than the others' do. Rule: with best paths from at least
 * {@linkcode MIN_PATHS} servers, a best path is an outlier when its number
 * of distinct ASes (prepends collapsed, so prepending does not count twice:
 * the `prepending` rule covers it) is at least {@linkcode OUTLIER_HOPS} more
 * than the median over all best paths. A detour like that is a hint of a
 * leak, a filter somewhere on the short paths, or a far-away vantage point.
 *
 * @module
 */

import {
  answers,
  collapsed,
  count,
  evidencePath,
  inAskedOrder,
  listed,
  unique,
} from "./_answers.ts";
import type { Finding, FindingsInput } from "./types.ts";

/** Fewest best paths for a median worth comparing to. */
export const MIN_PATHS = 3;
/** ASes more than the median from which a best path is an outlier. */
export const OUTLIER_HOPS = 3;

/** The median of some numbers (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One finding listing every server whose best path is an outlier. */
export function pathLengthFindings(input: FindingsInput): Finding[] {
  const best = answers(input).flatMap((a) =>
    a.best ? [{ server: a.server, entry: a.best, hops: collapsed(a.best.path.asPath).length }] : []
  );
  if (best.length < MIN_PATHS) return [];
  const middle = median(best.map((b) => b.hops));
  const outliers = best.filter((b) => b.hops >= middle + OUTLIER_HOPS);
  if (outliers.length === 0) return [];
  const shown = outliers.map((o) => `${o.server} (${count(o.hops, "AS", "ASes")})`);
  return [{
    kind: "path-length-outlier",
    severity: "info",
    summary: `The best path at ${listed(shown)} is much longer than the median of ` +
      `${middle} ASes over ${best.length} servers: a detour (a leak, a filter on the shorter ` +
      `paths, or a distant vantage point).`,
    evidence: {
      servers: inAskedOrder(input, outliers.map((o) => o.server)),
      prefixes: unique(
        outliers.map((o) => o.entry.prefix).filter((p): p is string => p !== null),
      ),
      paths: outliers.map((o) => evidencePath(o.server, o.entry)),
      asns: [],
    },
  }];
}

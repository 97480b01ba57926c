/**
 * Findings: evidence-backed judgements over the per-server answers of one
 * query — possible hijacks (MOAS, a more-specific from another origin, an
 * origin the offline dataset does not know), route leaks, bogon ASNs, RPKI
 * state, visibility, prepending and path-length outliers. Every rule is a
 * pure function of the answers (and the injected lookups); nothing here
 * sends a query anywhere.
 *
 * ```ts
 * import { computeFindings, renderFindings } from "./mod.ts";
 * const findings = computeFindings({ destination, outcomes, specialAsn });
 * console.log(renderFindings(findings));
 * ```
 *
 * @module
 */

import { bogonAsnFindings } from "./bogon_asn.ts";
import { datasetOriginFindings } from "./dataset_origin.ts";
import { moasFindings } from "./moas.ts";
import { moreSpecificFindings } from "./more_specific.ts";
import { pathLengthFindings } from "./path_length.ts";
import { prependingFindings } from "./prepending.ts";
import { routeLeakFindings } from "./route_leak.ts";
import { rpkiFindings } from "./rpki.ts";
import {
  type Finding,
  FINDING_KINDS,
  type FindingKind,
  type FindingsInput,
  type Severity,
} from "./types.ts";
import { visibilityFindings } from "./visibility.ts";

export * from "./types.ts";
export { renderFindings } from "./render.ts";
export { LARGE_TRANSIT, largeTransit, type TransitNetwork } from "./large_transit.ts";
export { EXCESSIVE_PREPENDS, HEAVY_PREPENDS } from "./prepending.ts";
export { MIN_PATHS, OUTLIER_HOPS } from "./path_length.ts";

/** Options for {@linkcode computeFindings}. */
export interface FindingsOptions {
  /** Only these kinds (default: all). */
  kinds?: readonly FindingKind[];
}

/** Each rule and the kinds it can produce. */
const RULES: readonly { kinds: readonly FindingKind[]; run: (i: FindingsInput) => Finding[] }[] = [
  {
    kinds: ["rpki-invalid", "rpki-valid", "rpki-not-found", "rpki-not-validated"],
    run: rpkiFindings,
  },
  { kinds: ["moas"], run: moasFindings },
  { kinds: ["more-specific-other-origin"], run: moreSpecificFindings },
  { kinds: ["origin-differs-from-dataset"], run: datasetOriginFindings },
  { kinds: ["bogon-asn-in-path"], run: bogonAsnFindings },
  { kinds: ["possible-route-leak"], run: routeLeakFindings },
  { kinds: ["visibility"], run: visibilityFindings },
  { kinds: ["prepending"], run: prependingFindings },
  { kinds: ["path-length-outlier"], run: pathLengthFindings },
];

const RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/**
 * Runs every rule over the answers and returns the findings, most severe
 * first, then in the order of {@linkcode FINDING_KINDS}.
 */
export function computeFindings(input: FindingsInput, options: FindingsOptions = {}): Finding[] {
  const wanted = new Set(options.kinds ?? FINDING_KINDS);
  const all = RULES.filter((rule) => rule.kinds.some((k) => wanted.has(k)))
    .flatMap((rule) => rule.run(input))
    .filter((f) => wanted.has(f.kind));
  return orderFindings(all);
}

/**
 * Findings most severe first, then in the order of {@linkcode FINDING_KINDS},
 * then as given (to merge the findings of several {@linkcode computeFindings} calls).
 */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  const order = (f: Finding) => FINDING_KINDS.indexOf(f.kind);
  return findings.map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || order(a.f) - order(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

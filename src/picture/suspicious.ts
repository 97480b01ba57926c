/**
 * Which ASes the picture draws in the warning colour, from the findings:
 * the extra origins of a MOAS, the origin of a more-specific from another
 * AS, an origin the dataset does not know, an RPKI-invalid origin, a bogon
 * ASN and the AS between two transit-free networks — unless the finding is
 * only info.
 *
 * @module
 */

import type { Finding, FindingKind } from "../findings/types.ts";

const FLAGGED: ReadonlySet<FindingKind> = new Set<FindingKind>([
  "moas",
  "more-specific-other-origin",
  "origin-differs-from-dataset",
  "rpki-invalid",
  "bogon-asn-in-path",
  "possible-route-leak",
]);

/** The ASes of the warning and critical findings that point at an AS. */
export function suspiciousAsns(findings: readonly Finding[]): number[] {
  const out = new Set<number>();
  for (const f of findings) {
    if (f.severity === "info" || !FLAGGED.has(f.kind)) continue;
    for (const asn of f.evidence.asns) out.add(asn);
  }
  return [...out];
}

/**
 * `origin-differs-from-dataset`: the live origin of a prefix is not the
 * origin the offline dataset maps it to. The dataset is a daily snapshot
 * built from the same kind of tables, so a difference is either a change
 * since the snapshot or an announcement that should not be there.
 *
 * @module
 */

import {
  addressSpan,
  answers,
  asLabel,
  cleanText,
  count,
  inAskedOrder,
  listed,
  originsByPrefix,
} from "./_answers.ts";
import type { Finding, FindingsInput } from "./types.ts";

/**
 * One finding per prefix whose live origins include one that is not the
 * dataset's origin. A warning when the dataset's range is the prefix itself,
 * info when it only has a covering range (a customer's more-specific of its
 * provider's block is routine).
 */
export function datasetOriginFindings(input: FindingsInput): Finding[] {
  const lookup = input.datasetOrigin;
  if (!lookup) return [];
  const dataset = input.datasetLabel ? cleanText(input.datasetLabel, 80) : "the offline dataset";
  const findings: Finding[] = [];
  for (const [prefix, origins] of originsByPrefix(answers(input))) {
    const known = lookup(prefix);
    if (!known || !Number.isSafeInteger(known.asn)) continue;
    const differing = [...origins.entries()].filter(([asn]) => asn !== known.asn);
    if (differing.length === 0) continue;
    const range = cleanText(known.range, 80);
    const exact = samePrefix(range, prefix);
    const knownName = known.name ? ` (${cleanText(known.name)})` : "";
    const live = differing.map(([asn, seen]) =>
      `${asLabel(asn, input.asName)} at ${count(seen.servers.length, "server")} (${
        listed(seen.servers)
      })`
    );
    const agrees = origins.get(known.asn);
    findings.push({
      kind: "origin-differs-from-dataset",
      severity: exact ? "warning" : "info",
      summary: `${prefix} is originated by ${live.join("; ")}, but ${dataset} maps ` +
        `${exact ? "it" : `its covering range ${range}`} to AS${known.asn}${knownName}` +
        `${agrees ? `, which ${count(agrees.servers.length, "server")} also see` : ""}. ` +
        `Either the origin changed since the dataset was built, or this announcement ` +
        `should not be there.`,
      evidence: {
        servers: inAskedOrder(input, differing.flatMap(([, seen]) => seen.servers)),
        prefixes: [prefix],
        paths: differing.flatMap(([, seen]) => seen.paths),
        asns: differing.map(([asn]) => asn),
      },
    });
  }
  return findings;
}

/** Whether the dataset's range is the prefix itself (as a prefix, or as `first-last`). */
function samePrefix(range: string, prefix: string): boolean {
  const a = addressSpan(range);
  const b = addressSpan(prefix);
  return a !== null && b !== null && a.family === b.family && a.first === b.first &&
    a.last === b.last;
}

/**
 * `more-specific-other-origin`: a prefix inside another one the servers
 * see, originated by an AS that does not originate the covering prefix —
 * the classic hijack signature (traffic follows the longest match), and also
 * what a customer's own more-specific of its provider's block looks like.
 *
 * @module
 */

import { type Block, blocksOverlap } from "../validation/_ip.ts";
import {
  answers,
  asLabel,
  inAskedOrder,
  listed,
  moreSpecific,
  originsByPrefix,
  parsePrefix,
} from "./_answers.ts";
import type { Finding, FindingsInput } from "./types.ts";

/**
 * One finding per (covering prefix, more-specific) pair seen in the answers
 * where the more-specific has an origin the covering prefix does not have.
 * Only prefixes that overlap the destination count.
 */
export function moreSpecificFindings(input: FindingsInput): Finding[] {
  const list = answers(input);
  const byPrefix = originsByPrefix(list);
  const asked = parsePrefix(input.destination);
  const prefixes: { text: string; block: Block }[] = [];
  for (const text of byPrefix.keys()) {
    const parsed = parsePrefix(text);
    if (parsed !== null && (asked === null || blocksOverlap(parsed, asked))) {
      prefixes.push({ text, block: parsed });
    }
  }
  const findings: Finding[] = [];
  for (const outer of prefixes) {
    for (const inner of prefixes) {
      if (!moreSpecific(inner.block, outer.block)) continue;
      const outerOrigins = byPrefix.get(outer.text)!;
      const innerOrigins = byPrefix.get(inner.text)!;
      const others = [...innerOrigins.entries()].filter(([asn]) => !outerOrigins.has(asn));
      if (others.length === 0) continue;
      const innerServers = inAskedOrder(input, others.flatMap(([, seen]) => seen.servers));
      const answered = input.outcomes.filter((o) => o.route !== null).length;
      const outerText = [...outerOrigins.keys()].map((asn) => asLabel(asn, input.asName));
      const otherText = others.map(([asn]) => asLabel(asn, input.asName));
      findings.push({
        kind: "more-specific-other-origin",
        severity: "warning",
        summary: `${inner.text}, a more-specific of ${outer.text}, is originated by ` +
          `${otherText.join(" and ")}, not by the origin of ${outer.text} ` +
          `(${outerText.join(", ")}); seen by ${innerServers.length} of ${answered} servers ` +
          `(${listed(innerServers)}). Traffic follows the more-specific: this is what a hijack ` +
          `looks like, unless the more-specific belongs to a customer of that origin.`,
        evidence: {
          servers: inAskedOrder(input, [
            ...innerServers,
            ...[...outerOrigins.values()].flatMap((seen) => seen.servers),
          ]),
          prefixes: [outer.text, inner.text],
          paths: [
            ...others.flatMap(([, seen]) => seen.paths),
            ...[...outerOrigins.values()].flatMap((seen) => seen.paths).slice(0, 1),
          ],
          asns: others.map(([asn]) => asn),
        },
      });
    }
  }
  return findings;
}

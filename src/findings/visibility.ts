/**
 * `visibility`: who sees the destination and who does not. Seen by none of
 * the servers that answered is critical; seen by some and missing from
 * others is a warning (a filter, a withdrawal still spreading, an
 * announcement only part of the Internet accepts); a more-specific that some
 * servers have and others reach only through a covering prefix is info.
 * Servers that could not be asked count neither way: their answer is not
 * known.
 *
 * @module
 */

import {
  answers,
  cleanText,
  evidencePath,
  inAskedOrder,
  listed,
  moreSpecific,
  parsePrefix,
  unique,
} from "./_answers.ts";
import type { Finding, FindingsInput } from "./types.ts";

/** The destination's visibility, then one finding per more-specific not seen everywhere. */
export function visibilityFindings(input: FindingsInput): Finding[] {
  const answered = input.outcomes.filter((o) => o.route !== null);
  const failed = input.outcomes.filter((o) => o.route === null).map((o) => o.server);
  if (answered.length === 0) return [];
  const list = answers(input);
  const seen = list.map((a) => a.server);
  const missing = answered.filter((o) => !o.route!.found).map((o) => o.server);
  const destination = cleanText(input.destination, 64);
  const unasked = failed.length > 0
    ? ` ${listed(failed)} could not be asked and ${failed.length === 1 ? "is" : "are"} not counted.`
    : "";
  const findings: Finding[] = [];
  if (missing.length > 0) {
    const none = seen.length === 0;
    findings.push({
      kind: "visibility",
      severity: none ? "critical" : "warning",
      summary: none
        ? `No server has a route for ${destination}: 0 of ${answered.length} (${
          listed(missing)
        }).${unasked}`
        : `${destination} is seen by ${seen.length} of ${answered.length} servers; ` +
          `missing from ${listed(missing)}.${unasked}`,
      evidence: {
        servers: inAskedOrder(input, missing),
        prefixes: [destination],
        paths: [],
        asns: [],
      },
    });
  }

  // A more-specific that some servers have while others only have a covering prefix.
  const prefixesOf = new Map(
    list.map((
      a,
    ) => [a.server, unique(a.paths.map((p) => p.prefix).filter((p): p is string => p !== null))]),
  );
  for (const prefix of unique([...prefixesOf.values()].flat())) {
    const target = parsePrefix(prefix);
    if (target === null) continue;
    const having = list.filter((a) => prefixesOf.get(a.server)!.includes(prefix));
    const coveredOnly = list.filter((a) => {
      const own = prefixesOf.get(a.server)!.map(parsePrefix);
      return own.length > 0 && own.every((p) => p !== null && moreSpecific(target, p));
    });
    if (coveredOnly.length === 0) continue;
    const covering = unique(coveredOnly.flatMap((a) => prefixesOf.get(a.server)!));
    findings.push({
      kind: "visibility",
      severity: "info",
      summary: `${prefix} is seen by ${having.length} of ${answered.length} servers; ` +
        `${listed(coveredOnly.map((a) => a.server))} ${
          coveredOnly.length === 1 ? "has" : "have"
        } only the covering ${covering.join(", ")}, so traffic from there follows ` +
        `${covering.length === 1 ? "that prefix" : "those prefixes"}.`,
      evidence: {
        servers: inAskedOrder(input, coveredOnly.map((a) => a.server)),
        prefixes: [prefix, ...covering],
        paths: coveredOnly.flatMap((a) => (a.best ? [evidencePath(a.server, a.best)] : [])),
        asns: [],
      },
    });
  }
  return findings;
}

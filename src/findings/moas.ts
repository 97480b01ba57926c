/**
 * `moas`: one prefix announced by more than one origin AS (Multiple Origin
 * AS). A hijack shows up like this; so do anycast and a customer announcing
 * its provider's space from its own AS, which is why it is a warning.
 *
 * @module
 */

import { answers, asLabel, count, inAskedOrder, listed, originsByPrefix } from "./_answers.ts";
import type { Finding, FindingsInput } from "./types.ts";

/** One finding per prefix that has two or more origin ASes over the valid paths. */
export function moasFindings(input: FindingsInput): Finding[] {
  const findings: Finding[] = [];
  for (const [prefix, origins] of originsByPrefix(answers(input))) {
    if (origins.size < 2) continue;
    const ranked = [...origins.entries()].sort((a, b) => b[1].servers.length - a[1].servers.length);
    const parts = ranked.map(([asn, seen]) =>
      `${asLabel(asn, input.asName)} at ${count(seen.servers.length, "server")} (${
        listed(seen.servers)
      })`
    );
    findings.push({
      kind: "moas",
      severity: "warning",
      summary: `${prefix} has ${origins.size} origin ASes: ${parts.join("; ")}. Several origins ` +
        `for one prefix can be a hijack, or deliberate (anycast, a customer announcing ` +
        `from its own AS): check that each origin is expected.`,
      evidence: {
        servers: inAskedOrder(input, ranked.flatMap(([, seen]) => seen.servers)),
        prefixes: [prefix],
        paths: ranked.flatMap(([, seen]) => seen.paths),
        asns: ranked.map(([asn]) => asn),
      },
    });
  }
  return findings;
}

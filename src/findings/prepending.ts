/**
 * `prepending`: heavy AS-path prepending on a server's best path — an AS
 * repeated {@linkcode HEAVY_PREPENDS} or more extra times in a row. One to
 * two prepends are everyday traffic engineering; three or more is heavy
 * (info), {@linkcode EXCESSIVE_PREPENDS} or more is excessive (warning:
 * lengthens every path, and some networks drop very long paths).
 *
 * @module
 */

import { answers, asLabel, count, evidencePath, inAskedOrder, listed, unique } from "./_answers.ts";
import type { EvidencePath, Finding, FindingsInput } from "./types.ts";

/** Extra copies of an AS in a row, on a best path, from which prepending is heavy. */
export const HEAVY_PREPENDS = 3;
/** Extra copies from which prepending is excessive. */
export const EXCESSIVE_PREPENDS = 10;

/** Each run of one AS in a path: the AS and its extra copies (prepends), nearest first. */
export function prependRuns(asPath: readonly number[]): { asn: number; prepends: number }[] {
  const runs: { asn: number; prepends: number }[] = [];
  for (let i = 0; i < asPath.length; i++) {
    if (i > 0 && asPath[i] === asPath[i - 1]) runs[runs.length - 1].prepends++;
    else runs.push({ asn: asPath[i], prepends: 0 });
  }
  return runs;
}

/** One finding per AS that prepends heavily on some server's best path. */
export function prependingFindings(input: FindingsInput): Finding[] {
  const byAsn = new Map<number, { paths: EvidencePath[]; counts: number[]; origin: boolean }>();
  for (const answer of answers(input)) {
    const best = answer.best;
    if (!best) continue;
    for (const { asn, prepends } of prependRuns(best.path.asPath)) {
      if (prepends < HEAVY_PREPENDS) continue;
      const item = byAsn.get(asn) ?? { paths: [], counts: [], origin: false };
      byAsn.set(asn, item);
      if (item.paths.some((p) => p.server === answer.server)) {
        item.counts[item.counts.length - 1] = Math.max(item.counts.at(-1)!, prepends);
        continue;
      }
      item.paths.push(evidencePath(answer.server, best));
      item.counts.push(prepends);
      if (best.path.originAs === asn) item.origin = true;
    }
  }
  const findings: Finding[] = [];
  for (const [asn, { paths, counts, origin }] of byAsn) {
    const most = Math.max(...counts);
    const least = Math.min(...counts);
    const times = least === most ? `${most}` : `${least} to ${most}`;
    const servers = paths.map((p) => p.server);
    findings.push({
      kind: "prepending",
      severity: most >= EXCESSIVE_PREPENDS ? "warning" : "info",
      summary: `${origin ? "The origin " : ""}${asLabel(asn, input.asName)} prepends itself ` +
        `${times} times on the best path at ${count(servers.length, "server")} ` +
        `(${listed(servers)})${
          most >= EXCESSIVE_PREPENDS
            ? ": excessive, every path through it gets longer and some networks drop very long paths"
            : ": heavy traffic engineering, usually to make this path a backup"
        }.`,
      evidence: {
        servers: inAskedOrder(input, servers),
        prefixes: unique(paths.map((p) => p.prefix).filter((p): p is string => p !== null)),
        paths,
        asns: [asn],
      },
    });
  }
  return findings;
}

/**
 * `possible-route-leak`: a valley-free violation seen in an AS path.
 *
 * Heuristic: read from the origin towards the route server, a route that is
 * valley-free goes up (customer to provider) any number of times, across at
 * most one peering, then down (provider to customer). Transit-free networks
 * ({@linkcode LARGE_TRANSIT}) buy transit from no one, so a route that one of
 * them hands to a smaller network is on its way down; if it then reaches
 * another transit-free network, the smaller network in between passed a
 * provider's (or peer's) route to another provider or peer — a leak in the
 * sense of RFC 7908 (types 1 to 4). The rule fires when two transit-free ASes
 * (of one organisation or two) are separated in a path by one or more ASes
 * that are not on the list, prepends collapsed.
 *
 * Limits: the list is a small snapshot, so a leak between two networks not
 * on it goes unseen; a sibling ASN of a listed organisation that is missing
 * from the list, partial transit and paid peering look like a leak and are
 * not one. It is a hint for a human to check, never a verdict.
 *
 * @module
 */

import {
  answers,
  asLabel,
  collapsed,
  count,
  evidencePath,
  firstMatching,
  inAskedOrder,
  listed,
  unique,
} from "./_answers.ts";
import { LARGE_TRANSIT, largeTransit } from "./large_transit.ts";
import type { Finding, FindingsInput } from "./types.ts";

/** Two transit-free ASes and what lies between them, nearest the route server first. */
export interface LeakSegment {
  /** The transit-free AS nearer the route server (the one the route came back up to). */
  upper: number;
  /** The ASes in between, nearer the route server first. */
  between: number[];
  /** The transit-free AS nearer the origin (the one the route came down from). */
  lower: number;
}

/** Every leak segment in an AS path (nearest first), prepends collapsed. */
export function leakSegments(asPath: readonly number[]): LeakSegment[] {
  const hops = collapsed(asPath);
  const transit = hops.flatMap((asn, i) => (largeTransit(asn) ? [i] : []));
  const segments: LeakSegment[] = [];
  for (let j = 1; j < transit.length; j++) {
    const [i, k] = [transit[j - 1], transit[j]];
    if (k - i < 2) continue;
    segments.push({ upper: hops[i], between: hops.slice(i + 1, k), lower: hops[k] });
  }
  return segments;
}

function key(segment: LeakSegment): string {
  return [segment.upper, ...segment.between, segment.lower].join(" ");
}

/** One finding per leak segment, with the servers whose paths show it. */
export function routeLeakFindings(input: FindingsInput): Finding[] {
  const list = answers(input);
  const seen = new Map<string, { segment: LeakSegment; servers: string[]; onBest: boolean }>();
  for (const answer of list) {
    for (const entry of answer.paths) {
      for (const segment of leakSegments(entry.path.asPath)) {
        const k = key(segment);
        const item = seen.get(k) ?? { segment, servers: [], onBest: false };
        seen.set(k, item);
        if (!item.servers.includes(answer.server)) item.servers.push(answer.server);
        if (entry.path === answer.best?.path) item.onBest = true;
      }
    }
  }
  const findings: Finding[] = [];
  for (const [k, { segment, servers, onBest }] of seen) {
    const paths = list.flatMap((answer) => {
      const entry = firstMatching(
        answer,
        (e) => leakSegments(e.path.asPath).some((s) => key(s) === k),
      );
      return entry ? [evidencePath(answer.server, entry)] : [];
    });
    const label = (asn: number) => asLabel(asn, input.asName);
    const via = segment.between.map(label).join(", then ");
    findings.push({
      kind: "possible-route-leak",
      severity: onBest ? "warning" : "info",
      summary: `Possible route leak ${onBest ? "on the best path" : "on a path"} at ` +
        `${count(servers.length, "server")} (${listed(servers)}): the route comes down from ` +
        `${label(segment.lower)} to ${via} and goes back up to ${label(segment.upper)}. ` +
        `Transit-free networks buy no transit, so a network between two of them usually ` +
        `passed one provider's routes to another (a valley-free violation). Heuristic over a ` +
        `list of ${LARGE_TRANSIT.length} transit-free networks: siblings and partial transit ` +
        `can look the same.`,
      evidence: {
        servers: inAskedOrder(input, servers),
        prefixes: unique(paths.map((p) => p.prefix).filter((p): p is string => p !== null)),
        paths,
        asns: [...segment.between],
      },
    });
  }
  return findings;
}

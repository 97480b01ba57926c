/**
 * The findings and the AS graph of one answer: the pure rules of
 * `findings/` and the graph of `picture/`, given the offline data they need
 * — the IANA special-purpose ASNs (`bgp/special_asns.ts`) always, and the
 * AS-names table's names and dataset origins when names are on. Nothing here
 * sends a query anywhere, and nothing draws a PNG (the tools do, lazily).
 *
 * @module
 */

import type { VantageOutcome } from "../bgp/consensus.ts";
import type { BgpPath, ParsedRoute } from "../bgp/types.ts";
import type { RouteGraph } from "../bgp/results.ts";
import { specialAsn } from "../bgp/special_asns.ts";
import { computeFindings, orderFindings } from "../findings/mod.ts";
import {
  type AsNameLookup,
  type DatasetOriginLookup,
  type Finding,
  FINDING_KINDS,
  type FindingKind,
  type SpecialAsnLookup,
} from "../findings/types.ts";
import { buildAsGraph, peersAsVantagePoints } from "../picture/graph.ts";
import { toMermaid } from "../picture/mermaid.ts";
import { suspiciousAsns } from "../picture/suspicious.ts";
import type { NamesTable } from "../names/table.ts";
import { rangeText } from "../names/table.ts";
import { nameOf } from "./as_names.ts";

/** The findings and the graph. */
export interface Judgement {
  /** Evidence-backed findings, most severe first. */
  findings: Finding[];
  /** The AS graph of the best paths, with its Mermaid text. */
  graph: RouteGraph;
  /** The graph's own warnings (paths left out to keep it bounded). */
  warnings: string[];
}

/**
 * The special-purpose ASNs that never belong in a public path (AS 0, AS_TRANS,
 * documentation, private use, reserved), as the findings name them; AS112 and
 * other special numbers that are really announced are not bogons.
 */
export const bogonAsn: SpecialAsnLookup = (asn) => {
  if (!Number.isInteger(asn) || asn < 0 || asn > 0xffff_ffff) return undefined;
  const entry = specialAsn(asn);
  if (!entry?.bogon) return undefined;
  // The kind says it in the findings' words (`private-use, RFC 6996`); IANA's long name is in
  // the AS-names legend.
  return { kind: entry.kind, rfc: entry.reference };
};

/** The dataset's origin for a prefix: the one range that holds it, or none. */
export function datasetOriginOf(table: NamesTable): DatasetOriginLookup {
  return (prefix) => {
    let answer;
    try {
      answer = table.originOf(prefix);
    } catch {
      return undefined; // a prefix the dataset cannot be asked about (not global unicast)
    }
    const range = answer.covering;
    if (!range) return undefined;
    return { asn: range.asn, ...(range.name ? { name: range.name } : {}), range: rangeText(range) };
  };
}

/** AS names from the table (IANA's for special-purpose numbers). */
export function asNameOf(table: NamesTable): AsNameLookup {
  return (asn) => nameOf(table, asn) ?? undefined;
}

/** What {@linkcode findingsOf} and {@linkcode judge} look at. */
export interface FindingsRequest {
  /** The destination asked, in canonical form. */
  destination: string;
  /** Per server (or per peer of one server), the parsed answer or `null`, in the order asked. */
  outcomes: readonly VantageOutcome[];
  /** The AS-names table, or `null` when names are off or could not be loaded. */
  table: NamesTable | null;
  /** Only these kinds of finding (default: all). */
  kinds?: readonly FindingKind[];
}

/** The findings, with the special-purpose ASNs, the dataset's origins and its names. */
export function findingsOf(request: FindingsRequest): Finding[] {
  const { destination, outcomes, table } = request;
  return computeFindings({
    destination,
    outcomes,
    specialAsn: bogonAsn,
    ...(table
      ? {
        datasetOrigin: datasetOriginOf(table),
        datasetLabel: `the AS-names dataset (as of ${table.date})`,
        asName: asNameOf(table),
      }
      : {}),
  }, request.kinds ? { kinds: request.kinds } : {});
}

/** The graph of the best paths, the ASes the findings point at in the warning colour. */
export function graphOf(
  request: Omit<FindingsRequest, "kinds">,
  findings: readonly Finding[],
): { graph: RouteGraph; warnings: string[] } {
  const { warnings, ...graph } = buildAsGraph({
    destination: request.destination,
    outcomes: request.outcomes,
    asName: request.table ? asNameOf(request.table) : undefined,
    suspicious: suspiciousAsns(findings),
  });
  return { graph: { ...graph, mermaid: toMermaid({ ...graph, warnings }) }, warnings };
}

/** Runs the rules and builds the graph. */
export function judge(input: FindingsRequest): Judgement {
  const findings = findingsOf(input);
  return { findings, ...graphOf(input, findings) };
}

/** One server's answer as {@linkcode judgeLookup} reads it. */
export interface LookupAnswer {
  /** The server. */
  server: string;
  /** The destination asked, in canonical form. */
  destination: string;
  /** The prefix it matched (`orlonger`: the prefix asked; each path has its own). */
  prefix: string | null;
  /** The paths returned (after the filters and `maxPaths`). */
  paths: readonly (BgpPath & { prefix?: string })[];
  /** The AS-names table, or `null`. */
  table: NamesTable | null;
}

/** RPKI states are the server's, not its peers'. */
const RPKI_FINDINGS = FINDING_KINDS.filter((kind) => kind.startsWith("rpki-"));
/** The other findings one server suffices for: all but visibility, which needs several servers. */
const PATH_FINDINGS = FINDING_KINDS.filter((kind) =>
  kind !== "visibility" && !RPKI_FINDINGS.includes(kind)
);

/**
 * The findings and the graph of one server's paths (`route_lookup`): for the
 * path rules and the picture each path is one vantage point (the server's
 * peer that sent it), so they see every path, not only the best one; RPKI
 * is the server's; visibility needs several servers and is left out.
 */
export function judgeLookup(answer: LookupAnswer): Judgement {
  const { server, destination, prefix, paths, table } = answer;
  const route: ParsedRoute = { found: true, prefix, paths: [...paths], totalPaths: paths.length };
  const peers = { destination, outcomes: peersAsVantagePoints(server, route), table };
  const findings = orderFindings([
    ...findingsOf({ destination, outcomes: [{ server, route }], table, kinds: RPKI_FINDINGS }),
    ...findingsOf({ ...peers, kinds: PATH_FINDINGS }),
  ]);
  return { findings, ...graphOf(peers, findings) };
}

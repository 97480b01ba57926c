/**
 * The AS-level picture of one query, as data: vantage points (the route
 * servers) → the ASes of each server's best path → the origin, edges
 * weighted by how many best paths use them, origins marked, and a MOAS or
 * suspicious origin flagged. Pure: Mermaid and DOT text are made from it
 * (`mermaid.ts`, `dot.ts`).
 *
 * @module
 */

import { bestPath, type VantageOutcome } from "../bgp/consensus.ts";
import type { BgpPath, ParsedRoute } from "../bgp/types.ts";

/** A route server in the picture. */
export interface VantageNode {
  /** Node id (`v0`, `v1`, …): safe in Mermaid and DOT. */
  id: string;
  /** Server name (cleaned, bounded). */
  server: string;
  /** Whether it has a route, has none, or could not be asked. */
  answer: "route" | "no-route" | "failed";
  /** The prefix its best path is for. */
  prefix: string | null;
}

/** An AS (or an AS_SET at the end of a path) in the picture. */
export interface AsNode {
  /** Node id (`a15169`, or `s0` for an AS_SET): safe in Mermaid and DOT. */
  id: string;
  /** The AS number, `null` for an AS_SET. */
  asn: number | null;
  /** What the node says: `AS15169`, or the AS_SET as printed (`{64501,64502}`). */
  label: string;
  /** Its name (cleaned, bounded), when known. */
  name?: string;
  /** Whether it originates a best path. */
  origin: boolean;
  /** Drawn in the warning colour: one of several origins for a prefix, or flagged by a finding. */
  suspicious: boolean;
  /** Prefixes it originates on the best paths. */
  prefixes: string[];
  /** Best paths through it. */
  paths: number;
}

/** A link between two nodes, as the route travels towards the vantage point, drawn from it. */
export interface GraphEdge {
  /** Node nearer the vantage point. */
  from: string;
  /** Node nearer the origin. */
  to: string;
  /** Best paths that use it. */
  weight: number;
}

/** The picture as data. */
export interface AsGraph {
  /** Title: the destination and the number of vantage points (cleaned). */
  title: string;
  /** Route servers, in the order asked. */
  vantagePoints: VantageNode[];
  /** ASes, in the order first reached. */
  ases: AsNode[];
  /** Edges, in the order first used. */
  edges: GraphEdge[];
  /** The largest edge weight (at least 1). */
  maxWeight: number;
  /** Things the reader should know (paths left out to keep the picture bounded). */
  warnings: string[];
}

/** What the picture is made from. */
export interface GraphInput {
  /** The destination asked, in canonical form. */
  destination: string;
  /** Per server, the parsed answer or `null` when the query failed, in the order asked. */
  outcomes: readonly VantageOutcome[];
  /** AS names for the nodes (untrusted text: cleaned and bounded here). */
  asName?: (asn: number) => string | undefined;
  /** ASes to draw in the warning colour, e.g. `suspiciousAsns(findings)`. */
  suspicious?: Iterable<number>;
}

/** Most AS nodes in one picture: the paths that would add more are left out, with a warning. */
export const MAX_AS_NODES = 200;
/** Longest name on a node. */
const MAX_NAME = 32;
/** Longest server name on a node. */
const MAX_SERVER = 40;
/** Prefixes listed on an origin node before "+N". */
const MAX_PREFIXES = 2;

/**
 * Text from outside fit for a node label: control, format and separator
 * characters become spaces, runs of whitespace one space, bounded length.
 */
export function cleanLabel(text: string, max: number): string {
  const flat = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu, " ").replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

/** The AS_SET at the end of a path as printed (`{64501,64502}`), if it has one. */
function endingSet(path: BgpPath): string | undefined {
  if (path.originAs !== null) return undefined;
  const sets = path.asPathText.match(/\{[^}]*\}/g);
  return sets ? cleanLabel(sets.at(-1)!, MAX_NAME) : undefined;
}

/** Builds the picture from each server's best path. */
export function buildAsGraph(input: GraphInput): AsGraph {
  const suspicious = new Set(input.suspicious ?? []);
  const vantagePoints: VantageNode[] = [];
  const ases = new Map<string, AsNode>();
  const edges = new Map<string, GraphEdge>();
  const setIds = new Map<string, string>();
  const originsByPrefix = new Map<string, Set<string>>();
  const warnings: string[] = [];
  let omitted = 0;

  const asNode = (asn: number): AsNode => {
    const id = `a${asn}`;
    const known = ases.get(id);
    if (known) return known;
    const name = input.asName?.(asn);
    const clean = name ? cleanLabel(name, MAX_NAME) : "";
    return {
      id,
      asn,
      label: `AS${asn}`,
      ...(clean ? { name: clean } : {}),
      origin: false,
      suspicious: suspicious.has(asn),
      prefixes: [],
      paths: 0,
    };
  };

  input.outcomes.forEach(({ server, route }, i) => {
    const id = `v${i}`;
    const name = cleanLabel(server, MAX_SERVER);
    if (route === null || !route.found) {
      const answer = route === null ? "failed" : "no-route";
      vantagePoints.push({ id, server: name, answer, prefix: null });
      return;
    }
    const best = bestPath(route);
    const prefix = (best as (BgpPath & { prefix?: string }) | undefined)?.prefix ?? route.prefix;
    if (!best) {
      vantagePoints.push({ id, server: name, answer: "route", prefix });
      return;
    }
    // The hops from the vantage point to the origin, prepends collapsed.
    const hops: AsNode[] = best.asPath
      .filter((asn, j) => j === 0 || asn !== best.asPath[j - 1])
      .map(asNode);
    const set = endingSet(best);
    if (set !== undefined) {
      const setId = setIds.get(set) ?? `s${setIds.size}`;
      setIds.set(set, setId);
      hops.push(
        ases.get(setId) ?? {
          id: setId,
          asn: null,
          label: set,
          origin: false,
          suspicious: false,
          prefixes: [],
          paths: 0,
        },
      );
    }
    const added = new Set(hops.filter((h) => !ases.has(h.id)).map((h) => h.id));
    if (ases.size + added.size > MAX_AS_NODES) {
      omitted++;
      vantagePoints.push({ id, server: name, answer: "route", prefix });
      return;
    }
    vantagePoints.push({ id, server: name, answer: "route", prefix });
    for (const hop of hops) {
      if (!ases.has(hop.id)) ases.set(hop.id, hop);
    }
    const seenOnPath = new Set<string>();
    for (const hop of hops) {
      if (seenOnPath.has(hop.id)) continue;
      seenOnPath.add(hop.id);
      ases.get(hop.id)!.paths++;
    }
    const last = hops.at(-1);
    if (last && (best.originAs !== null || set !== undefined)) {
      const origin = ases.get(last.id)!;
      origin.origin = true;
      if (prefix && !origin.prefixes.includes(prefix)) origin.prefixes.push(prefix);
      if (prefix) {
        const origins = originsByPrefix.get(prefix) ?? new Set<string>();
        origins.add(origin.id);
        originsByPrefix.set(prefix, origins);
      }
    }
    const chain = [id, ...hops.map((h) => h.id)];
    const usedOnPath = new Set<string>();
    for (let j = 1; j < chain.length; j++) {
      const key = `${chain[j - 1]}>${chain[j]}`;
      if (chain[j - 1] === chain[j] || usedOnPath.has(key)) continue;
      usedOnPath.add(key);
      const edge = edges.get(key) ?? { from: chain[j - 1], to: chain[j], weight: 0 };
      edge.weight++;
      edges.set(key, edge);
    }
  });

  // Several origins for one prefix across the best paths: every one of them is suspect.
  for (const origins of originsByPrefix.values()) {
    if (origins.size < 2) continue;
    for (const originId of origins) ases.get(originId)!.suspicious = true;
  }
  if (omitted > 0) {
    warnings.push(
      `The picture leaves out the best paths of ${omitted} server${omitted === 1 ? "" : "s"} ` +
        `to stay under ${MAX_AS_NODES} ASes`,
    );
  }
  const edgeList = [...edges.values()];
  const asked = vantagePoints.length;
  return {
    title: `${cleanLabel(input.destination, 64)}: best paths from ${asked} vantage point${
      asked === 1 ? "" : "s"
    }`,
    vantagePoints,
    ases: [...ases.values()],
    edges: edgeList,
    maxWeight: Math.max(1, ...edgeList.map((e) => e.weight)),
    warnings,
  };
}

/**
 * One server's paths as vantage points, for a `route_lookup` picture: each
 * path becomes the best path of a vantage point named after the server and
 * the peer it came from (`rv2 via 198.51.100.1`), so the graph shows every
 * path the server holds rather than only its best one.
 */
export function peersAsVantagePoints(server: string, route: ParsedRoute): VantageOutcome[] {
  if (!route.found) return [{ server, route }];
  return route.paths.map((path) => ({
    server: `${server} via ${path.peer.address}`,
    route: { ...route, paths: [{ ...path, best: true }], totalPaths: 1 },
  }));
}

/** The lines of an AS node's label: number, name, and the prefixes of an origin. */
export function asNodeLines(node: AsNode): string[] {
  const lines = [node.label];
  if (node.name) lines.push(node.name);
  if (node.origin && node.prefixes.length > 0) {
    const shown = node.prefixes.slice(0, MAX_PREFIXES);
    const rest = node.prefixes.length - shown.length;
    lines.push(shown.join(", ") + (rest > 0 ? ` +${rest}` : ""));
  }
  return lines;
}

/** The lines of a vantage point's label: its name, and why it has no path. */
export function vantageLines(node: VantageNode): string[] {
  if (node.answer === "failed") return [node.server, "(could not be asked)"];
  if (node.answer === "no-route") return [node.server, "(no route)"];
  return [node.server];
}

/** Line width for an edge: 1 for one best path up to 4 for the most used. */
export function edgeWidth(edge: GraphEdge, maxWeight: number): number {
  if (maxWeight <= 1) return 1;
  return Math.round((1 + 3 * (edge.weight - 1) / (maxWeight - 1)) * 10) / 10;
}

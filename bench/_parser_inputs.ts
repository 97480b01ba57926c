/**
 * The parser benches' inputs: one seeded neutral route set (documentation and
 * private addresses and ASNs; AS paths of 2–8 ASNs, 0–6 communities, MED and
 * localpref present or not, one best path), printed the way each server does
 * (line shapes from `tests/fixtures/`: cisco-ios/show_bgp_prefix_detail_ipv4_rr.txt,
 * frr-rig/route_8.8.8.8.txt, frr-rig/route_8.8.8.8.json.txt,
 * junos-composed/show_route_detail_two_paths.txt and the table fixtures), and
 * a case for every registered route and table parser with the check that it
 * reads the set back. Used by `parsers_bench.ts`, and by the registry test.
 *
 * @module
 */

import type { BgpPath, Origin, ParsedRoute, RouteEntry, RpkiState } from "../src/bgp/types.ts";
import type { Family } from "../src/validation/destination.ts";
// The one harness module it needs: the rest (the MCP client) wants permissions a bench has not.
import { prng } from "../tests/harness/prng.ts";

// ---------------------------------------------------------------------------
// The neutral route set
// ---------------------------------------------------------------------------

/** One path of the neutral route set: what every rendering must give back. */
export interface SynthPath {
  /** AS_SEQUENCE, nearest first; the last ASN is the origin. */
  asPath: number[];
  origin: Origin;
  nextHop: string;
  peer: string;
  routerId: string;
  med: number | null;
  localPref: number | null;
  /** Standard communities, normalised (`ASN:VALUE`). */
  communities: string[];
  aggregator: { asn: number; id: string } | null;
  rpki: RpkiState;
  /** Last update, epoch seconds. */
  lastUpdate: number;
  best: boolean;
}

/** One prefix with its paths. */
export interface RouteSet {
  prefix: string;
  paths: SynthPath[];
}

/** Paths in the detail answer and rows in the table answer. */
export const PATH_COUNT = 500;
/** The origin AS of the detail prefix (documentation range). */
const ORIGIN_AS = 64500;

/** Well-known communities the sets use: normalised value → CLI name / FRR JSON list name. */
const WELL_KNOWN: Record<string, { text: string; json: string }> = {
  "65535:65281": { text: "no-export", json: "noExport" },
  "65535:65282": { text: "no-advertise", json: "noAdvertise" },
  "65535:666": { text: "blackhole", json: "blackhole" },
};
const WELL_KNOWN_VALUES = Object.keys(WELL_KNOWN);

/** Host `n` of 10.1.0.0/16 (private). */
function host(n: number, net = "10.1"): string {
  return `${net}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Generates `count` paths for `prefix` with exactly one best path. `firstHost`
 * numbers the peers so that several sets do not share next hops.
 */
function generateRouteSet(
  prefix: string,
  count: number,
  originAs: number,
  rng: () => number,
  firstHost: number,
): RouteSet {
  const int = (n: number) => Math.floor(rng() * n);
  const bestAt = int(count);
  const paths: SynthPath[] = [];
  for (let i = 0; i < count; i++) {
    const n = firstHost + i;
    // Private ASNs, one peer in eight with a 4-byte one; the origin may be prepended.
    const peerAs = rng() < 0.125 ? 4200000000 + int(100000) : 64512 + int(1000);
    const length = 2 + int(7); // 2–8
    const asPath = [peerAs];
    const prepends = length > 3 && rng() < 0.2 ? 1 + int(length - 3) : 0;
    while (asPath.length < length - 1 - prepends) asPath.push(64512 + int(1000));
    while (asPath.length < length) asPath.push(originAs);
    const communities: string[] = [];
    for (let c = int(7); c > 0; c--) {
      communities.push(
        rng() < 0.1
          ? WELL_KNOWN_VALUES[int(WELL_KNOWN_VALUES.length)]
          : `${64512 + int(1000)}:${int(65536)}`,
      );
    }
    const originRoll = rng();
    paths.push({
      asPath,
      origin: originRoll < 0.85 ? "IGP" : originRoll < 0.97 ? "incomplete" : "EGP",
      nextHop: host(n),
      peer: host(n),
      routerId: host(n, "172.16"),
      med: rng() < 0.5 ? int(1000) : null,
      localPref: rng() < 0.5 ? [80, 100, 120, 200][int(4)] : null,
      communities,
      aggregator: rng() < 0.1 ? { asn: originAs, id: `192.0.2.${1 + int(254)}` } : null,
      rpki: (["valid", "not-found", "not-found", "invalid"] as const)[int(4)],
      lastUpdate: 1795553732 - int(30 * 86400),
      best: i === bestAt,
    });
  }
  return { prefix, paths };
}

/** The detail answer's route set: 500 paths for 192.0.2.0/24. */
const detailSet = generateRouteSet("192.0.2.0/24", PATH_COUNT, ORIGIN_AS, prng(0x5eed), 1);

/** The table answer's route sets: 500 rows over prefixes of 10.200.0.0/16 with 1–8 paths each. */
const tableSets: RouteSet[] = (() => {
  const rng = prng(0x7ab1e);
  const sets: RouteSet[] = [];
  let rows = 0;
  while (rows < PATH_COUNT) {
    const count = Math.min(1 + Math.floor(rng() * 8), PATH_COUNT - rows);
    const prefix = `10.200.${sets.length}.0/24`;
    sets.push(generateRouteSet(prefix, count, 64496 + (sets.length % 16), rng, 1 + rows));
    rows += count;
  }
  return sets;
})();

// ---------------------------------------------------------------------------
// Renderers
// ---------------------------------------------------------------------------

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** C `ctime` without the newline: `Tue Nov 24 20:55:32 2026`, `Fri Feb  5 …`. */
function ctime(epoch: number): string {
  const d = new Date(epoch * 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${
    String(d.getUTCDate()).padStart(2, " ")
  } ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${
    two(d.getUTCSeconds())
  } ${d.getUTCFullYear()}`;
}

function communityText(value: string): string {
  return WELL_KNOWN[value]?.text ?? value;
}

function bestIndex(set: RouteSet): number {
  return set.paths.findIndex((p) => p.best);
}

/** IOS-XE `show ip bgp <prefix>` as route-views prints it (route-servers.md §3.1). */
function renderIosDetail(set: RouteSet): string {
  const out = [
    `BGP routing table entry for ${set.prefix}, version 1295019693`,
    `Paths: (${set.paths.length} available, best #${bestIndex(set) + 1}, table default)`,
    "  Not advertised to any peer",
  ];
  set.paths.forEach((p, i) => {
    const aggregated = p.aggregator
      ? `, (aggregated by ${p.aggregator.asn} ${p.aggregator.id})`
      : "";
    out.push("  Refresh Epoch 1", `  ${p.asPath.join(" ")}${aggregated}`);
    out.push(`    ${p.nextHop} from ${p.peer} (${p.routerId})`);
    const attrs = [`Origin ${p.origin}`];
    if (p.med !== null) attrs.push(`metric ${p.med}`);
    if (p.localPref !== null) attrs.push(`localpref ${p.localPref}`);
    attrs.push("valid", "external");
    if (p.aggregator) attrs.push("atomic-aggregate");
    if (p.best) attrs.push("best");
    out.push(`      ${attrs.join(", ")}`);
    if (p.communities.length > 0) {
      out.push(`      Community: ${p.communities.map(communityText).join(" ")}`);
    }
    const rpki = p.rpki === "not-found" ? "not found" : p.rpki;
    const handle = (0x7fe0df658448 + i * 0x1a0).toString(16).toUpperCase();
    out.push(`      path ${handle} RPKI State ${rpki}`);
    out.push(`      rx pathid: 0, tx pathid: ${p.best ? "0x0" : "0"}`);
  });
  return out.join("\n") + "\n";
}

/** FRR `show bgp ipv4 unicast <prefix>` (route-servers.md §3.3, frr-rig/route_8.8.8.8.txt). */
function renderFrrDetail(set: RouteSet): string {
  const out = [
    `BGP routing table entry for ${set.prefix}, version 1`,
    `Paths: (${set.paths.length} available, best #${bestIndex(set) + 1}, table default)`,
    "  Not advertised to any peer",
  ];
  for (const p of set.paths) {
    const aggregated = p.aggregator
      ? `, (aggregated by ${p.aggregator.asn} ${p.aggregator.id})`
      : "";
    out.push(`  ${p.asPath.join(" ")}${aggregated}`);
    out.push(`    ${p.nextHop} from ${p.peer} (${p.routerId})`);
    const attrs = [`Origin ${p.origin}`];
    if (p.med !== null) attrs.push(`metric ${p.med}`);
    if (p.localPref !== null) attrs.push(`localpref ${p.localPref}`);
    attrs.push("valid", "external");
    if (p.aggregator) attrs.push("atomic-aggregate");
    if (p.best) attrs.push("best (AS Path)");
    attrs.push(`rpki validation-state: ${p.rpki === "not-found" ? "not found" : p.rpki}`);
    out.push(`      ${attrs.join(", ")}`);
    if (p.communities.length > 0) {
      out.push(`      Community: ${p.communities.map(communityText).join(" ")}`);
    }
    out.push(`      Last update: ${ctime(p.lastUpdate)}`);
  }
  return out.join("\n") + "\n";
}

/** FRR `show bgp ipv4 unicast <prefix> json` (route-servers.md §3.6, frr-rig/route_8.8.8.8.json.txt). */
function renderFrrJson(set: RouteSet): string {
  // FRR pretty-prints with json-c: two-space indent, no space after the colon.
  return frrJsonText({ prefix: set.prefix, version: 1, paths: frrJsonPaths(set) });
}

/** FRR `show bgp ipv4 unicast <prefix> longer-prefixes json`: `{routes: {prefix: [path, …]}}`. */
function renderFrrJsonTable(sets: RouteSet[]): string {
  const routes = Object.fromEntries(sets.map((set) => [set.prefix, frrJsonPaths(set)]));
  return frrJsonText({ vrfId: 0, vrfName: "default", routerId: "192.0.2.254", routes });
}

function frrJsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^(\s*"[^"\n]*"): /gm, "$1:") + "\n";
}

/** The paths of one prefix as FRR's JSON shows them. */
function frrJsonPaths(set: RouteSet): Record<string, unknown>[] {
  return set.paths.map((p) => {
    const path: Record<string, unknown> = {
      aspath: {
        string: p.asPath.join(" "),
        segments: [{ type: "as-sequence", list: p.asPath }],
        length: p.asPath.length,
      },
    };
    if (p.aggregator) {
      path.aggregatorAs = p.aggregator.asn;
      path.aggregatorId = p.aggregator.id;
      path.atomicAggregate = true;
    }
    path.origin = p.origin;
    if (p.med !== null) path.metric = p.med;
    if (p.localPref !== null) path.locPrf = p.localPref;
    path.valid = true;
    path.version = 1;
    if (p.best) path.bestpath = { overall: true, selectionReason: "AS Path" };
    if (p.communities.length > 0) {
      path.community = {
        string: p.communities.map(communityText).join(" "),
        list: p.communities.map((c) => WELL_KNOWN[c]?.json ?? c),
      };
    }
    path.rpkiValidationState = p.rpki === "not-found" ? "not found" : p.rpki;
    path.lastUpdate = { epoch: p.lastUpdate, string: `${ctime(p.lastUpdate)}\n` };
    path.nexthops = [{
      ip: p.nextHop,
      hostname: "rs",
      afi: "ipv4",
      metric: 0,
      accessible: true,
      used: true,
    }];
    path.peer = { peerId: p.peer, routerId: p.routerId, hostname: "rs", type: "external" };
    return path;
  });
}

/** Junos `show route <prefix> protocol bgp table inet.0 detail` (junos-composed fixture). */
function renderJunosDetail(set: RouteSet): string {
  return renderJunosTable([set]);
}

/** Junos `show route <prefix> orlonger protocol bgp table inet.0 detail`: one block per prefix. */
function renderJunosTable(sets: RouteSet[]): string {
  const out = [
    "",
    "inet.0: 929432 destinations, 1837610 routes (929409 active, 0 holddown, 0 hidden)",
  ];
  for (const set of sets) renderJunosPrefix(set, out);
  return out.join("\n") + "\n";
}

function renderJunosPrefix(set: RouteSet, out: string[]): void {
  out.push(`${set.prefix} (${set.paths.length} entries, 1 announced)`);
  const pad = " ".repeat(16);
  set.paths.forEach((p, i) => {
    const origin = p.origin === "IGP" ? "I" : p.origin === "EGP" ? "E" : "?";
    const aggregator = p.aggregator ? ` Aggregator: ${p.aggregator.asn} ${p.aggregator.id}` : "";
    const rpki = p.rpki === "not-found" ? "unknown" : p.rpki;
    out.push(`        ${p.best ? "*" : " "}BGP    Preference: 170/-101`);
    out.push(
      `${pad}Next hop type: Indirect, Next hop index: 0`,
      `${pad}Address: 0x9c2a3f4`,
      `${pad}Next-hop reference count: 4`,
      `${pad}Source: ${p.peer}`,
      `${pad}Next hop type: Router, Next hop index: ${1048574 + i}`,
      `${pad}Next hop: ${p.nextHop} via ge-0/0/${i % 48}.0, selected`,
      `${pad}Session Id: 0x${(0x141 + i).toString(16)}`,
      `${pad}Protocol next hop: ${p.nextHop}`,
      `${pad}Indirect next hop: 0x2 no-forward INH Session ID: 0x0`,
      `${pad}State: <${p.best ? "Active" : "NotBest"} Ext>`,
    );
    if (!p.best) out.push(`${pad}Inactive reason: Active preferred`);
    out.push(
      `${pad}Local AS: 64496 Peer AS: ${p.asPath[0]}`,
      `${pad}Age: 3w2d 4:43:35 ${p.med === null ? "" : `\tMetric: ${p.med} `}\tMetric2: 10`,
      `${pad}Validation State: ${rpki}`,
      `${pad}Task: BGP_${p.asPath[0]}.${p.peer}`,
    );
    if (p.best) out.push(`${pad}Announcement bits (2): 0-KRT 4-BGP_RT_Background`);
    out.push(`${pad}AS path: ${p.asPath.join(" ")} ${origin}${aggregator}`);
    if (p.communities.length > 0) {
      out.push(`${pad}Communities: ${p.communities.map(communityText).join(" ")}`);
    }
    // Junos always shows a local preference (100 unless set).
    out.push(
      `${pad}Accepted`,
      `${pad}Localpref: ${p.localPref ?? 100}`,
      `${pad}Router ID: ${p.routerId}`,
    );
  });
}

/** One table row's columns after the status and network: next hop, Metric, LocPrf, Weight, Path. */
function tableColumns(p: SynthPath): string {
  const origin = p.origin === "IGP" ? "i" : p.origin === "EGP" ? "e" : "?";
  return p.nextHop.padEnd(20) + String(p.med ?? "").padStart(6) + " " +
    String(p.localPref ?? "").padStart(6) + " " + "0".padStart(6) + " " +
    `${p.asPath.join(" ")} ${origin}`;
}

/** IOS-XE BGP table (cisco-ios/show_ip_bgp_table_rpki_header.txt layout: network at column 5). */
function renderIosTable(sets: RouteSet[]): string {
  const out = [
    "BGP table version is 61449, local router ID is 192.0.2.254",
    "Status codes: s suppressed, d damped, h history, * valid, > best, i - internal, ",
    "              r RIB-failure, S Stale, m multipath, b backup-path, f RT-Filter, ",
    "              x best-external, a additional-path, c RIB-compressed, ",
    "Origin codes: i - IGP, e - EGP, ? - incomplete",
    "RPKI validation codes: V valid, I invalid, N Not found",
    "",
    "     Network          Next Hop            Metric LocPrf Weight Path",
  ];
  for (const set of sets) {
    set.paths.forEach((p, i) => {
      const network = (i === 0 ? set.prefix : "").padEnd(17);
      out.push(` ${p.best ? "*> " : "*  "} ${network}${tableColumns(p)}`);
    });
  }
  return out.join("\n") + "\n";
}

/** FRR BGP table (frr/show_ip_bgp_table.txt layout: network at column 3). */
function renderFrrTable(sets: RouteSet[]): string {
  const out = [
    "BGP table version is 6405, local router ID is 192.0.2.254, vrf id 0",
    "Default local pref 100, local AS 64496",
    "Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,",
    "               i internal, r RIB-failure, S Stale, R Removed",
    "Nexthop codes: @NNN nexthop's vrf id, < announce-nh-self",
    "Origin codes:  i - IGP, e - EGP, ? - incomplete",
    "RPKI validation codes: V valid, I invalid, N Not found",
    "",
    "   Network          Next Hop            Metric LocPrf Weight Path",
  ];
  let rows = 0;
  for (const set of sets) {
    set.paths.forEach((p, i) => {
      const network = (i === 0 ? set.prefix : "").padEnd(17);
      out.push(`${p.best ? "*> " : "*  "}${network}${tableColumns(p)}`);
      rows++;
    });
  }
  out.push("", `Displayed  ${sets.length} routes and ${rows} total paths`);
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------
// Inputs and their sizes
// ---------------------------------------------------------------------------

/** Every input, by name: the renderings, and the JSON of the neutral sets (the baselines). */
export const INPUTS = {
  /** `JSON.stringify` of the neutral detail set (the `detail-500` baseline). */
  detailJson: JSON.stringify(detailSet),
  iosDetail: renderIosDetail(detailSet),
  frrDetail: renderFrrDetail(detailSet),
  frrJson: renderFrrJson(detailSet),
  junosDetail: renderJunosDetail(detailSet),
  /** `JSON.stringify` of the neutral table sets (the `table-500` baseline). */
  tableJson: JSON.stringify(tableSets),
  iosTable: renderIosTable(tableSets),
  frrTable: renderFrrTable(tableSets),
  frrJsonTable: renderFrrJsonTable(tableSets),
  junosTable: renderJunosTable(tableSets),
} as const;

/** The name of an input. */
export type InputName = keyof typeof INPUTS;

/** Each benchmark input's size in bytes (UTF-8): MB/s = SIZES[input] / time per iteration. */
export const SIZES: Readonly<Record<InputName, number>> = Object.fromEntries(
  Object.entries(INPUTS).map(([name, text]) => [name, new TextEncoder().encode(text).length]),
) as Record<InputName, number>;

// ---------------------------------------------------------------------------
// Verification: every parser recovers the set before anything is timed
// ---------------------------------------------------------------------------

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`parsers_bench: ${what}`);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** What a rendering carries, for the check. */
interface Expect {
  /** Whether the rendering carries peer, communities and RPKI (the detail forms do). */
  detail: boolean;
  /** The local preference shown when the set has none (Junos always shows one). */
  defaultLocalPref?: number;
}

function verifyPaths(label: string, got: BgpPath[], want: SynthPath[], expect: Expect): void {
  check(got.length === want.length, `${label}: ${got.length} paths, want ${want.length}`);
  const bestGot = got.findIndex((p) => p.best);
  const bestWant = want.findIndex((p) => p.best);
  check(bestGot === bestWant, `${label}: best path #${bestGot + 1}, want #${bestWant + 1}`);
  check(got.filter((p) => p.best).length === 1, `${label}: more than one best path`);
  want.forEach((w, i) => {
    const g = got[i];
    const at = `${label} path ${i}`;
    check(sameList(g.asPath, w.asPath), `${at}: AS path ${g.asPath}, want ${w.asPath}`);
    check(g.asPathText === w.asPath.join(" "), `${at}: AS path text ${g.asPathText}`);
    check(g.originAs === w.asPath.at(-1), `${at}: origin AS ${g.originAs}`);
    check(g.origin === w.origin, `${at}: origin ${g.origin}, want ${w.origin}`);
    check(g.nextHop === w.nextHop, `${at}: next hop ${g.nextHop}, want ${w.nextHop}`);
    check(g.med === (w.med ?? undefined), `${at}: MED ${g.med}, want ${w.med}`);
    const localPref = w.localPref ?? expect.defaultLocalPref;
    check(g.localPref === localPref, `${at}: localpref ${g.localPref}, want ${localPref}`);
    if (!expect.detail) return;
    check(g.peer.address === w.peer, `${at}: peer ${g.peer.address}, want ${w.peer}`);
    check(g.peer.routerId === w.routerId, `${at}: router ID ${g.peer.routerId}`);
    check(sameList(g.communities, w.communities), `${at}: communities ${g.communities}`);
    check(g.rpki === w.rpki, `${at}: RPKI ${g.rpki}, want ${w.rpki}`);
  });
}

function verifyRoute(label: string, route: ParsedRoute, set: RouteSet, expect: Expect): void {
  check(route.found, `${label}: not found`);
  check(route.prefix === set.prefix, `${label}: prefix ${route.prefix}, want ${set.prefix}`);
  check(route.totalPaths === set.paths.length, `${label}: totalPaths ${route.totalPaths}`);
  verifyPaths(label, route.paths, set.paths, expect);
}

function verifyTable(
  label: string,
  entries: RouteEntry[],
  sets: RouteSet[],
  expect: Expect,
): void {
  check(
    entries.length === sets.length,
    `${label}: ${entries.length} prefixes, want ${sets.length}`,
  );
  sets.forEach((set, i) => {
    check(entries[i].prefix === set.prefix, `${label}: prefix ${entries[i].prefix}`);
    verifyPaths(`${label} ${set.prefix}`, entries[i].paths, set.paths, expect);
  });
}

/** Paths in a parser's result: the count every bench reads, so the work cannot be dropped. */
export function pathCount(result: unknown): number {
  if (Array.isArray(result)) {
    let n = 0;
    for (const entry of result as RouteEntry[]) n += entry.paths.length;
    return n;
  }
  return (result as ParsedRoute).paths.length;
}

/** The input of one registered parser, and the check that it reads back the neutral set. */
export interface BenchCase {
  /** What the input is, in the bench's name (`IOS text`). */
  label: string;
  /** The rendering it parses. */
  input: InputName;
  /** The family passed to a parser that reads one family's table (Junos). */
  family?: Family;
  /** Throws unless the result is the neutral set. */
  verify(result: unknown): void;
}

/** The key of a registered parser's case: `dialect kind format` (`frr routes json`). */
export function benchCaseKey(parser: { dialect: string; kind: string; format: string }): string {
  return `${parser.dialect} ${parser.kind} ${parser.format}`;
}

const detail: Expect = { detail: true };
const junos: Expect = { detail: true, defaultLocalPref: 100 };
const table: Expect = { detail: false };

/**
 * A case for every registered route and table parser (summaries are small and
 * are not timed). A registered parser without one stops the bench before
 * anything runs, and fails `tests/dialects/registry_test.ts`.
 */
export const BENCH_CASES: Readonly<Record<string, BenchCase>> = {
  "cisco-ios route text": {
    label: "IOS text",
    input: "iosDetail",
    verify: (r) => verifyRoute("IOS text", r as ParsedRoute, detailSet, detail),
  },
  "frr route text": {
    label: "FRR text",
    input: "frrDetail",
    verify: (r) => verifyRoute("FRR text", r as ParsedRoute, detailSet, detail),
  },
  "frr route json": {
    label: "FRR json",
    input: "frrJson",
    verify: (r) => verifyRoute("FRR json", r as ParsedRoute, detailSet, detail),
  },
  "junos route text": {
    label: "Junos text",
    input: "junosDetail",
    family: "ipv4",
    verify: (r) => verifyRoute("Junos text", r as ParsedRoute, detailSet, junos),
  },
  "cisco-ios routes text": {
    label: "IOS table",
    input: "iosTable",
    verify: (r) => verifyTable("IOS table", r as RouteEntry[], tableSets, table),
  },
  "frr routes text": {
    label: "FRR table",
    input: "frrTable",
    verify: (r) => verifyTable("FRR table", r as RouteEntry[], tableSets, table),
  },
  "frr routes json": {
    label: "FRR json table",
    input: "frrJsonTable",
    verify: (r) => verifyTable("FRR json table", r as RouteEntry[], tableSets, detail),
  },
  "junos routes text": {
    label: "Junos orlonger",
    input: "junosTable",
    family: "ipv4",
    verify: (r) => verifyTable("Junos orlonger", r as RouteEntry[], tableSets, junos),
  },
};

/** Whether a registered parser is timed: route and table parsers are, summaries are not. */
export function benched(parser: { kind: string }): boolean {
  return parser.kind !== "summary";
}

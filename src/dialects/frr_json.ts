/**
 * Parsers for FRR's `json` answers: `show bgp ipv4|ipv6 unicast <dest> json`
 * and `show bgp … summary json`. Both old (≤ 7.3: `med`, `localpref`) and new
 * (`metric`, `locPrf`) field names are read.
 *
 * @module
 */

import { ParseError } from "../errors.ts";
import type { BgpNeighbor, BgpPath, Origin, ParsedRoute, ParsedSummary } from "../types.ts";
import type { RouteEntry } from "./mod.ts";
import {
  normalizeCommunity,
  parseAsn,
  parseAsPathText,
  parseExtendedCommunities,
  parseLargeCommunities,
  parseOrigin,
  parseRpkiState,
} from "./bgp_values.ts";

const DIALECT = "frr-json";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseObject(text: string): Json {
  const start = text.indexOf("{");
  let value: unknown;
  try {
    value = JSON.parse(start < 0 ? text : text.slice(start));
  } catch (error) {
    throw new ParseError(DIALECT, `The answer is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new ParseError(DIALECT, "The answer is not a JSON object");
  return value;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A whole number ≥ 0 (MED, local preference, prefix counts). */
function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** An AS number: an integer from 0 to 4294967295 (as a number or an asplain/asdot string). */
function asn(value: unknown): number | null {
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : null;
  }
  return typeof value === "string" ? parseAsn(value) : null;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * Parses `show bgp ipv4|ipv6 unicast <dest> json`. `{}` means not found.
 *
 * @throws {ParseError} when the text is not the expected JSON
 */
export function parseFrrRouteJson(text: string): ParsedRoute {
  const root = parseObject(text);
  // FRR answers `{}` for a destination it has no route for; any other shape is not understood.
  if (Object.keys(root).length === 0) {
    return { found: false, prefix: null, paths: [], totalPaths: 0 };
  }
  const prefix = str(root.prefix);
  if (!prefix || !Array.isArray(root.paths)) {
    throw new ParseError(DIALECT, "Expected `prefix` and `paths` in the route JSON");
  }
  const paths = root.paths.map((path, i) => {
    if (!isObject(path)) throw new ParseError(DIALECT, `Path ${i} is not an object`);
    return parsePath(path, i);
  });
  return { found: true, prefix, paths, totalPaths: paths.length };
}

function parsePath(path: Json, index: number): BgpPath {
  const aspath = path.aspath;
  let asPathText = "";
  let asPath: number[] = [];
  let originAs: number | null = null;
  if (isObject(aspath)) {
    asPathText = str(aspath.string) ?? "";
    if (Array.isArray(aspath.segments)) {
      for (const segment of aspath.segments) {
        if (!isObject(segment) || !Array.isArray(segment.list)) continue;
        const list = segment.list.map(asn);
        if (list.some((a) => a === null)) {
          throw new ParseError(DIALECT, `Path ${index} has an AS path with an invalid AS number`);
        }
        const asns = list as number[];
        if (segment.type === "as-sequence") {
          asPath.push(...asns);
          originAs = asns.at(-1) ?? originAs;
        } else if (segment.type === "as-set") {
          originAs = asns.length === 1 ? asns[0] : null;
        }
      }
    } else {
      const fromText = parseAsPathText(asPathText);
      if (fromText) ({ asPath, originAs } = fromText);
    }
  } else if (typeof aspath === "string" || typeof path.path === "string") {
    // Table-form JSON (and very old FRR) gives the path as a string.
    asPathText = (str(aspath) ?? str(path.path))!;
    const parsed = parseAsPathText(asPathText);
    if (!parsed) throw new ParseError(DIALECT, `Cannot read the AS path of path ${index}`);
    ({ asPath, originAs } = parsed);
  }
  const origin: Origin | null = parseOrigin(str(path.origin) ?? "");
  if (!origin) throw new ParseError(DIALECT, `Path ${index} has no valid origin`);

  const nexthops = Array.isArray(path.nexthops) ? path.nexthops.filter(isObject) : [];
  const hop = nexthops.find((h) => h.scope !== "link-local" && h.used === true) ??
    nexthops.find((h) => h.scope !== "link-local") ?? nexthops[0];
  const peer = isObject(path.peer) ? path.peer : {};
  const bestpath = path.bestpath;

  const result: BgpPath = {
    best: bestpath === true || (isObject(bestpath) && bestpath.overall === true),
    valid: path.valid === true,
    asPath,
    asPathText,
    originAs,
    origin,
    nextHop: str(hop?.ip) ?? "",
    peer: { address: str(peer.peerId) ?? str(path.peerId) ?? "" },
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
  };
  const routerId = str(peer.routerId);
  if (routerId) result.peer.routerId = routerId;
  const med = count(path.metric) ?? count(path.med);
  if (med !== undefined) result.med = med;
  const localPref = count(path.locPrf) ?? count(path.localpref);
  if (localPref !== undefined) result.localPref = localPref;
  if (isObject(path.community)) {
    const list = Array.isArray(path.community.list)
      ? path.community.list.filter((c): c is string => typeof c === "string")
      : (str(path.community.string) ?? "").split(/\s+/).filter(Boolean);
    result.communities = list.map((c) => normalizeCommunity(c) ?? c);
  }
  if (isObject(path.largeCommunity)) {
    result.largeCommunities = parseLargeCommunities(str(path.largeCommunity.string) ?? "");
  }
  if (isObject(path.extendedCommunity)) {
    result.extendedCommunities = parseExtendedCommunities(str(path.extendedCommunity.string) ?? "");
  }
  const rpki = parseRpkiState(str(path.rpkiValidationState) ?? "");
  if (rpki) result.rpki = rpki;
  if (isObject(path.lastUpdate)) {
    const epoch = num(path.lastUpdate.epoch);
    const text = str(path.lastUpdate.string)?.trim();
    const date = epoch === undefined ? null : new Date(epoch * 1000);
    if (date && !Number.isNaN(date.getTime())) result.lastUpdate = date.toISOString();
    else if (text) result.lastUpdate = text;
  }
  return result;
}

/**
 * Parses `show bgp [ipv4|ipv6] [unicast] summary json`, with or without the
 * `ipv4Unicast`/`ipv6Unicast` wrapper (the first family present is used).
 *
 * @throws {ParseError} when the text is not the expected JSON
 */
export function parseFrrSummaryJson(text: string): ParsedSummary {
  const root = parseObject(text);
  const family = "routerId" in root
    ? root
    : Object.values(root).find((value) => isObject(value) && "routerId" in value);
  if (!isObject(family)) {
    // FRR answers `{}` when no neighbour is configured for the family.
    if (Object.keys(root).length === 0) return { routerId: null, localAs: null, neighbors: [] };
    throw new ParseError(DIALECT, "Expected `routerId` in the summary JSON");
  }
  const localAs = asn(family.as);
  if (localAs === null) {
    throw new ParseError(DIALECT, "Expected the local AS (`as`) in the summary JSON");
  }
  const peers = isObject(family.peers) ? family.peers : {};
  const neighbors: BgpNeighbor[] = Object.entries(peers).map(([address, peer]) => {
    if (!isObject(peer)) throw new ParseError(DIALECT, `Peer ${address} is not an object`);
    const remoteAs = asn(peer.remoteAs);
    if (remoteAs === null) {
      throw new ParseError(DIALECT, `Peer ${address} has no valid remote AS`);
    }
    const state = str(peer.state) ?? "Unknown";
    const established = state === "Established";
    const counted = count(peer.pfxRcd) ?? count(peer.prefixReceivedCount);
    return {
      address,
      asn: remoteAs,
      state,
      established,
      uptime: str(peer.peerUptime) ?? "",
      prefixesReceived: established ? counted ?? null : null,
    };
  });
  return { routerId: str(family.routerId) ?? "", localAs, neighbors };
}

/**
 * Parses the table form (`show bgp ipv4 unicast <prefix> longer-prefixes json`):
 * `{routes: {"<prefix>": [path, …]}}`. No `routes` (or `{}`) is an empty list.
 *
 * @throws {ParseError} when the text is not the expected JSON
 */
export function parseFrrTableJson(text: string): RouteEntry[] {
  const root = parseObject(text);
  if (Object.keys(root).length === 0) return [];
  if (!isObject(root.routes)) throw new ParseError(DIALECT, "Expected `routes` in the table JSON");
  return Object.entries(root.routes).map(([prefix, paths]) => {
    if (!Array.isArray(paths)) throw new ParseError(DIALECT, `Routes of ${prefix} are not a list`);
    const parsed = paths.map((path, i) => {
      if (!isObject(path)) throw new ParseError(DIALECT, `Path ${i} of ${prefix} is not an object`);
      return parsePath(path, i);
    });
    return { prefix, paths: parsed, totalPaths: parsed.length };
  });
}

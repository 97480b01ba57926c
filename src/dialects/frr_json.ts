/**
 * Parsers for FRR's `json` answers: `show bgp ipv4|ipv6 unicast <dest> json`
 * and `show bgp … summary json`. Both old (≤ 7.3: `med`, `localpref`) and new
 * (`metric`, `locPrf`) field names are read.
 *
 * @module
 */

import { ParseError } from "../errors.ts";
import type {
  BgpNeighbor,
  BgpPath,
  Origin,
  ParsedRoute,
  ParsedSummary,
  RouteEntry,
} from "../bgp/types.ts";
import {
  normalizeCommunity,
  parseAsn,
  parseExtendedCommunities,
  parseLargeCommunities,
  parseOrigin,
  parseRpkiState,
} from "../bgp/values.ts";
import {
  quoted,
  typedAddress,
  typedAsPath,
  typedDateText,
  typedEpoch,
  typedIpv4,
  typedPrefix,
  typedSessionState,
  typedUptime,
} from "./_typed.ts";

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

/** A whole number from 0 to 4294967295 (MED, local preference, prefix counts). */
function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 &&
      value <= 0xffffffff
    ? value
    : undefined;
}

/** Shows a JSON value from the answer inside a message. */
function shown(value: unknown): string {
  return quoted(typeof value === "string" ? value : JSON.stringify(value) ?? String(value));
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
  if (root.prefix === undefined || !Array.isArray(root.paths)) {
    throw new ParseError(DIALECT, "Expected `prefix` and `paths` in the route JSON");
  }
  const prefix = typedPrefix(root.prefix);
  if (!prefix) throw new ParseError(DIALECT, `The prefix ${shown(root.prefix)} is not a prefix`);
  const paths = root.paths.map((path, i) => {
    if (!isObject(path)) throw new ParseError(DIALECT, `Path ${i} is not an object`);
    return parsePath(path, i);
  });
  return { found: true, prefix: prefix.text, paths, totalPaths: paths.length };
}

function parsePath(path: Json, index: number): BgpPath {
  const aspath = path.aspath;
  let asPathText = "";
  let asPath: number[] = [];
  let originAs: number | null = null;
  if (isObject(aspath)) {
    // The printed form is shown as `asPathText`: it must be an AS path too.
    const printed = typedAsPath(str(aspath.string) ?? "");
    if (!printed) {
      throw new ParseError(DIALECT, `Path ${index} has the AS path ${shown(aspath.string)}`);
    }
    asPathText = printed.text;
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
    } else ({ asPath, originAs } = printed);
  } else if (typeof aspath === "string" || typeof path.path === "string") {
    // Table-form JSON (and very old FRR) gives the path as a string.
    const text = (str(aspath) ?? str(path.path))!;
    const parsed = typedAsPath(text);
    if (!parsed) throw new ParseError(DIALECT, `Path ${index} has the AS path ${shown(text)}`);
    ({ asPath, originAs } = parsed);
    asPathText = parsed.text;
  }
  const origin: Origin | null = parseOrigin(str(path.origin) ?? "");
  if (!origin) throw new ParseError(DIALECT, `Path ${index} has no valid origin`);

  const nexthops = Array.isArray(path.nexthops) ? path.nexthops.filter(isObject) : [];
  const hop = nexthops.find((h) => h.scope !== "link-local" && h.used === true) ??
    nexthops.find((h) => h.scope !== "link-local") ?? nexthops[0];
  // Table-form JSON puts the next hop on the path itself.
  const hopText = hop?.ip ?? path.nexthop;
  const nextHop = typedAddress(hopText);
  if (!nextHop) {
    throw new ParseError(DIALECT, `Path ${index} has the next hop ${shown(hopText)}`);
  }
  const peer = isObject(path.peer) ? path.peer : {};
  const peerText = peer.peerId ?? path.peerId;
  // No peer (`(unspec)` in the table form) for a route the server originates itself.
  const peerAddress = peerText === undefined || peerText === "(unspec)"
    ? ""
    : typedAddress(peerText);
  if (peerAddress === null) {
    throw new ParseError(DIALECT, `Path ${index} has the peer ${shown(peerText)}`);
  }
  const bestpath = path.bestpath;

  const result: BgpPath = {
    best: bestpath === true || (isObject(bestpath) && bestpath.overall === true),
    valid: path.valid === true,
    asPath,
    asPathText,
    originAs,
    origin,
    nextHop,
    peer: { address: peerAddress },
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
  };
  const routerId = typedIpv4(peer.routerId);
  if (routerId) result.peer.routerId = routerId;
  const med = count(path.metric) ?? count(path.med);
  if (med !== undefined) result.med = med;
  const localPref = count(path.locPrf) ?? count(path.localpref);
  if (localPref !== undefined) result.localPref = localPref;
  if (isObject(path.community)) {
    const list = Array.isArray(path.community.list)
      ? path.community.list.filter((c): c is string => typeof c === "string")
      : (str(path.community.string) ?? "").split(/\s+/).filter(Boolean);
    result.communities = list.map(normalizeCommunity).filter((c): c is string => c !== null);
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
    const date = typedEpoch(path.lastUpdate.epoch) ?? typedDateText(path.lastUpdate.string);
    if (date) result.lastUpdate = date;
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
  const routerId = typedIpv4(family.routerId);
  if (routerId === null) {
    throw new ParseError(DIALECT, `The router ID ${shown(family.routerId)} is not an IPv4 address`);
  }
  const peers = isObject(family.peers) ? family.peers : {};
  const neighbors: BgpNeighbor[] = Object.entries(peers).map(([key, peer]) => {
    const address = typedAddress(key);
    if (address === null) throw new ParseError(DIALECT, `The peer ${shown(key)} is not an address`);
    if (!isObject(peer)) throw new ParseError(DIALECT, `Peer ${address} is not an object`);
    const remoteAs = asn(peer.remoteAs);
    if (remoteAs === null) {
      throw new ParseError(DIALECT, `Peer ${address} has no valid remote AS`);
    }
    const state = typedSessionState(peer.state);
    if (state === null) {
      throw new ParseError(DIALECT, `Peer ${address} has the state ${shown(peer.state)}`);
    }
    const uptime = peer.peerUptime === undefined ? "" : typedUptime(peer.peerUptime);
    if (uptime === null) {
      throw new ParseError(DIALECT, `Peer ${address} has the up time ${shown(peer.peerUptime)}`);
    }
    const established = state === "Established";
    const counted = count(peer.pfxRcd) ?? count(peer.prefixReceivedCount);
    return {
      address,
      asn: remoteAs,
      state,
      established,
      uptime,
      prefixesReceived: established ? counted ?? null : null,
    };
  });
  return { routerId, localAs, neighbors };
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
  return Object.entries(root.routes).map(([key, paths]) => {
    const prefix = typedPrefix(key)?.text;
    if (!prefix) throw new ParseError(DIALECT, `The route ${shown(key)} is not a prefix`);
    if (!Array.isArray(paths)) throw new ParseError(DIALECT, `Routes of ${prefix} are not a list`);
    const parsed = paths.map((path, i) => {
      if (!isObject(path)) throw new ParseError(DIALECT, `Path ${i} of ${prefix} is not an object`);
      return parsePath(path, i);
    });
    return { prefix, paths: parsed, totalPaths: parsed.length };
  });
}

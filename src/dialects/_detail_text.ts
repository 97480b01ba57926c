/**
 * Parser for the per-prefix detail text shared by Cisco IOS/IOS-XE and
 * FRR/Quagga (`show ip bgp <prefix>`, `show bgp ipv6 unicast <prefix>`).
 * Internal: the dialect modules expose it.
 *
 * Paths are found by their next-hop line (`<nexthop> … from <peer> (<router-id>)`);
 * the line before it is the AS path, the lines after it up to the next path are
 * the attributes. This does not depend on indentation, which varies between
 * versions and captures.
 *
 * @module
 */

import { ParseError, type ParseErrorOptions } from "../errors.ts";
import type { BgpPath, ParsedRoute } from "../bgp/types.ts";
import {
  decodeLargeCommunities,
  LARGE_COMMUNITY_TYPE,
  UnknownAttributeReader,
} from "./_unknown_attributes.ts";
import {
  normalizeCommunity,
  parseCommunities,
  parseExtendedCommunities,
  parseLargeCommunities,
  parseOrigin,
  parseRpkiState,
} from "../bgp/values.ts";
import {
  lineAt,
  quoted,
  typedAddress,
  typedAsPath,
  typedDateText,
  typedIpv4,
  typedPrefix,
  typedUint32,
} from "./_typed.ts";

const ENTRY_HEADER = /^\s*BGP routing table entry for (\S+?)(?:,|\s|$)/;
const PATHS_HEADER = /^\s*Paths: \((\d+) available/;
const FAMILY_HEADER = /^\s*For address family: (.+)$/;
const NEXT_HOP_LINE = /^\s+(\S+)(?:\s+\([^)]*\))*\s+from\s+(\S+)\s+\(([^)]+)\)/;
// Line starts without the `m` flag: `^\s*` with `m` rescans runs of blank lines (quadratic).
const NOT_IN_TABLE = /(?:^|\n)[ \t]*% Network not in table/;

/** Attribute line prefixes whose values may wrap onto continuation lines. */
const LIST_ATTRIBUTES = ["Community:", "Large Community:", "Extended Community:"] as const;

/** Whether the answer says the destination is not in the table. */
function isNotInTable(text: string): boolean {
  return NOT_IN_TABLE.test(text);
}

/**
 * Parses every `BGP routing table entry` in the text. A not-found answer yields
 * an empty list.
 *
 * @throws {ParseError} when a path block cannot be read
 */
export function parseDetailEntries(text: string, dialect: string): ParsedRoute[] {
  const lines = text.replaceAll("\r", "").split("\n");
  const starts: number[] = [];
  const unicast: boolean[] = [];
  // `show bgp all detail` heads each family's entries; only unicast entries are routes we read
  // (VPN entries carry a route distinguisher, `100:100:10.0.0.0/8`, and are never asked for).
  let inUnicast = true;
  lines.forEach((line, i) => {
    const family = line.includes("For address family:") ? FAMILY_HEADER.exec(line) : null;
    if (family) inUnicast = /^IPv[46] Unicast$/.test(family[1].trim());
    if (ENTRY_HEADER.test(line)) {
      starts.push(i);
      unicast.push(inUnicast);
    }
  });
  return starts.flatMap((start, n) =>
    unicast[n] ? [parseEntry(lines, { start, end: starts[n + 1] ?? lines.length }, dialect)] : []
  );
}

/**
 * Parses the answer for one destination: the first entry, or not found.
 *
 * @throws {ParseError} when the text is neither an entry nor a not-found answer
 */
export function parseDetailText(text: string, dialect: string): ParsedRoute {
  if (isNotInTable(text)) return { found: false, prefix: null, paths: [], totalPaths: 0 };
  const [entry] = parseDetailEntries(text, dialect);
  if (!entry) {
    const firstLine = text.trim().split("\n")[0] ?? "";
    const lines = text.replaceAll("\r", "").split("\n");
    throw new ParseError(
      dialect,
      `Expected a BGP routing table entry, got: ${quoted(firstLine, 120)}`,
      lineAt(lines, lines.findIndex((line) => line.trim() !== "")),
    );
  }
  return entry;
}

/** One entry: lines `start` (its header) to `end` (exclusive) of the answer's `lines`. */
function parseEntry(
  lines: string[],
  { start, end }: { start: number; end: number },
  dialect: string,
): ParsedRoute {
  const printed = ENTRY_HEADER.exec(lines[start])![1];
  const prefix = typedPrefix(printed);
  if (!prefix) {
    throw new ParseError(
      dialect,
      `The routing table entry ${quoted(printed)} is not a prefix`,
      lineAt(lines, start),
    );
  }
  let totalPaths: number | null = null;
  let pathsAt = -1;
  const hops: number[] = [];
  for (let i = start; i < end; i++) {
    const line = lines[i];
    const paths = line.includes("Paths: (") ? PATHS_HEADER.exec(line) : null;
    if (paths) {
      totalPaths = Number(paths[1]);
      pathsAt = i;
    } else if (i > start && line.includes(" from ") && NEXT_HOP_LINE.test(line)) hops.push(i);
  }
  const paths = hops.map((hop, n) =>
    parsePath(lines, { hop, end: n + 1 < hops.length ? hops[n + 1] - 1 : end }, dialect)
  );
  // The header counts the paths that follow: an answer with fewer was cut short (a prompt-like
  // line in the middle, a lost connection), one with more is not one router's answer.
  if (totalPaths !== null && totalPaths !== paths.length) {
    throw new ParseError(
      dialect,
      `The answer for ${prefix.text} holds ${paths.length} of the ${totalPaths} paths its header ` +
        "announces (`Paths: (N available`), so it is incomplete; nothing of it is shown",
      lineAt(lines, pathsAt),
    );
  }
  return { found: true, prefix: prefix.text, paths, totalPaths: paths.length };
}

/** `10.0.0.2`, or FRR's `peer-name(10.0.0.2)` when it shows host names. */
function peerAddress(text: string): string | null {
  const named = /^[\w.-]{1,64}\(([^()]{1,45})\)$/.exec(text);
  return typedAddress(named ? named[1] : text);
}

/**
 * One path: its next-hop line `hop` of the answer's `lines`, the AS path on
 * the line before, and the attributes up to `end` (exclusive).
 */
function parsePath(
  lines: string[],
  { hop: hopAt, end }: { hop: number; end: number },
  dialect: string,
): BgpPath {
  const hopLine = lines[hopAt];
  // `174 13335, (aggregated by 13335 10.0.0.1), (Received from a RR-client)`
  const trimmedAs = lines[hopAt - 1].trim();
  const cut = trimmedAs.indexOf(", (");
  const asPathText = (cut < 0 ? trimmedAs : trimmedAs.slice(0, cut)).replace(/,$/, "").trim();
  const asPath = typedAsPath(asPathText);
  if (!asPath) {
    throw new ParseError(
      dialect,
      `Cannot read the AS path ${quoted(trimmedAs)}`,
      lineAt(lines, hopAt - 1),
    );
  }
  const hop = NEXT_HOP_LINE.exec(hopLine)!;
  const nextHop = typedAddress(hop[1]);
  if (!nextHop) {
    throw new ParseError(
      dialect,
      `The next hop ${quoted(hop[1])} is not an IP address`,
      lineAt(lines, hopAt),
    );
  }
  const peer = peerAddress(hop[2]);
  if (!peer) {
    throw new ParseError(
      dialect,
      `The peer ${quoted(hop[2])} is not an IP address`,
      lineAt(lines, hopAt),
    );
  }
  const routerId = typedIpv4(hop[3]);
  const path: BgpPath = {
    best: false,
    valid: false,
    asPath: asPath.asPath,
    asPathText: asPath.text,
    originAs: asPath.originAs,
    origin: "incomplete",
    nextHop,
    peer: routerId ? { address: peer, routerId } : { address: peer },
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
  };
  let sawOrigin = false;
  let list: (typeof LIST_ATTRIBUTES)[number] | null = null;
  const unknown = new UnknownAttributeReader();
  for (let i = hopAt + 1; i < end; i++) {
    const line = lines[i].trim();
    // `unknown transitive attribute: …` and its hex `value` lines (IOS-XE).
    if (unknown.take(line)) {
      list = null;
      continue;
    }
    if (line === "" || line.startsWith("Refresh Epoch")) {
      list = null;
      continue;
    }
    if (line.startsWith("Origin ")) {
      readOriginLine(line, path, { dialect, where: lineAt(lines, i) });
      sawOrigin = true;
      list = null;
      continue;
    }
    const attribute = line.startsWith("Community:")
      ? "Community:"
      : line.startsWith("Large Community:")
      ? "Large Community:"
      : line.startsWith("Extended Community:")
      ? "Extended Community:"
      : null;
    if (attribute) {
      list = attribute;
      addList(path, attribute, line.slice(attribute.length));
      continue;
    }
    // A wrapped list continues on a line of list tokens only.
    if (list && line.split(/\s+/).every(isListToken)) {
      addList(path, list, line);
      continue;
    }
    list = null;
    const rpkiAt = line.indexOf("RPKI State ");
    if (rpkiAt >= 0) {
      path.rpki = parseRpkiState(line.slice(rpkiAt + "RPKI State ".length)) ?? path.rpki;
      continue;
    }
    // A date the server printed in its local time; anything else is left out.
    const date = line.startsWith("Last update:")
      ? typedDateText(line.slice("Last update:".length))
      : line.startsWith("Updated on ")
      ? typedDateText(line.slice("Updated on ".length))
      : null;
    if (date) path.lastUpdate = date;
  }
  if (!sawOrigin) {
    throw new ParseError(
      dialect,
      `The path via ${path.nextHop} has no Origin line`,
      lineAt(lines, hopAt),
    );
  }
  for (const attribute of unknown.finish()) {
    // IOS-XE 3.16 predates RFC 8092: its large communities arrive as an unknown attribute.
    const large = attribute.type === LARGE_COMMUNITY_TYPE
      ? decodeLargeCommunities(attribute.hex)
      : null;
    if (large) {
      for (const c of large) if (!path.largeCommunities.includes(c)) path.largeCommunities.push(c);
    } else (path.unknownAttributes ??= []).push(attribute);
  }
  return path;
}

/**
 * A token that belongs to a community list: `a:b`, `a:b:c`, `RT:a:b`, an
 * old-format 32-bit community, or a well-known name.
 */
function isListToken(token: string): boolean {
  return (/^[\w.-]+:[\w.:-]+$/.test(token) && !token.endsWith(":")) ||
    normalizeCommunity(token) !== null;
}

function addList(path: BgpPath, attribute: (typeof LIST_ATTRIBUTES)[number], text: string): void {
  if (attribute === "Community:") path.communities.push(...parseCommunities(text));
  else if (attribute === "Large Community:") {
    path.largeCommunities.push(...parseLargeCommunities(text));
  } else path.extendedCommunities.push(...parseExtendedCommunities(text));
}

/**
 * `Origin IGP, metric 0, localpref 100, valid, external, best (AS Path)` and,
 * on FRR, `…, rpki validation-state: valid`.
 */
function readOriginLine(
  line: string,
  path: BgpPath,
  { dialect, where }: { dialect: string; where: ParseErrorOptions },
): void {
  const parts = line.split(/,\s*/);
  const origin = parseOrigin(parts[0].slice("Origin ".length));
  if (!origin) throw new ParseError(dialect, `Cannot read the origin in ${quoted(line)}`, where);
  path.origin = origin;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    const space = part.indexOf(" ");
    const word = space < 0 ? part : part.slice(0, space);
    const value = space < 0 ? "" : part.slice(space + 1).trim();
    const number = typedUint32(value);
    if (word === "metric" && number !== null) path.med = number;
    else if (word === "localpref" && number !== null) path.localPref = number;
    else if (word === "valid") path.valid = true;
    else if (word === "best") path.best = true;
    else if (word === "rpki") {
      const state = /validation-state:\s*(.+)$/.exec(part);
      if (state) path.rpki = parseRpkiState(state[1]) ?? path.rpki;
    }
  }
}

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

import { ParseError } from "../errors.ts";
import type { BgpPath, ParsedRoute } from "../types.ts";
import {
  normalizeCommunity,
  parseAsPathText,
  parseCommunities,
  parseExtendedCommunities,
  parseLargeCommunities,
  parseOrigin,
  parseRpkiState,
} from "./bgp_values.ts";

const ENTRY_HEADER = /^\s*BGP routing table entry for (\S+?)(?:,|\s|$)/;
const PATHS_HEADER = /^\s*Paths: \((\d+) available/;
const NEXT_HOP_LINE = /^\s+(\S+)(?:\s+\([^)]*\))*\s+from\s+(\S+)\s+\(([^)]+)\)/;
// Line starts without the `m` flag: `^\s*` with `m` rescans runs of blank lines (quadratic).
const NOT_IN_TABLE = /(?:^|\n)[ \t]*% Network not in table/;

/** Attribute line prefixes whose values may wrap onto continuation lines. */
const LIST_ATTRIBUTES = ["Community:", "Large Community:", "Extended Community:"] as const;

/** Whether the answer says the destination is not in the table. */
export function isNotInTable(text: string): boolean {
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
  lines.forEach((line, i) => {
    if (ENTRY_HEADER.test(line)) starts.push(i);
  });
  return starts.map((start, n) => parseEntry(lines.slice(start, starts[n + 1]), dialect));
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
    const firstLine = text.trim().split("\n")[0]?.slice(0, 120) ?? "";
    throw new ParseError(
      dialect,
      `Expected a BGP routing table entry, got: ${JSON.stringify(firstLine)}`,
    );
  }
  return entry;
}

function parseEntry(lines: string[], dialect: string): ParsedRoute {
  const prefix = ENTRY_HEADER.exec(lines[0])![1];
  let totalPaths: number | null = null;
  const hops: number[] = [];
  lines.forEach((line, i) => {
    const paths = line.includes("Paths: (") ? PATHS_HEADER.exec(line) : null;
    if (paths) totalPaths = Number(paths[1]);
    else if (i > 0 && line.includes(" from ") && NEXT_HOP_LINE.test(line)) hops.push(i);
  });
  const paths = hops.map((hop, n) => {
    const end = n + 1 < hops.length ? hops[n + 1] - 1 : lines.length;
    return parsePath(lines[hop - 1], lines[hop], lines.slice(hop + 1, end), dialect);
  });
  return { found: true, prefix, paths, totalPaths: totalPaths ?? paths.length };
}

function parsePath(
  asLine: string,
  hopLine: string,
  attributes: string[],
  dialect: string,
): BgpPath {
  // `174 13335, (aggregated by 13335 10.0.0.1), (Received from a RR-client)`
  const trimmedAs = asLine.trim();
  const cut = trimmedAs.indexOf(", (");
  const asPathText = (cut < 0 ? trimmedAs : trimmedAs.slice(0, cut)).replace(/,$/, "").trim();
  const asPath = parseAsPathText(asPathText);
  if (!asPath) {
    throw new ParseError(dialect, `Cannot read the AS path ${JSON.stringify(asLine.trim())}`);
  }
  const hop = NEXT_HOP_LINE.exec(hopLine)!;
  const path: BgpPath = {
    best: false,
    valid: false,
    asPath: asPath.asPath,
    asPathText: asPathText === "Local" ? "" : asPathText,
    originAs: asPath.originAs,
    origin: "incomplete",
    nextHop: hop[1],
    peer: { address: hop[2], routerId: hop[3] },
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
  };
  let sawOrigin = false;
  let list: (typeof LIST_ATTRIBUTES)[number] | null = null;
  for (const raw of attributes) {
    const line = raw.trim();
    if (line === "" || line.startsWith("Refresh Epoch")) {
      list = null;
      continue;
    }
    if (line.startsWith("Origin ")) {
      readOriginLine(line, path, dialect);
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
    if (line.startsWith("Last update:")) path.lastUpdate = line.slice("Last update:".length).trim();
    else if (line.startsWith("Updated on ")) {
      path.lastUpdate = line.slice("Updated on ".length).trim();
    }
  }
  if (!sawOrigin) {
    throw new ParseError(dialect, `The path via ${path.nextHop} has no Origin line`);
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
function readOriginLine(line: string, path: BgpPath, dialect: string): void {
  const parts = line.split(/,\s*/);
  const origin = parseOrigin(parts[0].slice("Origin ".length));
  if (!origin) throw new ParseError(dialect, `Cannot read the origin in ${JSON.stringify(line)}`);
  path.origin = origin;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    const space = part.indexOf(" ");
    const word = space < 0 ? part : part.slice(0, space);
    const value = space < 0 ? "" : part.slice(space + 1).trim();
    if (word === "metric" && /^\d+$/.test(value)) path.med = Number(value);
    else if (word === "localpref" && /^\d+$/.test(value)) path.localPref = Number(value);
    else if (word === "valid") path.valid = true;
    else if (word === "best") path.best = true;
    else if (word === "rpki") {
      const state = /validation-state:\s*(.+)$/.exec(part);
      if (state) path.rpki = parseRpkiState(state[1]) ?? path.rpki;
    }
  }
}

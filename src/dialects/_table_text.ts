/**
 * Parser for the BGP table text shared by Cisco IOS and FRR/Quagga
 * (`show ip bgp 8.8.8.0/24 longer-prefixes`, `show bgp ipv4 unicast … longer-prefixes`):
 *
 * ```
 *    Network          Next Hop            Metric LocPrf Weight Path
 * *> 8.8.8.0/24       198.51.100.2             0             0 15169 15169 i
 * *=                  198.51.100.3            10             0 3356 174 15169 i
 * * i199.16.104.96/27 10.66.166.3              0    100      0 11111 99999 ?
 * *> 2001:db8:a:b::/64
 *                     fc00::72                               0 64600 65501 i
 * ```
 *
 * Status codes may run into the prefix; Metric, LocPrf and Weight may be blank,
 * so numbers are placed by the header's column positions; a long prefix or next
 * hop wraps onto the next line. Internal: the dialect modules expose it.
 *
 * @module
 */

import { parseIpv6 } from "../validation/_ip.ts";
import { ParseError, type ParseErrorOptions } from "../errors.ts";
import type { BgpPath, RouteEntry } from "../bgp/types.ts";
import { parseOrigin } from "../bgp/values.ts";
import { lineAt, quoted, typedAddress, typedAsPath, typedPrefix, typedUint32 } from "./_typed.ts";

const HEADER = /^\s*Network\s+Next Hop\s+Metric\s+LocPrf\s+Weight\s+Path/;
/** The first line of the banner above a table (`show bgp all` prints one per family). */
const BANNER = /^\s*BGP table version is /;
/** FRR's footer: `Displayed  3 routes and 5 total paths` (the paths count the whole table). */
const FOOTER = /^Displayed\s+(\d+) routes? and \d+ total paths?/;
const STATUS_CHARS = /^[ sdhr*SR>=ibfxacmVIN]*/;
/** How far back from the end of the status characters a split is looked for. */
const MAX_LOOK_BACK = 8;

interface Columns {
  metricEnd: number;
  localPrefEnd: number;
  path: number;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

/**
 * Parses a BGP table into prefixes with their paths. An answer without a table
 * header is an empty list (nothing matched).
 *
 * @throws {ParseError} when a row cannot be read
 */
export function parseTableText(text: string, dialect: string): RouteEntry[] {
  const lines = text.replaceAll("\r", "").split("\n");
  const headerAt = lines.findIndex((line) => HEADER.test(line));
  if (headerAt < 0) return [];
  let columns = columnsOf(lines[headerAt]);
  let inBanner = false;
  const entries: RouteEntry[] = [];
  let current: RouteEntry | null = null;
  let wrapped: { status: string; nextHop?: string } | null = null;

  let footer: number | null = null;
  let footerAt = -1;
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i];
    // The header again (a router's repeat, or another family's table): its columns hold from
    // here, and a banner before it is read past.
    if (line.includes("Network") && HEADER.test(line)) {
      columns = columnsOf(line);
      inBanner = false;
      wrapped = null;
      continue;
    }
    if (inBanner || (line.includes("BGP table version") && BANNER.test(line))) {
      inBanner = true;
      continue;
    }
    const at = lineAt(lines, i);
    const trimmed = line.trim();
    const counts = trimmed.startsWith("Displayed") ? FOOTER.exec(trimmed) : null;
    if (counts) {
      footer = Number(counts[1]);
      footerAt = i;
    }
    if (trimmed === "" || /^(Displayed|Total number|For address family)/.test(trimmed)) continue;
    const { status, tokens } = splitRow(line);
    // Rows are not always aligned with the header, so the network column is told by content:
    // a prefix alone (it wrapped), or two addresses in a row (network, then next hop).
    let next = 0;
    const [first, second] = tokens;
    const startsEntry = !wrapped && first !== undefined && isAddress(first.text) && (
      (tokens.length === 1 && first.text.includes("/")) ||
      (second !== undefined && isAddress(second.text))
    );
    if (startsEntry) {
      const prefix = typedPrefix(withLength(first.text));
      if (!prefix) {
        throw new ParseError(dialect, `The network ${quoted(first.text)} is not a prefix`, at);
      }
      current = { prefix: prefix.text, paths: [], totalPaths: 0 };
      entries.push(current);
      next = 1;
    }
    const rowStatus: string = wrapped ? wrapped.status : status;
    let nextHop: string | undefined = wrapped?.nextHop;
    if (!nextHop) {
      if (next >= tokens.length) {
        wrapped = { status: rowStatus }; // the prefix filled the line; the row continues below
        continue;
      }
      const hopText = tokens[next++].text;
      nextHop = isAddress(hopText) ? typedAddress(hopText) ?? undefined : undefined;
      if (!nextHop) {
        throw new ParseError(dialect, `Cannot read the next hop in ${quoted(trimmed, 80)}`, at);
      }
      if (next >= tokens.length) {
        wrapped = { status: rowStatus, nextHop }; // a long next hop; numbers and path below
        continue;
      }
    }
    wrapped = null;
    if (!current) {
      throw new ParseError(dialect, `A table row before any prefix: ${quoted(trimmed, 80)}`, at);
    }
    current.paths.push(readRest(tokens.slice(next), rowStatus, nextHop, columns, trimmed, {
      dialect,
      where: at,
    }));
    current.totalPaths = current.paths.length;
  }
  // Where the server counts the routes it displayed, the table must hold exactly that many (a
  // table cut short by a prompt-like line, or padded, is not shown).
  if (footer !== null && footer !== entries.length) {
    throw new ParseError(
      dialect,
      `The table holds ${entries.length} routes but the server says it displayed ${footer}, so ` +
        "it is incomplete; nothing of it is shown",
      lineAt(lines, footerAt),
    );
  }
  return entries;
}

/**
 * Parses a BGP table cut at a byte cap: the prefixes before the last one,
 * which may be missing paths (or the start of the table when nothing else is
 * complete). The cut ends at a whole line.
 *
 * @throws {ParseError} when a row cannot be read
 */
export function parseTablePartial(text: string, dialect: string): RouteEntry[] {
  return parseTableText(text, dialect).slice(0, -1);
}

/** Splits the status codes off the start of a row and tokenises the rest with positions. */
function splitRow(line: string): { status: string; tokens: Token[] } {
  const maximal = STATUS_CHARS.exec(line)![0];
  // Status letters can also be hex digits (`b`, `c`, `f`, …) that ran into an address: look
  // back a few characters only (status codes are short), preferring a split before whitespace.
  const lowest = Math.max(0, maximal.length - MAX_LOOK_BACK);
  let cut = maximal.length;
  let found = false;
  for (let i = maximal.length; i >= lowest; i--) {
    if ((i === 0 || /\s/.test(line[i - 1])) && isAddress(firstWord(line.slice(i, i + 64)))) {
      cut = i;
      found = true;
      break;
    }
  }
  if (!found) {
    while (
      cut > lowest && !isAddress(firstWord(line.slice(cut, cut + 64))) && line[cut - 1] !== " "
    ) cut--;
  }
  const tokens: Token[] = [];
  for (const match of line.slice(cut).matchAll(/\S+/g)) {
    const start = cut + match.index!;
    tokens.push({ text: match[0], start, end: start + match[0].length });
  }
  return { status: line.slice(0, cut), tokens };
}

function readRest(
  tokens: Token[],
  status: string,
  nextHop: string,
  columns: Columns,
  row: string,
  { dialect, where }: { dialect: string; where: ParseErrorOptions },
): BgpPath {
  let at = 0;
  const numbers: Token[] = [];
  while (at < tokens.length && tokens[at].end <= columns.path && /^\d+$/.test(tokens[at].text)) {
    numbers.push(tokens[at++]);
  }
  const pathTokens = tokens.slice(at).map((t) => t.text);
  const origin = parseOrigin(pathTokens.pop() ?? "");
  if (!origin) {
    throw new ParseError(dialect, `No origin code at the end of ${quoted(row, 80)}`, where);
  }
  const asPath = typedAsPath(pathTokens.join(" "));
  if (!asPath) {
    throw new ParseError(
      dialect,
      `Cannot read the AS path ${quoted(pathTokens.join(" "))}`,
      where,
    );
  }
  const path: BgpPath = {
    best: status.includes(">"),
    valid: status.includes("*"),
    asPath: asPath.asPath,
    asPathText: asPath.text,
    originAs: asPath.originAs,
    origin,
    nextHop,
    peer: { address: "" },
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
  };
  // Numbers sit right-aligned under Metric, LocPrf and Weight; any of them may be blank.
  for (const number of numbers) {
    const value = typedUint32(number.text);
    if (value === null) continue;
    if (number.end <= columns.metricEnd + 1) path.med = value;
    else if (number.end <= columns.localPrefEnd + 1) path.localPref = value;
  }
  return path;
}

function columnsOf(header: string): Columns {
  return {
    metricEnd: header.indexOf("Metric") + "Metric".length,
    localPrefEnd: header.indexOf("LocPrf") + "LocPrf".length,
    path: header.indexOf("Path"),
  };
}

/**
 * IOS and Quagga print a network with its natural (classful) mask without a
 * length: `193.0.14.0` is 193.0.14.0/24, `10.0.0.0` is 10.0.0.0/8, and the
 * default route is a bare `0.0.0.0` (0.0.0.0/0, not /8). Adds that length to a
 * bare IPv4 network.
 */
function withLength(network: string): string {
  if (network.includes("/") || network.includes(":")) return network;
  if (network === "0.0.0.0") return "0.0.0.0/0";
  const first = Number(network.split(".")[0]);
  return `${network}/${first < 128 ? 8 : first < 192 ? 16 : 24}`;
}

function firstWord(text: string): string {
  return /\S+/.exec(text)?.[0] ?? "";
}

const IPV4_TEXT =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** An IPv4/IPv6 address or prefix, as a table prints it. */
function isAddress(text: string): boolean {
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  if (slash >= 0 && !/^\d{1,3}$/.test(text.slice(slash + 1))) return false;
  return IPV4_TEXT.test(address) || (address.includes(":") && parseIpv6(address) !== null);
}

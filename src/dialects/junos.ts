/**
 * Juniper Junos (AT&T's public route server): `show route … protocol bgp
 * table inet.0|inet6.0 detail` and `show bgp summary`, as text. Junos also has
 * `| display json`, but without a real sample of its route output this dialect
 * does not build on it.
 *
 * The detail form lists, per table (`inet.0: …`), each prefix
 * (`192.0.2.0/24 (2 entries, 1 announced)`) and under it one block per route
 * (`*BGP    Preference: 170/-101`, `*` = active) with `Source:`, `Next hop:`,
 * `Protocol next hop:`, `AS path: … I`, `Communities:`, `Localpref:` …
 * The brief form (`*[BGP/170] age, MED n, localpref n, from x` /
 * `AS path: … I` / `> to x via ifc`) is read too.
 *
 * @module
 */

import { ParseError, type ParseErrorOptions } from "../errors.ts";
import type { Destination, Family } from "../validation/destination.ts";
import type {
  BgpNeighbor,
  BgpPath,
  ParsedRoute,
  ParsedSummary,
  RouteEntry,
  RpkiState,
} from "../bgp/types.ts";
import {
  normalizeCommunity,
  normalizeExtendedCommunity,
  normalizeLargeCommunity,
  parseOrigin,
} from "../bgp/values.ts";
import {
  lineAt,
  quoted,
  typedAddress,
  typedAsn,
  typedAsPath,
  typedIpv4,
  typedPrefix,
  typedSessionState,
  typedUint32,
  typedUptime,
} from "./_typed.ts";
import type { Dialect, DialectOptions, QueryStep, SizeEstimate } from "./dialect.ts";

const DIALECT = "junos";
const TABLE_HEADER = /^\s*(\S+): \d+ destinations?, \d+ routes?/;
const DETAIL_PREFIX = /^\s*([0-9A-Fa-f.:]+\/\d+) \((\d+) entr(?:y|ies), \d+ announced\)/;
const DETAIL_ROUTE = /^\s*(?:([*+-]+)\s*)?([A-Za-z-]+)\s+Preference:/;
const BRIEF_ROUTE =
  /^\s*(?:([0-9A-Fa-f.:]+\/\d+)\s+)?([*+-]?)\[([A-Za-z-]+)\/\d+(?:\/\d+)?\]\s*(.*)$/;
/** `error: Pattern not found` and the like, looked for line by line (no backtracking). */
function saysNotFound(text: string): boolean {
  if (!text.includes("error:")) return false;
  return text.split("\n").some((line) =>
    line.trimStart().startsWith("error:") && /not found/i.test(line)
  );
}

/** The routing table holding a family's unicast routes. */
export function junosTable(family: Family): string {
  return family === "ipv4" ? "inet.0" : "inet6.0";
}

/**
 * Parses `show route … detail` (or the brief form): every prefix with its BGP
 * routes, from the tables whose name is `table` (or all tables when omitted).
 *
 * @throws {ParseError} when a BGP route cannot be read
 */
export function parseJunosRoutes(text: string, table?: string): RouteEntry[] {
  const entries: RouteEntry[] = [];
  const warnings: string[] = [];
  const state = {
    table: "",
    entry: null as RouteEntry | null,
    block: null as Block | null,
    brief: false,
    briefPrefix: "",
  };
  const flush = () => {
    if (state.block && state.entry) {
      const block = state.block;
      state.entry.paths.push(
        state.brief ? parseBrief(block, warnings) : parseDetail(block, warnings),
      );
    }
    state.block = null;
  };
  const startEntry = (printed: string, declared: number, at: number) => {
    flush();
    const prefix = typedPrefix(printed)?.text;
    if (!prefix) {
      throw new ParseError(
        DIALECT,
        `The destination ${quoted(printed)} is not a prefix`,
        lineAt(all, at),
      );
    }
    state.entry = { prefix, paths: [], totalPaths: declared };
    const wanted = table === undefined || state.table === table ||
      state.table.endsWith(`.${table}`);
    if (wanted) entries.push(state.entry);
  };

  const all = text.replaceAll("\r", "").split("\n");
  for (let i = 0; i < all.length; i++) {
    const line = all[i];
    const trimmed = line.trimStart();
    if (trimmed === "") continue;
    // Dispatch on the first character: most lines are attributes inside a route block.
    const c = trimmed[0];
    const routeMark = c === "*" || c === "+" || c === "-" || c === "[";
    const upper = c >= "A" && c <= "Z";
    if (!routeMark && !upper || upper && !trimmed.includes("Preference:")) {
      const header = trimmed.includes(" destination") ? TABLE_HEADER.exec(line) : null;
      if (header) {
        flush();
        state.table = header[1];
        state.entry = null;
        state.briefPrefix = "";
        continue;
      }
    }
    if (!routeMark && !upper) {
      const prefix = trimmed.includes(" announced)") ? DETAIL_PREFIX.exec(line) : null;
      if (prefix) {
        startEntry(prefix[1], Number(prefix[2]), i);
        continue;
      }
    }
    if (routeMark || upper) {
      const detail = trimmed.includes("Preference:") ? DETAIL_ROUTE.exec(line) : null;
      if (detail && state.entry) {
        flush();
        // Only BGP routes are kept; other protocols' blocks are read past.
        state.block = detail[2] === "BGP" ? { lines: [line], at: [i], all } : null;
        state.brief = false;
        continue;
      }
    }
    if (!upper && trimmed.includes("[")) {
      const brief = BRIEF_ROUTE.exec(line);
      if (brief) {
        if (brief[1] && brief[1] !== state.briefPrefix) {
          state.briefPrefix = brief[1];
          startEntry(brief[1], 0, i);
        }
        flush();
        state.block = brief[3] === "BGP" && state.entry ? { lines: [line], at: [i], all } : null;
        state.brief = true;
        continue;
      }
    }
    if (state.block) {
      state.block.lines.push(line);
      state.block.at.push(i);
    }
  }
  flush();
  // The `(n entries)` count includes other protocols' routes: count the BGP ones.
  for (const entry of entries) entry.totalPaths = entry.paths.length;
  const kept = entries.filter((entry) => entry.paths.length > 0);
  if (warnings.length > 0 && kept.length > 0) kept[0].warnings = warnings;
  return kept;
}

/**
 * Parses the answer for one destination: the first prefix with BGP routes in
 * `table`, or not found (`error: … not found`, or no routes at all).
 *
 * @throws {ParseError} when a BGP route cannot be read
 */
export function parseJunosRoute(text: string, table?: string): ParsedRoute {
  const [first] = saysNotFound(text) ? [] : parseJunosRoutes(text, table);
  if (!first) return { found: false, prefix: null, paths: [], totalPaths: 0 };
  const route: ParsedRoute = {
    found: true,
    prefix: first.prefix,
    paths: first.paths,
    totalPaths: first.totalPaths,
  };
  if (first.warnings) route.warnings = first.warnings;
  return route;
}

function emptyPath(best: boolean): BgpPath {
  return {
    best,
    valid: true,
    asPath: [],
    asPathText: "",
    originAs: null,
    origin: "incomplete",
    nextHop: "",
    peer: { address: "" },
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
  };
}

/** One route's lines (`lines`), where each is in the answer (`at`), and the answer's lines. */
interface Block {
  lines: string[];
  at: number[];
  all: string[];
}

/** Where line `n` of a block is, for a {@linkcode ParseError}. */
function blockLine(block: Block, n: number): ParseErrorOptions {
  return lineAt(block.all, block.at[n]);
}

/** One `*BGP    Preference: …` block of the detail form. */
function parseDetail(block: Block, warnings: string[]): BgpPath {
  const { lines } = block;
  const path = emptyPath((DETAIL_ROUTE.exec(lines[0])![1] ?? "").includes("*"));
  let forwarding = "";
  let forwardingAt = 0;
  const asPaths = new AsPathLines(path, block, warnings);
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n].trim();
    const [key, rest] = splitKey(line);
    switch (key) {
      case "Source":
        path.peer.address = address(firstWord(rest), "source", blockLine(block, n));
        break;
      case "Protocol next hop":
        path.nextHop ||= address(firstWord(rest), "protocol next hop", blockLine(block, n));
        break;
      case "Next hop":
        if (!forwarding || /\bselected\b/.test(rest)) {
          forwarding = firstWord(rest);
          forwardingAt = n;
        }
        break;
      case "Localpref": {
        const localPref = typedUint32(rest);
        if (localPref !== null) path.localPref = localPref;
        break;
      }
      case "Router ID": {
        const routerId = typedIpv4(firstWord(rest));
        if (routerId) path.peer.routerId = routerId;
        break;
      }
      case "Validation State": {
        const rpki = junosRpki(rest);
        if (rpki) path.rpki = rpki;
        break;
      }
      case "State":
        if (/\bHidden\b/.test(rest)) path.valid = false;
        break;
      case "AS path":
        asPaths.take(rest, n);
        break;
      case "Communities":
        readCommunities(rest, path);
        break;
      case "Age": {
        // `Age: 3w2d 4:43:35   Metric: 101   Metric2: 3` — Metric is the MED.
        const med = /(?:^|\s)Metric:\s*(\d+)/.exec(line);
        const value = med ? typedUint32(med[1]) : null;
        if (value !== null) path.med = value;
        break;
      }
    }
  }
  path.nextHop ||= address(forwarding, "next hop", blockLine(block, forwardingAt));
  asPaths.finish();
  return path;
}

/** `*[BGP/170] 3w3d 03:12:24, MED 12003, localpref 120, from 10.169.14.240` + its lines. */
function parseBrief(block: Block, warnings: string[]): BgpPath {
  const { lines } = block;
  const match = BRIEF_ROUTE.exec(lines[0])!;
  const path = emptyPath(match[2] === "*");
  for (const part of match[4].split(/,\s*/)) {
    const [word, value] = part.trim().split(/\s+/);
    const number = typedUint32(value);
    if (word === "MED" && number !== null) path.med = number;
    else if (word === "localpref" && number !== null) path.localPref = number;
    else if (word === "from" && value) {
      path.peer.address = address(value, "source", blockLine(block, 0));
    }
  }
  const asPaths = new AsPathLines(path, block, warnings);
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line.startsWith("AS path:")) {
      const [asPath, ...notes] = line.slice("AS path:".length).split(/,\s*/);
      asPaths.take(asPath, n);
      const state = notes.find((n) => n.startsWith("validation-state:"));
      const rpki = state ? junosRpki(state.slice("validation-state:".length)) : undefined;
      if (rpki) path.rpki = rpki;
      continue;
    }
    const hop = /^(>?)\s*to\s+(\S+)/.exec(line);
    if (hop && (hop[1] === ">" || !path.nextHop)) {
      path.nextHop = address(hop[2], "next hop", blockLine(block, n));
    }
  }
  if (!path.nextHop) {
    throw new ParseError(
      DIALECT,
      `The BGP route from ${path.peer.address || "?"} has no next hop`,
      blockLine(block, 0),
    );
  }
  asPaths.finish();
  return path;
}

/**
 * What Junos prints as a second `AS path:` line under a route's real one: route
 * servers that keep the received path show `AS path: Recorded`.
 */
const AS_PATH_ANNOTATIONS: ReadonlySet<string> = new Set(["Recorded"]);

/**
 * The `AS path:` lines of one route: the first that reads as an AS path is the
 * route's. An annotation (`AS path: Recorded`) is read past; any other line
 * that does not read, or a second path line, is left out with a warning once
 * the route has its AS path, so that it never costs the answer.
 */
class AsPathLines {
  readonly #path: BgpPath;
  readonly #block: Block;
  readonly #warnings: string[];
  #read = false;
  readonly #unread: { text: string; n: number; error: ParseError }[] = [];

  constructor(path: BgpPath, block: Block, warnings: string[]) {
    this.#path = path;
    this.#block = block;
    this.#warnings = warnings;
  }

  /** One `AS path:` line's text (after the key), line `n` of the block. */
  take(text: string, n: number): void {
    const trimmed = text.trim();
    if (AS_PATH_ANNOTATIONS.has(trimmed)) return;
    if (this.#read) {
      this.#leftOut(trimmed, n, "a second AS path line");
      return;
    }
    try {
      readAsPath(trimmed, this.#path, blockLine(this.#block, n));
      this.#read = true;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      this.#unread.push({ text: trimmed, n, error });
    }
  }

  /**
   * Ends the route: the first unreadable line's error when none read.
   *
   * @throws {ParseError} when the route has no AS path
   */
  finish(): void {
    if (!this.#read) {
      const [first] = this.#unread;
      if (first) throw first.error;
      throw new ParseError(
        DIALECT,
        `The BGP route from ${this.#path.peer.address || "?"} has no AS path`,
        blockLine(this.#block, 0),
      );
    }
    for (const unread of this.#unread) {
      this.#leftOut(unread.text, unread.n, "not an AS path");
    }
  }

  #leftOut(text: string, n: number, why: string): void {
    const where = blockLine(this.#block, n);
    this.#warnings.push(
      `Left out line ${where.lineNumber} ${quoted(`AS path: ${text}`, 80)} of the route from ` +
        `${this.#path.peer.address || "?"}: ${why}`,
    );
  }
}

/** `3356 15169 I`, `(65161) I`, `I`, `64500 {64501 64502} E (Originator)`, `… I Aggregator: …`. */
function readAsPath(text: string, path: BgpPath, where: ParseErrorOptions): void {
  const tokens = text.trim().split(/\s+/);
  const at = tokens.findIndex((t) => t === "I" || t === "E" || t === "?");
  if (at < 0) {
    throw new ParseError(DIALECT, `No origin code in the AS path ${quoted(text.trim())}`, where);
  }
  const parsed = typedAsPath(tokens.slice(0, at).join(" "));
  if (!parsed) {
    throw new ParseError(DIALECT, `Cannot read the AS path ${quoted(text.trim())}`, where);
  }
  path.asPath = parsed.asPath;
  path.originAs = parsed.originAs;
  path.asPathText = parsed.text;
  path.origin = parseOrigin(tokens[at])!;
}

/**
 * `7018:5000 no-export target:65000:100 large:13335:1:2` into the three kinds;
 * a token that is none of them is left out.
 */
function readCommunities(text: string, path: BgpPath): void {
  for (const token of text.trim().split(/\s+/)) {
    if (token === "") continue;
    const large = token.startsWith("large:") ? normalizeLargeCommunity(token.slice(6)) : null;
    const standard = large ? null : normalizeCommunity(token);
    const extended = large || standard ? null : normalizeExtendedCommunity(token);
    if (large) path.largeCommunities.push(large);
    else if (standard) path.communities.push(standard);
    else if (extended) path.extendedCommunities.push(extended);
  }
}

/** An address the answer must hold at this place (`where`), in canonical form. */
function address(text: string, what: string, where: ParseErrorOptions): string {
  const typed = typedAddress(text);
  if (!typed) {
    throw new ParseError(DIALECT, `The ${what} ${quoted(text)} is not an IP address`, where);
  }
  return typed;
}

/** Junos states: `valid`, `invalid`, `unknown` (no covering ROA), `unverified` (not checked). */
function junosRpki(text: string): RpkiState | undefined {
  const word = text.trim().toLowerCase();
  if (word === "valid") return "valid";
  if (word === "invalid") return "invalid";
  if (word === "unknown") return "not-found";
  return undefined;
}

function splitKey(line: string): [string, string] {
  const colon = line.indexOf(":");
  return colon < 0 ? [line, ""] : [line.slice(0, colon), line.slice(colon + 1).trim()];
}

function firstWord(text: string): string {
  return text.trim().split(/[\s,]+/)[0] ?? "";
}

/**
 * Parses `show bgp summary`: peers with their state; prefix counts are the
 * Received column of the family's table (`inet.0` / `inet6.0`, VRF tables
 * included). Junos does not print the router ID or local AS here.
 *
 * @throws {ParseError} when there is no peer table
 */
export function parseJunosSummary(text: string, family: Family = "ipv4"): ParsedSummary {
  const lines = text.replaceAll("\r", "").split("\n");
  const headerAt = lines.findIndex((line) => /^\s*Peer\s+AS\s+InPkt\s+OutPkt/.test(line));
  if (headerAt < 0) {
    throw new ParseError(
      DIALECT,
      "Expected the `Peer  AS  InPkt  OutPkt …` table of show bgp summary",
    );
  }
  const table = junosTable(family);
  const countsFor = (name: string) => name === table || name.endsWith(`.${table}`);
  const neighbors: BgpNeighbor[] = [];
  let current: { neighbor: BgpNeighbor; tables: number; received: number } | null = null;
  const finish = () => {
    if (!current) return;
    const { neighbor, tables, received } = current;
    const familyOfAddress = neighbor.address.includes(":") ? "ipv6" : "ipv4";
    if (tables > 0 || familyOfAddress === family) {
      neighbors.push({
        ...neighbor,
        prefixesReceived: neighbor.established ? (tables > 0 ? received : null) : null,
      });
    }
    current = null;
  };
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const rib = /^\s+(\S+): (\d+)\/(\d+)\/(\d+)\/(\d+)/.exec(line);
    if (rib) {
      if (current && countsFor(rib[1])) {
        current.tables++;
        current.received += typedUint32(rib[3]) ?? 0;
      }
      continue;
    }
    const fields = line.trim().split(/\s+/);
    const asn = typedAsn(fields[1] ?? "");
    if (!/^[0-9A-Fa-f.:]+$/.test(fields[0]) || asn === null || fields.length < 8) continue;
    finish();
    const where = lineAt(lines, i);
    const peer = address(fields[0], "peer", where);
    const last = fields[fields.length - 1];
    const inline = /^\d+\/\d+\/\d+\/\d+$/.test(last);
    // `Last Up/Dwn` may hold a space (`9w2d 5:23:37`): it spans from the 7th field to the state.
    const stateAt = inline
      ? fields.findIndex((f, i) => i >= 6 && /^\d+\/\d+\/\d+\/\d+$/.test(f))
      : fields.length - 1;
    const state = typedSessionState(inline ? "Establ" : last);
    if (state === null) {
      throw new ParseError(
        DIALECT,
        `The state ${quoted(last)} of ${peer} is not a BGP state`,
        where,
      );
    }
    const uptime = typedUptime(fields.slice(6, stateAt).join(" "));
    if (uptime === null) {
      throw new ParseError(DIALECT, `The up/down time of ${peer} is not a time`, where);
    }
    const established = state === "Established";
    current = {
      neighbor: { address: peer, asn, state, established, uptime, prefixesReceived: null },
      tables: 0,
      received: 0,
    };
    if (inline) {
      // One table: its counts are printed inline (active/received/accepted/damped). Which table
      // is not said; take it to be the unicast table of the peer address's family.
      const peerFamily = peer.includes(":") ? "ipv6" : "ipv4";
      if (peerFamily === family) {
        current.tables = 1;
        current.received = typedUint32(fields[stateAt].split("/")[1]) ?? 0;
      }
    }
  }
  finish();
  return { routerId: null, localAs: null, neighbors };
}

/** The Junos dialect. */
export const junos: Dialect<"junos"> = {
  id: "junos",
  label: "Junos",
  setupCommands: ["set cli screen-length 0"],
  tableHasCommunities: true,
  refusal: { line: /^(?:error:|syntax error|unknown command)/, answer: /^error: .*not found/i },
  parsers: {
    route: [{
      name: "parseJunosRoute",
      format: "text",
      parse: (text, family) => parseJunosRoute(text, family && junosTable(family)),
      byFamily: true,
    }],
    routes: [{
      name: "parseJunosRoutes",
      format: "text",
      parse: (text, family) => parseJunosRoutes(text, family && junosTable(family)),
      byFamily: true,
    }],
    summary: [{
      name: "parseJunosSummary",
      format: "text",
      parse: (text, family) => parseJunosSummary(text, family),
      byFamily: true,
    }],
  },
  routeQuery(destination: Destination, options: DialectOptions = {}): QueryStep<ParsedRoute>[] {
    const match = options.match ?? (destination.kind === "address" ? "longest" : "exact");
    const modifier = match === "longest" ? "" : ` ${match}`;
    const table = junosTable(destination.family);
    return [{
      command: `show route ${destination.canonical}${modifier} protocol bgp table ${table} detail`,
      parse: (text) => parseJunosRoute(text, table),
    }];
  },
  routesQuery(destination: Destination): QueryStep<RouteEntry[]>[] {
    const table = junosTable(destination.family);
    return [{
      command: junosRoutesCommand(destination),
      parse: (
        text,
      ) => (saysNotFound(text) ? [] : parseJunosRoutes(text, table)),
    }];
  },
  routesEstimate(destination: Destination): SizeEstimate {
    // The Junos pipe `| count` answers "Count: N lines" for the whole answer, unsent.
    return {
      command: `${junosRoutesCommand(destination)} | count`,
      read(output) {
        const match = /Count:\s*(\d+)\s+lines?/.exec(output);
        if (!match) return null;
        const lines = Number(match[1]);
        return { bytes: lines * JUNOS_DETAIL_LINE_BYTES, counted: `${lines} lines` };
      },
    };
  },
  summaryQuery(family: Family): QueryStep<ParsedSummary>[] {
    return [{ command: "show bgp summary", parse: (text) => parseJunosSummary(text, family) }];
  },
};

/** Bytes per line of `show route … detail`, low (real answers average 45 to 50). */
export const JUNOS_DETAIL_LINE_BYTES = 40;

function junosRoutesCommand(destination: Destination): string {
  const table = junosTable(destination.family);
  return `show route ${destination.canonical} orlonger protocol bgp table ${table} detail`;
}

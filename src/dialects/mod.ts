/**
 * CLI dialects: for each, the commands to send (built from fixed templates and
 * a validated destination) and the pure parsers for the answers.
 *
 * @module
 */

import type { DialectId } from "../config/schema.ts";
import type { Destination, Family } from "../validation/destination.ts";
import type { MatchMode, ParsedRoute, ParsedSummary, RouteEntry } from "../bgp/types.ts";
import { ciscoIos } from "./cisco_ios.ts";
import { frr } from "./frr.ts";
import { junos } from "./junos.ts";
import { freeText } from "../_text.ts";

/** One way to ask a question: a command and the parser for its answer. */
export interface QueryStep<T> {
  /** The exact command line sent. */
  command: string;
  /**
   * Parses the answer.
   *
   * @throws {ParseError} when the answer is not in the expected form
   */
  parse(output: string): T;
  /** Try the next step when this answer cannot be parsed (a JSON request answered in text). */
  fallbackOnParseError?: boolean;
  /**
   * Parses an answer cut at its byte cap (ending at a whole line), keeping only
   * what is certainly complete; for answers read row by row (a BGP table).
   * Steps without it fail when cut.
   *
   * @throws {ParseError} when the part cannot be read
   */
  parsePartial?(output: string): T;
}

/**
 * A cheap question asked before an expensive one, to learn its size without
 * downloading it (Junos and IOS `| count`).
 */
export interface SizeEstimate {
  /** The exact command line sent. */
  command: string;
  /**
   * Reads the count: the expected size of the real answer in bytes (a low
   * estimate) and what was counted, or `null` when the answer is not a count
   * (the server does not support it).
   */
  read(output: string): { bytes: number; counted: string } | null;
}

/** Per-server and per-query choices a dialect honours. */
export interface DialectOptions {
  /** Ask for machine-readable output first, where the dialect has it (default true). */
  preferJson?: boolean;
  /** `longest` or `exact` for {@linkcode Dialect.routeQuery} (default: longest for an address, exact for a prefix). */
  match?: MatchMode;
}

/** What the project knows about one CLI dialect. */
export interface Dialect {
  /** Identifier used in servers.json. */
  id: DialectId;
  /** Commands sent once after login (paging off). Their failure is not fatal. */
  setupCommands: readonly string[];
  /**
   * Route lookup commands (`longest` or `exact` match), best first; later ones
   * are tried when the server refuses earlier ones.
   *
   * @throws {UnsupportedQueryError} when the dialect cannot do the match for this destination
   */
  routeQuery(destination: Destination, options?: DialectOptions): QueryStep<ParsedRoute>[];
  /** Commands for a prefix and every more specific one (`orlonger`), best first. */
  routesQuery(destination: Destination, options?: DialectOptions): QueryStep<RouteEntry[]>[];
  /** A cheap count asked before the `orlonger` query (its first step), where the dialect has one. */
  routesEstimate?(destination: Destination, options?: DialectOptions): SizeEstimate;
  /** Neighbour summary commands for a family, best first. */
  summaryQuery(family: Family, options?: DialectOptions): QueryStep<ParsedSummary>[];
}

/** Every supported dialect by id. */
export const DIALECTS: Readonly<Record<DialectId, Dialect>> = {
  "cisco-ios": ciscoIos,
  frr,
  junos,
};

/**
 * If the answer is the server refusing the command (`% Invalid input …`,
 * `% Unknown command`, `% Ambiguous command`, …), returns that message,
 * stripped of control characters and cut to 160 characters.
 * `% Network not in table` is an answer, not a refusal.
 */
export function commandRefusal(output: string): string | null {
  // IOS/FRR: `% …`; Junos: `error: …`, `syntax error, …`, `unknown command.`
  const line = output.split("\n").map((l) => l.trim()).find((l) =>
    l.startsWith("%") || /^(?:error:|syntax error|unknown command)/.test(l)
  );
  if (!line || /^% ?Network not in table/i.test(line) || /^error: .*not found/i.test(line)) {
    return null;
  }
  // A refusal is the whole answer (apart from a caret marker line), not a remark inside output.
  const meaningful = output.split("\n").filter((l) => l.trim() !== "" && !/^\s*\^\s*$/.test(l));
  return meaningful.length <= 2 ? freeText(line, 160) : null;
}

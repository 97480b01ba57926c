/**
 * What a dialect is: everything the project knows about one router CLI, in
 * one object — its id in servers.json, the commands that turn paging off, how
 * it refuses a command, the command plans for each query (built from fixed
 * templates and a validated destination), the parsers for its answers, and
 * the measurements (ping, traceroute) it can run. The registry in `mod.ts`
 * lists the dialects; everything vendor-specific elsewhere is read from it.
 *
 * @module
 */

import type {
  MatchMode,
  ParsedRoute,
  ParsedSummary,
  PingResult,
  RouteEntry,
  TracerouteResult,
} from "../bgp/types.ts";
import type { Destination, Family } from "../validation/destination.ts";

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
   * Try the next step, on a new session, when this answer is over its byte cap (which ends the
   * session): a json answer too large for the cap may fit as text.
   */
  fallbackOnCap?: boolean;
  /**
   * For the first command of two: reads its answer and returns the step that asks the real
   * question (sent on the same session), or the answer itself when nothing is left to ask
   * (IOS: `show ipv6 route <address>` names the prefix for `show bgp ipv6 unicast <prefix>`).
   * `parse` is not used for such a step.
   *
   * @throws {ParseError} when the answer is not in the expected form
   */
  followUp?(output: string): QueryStep<T> | { value: T };
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
  /**
   * Ask for machine-readable output first, where the dialect has it (default false: FRR's text
   * gives the same answer for fewer bytes).
   */
  preferJson?: boolean;
  /** `longest` or `exact` for {@linkcode Dialect.routeQuery} (default: longest for an address, exact for a prefix). */
  match?: MatchMode;
}

/**
 * How the CLI says no to a command: the first line that starts a refusal,
 * unless it is an answer that only looks like one (`% Network not in table`).
 */
export interface RefusalRules {
  /** A trimmed line that starts a refusal (`% Invalid input …`, `error: …`). */
  line: RegExp;
  /** A trimmed line that matches `line` but is an answer (`% Network not in table`). */
  answer?: RegExp;
}

/** One parser of captured answers, as `parse`, the property tests and the benches use them. */
export interface ParserEntry<T> {
  /** The function's name (`parseFrrRouteJson`), for messages and benches. */
  name: string;
  /** The answer's form: the CLI's `text`, or its machine-readable `json`. */
  format: "text" | "json";
  /**
   * Parses an answer. `family` picks the family's table where the CLI prints
   * several (Junos: `inet.0` or `inet6.0`); without it, every table is read.
   *
   * @throws {ParseError} when the answer is not in the expected form
   */
  parse(text: string, family?: Family): T;
  /** Whether `family` changes what is read. */
  byFamily?: boolean;
}

/** A dialect's parsers by what they read. */
export interface DialectParsers {
  /** One prefix's paths (`longest` or `exact` answers). */
  route: readonly ParserEntry<ParsedRoute>[];
  /** A prefix and its more specifics (`orlonger` answers, BGP tables). */
  routes: readonly ParserEntry<RouteEntry[]>[];
  /** The neighbour summary. */
  summary: readonly ParserEntry<ParsedSummary>[];
}

/** What a parser reads: `route`, `routes` or `summary`. */
export type ParserKind = keyof DialectParsers;

/** A measurement's plan: its steps, and how long they may run at most. */
export interface MeasurementPlan<T> {
  /** The steps, best first. */
  steps: QueryStep<T>[];
  /** The longest the measurement can take on the server, in milliseconds. */
  runForMs: number;
}

/** What `ping` asks. */
export interface PingOptions {
  /** Echo requests. */
  count: number;
  /** Seconds to wait for each reply. */
  timeoutSeconds: number;
}

/** What `traceroute` asks. */
export interface TracerouteOptions {
  /** Highest TTL probed. */
  maxHops: number;
  /** Seconds to wait for each probe. */
  timeoutSeconds: number;
}

/** What the project knows about one CLI dialect. */
export interface Dialect<Id extends string = string> {
  /** Identifier used in servers.json (`frr`). */
  id: Id;
  /** Its name in messages (`FRR`). */
  label: string;
  /** Commands sent once after login (paging off). Their failure is not fatal. */
  setupCommands: readonly string[];
  /**
   * Whether the table form of {@linkcode Dialect.routesQuery} shows communities (Junos' detail
   * form does; IOS and FRR tables do not, in text or json), so that a community filter on an
   * `orlonger` answer can be answered.
   */
  tableHasCommunities: boolean;
  /** How it refuses a command. */
  refusal: RefusalRules;
  /** The parsers for its answers. */
  parsers: DialectParsers;
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
  /** `ping` from the server, where the CLI lets the public run it (one address). */
  ping?(destination: Destination, options: PingOptions): MeasurementPlan<PingResult>;
  /** `traceroute` from the server, where the CLI lets the public run it (one address). */
  traceroute?(
    destination: Destination,
    options: TracerouteOptions,
  ): MeasurementPlan<TracerouteResult>;
}

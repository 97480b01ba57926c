/**
 * Cisco IOS / IOS-XE in user EXEC mode (route-views.routeviews.org): text
 * only, no JSON; `ping` and `traceroute` too (commands and parsers in
 * `ios_ping.ts`).
 *
 * @module
 */

import type { Destination, Family } from "../validation/destination.ts";
import type { ParsedRoute, ParsedSummary, RouteEntry } from "../bgp/types.ts";
import { parseDetailText } from "./_detail_text.ts";
import { parseSummaryText } from "./_summary_text.ts";
import { parseTablePartial, parseTableText } from "./_table_text.ts";
import { matchTarget } from "./_match.ts";
import { parseRibEntryPrefix } from "./_rib_entry.ts";
import type { Dialect, DialectOptions, QueryStep, SizeEstimate } from "./dialect.ts";
import {
  iosPingCommand,
  iosTracerouteCommand,
  iosTracerouteCommandPlain,
  parseIosPing,
  parseIosTraceroute,
} from "./ios_ping.ts";

/**
 * Bytes per line of a BGP table, low: route server rows with short AS paths are
 * about 70 bytes; a low figure only ever lets a query through.
 */
export const IOS_TABLE_LINE_BYTES = 60;

/** Parses IOS `show ip bgp <dest>` / `show bgp ipv6 unicast <dest>` text. */
export function parseIosRoute(text: string): ParsedRoute {
  return parseDetailText(text, "cisco-ios");
}

/** Parses IOS `show ip bgp summary` / `show bgp ipv6 unicast summary` text. */
export function parseIosSummary(text: string): ParsedSummary {
  return parseSummaryText(text, "cisco-ios");
}

/** Parses IOS BGP table text (`show ip bgp <prefix> longer-prefixes`). */
export function parseIosTable(text: string): RouteEntry[] {
  return parseTableText(text, "cisco-ios");
}

/**
 * The output filter on detail commands: IOS drops every path's `Refresh Epoch`
 * and `rx pathid:` lines on the server (as hyperglass does) — a sixth of a
 * route-views answer, none of it read (tests/dialects/ios_exclude_test.ts).
 */
export const IOS_DETAIL_FILTER = " | exclude pathid:|Epoch";

/** The Cisco IOS dialect. */
export const ciscoIos: Dialect<"cisco-ios"> = {
  id: "cisco-ios",
  label: "Cisco IOS",
  // A wide terminal keeps IOS from scrolling a long command line sideways while echoing it.
  setupCommands: ["terminal length 0", "terminal width 512"],
  tableHasCommunities: false,
  // `% Route not found`: `show ipv6 route <address>` without a matching route (an answer).
  refusal: { line: /^%/, answer: /^% ?(?:Network not in table|Route not found)/i },
  parsers: {
    route: [{ name: "parseIosRoute", format: "text", parse: parseIosRoute }],
    routes: [{ name: "parseIosTable", format: "text", parse: parseIosTable }],
    summary: [{ name: "parseIosSummary", format: "text", parse: parseIosSummary }],
  },
  routeQuery(destination: Destination, options: DialectOptions = {}): QueryStep<ParsedRoute>[] {
    const target = matchTarget(destination, options.match, ciscoIos);
    if (destination.family === "ipv4") {
      return [{ command: `show ip bgp ${target}${IOS_DETAIL_FILTER}`, parse: parseIosRoute }];
    }
    const direct: QueryStep<ParsedRoute> = {
      command: `show bgp ipv6 unicast ${target}${IOS_DETAIL_FILTER}`,
      parse: parseIosRoute,
    };
    if (target.includes("/")) return [direct];
    // `show bgp ipv6 unicast` takes a prefix, not an address (`% Incomplete command.` on
    // route-views main): the routing table names the longest match's prefix, then BGP is asked
    // for that prefix (every route on route-views main is a BGP route). An IOS that takes the
    // address is asked directly where the first form is refused.
    const viaRib: QueryStep<ParsedRoute> = {
      command: `show ipv6 route ${target}`,
      parse: parseIosRoute,
      followUp(output) {
        const prefix = parseRibEntryPrefix(output);
        if (prefix === null) {
          return { value: { found: false, prefix: null, paths: [], totalPaths: 0 } };
        }
        return {
          command: `show bgp ipv6 unicast ${prefix}${IOS_DETAIL_FILTER}`,
          parse: parseIosRoute,
        };
      },
    };
    return [viaRib, direct];
  },
  routesQuery(destination: Destination): QueryStep<RouteEntry[]>[] {
    return [{
      command: iosRoutesCommand(destination),
      parse: parseIosTable,
      parsePartial: (text) => parseTablePartial(text, "cisco-ios"),
    }];
  },
  routesEstimate(destination: Destination): SizeEstimate {
    // IOS output modifier: `| count REGEXP` answers "Number of lines which match regexp = N".
    return {
      command: `${iosRoutesCommand(destination)} | count .`,
      read(output) {
        const match = /Number of lines which match regexp\s*=\s*(\d+)/.exec(output);
        if (!match) return null;
        const lines = Number(match[1]);
        return { bytes: lines * IOS_TABLE_LINE_BYTES, counted: `${lines} lines` };
      },
    };
  },
  summaryQuery(family: Family): QueryStep<ParsedSummary>[] {
    const command = family === "ipv4" ? "show ip bgp summary" : "show bgp ipv6 unicast summary";
    return [{ command, parse: parseIosSummary }];
  },
  // User EXEC mode lets the public ping and trace (route-views main does).
  ping(destination, options) {
    const { address, family } = destination;
    return {
      steps: [{
        command: iosPingCommand(address, family, options),
        parse: (text) => parseIosPing(text, address),
      }],
      runForMs: (options.count * options.timeoutSeconds + 10) * 1000,
    };
  },
  traceroute(destination, options) {
    const { address, family } = destination;
    const parse = (text: string) => parseIosTraceroute(text, address);
    return {
      steps: [
        { command: iosTracerouteCommand(address, family, options), parse },
        // Some IOS releases refuse traceroute options in user mode.
        { command: iosTracerouteCommandPlain(address, family), parse },
      ],
      // The option-less fallback runs with IOS's defaults: 30 hops, 3 probes, 3 s each.
      runForMs: (Math.max(options.maxHops * 3 * options.timeoutSeconds, 30 * 3 * 3) + 10) * 1000,
    };
  },
};

function iosRoutesCommand(destination: Destination): string {
  return destination.family === "ipv4"
    ? `show ip bgp ${destination.canonical} longer-prefixes`
    : `show bgp ipv6 unicast ${destination.canonical} longer-prefixes`;
}

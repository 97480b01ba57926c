/**
 * FRR and Quagga (the Route Views collectors other than route-views main):
 * the `json` form first, then the text form, then the old Quagga commands.
 *
 * @module
 */

import type { Destination, Family } from "../validation/destination.ts";
import type { ParsedRoute, ParsedSummary, RouteEntry } from "../bgp/types.ts";
import { parseDetailText } from "./_detail_text.ts";
import { parseSummaryText } from "./_summary_text.ts";
import { parseTablePartial, parseTableText } from "./_table_text.ts";
import { matchTarget } from "./_match.ts";
import { parseFrrRouteJson, parseFrrSummaryJson, parseFrrTableJson } from "./frr_json.ts";
import type { Dialect, DialectOptions, QueryStep } from "./dialect.ts";

/** Parses FRR/Quagga `show bgp ipv4|ipv6 unicast <dest>` text. */
export function parseFrrRoute(text: string): ParsedRoute {
  return parseDetailText(text, "frr");
}

/** Parses FRR/Quagga `show bgp … summary` text. */
export function parseFrrSummary(text: string): ParsedSummary {
  return parseSummaryText(text, "frr");
}

/** Parses FRR/Quagga BGP table text (`… longer-prefixes`). */
export function parseFrrTable(text: string): RouteEntry[] {
  return parseTableText(text, "frr");
}

/** The FRR / Quagga dialect. */
export const frr: Dialect<"frr"> = {
  id: "frr",
  label: "FRR",
  setupCommands: ["terminal length 0"],
  refusal: { line: /^%/, answer: /^% ?Network not in table/i },
  parsers: {
    route: [
      { name: "parseFrrRoute", format: "text", parse: parseFrrRoute },
      { name: "parseFrrRouteJson", format: "json", parse: parseFrrRouteJson },
    ],
    routes: [
      { name: "parseFrrTable", format: "text", parse: parseFrrTable },
      { name: "parseFrrTableJson", format: "json", parse: parseFrrTableJson },
    ],
    summary: [
      { name: "parseFrrSummary", format: "text", parse: parseFrrSummary },
      { name: "parseFrrSummaryJson", format: "json", parse: parseFrrSummaryJson },
    ],
  },
  routeQuery(destination: Destination, options: DialectOptions = {}): QueryStep<ParsedRoute>[] {
    const afi = destination.family;
    const target = matchTarget(destination, options.match, frr);
    const json: QueryStep<ParsedRoute>[] = options.preferJson === false ? [] : [{
      command: `show bgp ${afi} unicast ${target} json`,
      parse: parseFrrRouteJson,
      fallbackOnParseError: true,
    }];
    return [
      ...json,
      { command: `show bgp ${afi} unicast ${target}`, parse: parseFrrRoute },
      {
        command: afi === "ipv4" ? `show ip bgp ${target}` : `show bgp ipv6 ${target}`,
        parse: parseFrrRoute,
      },
    ];
  },
  routesQuery(destination: Destination, options: DialectOptions = {}): QueryStep<RouteEntry[]>[] {
    const afi = destination.family;
    const target = destination.canonical;
    // The table in text first, whatever preferJson says: it costs a third of the json form and,
    // read row by row, can be cut at the download budget and still show whole prefixes. The
    // json form (which adds the peer address) is the fallback for text that cannot be read.
    const partial = (text: string) => parseTablePartial(text, "frr");
    const json: QueryStep<RouteEntry[]>[] = options.preferJson === false ? [] : [{
      command: `show bgp ${afi} unicast ${target} longer-prefixes json`,
      parse: parseFrrTableJson,
    }];
    return [
      {
        command: `show bgp ${afi} unicast ${target} longer-prefixes`,
        parse: parseFrrTable,
        parsePartial: partial,
        fallbackOnParseError: json.length > 0,
      },
      ...json,
      {
        command: afi === "ipv4"
          ? `show ip bgp ${target} longer-prefixes`
          : `show bgp ipv6 ${target} longer-prefixes`,
        parse: parseFrrTable,
        parsePartial: partial,
      },
    ];
  },
  summaryQuery(family: Family, options: DialectOptions = {}): QueryStep<ParsedSummary>[] {
    const json: QueryStep<ParsedSummary>[] = options.preferJson === false ? [] : [{
      command: `show bgp ${family} unicast summary json`,
      parse: parseFrrSummaryJson,
      fallbackOnParseError: true,
    }];
    return [
      ...json,
      { command: `show bgp ${family} unicast summary`, parse: parseFrrSummary },
      {
        command: family === "ipv4" ? "show ip bgp summary" : "show bgp ipv6 summary",
        parse: parseFrrSummary,
      },
    ];
  },
};

/**
 * FRR and Quagga (the Route Views collectors other than route-views main):
 * the text form first — the same answer as the json form for a third to a
 * quarter of its bytes (tests/dialects/frr_differential_test.ts, `deno task
 * bench:bytes`) — with the json form as its fallback, then the old Quagga
 * commands. `preferJson` asks in json first; a json answer over its cap then
 * falls back to text.
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
  tableHasCommunities: false,
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
    return textOrJson<ParsedRoute>(options.preferJson === true, {
      text: { command: `show bgp ${afi} unicast ${target}`, parse: parseFrrRoute },
      json: { command: `show bgp ${afi} unicast ${target} json`, parse: parseFrrRouteJson },
      quagga: {
        command: afi === "ipv4" ? `show ip bgp ${target}` : `show bgp ipv6 ${target}`,
        parse: parseFrrRoute,
      },
    });
  },
  routesQuery(destination: Destination): QueryStep<RouteEntry[]>[] {
    const afi = destination.family;
    const target = destination.canonical;
    // The table in text first, whatever preferJson says: it costs a third of the json form and,
    // read row by row, can be cut at the download budget and still show whole prefixes. The
    // json form (which adds the peer address) is the fallback for text that cannot be read.
    const partial = (text: string) => parseTablePartial(text, "frr");
    return [
      {
        command: `show bgp ${afi} unicast ${target} longer-prefixes`,
        parse: parseFrrTable,
        parsePartial: partial,
        fallbackOnParseError: true,
      },
      {
        command: `show bgp ${afi} unicast ${target} longer-prefixes json`,
        parse: parseFrrTableJson,
      },
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
    return textOrJson<ParsedSummary>(options.preferJson === true, {
      text: { command: `show bgp ${family} unicast summary`, parse: parseFrrSummary },
      json: { command: `show bgp ${family} unicast summary json`, parse: parseFrrSummaryJson },
      quagga: {
        command: family === "ipv4" ? "show ip bgp summary" : "show bgp ipv6 summary",
        parse: parseFrrSummary,
      },
    });
  },
};

/**
 * One FRR question's three forms in order: text, json, old Quagga — or json
 * first with `preferJson`. A form that cannot be read falls back to the next;
 * a json answer over its cap falls back to text (on a new session).
 */
function textOrJson<T>(
  preferJson: boolean,
  forms: { text: QueryStep<T>; json: QueryStep<T>; quagga: QueryStep<T> },
): QueryStep<T>[] {
  if (preferJson) {
    return [
      { ...forms.json, fallbackOnParseError: true, fallbackOnCap: true },
      forms.text,
      forms.quagga,
    ];
  }
  return [{ ...forms.text, fallbackOnParseError: true }, forms.json, forms.quagga];
}

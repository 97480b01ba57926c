/**
 * A ParseError says where: the line number (1 for the first line of the
 * answer) and the line itself, escaped, for every text parser; the user's
 * message names the line. JSON answers have no line to name.
 */

import assert from "node:assert/strict";
import { parseIosRoute, parseIosSummary, parseIosTable } from "../../src/dialects/cisco_ios.ts";
import { parseFrrRoute, parseFrrSummary, parseFrrTable } from "../../src/dialects/frr.ts";
import { parseFrrRouteJson } from "../../src/dialects/frr_json.ts";
import { parseIosPing, parseIosTraceroute } from "../../src/dialects/ios_ping.ts";
import { parseJunosRoute, parseJunosSummary } from "../../src/dialects/junos.ts";
import { ParseError } from "../../src/errors.ts";
import { describeError } from "../../src/service/describe_error.ts";
import { fixture } from "../harness/mod.ts";

/** `text` with line `index` (0-based) replaced by `line`. */
function withLine(text: string, index: number, line: string): string {
  const lines = text.split("\n");
  lines[index] = line;
  return lines.join("\n");
}

/** The index of the first line of `text` that contains `part`. */
function lineOf(text: string, part: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(part));
  assert.ok(index >= 0, part);
  return index;
}

/** Runs `parse` and returns the ParseError it throws. */
function parseError(parse: () => unknown): ParseError {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof ParseError, String(error));
    return error;
  }
  assert.fail("no ParseError");
}

interface Case {
  what: string;
  text: string;
  /** The line that is wrong (0-based), or null when the error is about the whole answer. */
  at: number | null;
  parse: (text: string) => unknown;
}

const IOS_DETAIL = fixture("cisco-ios/show_bgp_prefix_detail_ipv4_rr.txt");
const FRR_DETAIL = fixture("frr-rig/route_8.8.8.8.txt");
const FRR_SUMMARY = fixture("frr/show_ip_bgp_summary_frr7.txt");
const IOS_SUMMARY = fixture("cisco-ios/show_ip_bgp_summary.txt");
const FRR_TABLE = fixture("frr/show_ip_bgp_table.txt");
const JUNOS_DETAIL = fixture("junos-composed/show_route_detail_two_paths.txt");
const JUNOS_SUMMARY = fixture("junos/show_bgp_summary.txt");

const hopLine = lineOf(IOS_DETAIL, "1.1.1.3 (metric 11) from");
const originLine = lineOf(IOS_DETAIL, "Origin IGP, metric 0, localpref 100");
const frrRow = lineOf(FRR_SUMMARY, "123.123.123.123");
const tableRow = lineOf(FRR_TABLE, "10.0.0.61");
const junosAsPath = lineOf(JUNOS_DETAIL, "AS path: 64500 64511 64511 I");
const junosSource = lineOf(JUNOS_DETAIL, "Source: 198.51.100.10");

const CASES: Case[] = [
  {
    what: "IOS detail: a next hop that is not an address",
    text: withLine(IOS_DETAIL, hopLine, "    1.1.1.x (metric 11) from 1.1.1.1 (1.1.1.1)"),
    at: hopLine,
    parse: parseIosRoute,
  },
  {
    what: "IOS detail: an AS path that cannot be read (the line before the next hop)",
    text: withLine(IOS_DETAIL, hopLine - 1, "  65536.99999 x"),
    at: hopLine - 1,
    parse: parseIosRoute,
  },
  {
    what: "IOS detail: an origin that cannot be read",
    text: withLine(IOS_DETAIL, originLine, "      Origin SOMETIMES, metric 0, valid"),
    at: originLine,
    parse: parseIosRoute,
  },
  {
    what: "IOS detail: a path count the paths do not match (the Paths: header)",
    text: withLine(IOS_DETAIL, 1, "Paths: (3 available, best #1, table default)"),
    at: 1,
    parse: parseIosRoute,
  },
  {
    what: "FRR detail: text that is no entry (its first line)",
    text: "\n\n  nothing to see here\nat all\n",
    at: 2,
    parse: parseFrrRoute,
  },
  {
    what: "FRR detail: a peer that is not an address",
    text: withLine(
      FRR_DETAIL,
      lineOf(FRR_DETAIL, " from "),
      FRR_DETAIL.split("\n")[lineOf(FRR_DETAIL, " from ")].replace(/ from \S+/, " from peer?"),
    ),
    at: lineOf(FRR_DETAIL, " from "),
    parse: parseFrrRoute,
  },
  {
    what: "FRR summary: a neighbour row that cannot be read",
    text: withLine(FRR_SUMMARY, frrRow, "123.123.123.123 4     x"),
    at: frrRow,
    parse: parseFrrSummary,
  },
  {
    what: "FRR summary: a neighbour count the table does not match (the footer)",
    text: FRR_SUMMARY.replace("Total number of neighbors 3", "Total number of neighbors 4"),
    at: lineOf(FRR_SUMMARY, "Total number of neighbors"),
    parse: parseFrrSummary,
  },
  {
    what: "IOS summary: a router identifier that is not IPv4",
    text: IOS_SUMMARY.replace(/BGP router identifier \S+,/, "BGP router identifier 1.2.3,"),
    at: lineOf(IOS_SUMMARY, "BGP router identifier"),
    parse: parseIosSummary,
  },
  {
    what: "FRR table: a row whose next hop is not an address",
    text: withLine(FRR_TABLE, tableRow, "*=                  10.0.0.x               0 64600 i"),
    at: tableRow,
    parse: parseFrrTable,
  },
  {
    what: "IOS table: a row without an origin code",
    text: withLine(
      FRR_TABLE,
      tableRow,
      "*=                  10.0.0.61                              0 64600",
    ),
    at: tableRow,
    parse: parseIosTable,
  },
  {
    what: "Junos detail: an AS path without an origin code",
    text: withLine(JUNOS_DETAIL, junosAsPath, "                AS path: 64500 64511 64511"),
    at: junosAsPath,
    parse: (text) => parseJunosRoute(text, "inet.0"),
  },
  {
    what: "Junos detail: a source that is not an address",
    text: withLine(JUNOS_DETAIL, junosSource, "                Source: 198.51.100.x"),
    at: junosSource,
    parse: (text) => parseJunosRoute(text),
  },
  {
    what: "Junos summary: a peer whose state is not a BGP state",
    text: JUNOS_SUMMARY.replace(/Establ\b/, "Sleepy"),
    at: lineOf(JUNOS_SUMMARY.replace(/Establ\b/, "Sleepy"), "Sleepy"),
    parse: (text) => parseJunosSummary(text),
  },
  {
    what: "IOS ping: an impossible summary line",
    text: "Sending 5, 100-byte ICMP Echos to 8.8.8.8, timeout is 2 seconds:\n!!!!!\n" +
      "Success rate is 100 percent (6/5), round-trip min/avg/max = 1/2/4 ms",
    at: 2,
    parse: (text) => parseIosPing(text, "8.8.8.8"),
  },
  {
    what: "IOS traceroute: hops out of order",
    text: "Type escape sequence to abort.\nTracing the route to 8.8.8.8\n" +
      "  1 10.0.0.1 1 msec 1 msec 1 msec\n  1 10.0.0.2 2 msec 2 msec 2 msec\n",
    at: 3,
    parse: (text) => parseIosTraceroute(text, "8.8.8.8"),
  },
  {
    what: "FRR JSON: no line to name",
    text: '{"prefix": "8.8.8.0/24", "paths": [{"aspath": {"string": "x"}}]}',
    at: null,
    parse: parseFrrRouteJson,
  },
];

for (const c of CASES) {
  Deno.test(`parse error: ${c.what}`, () => {
    const error = parseError(() => c.parse(c.text));
    if (c.at === null) {
      assert.equal(error.lineNumber, undefined);
      assert.equal(error.line, undefined);
      return;
    }
    assert.equal(error.lineNumber, c.at + 1, error.message);
    assert.equal(error.line, c.text.replaceAll("\r", "").split("\n")[c.at]);
    assert.equal(error.nothingSent, false);
  });
}

Deno.test("parse error: the user reads the dialect and the line; the line is escaped", () => {
  const error = parseError(() =>
    parseIosRoute(
      withLine(IOS_DETAIL, hopLine, "    1.1.1.x\u001b[2J (metric 11) from 1.1.1.1 (1.1.1.1)"),
    )
  );
  assert.equal(error.lineNumber, hopLine + 1);
  assert.equal(error.line, "    1.1.1.x\\u001b[2J (metric 11) from 1.1.1.1 (1.1.1.1)");
  assert.match(
    describeError(error),
    new RegExp(`^Could not read the server's answer \\(cisco-ios, line ${hopLine + 1}\\): `),
  );
  const json = parseError(() => parseFrrRouteJson("{"));
  assert.match(describeError(json), /^Could not read the server's answer \(frr-json\): /);
});

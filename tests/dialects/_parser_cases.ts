/**
 * The parser property tests' cases: one per parser in the dialect registry
 * (and per family, for a parser that reads one family's table), each with the
 * fixtures it is fed and mutated from, and the checks every result must pass
 * (a well-formed result, or a ParseError, within the time limit). A parser
 * registered without fixtures here fails `tests/dialects/registry_test.ts`.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { BgpPath, ParsedRoute, ParsedSummary, RouteEntry } from "../../src/bgp/types.ts";
import { type ParserKind, PARSERS as REGISTERED } from "../../src/dialects/mod.ts";
import { ParseError } from "../../src/errors.ts";
import { fixture } from "../harness/mod.ts";
import { attempt, describeError, fc, timed } from "../_property.ts";

/** One parser under test. */
export interface ParserCase {
  /** The parser's name, with the family it reads where it reads one (`parseJunosRoutes(ipv6)`). */
  name: string;
  /** The dialect it belongs to. */
  dialect: string;
  /** What it reads. */
  kind: ParserKind;
  /** Whether it reads JSON. */
  json: boolean;
  /** Parses an answer. */
  parse: (text: string) => unknown;
  /** The fixtures it is fed. */
  fixtures: string[];
}

const IOS_DETAIL = [
  "cisco-ios/show_bgp_prefix_detail_ipv4_rr.txt",
  "cisco-ios/show_bgp_all_detail_multi_afi.txt",
];
const IOS_SUMMARY = [
  "cisco-ios/show_ip_bgp_summary.txt",
  "cisco-ios/show_ip_bgp_summary_all_afi.txt",
  "cisco-ios/show_bgp_ipv6_unicast_summary_wrapped_neighbor.txt",
];
const IOS_TABLE = [
  "cisco-ios/show_ip_bgp_table_rpki_header.txt",
  "cisco-ios/show_ip_bgp_table_wrapped_prefix.txt",
];
const FRR_DETAIL = [
  "frr/show_ip_bgp_prefix_multipath.txt",
  "frr/show_ip_bgp_prefix_ibgp_rr_local_as.txt",
  "frr-rig/route_1.1.1.1_large.txt",
  "frr-rig/route_4.4.4.0_24_as_set.txt",
  "frr-rig/route_5.5.5.5_well_known.txt",
  "frr-rig/route_8.8.8.8.txt",
  "frr-rig/route_2001_4860_32.txt",
  "frr-rig/route_not_found.txt",
];
const FRR_SUMMARY = ["frr/show_ip_bgp_summary_frr7.txt", "frr-rig/summary_ipv4.txt"];
const FRR_TABLE = ["frr/show_ip_bgp_table.txt", "frr/show_ipv6_bgp_table_wrapped.txt"];
const FRR_JSON_ROUTE = [
  "frr-rig/route_5.5.5.5_well_known.json.txt",
  "frr-rig/route_2001_4860_32.json.txt",
  "frr-rig/route_8.8.8.8.json.txt",
  "frr-rig/route_4.4.4.0_24_as_set.json.txt",
  "frr-rig/route_not_found.json.txt",
];
const FRR_JSON_SUMMARY = ["frr-json/show_bgp_ipv4_summary.txt", "frr-rig/summary_ipv4.json.txt"];
const FRR_JSON_TABLE = [
  "frr-json/show_bgp_ipv4_unicast_community_table.txt",
  "frr-json/show_ip_bgp_table.txt",
];
const JUNOS_ROUTES = [
  "junos/show_route_prefix_bgp_multi_table.txt",
  "junos-composed/show_route_detail_ipv6_orlonger.txt",
  "junos-composed/show_route_detail_two_paths.txt",
];
const JUNOS_SUMMARY = ["junos/show_bgp_summary.txt"];

/**
 * Fixtures by parser (`dialect kind format`): each parser's own captures, and
 * for the text forms IOS and FRR share, the other's too.
 */
export const PARSER_FIXTURES: Readonly<Record<string, string[]>> = {
  "cisco-ios route text": [...IOS_DETAIL, ...FRR_DETAIL],
  "cisco-ios routes text": [...IOS_TABLE, ...FRR_TABLE],
  "cisco-ios summary text": [...IOS_SUMMARY, ...FRR_SUMMARY],
  "frr route text": [...FRR_DETAIL, ...IOS_DETAIL],
  "frr route json": FRR_JSON_ROUTE,
  "frr routes text": [...FRR_TABLE, ...IOS_TABLE],
  "frr routes json": FRR_JSON_TABLE,
  "frr summary text": [...FRR_SUMMARY, ...IOS_SUMMARY],
  "frr summary json": FRR_JSON_SUMMARY,
  "junos route text": JUNOS_ROUTES,
  "junos routes text": JUNOS_ROUTES,
  "junos summary text": JUNOS_SUMMARY,
};

/** The key of a registered parser in {@linkcode PARSER_FIXTURES}. */
export function fixtureKey(parser: { dialect: string; kind: string; format: string }): string {
  return `${parser.dialect} ${parser.kind} ${parser.format}`;
}

/** Every registered parser as a case; one per family too for a parser that reads one family. */
export const PARSERS: ParserCase[] = REGISTERED.flatMap((parser) => {
  const fixtures = PARSER_FIXTURES[fixtureKey(parser)] ?? [];
  const base = {
    dialect: parser.dialect,
    kind: parser.kind,
    json: parser.format === "json",
    fixtures,
  };
  const families = parser.byFamily ? (["ipv4", "ipv6"] as const) : [];
  return [
    { ...base, name: parser.name, parse: (text: string) => parser.parse(text) },
    ...families.map((family) => ({
      ...base,
      name: `${parser.name}(${family})`,
      parse: (text: string) => parser.parse(text, family),
    })),
  ];
});

/** The case named `name`. */
export function parserCase(name: string): ParserCase {
  const found = PARSERS.find((c) => c.name === name);
  if (!found) throw new Error(`no parser case ${name}`);
  return found;
}

/** Every fixture the parser properties read, by path. */
export const FIXTURES = new Map(
  [
    ...IOS_DETAIL,
    ...IOS_SUMMARY,
    ...IOS_TABLE,
    ...FRR_DETAIL,
    ...FRR_SUMMARY,
    ...FRR_TABLE,
    ...FRR_JSON_ROUTE,
    ...FRR_JSON_SUMMARY,
    ...FRR_JSON_TABLE,
    ...JUNOS_ROUTES,
    ...JUNOS_SUMMARY,
    "frr-rig/unknown_command.txt",
  ].map((path) => [path, fixture(path)]),
);
export const ALL_FIXTURE_TEXTS = [...FIXTURES.values()];
export const ALL_FIXTURE_LINES = [
  ...new Set(ALL_FIXTURE_TEXTS.flatMap((text) => text.split("\n"))),
];

/** The largest 32-bit AS number. */
export const MAX_ASN = 4294967295;
const ORIGINS = new Set(["IGP", "EGP", "incomplete"]);

function isAsn(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_ASN;
}

function checkPath(path: BgpPath, where: string, json: boolean): void {
  assert.ok(Array.isArray(path.asPath), `${where}: asPath is not an array`);
  for (const asn of path.asPath) assert.ok(isAsn(asn), `${where}: AS path holds ${asn}`);
  assert.ok(path.originAs === null || isAsn(path.originAs), `${where}: originAs ${path.originAs}`);
  assert.equal(typeof path.asPathText, "string", `${where}: asPathText`);
  if (!json && path.originAs !== null) {
    // The last ASN of the sequence, or the only member of a final AS_SET.
    assert.ok(
      path.originAs === path.asPath.at(-1) || path.asPathText.includes("{"),
      `${where}: originAs ${path.originAs} for ${JSON.stringify(path.asPathText)}`,
    );
  }
  assert.ok(ORIGINS.has(path.origin), `${where}: origin ${path.origin}`);
  assert.equal(typeof path.best, "boolean", `${where}: best`);
  assert.equal(typeof path.valid, "boolean", `${where}: valid`);
  assert.equal(typeof path.nextHop, "string", `${where}: nextHop`);
  assert.equal(typeof path.peer?.address, "string", `${where}: peer.address`);
  for (const list of [path.communities, path.largeCommunities, path.extendedCommunities]) {
    assert.ok(Array.isArray(list) && list.every((c) => typeof c === "string"), `${where}: list`);
  }
  for (const n of [path.med, path.localPref]) {
    assert.ok(n === undefined || typeof n === "number", `${where}: med/localPref ${n}`);
  }
}

function checkResult(c: ParserCase, result: unknown): void {
  if (c.kind === "route") {
    const route = result as ParsedRoute;
    assert.equal(typeof route.found, "boolean", `${c.name}: found`);
    assert.ok(route.prefix === null || typeof route.prefix === "string", `${c.name}: prefix`);
    assert.ok(Array.isArray(route.paths), `${c.name}: paths`);
    assert.equal(typeof route.totalPaths, "number", `${c.name}: totalPaths`);
    route.paths.forEach((p, i) => checkPath(p, `${c.name} path ${i}`, c.json));
  } else if (c.kind === "routes") {
    assert.ok(Array.isArray(result), `${c.name}: not a list`);
    for (const entry of result as RouteEntry[]) {
      assert.equal(typeof entry.prefix, "string", `${c.name}: prefix`);
      assert.ok(Array.isArray(entry.paths), `${c.name}: paths`);
      entry.paths.forEach((p, i) => checkPath(p, `${c.name} ${entry.prefix} path ${i}`, c.json));
    }
  } else {
    const summary = result as ParsedSummary;
    assert.ok(Array.isArray(summary.neighbors), `${c.name}: neighbors`);
    assert.ok(summary.localAs === null || isAsn(summary.localAs), `localAs ${summary.localAs}`);
    for (const n of summary.neighbors) {
      assert.ok(isAsn(n.asn), `${c.name}: neighbour AS ${n.asn}`);
      assert.equal(typeof n.address, "string", `${c.name}: neighbour address`);
      assert.equal(typeof n.state, "string", `${c.name}: neighbour state`);
      assert.equal(typeof n.established, "boolean", `${c.name}: established`);
    }
  }
}

/** Parses `text` under the time limit: a well-formed result, or a ParseError. */
export function checkParser(c: ParserCase, text: string): void {
  const outcome = timed(c.name, text.length, () => c.parse(text));
  if (outcome.ok) {
    checkResult(c, outcome.value);
    return;
  }
  assert.ok(
    outcome.error instanceof ParseError,
    `${c.name} threw ${describeError(outcome.error)} (input ${text.length} chars: ` +
      `${JSON.stringify(text.slice(0, 300))}${text.length > 300 ? "…" : ""})`,
  );
}

/** One change made to an answer. */
export type Mutation =
  | { op: "deleteLine"; at: number }
  | { op: "duplicateLine"; at: number }
  | { op: "swapLines"; a: number; b: number }
  | { op: "insertText"; at: number; text: string }
  | { op: "truncate"; at: number }
  | { op: "replaceDigits"; seed: number; every: number; by: string }
  | { op: "crlf" }
  | { op: "longLine"; at: number; copy: boolean; unit: string; length: number };

const NASTY_TOKENS = [
  "[",
  "]",
  "{",
  "}",
  "(",
  ")",
  ",",
  ":",
  "/",
  "*",
  ">",
  "%",
  "\t",
  "\r",
  "\n",
  "\n\n",
  "\u0000",
  "\u00ff",
  "\ufffd",
  "\ud800",
  " from ",
  " from",
  "Origin ",
  "AS path: ",
  "Preference: ",
  "Paths: (",
  "Community: ",
  "-1",
  "1.5",
  "4294967296",
  "99999999999999999999",
  "65536.65536",
  "null",
  "true",
  '"',
  "\\",
];

export const LONG_UNITS = [
  " ",
  "* ",
  "*",
  "1 ",
  "1",
  "a",
  "{",
  "(",
  "[",
  "{1 ",
  "(1 ",
  "1:",
  ":",
  ", ",
];

export function mutation(maxLongLine: number): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    fc.record({ op: fc.constant("deleteLine" as const), at }),
    fc.record({ op: fc.constant("duplicateLine" as const), at }),
    fc.record({ op: fc.constant("swapLines" as const), a: at, b: at }),
    fc.record({
      op: fc.constant("insertText" as const),
      at,
      text: fc.oneof(
        fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 12 }),
        fc.string({ unit: "binary", minLength: 1, maxLength: 4 }),
        fc.constantFrom(...NASTY_TOKENS),
      ),
    }),
    fc.record({ op: fc.constant("truncate" as const), at }),
    fc.record({
      op: fc.constant("replaceDigits" as const),
      seed: fc.nat(),
      every: fc.integer({ min: 1, max: 25 }),
      by: fc.constantFrom("0", "1", "9", "", "-1", "4294967296", "99999999999", ".", "a", " ", "{"),
    }),
    fc.record({ op: fc.constant("crlf" as const) }),
    fc.record({
      op: fc.constant("longLine" as const),
      at,
      copy: fc.boolean(),
      unit: fc.oneof(
        fc.constantFrom(...LONG_UNITS),
        fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 6 }),
      ),
      length: fc.integer({ min: 1, max: maxLongLine }),
    }),
  );
}

export function applyMutation(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const line = (n: number) => n % lines.length;
  switch (m.op) {
    case "deleteLine":
      lines.splice(line(m.at), 1);
      return lines.join("\n");
    case "duplicateLine": {
      const i = line(m.at);
      lines.splice(i, 0, lines[i]);
      return lines.join("\n");
    }
    case "swapLines": {
      const [i, j] = [line(m.a), line(m.b)];
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join("\n");
    }
    case "insertText": {
      const i = m.at % (text.length + 1);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case "truncate":
      return text.slice(0, m.at % (text.length + 1));
    case "replaceDigits": {
      let k = 0;
      return text.replace(/[0-9]/g, (digit) => ((k++ + m.seed) % m.every === 0 ? m.by : digit));
    }
    case "crlf":
      return text.replaceAll("\n", "\r\n");
    case "longLine": {
      const i = line(m.at);
      const body = m.unit.repeat(Math.ceil(m.length / m.unit.length)).slice(0, m.length);
      lines.splice(i, 0, (m.copy ? lines[i] : "") + body);
      return lines.join("\n");
    }
  }
}

/** Fixture text (mostly this parser's own), or a soup of fixture lines, then 1–5 mutations. */
export function mutatedInput(c: ParserCase, maxLongLine: number): fc.Arbitrary<string> {
  const own = c.fixtures.map((path) => FIXTURES.get(path)!);
  const source = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...own) },
    { weight: 1, arbitrary: fc.constantFrom(...ALL_FIXTURE_TEXTS) },
    {
      weight: 2,
      arbitrary: fc.array(fc.constantFrom(...ALL_FIXTURE_LINES), { maxLength: 30 }).map((l) =>
        l.join("\n")
      ),
    },
  );
  return fc.tuple(source, fc.array(mutation(maxLongLine), { minLength: 1, maxLength: 5 })).map(
    ([text, mutations]) => mutations.reduce(applyMutation, text),
  );
}

/** Long lines in mutations reach the size of a whole capped answer's worth of one line. */
export const LONG_LINE = 100_000;

/** A fixture or a soup of fixture lines, with whole lines deleted, repeated or swapped. */
export function lineShuffledInput(c: ParserCase): fc.Arbitrary<string> {
  const source = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...c.fixtures.map((path) => FIXTURES.get(path)!)) },
    {
      weight: 1,
      arbitrary: fc.array(fc.constantFrom(...ALL_FIXTURE_LINES), { maxLength: 30 }).map((l) =>
        l.join("\n")
      ),
    },
  );
  const lineMutation = mutation(1).filter((m) =>
    m.op === "deleteLine" || m.op === "duplicateLine" || m.op === "swapLines"
  );
  return fc.tuple(source, fc.array(lineMutation, { maxLength: 3 })).map(([text, mutations]) =>
    mutations.reduce(applyMutation, text).replaceAll("\r", "")
  );
}

/** The parsers are public API and used to split on /\r?\n/: CR LF must read like LF. */
export function checkLineEndings(c: ParserCase, lf: string): void {
  const crlf = lf.replaceAll("\n", "\r\n");
  const a = attempt(() => c.parse(lf));
  const b = attempt(() => c.parse(crlf));
  assert.equal(
    b.ok,
    a.ok,
    `${c.name}: LF ${a.ok ? "parsed" : describeError(a.error)}, CR LF ${
      b.ok ? "parsed" : describeError(b.error)
    }`,
  );
  if (a.ok && b.ok) assert.deepEqual(b.value, a.value, `${c.name}: CR LF reads differently`);
  if (!a.ok && !b.ok) {
    assert.equal(describeError(b.error).split(":")[0], describeError(a.error).split(":")[0]);
  }
}

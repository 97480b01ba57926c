/**
 * Property-based tests (fast-check) for every parser in the dialect registry:
 * arbitrary strings, mutated fixtures, long lines, JSON of any shape and CR LF
 * line endings give a well-formed result or a ParseError, within 2 s a call.
 * The targeted tests after them each guard against a bug these properties
 * found (named in the comment: quadratic regexes, crashes instead of
 * ParseError, CR LF). The FRR JSON parsers' own shapes are in
 * frr_json_property_test.ts; the cases and checks in _parser_cases.ts.
 */

import {
  applyMutation,
  checkLineEndings,
  checkParser,
  FIXTURES,
  lineShuffledInput,
  LONG_LINE,
  LONG_UNITS,
  mutatedInput,
  parserCase,
  PARSERS,
} from "./_parser_cases.ts";
import { fc, seedProperties } from "../_property.ts";

seedProperties("tests/dialects/parsers_property_test.ts");

Deno.test("parsers: the unmutated fixtures parse with well-formed AS paths", () => {
  for (const c of PARSERS) {
    for (const path of c.fixtures) checkParser(c, FIXTURES.get(path)!);
  }
});

Deno.test("parsers: arbitrary strings give a result or a ParseError", () => {
  const input = fc.oneof(
    fc.string({ maxLength: 400 }),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.string({ unit: "binary-ascii", maxLength: 400 }),
    fc.string({ unit: fc.constantFrom(..."0123456789 .:/*>{}()[],iIe?\n"), maxLength: 400 }),
  );
  fc.assert(
    fc.property(input, (text) => {
      for (const c of PARSERS) checkParser(c, text);
    }),
    { numRuns: 300 },
  );
});

for (const c of PARSERS) {
  Deno.test(`parsers: ${c.name} on mutated fixtures gives a result or a ParseError, fast`, () => {
    fc.assert(
      fc.property(mutatedInput(c, LONG_LINE), (text) => checkParser(c, text)),
      { numRuns: 120 },
    );
  });
}

Deno.test("parsers: 100 000–300 000-character lines anywhere in an answer stay fast", () => {
  const input = fc.tuple(fc.constantFrom(...PARSERS), fc.nat(), fc.nat(), fc.boolean()).chain((
    [c, pick, at, copy],
  ) =>
    fc.record({
      op: fc.constant("longLine" as const),
      at: fc.constant(at),
      copy: fc.constant(copy),
      unit: fc.oneof(
        fc.constantFrom(...LONG_UNITS),
        fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 6 }),
      ),
      length: fc.integer({ min: 100_000, max: 300_000 }),
    }).map((m) => ({
      c,
      text: applyMutation(FIXTURES.get(c.fixtures[pick % c.fixtures.length])!, m),
    }))
  );
  fc.assert(
    fc.property(input, ({ c, text }) => checkParser(c, text)),
    { numRuns: 150 },
  );
});

/** The Junos route and table parsers: their CR LF regression has its own test below. */
const JUNOS_ROUTE_PARSERS = PARSERS.filter((c) => c.dialect === "junos" && c.kind !== "summary")
  .map((c) => c.name);

Deno.test("parsers: answers with CR LF line endings parse like LF ones", () => {
  for (const c of PARSERS.filter((c) => !JUNOS_ROUTE_PARSERS.includes(c.name))) {
    fc.assert(fc.property(lineShuffledInput(c), (text) => checkLineEndings(c, text)), {
      numRuns: 60,
    });
  }
});

Deno.test({
  // Fixed regression (parseJunosRoutes in src/dialects/junos.ts now splits on "\n" after dropping
  // every "\r", instead of /\r?\n/): BRIEF_ROUTE ends in (.*)$, and "." does not match a "\r" left
  // at the end of a line, so a CR LF brief-form answer read as not found. telnet/screen.ts strips
  // "\r" for the server's own answers, but the parsers are public (`@bgp-lg/mcp/parsers`).
  name: "parsers: Junos route answers with CR LF line endings parse like LF ones",
  fn() {
    for (const name of JUNOS_ROUTE_PARSERS) {
      const c = parserCase(name);
      fc.assert(fc.property(lineShuffledInput(c), (text) => checkLineEndings(c, text)), {
        numRuns: 60,
      });
    }
  },
});

Deno.test("parsers: random JSON values give a result or a ParseError in every parser", () => {
  const input = fc.tuple(
    fc.jsonValue({ maxDepth: 4 }),
    fc.constantFrom("", "show bgp ipv4 unicast 8.8.8.8 json\n", "}{"),
  ).map(([value, prefix]) => prefix + JSON.stringify(value));
  fc.assert(
    fc.property(input, (text) => {
      for (const c of PARSERS) checkParser(c, text);
    }),
    { numRuns: 300 },
  );
});

// ---- Targeted properties for the text-parser bugs -------------------------------------------

const TABLE_HEADER = "   Network          Next Hop            Metric LocPrf Weight Path";

/** Table rows: some start a prefix, some continue the previous prefix (no network column). */
const tableRow = fc.tuple(
  fc.constantFrom("*> ", "*= ", "*  ", "* i", "s> "),
  fc.option(fc.constantFrom("8.8.8.0/24      ", "2001:db8::/32   ", "10.0.0.0/8      "), {
    nil: "                ",
  }),
  fc.constantFrom("198.51.100.2   ", "10.0.0.61      "),
  fc.constantFrom("          0             0 ", "                       0 "),
  fc.constantFrom("15169 i", "3356 174 15169 i", "64600 65501 ?"),
).map((parts) => parts.join(""));

for (const name of ["parseIosTable", "parseFrrTable"]) {
  Deno.test({
    // Guards a fixed bug (src/dialects/_table_text.ts, `current!.paths.push`): a row without a network
    // column before any row with one (e.g. the first prefix row lost or malformed) throws
    // "TypeError: Cannot read properties of null (reading 'paths')" instead of a ParseError.
    name: `parsers: ${name} on tables whose rows are in any order gives a result or ParseError`,
    fn() {
      fc.assert(
        fc.property(
          fc.array(tableRow, { minLength: 1, maxLength: 6 }),
          (rows) => checkParser(parserCase(name), [TABLE_HEADER, ...rows].join("\n")),
        ),
        { numRuns: 300 },
      );
    },
  });
  Deno.test({
    // Guards a fixed bug (src/dialects/_table_text.ts, splitRow): for a row of n blanks (or n status
    // characters) each candidate cut scans the rest of the line again, O(n²): ~0.3 s for
    // 40 000 characters, ~20 s for 300 000, minutes for a 1 MiB answer (the default output cap).
    name: `parsers: ${name} handles a 300 000-character table row in under 2 s`,
    fn() {
      const row = fc.tuple(fc.constantFrom(" ", "*", "* ", "s "), fc.constantFrom("", "1", "x"))
        .map(([unit, end]) => unit.repeat(300_000 / unit.length) + end);
      fc.assert(
        fc.property(row, (line) => checkParser(parserCase(name), `${TABLE_HEADER}\n${line}`)),
        { numRuns: 5, endOnFailure: true },
      );
    },
  });
}

const JUNOS_DETAIL_HEAD = "inet.0: 1 destinations, 1 routes (1 active, 0 holddown, 0 hidden)\n" +
  "192.0.2.0/24 (1 entry, 1 announced)\n";

Deno.test({
  // Guards a fixed bug (src/dialects/junos.ts, `lines[0].includes("[")`): a detail route line
  // (`*BGP Preference: …`) that contains "[" is handed to parseBrief, whose
  // `BRIEF_ROUTE.exec(lines[0])!` is null: "TypeError: Cannot read properties of null
  // (reading '2')" instead of a ParseError.
  name: "parsers: Junos detail routes with any text after Preference parse or ParseError",
  fn() {
    const block = fc.tuple(
      fc.constantFrom("*BGP", " BGP", "*BGP   "),
      fc.string({ unit: fc.constantFrom(..."0123456789/- []<>ab"), maxLength: 12 }),
    ).map(([head, tail]) =>
      `${JUNOS_DETAIL_HEAD}        ${head}    Preference: 170${tail}\n` +
      "                Source: 198.51.100.10\n                AS path: 64500 I\n"
    );
    fc.assert(
      fc.property(block, (text) => checkParser(parserCase("parseJunosRoute"), text)),
      { numRuns: 300 },
    );
  },
});

Deno.test({
  // Guards a fixed bug (src/dialects/junos.ts, parseBrief): `const [word, value] = part.split(/\s+/)`
  // with a bare "from" (no address after it) sets peer.address = undefined; the BgpPath type
  // says string, and renderRoute (src/render.ts) then counts `undefined !== ""` as a peer to show.
  name: "parsers: Junos brief routes always give a string peer address",
  fn() {
    const part = fc.constantFrom(
      "1w2d 03:12:24",
      "MED 12",
      "localpref 120",
      "from 10.0.0.1",
      "from",
    );
    const line = fc.array(part, { minLength: 1, maxLength: 4 }).map((parts) =>
      "inet.0: 1 destinations, 1 routes (1 active, 0 holddown, 0 hidden)\n" +
      `192.0.2.0/24       *[BGP/170] ${parts.join(", ")}\n` +
      "                      AS path: 64500 I\n                    > to 10.0.0.1 via ge-0/0/0.0\n"
    );
    fc.assert(
      fc.property(line, (text) => checkParser(parserCase("parseJunosRoute"), text)),
      { numRuns: 300 },
    );
  },
});

for (const name of ["parseIosRoute", "parseFrrRoute"]) {
  Deno.test({
    // Guards a fixed bug (src/dialects/_detail_text.ts, NOT_IN_TABLE = /^\s*% Network not in table/m, tried
    // first on the whole answer): with the m flag, ^ holds at every line start and \s* runs on
    // across all the following blank lines, O(n²) in a run of blank lines: 40 000 newlines take
    // ~1.7 s, 80 000 ~10 s; a 1 MiB answer of blank lines would take about half an hour.
    name: `parsers: ${name} handles 100 000 blank lines in under 2 s`,
    fn() {
      const blank = fc.tuple(fc.constantFrom("\n", " \n", "\n\t", "\r\n"), fc.constantFrom("", "x"))
        .map(([unit, end]) => unit.repeat(100_000) + end);
      fc.assert(
        fc.property(blank, (text) => checkParser(parserCase(name), text)),
        { numRuns: 3, endOnFailure: true },
      );
    },
  });
}

Deno.test({
  // Guards a fixed bug (src/dialects/junos.ts, NOT_FOUND = /error: .*not found/i, tried on the whole
  // answer whenever it held "error:"): from every "error: " the .* runs to the end of the line
  // and backtracks, O(n²) on a line with many of them: 70 000 characters take ~0.8 s, 210 000
  // about 7 s.
  name: "parsers: parseJunosRoute handles a 210 000-character line of error: in under 2 s",
  fn() {
    const line = fc.constantFrom("error: ", "error: x", "Error: ").map((unit) =>
      unit.repeat(Math.floor(210_000 / unit.length))
    );
    fc.assert(
      fc.property(line, (text) => checkParser(parserCase("parseJunosRoute"), text)),
      { numRuns: 3, endOnFailure: true },
    );
  },
});

// The Junos route parsers once tried DETAIL_ROUTE = /^\s*([*+-]*)\s*([A-Za-z-]+)\s+Preference:/ on
// every line: the two \s* around an empty [*+-]* backtracked quadratically over a run of blanks
// (~16 s for one line of 100 000 spaces). This guards the fix.
Deno.test("parsers: Junos route parsers handle a 100 000-character blank line in under 2 s", () => {
  const line = fc.tuple(fc.constantFrom(" ", "\t", " \t"), fc.constantFrom("", "x", "*", "BGP"))
    .map(([unit, end]) => JUNOS_DETAIL_HEAD + unit.repeat(100_000 / unit.length) + end);
  fc.assert(
    fc.property(line, (text) => {
      checkParser(parserCase("parseJunosRoute"), text);
      checkParser(parserCase("parseJunosRoutes(ipv6)"), text);
    }),
    { numRuns: 10 },
  );
});

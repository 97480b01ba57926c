/**
 * The dialect registry is the one source of vendor facts: every registered
 * dialect appears, with nothing written a second time, in the server list's
 * schema, in `list_servers`' output schema, in the CLI's `parse` table and
 * help, in the parser property tests and benches, and (where it has the
 * commands) in the measurement tools; the refusal rules of every dialect are
 * in force.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import {
  commandRefusal,
  DIALECT_IDS,
  DIALECTS,
  measurementsOf,
  PARSERS,
} from "../../src/dialects/mod.ts";
import { PARSE_DIALECTS, parserFor } from "../../src/cli/parse.ts";
import { USAGE } from "../../src/cli/usage.ts";
import { diagnosticServers } from "../../src/service/measure.ts";
import { BENCH_CASES, benchCaseKey, benched, INPUTS } from "../../bench/_parser_inputs.ts";
import { connectInProcess, loopbackEntry } from "../harness/mod.ts";
import { fixtureKey, PARSER_FIXTURES, PARSERS as PROPERTY_CASES } from "./_parser_cases.ts";

/** A server list with one server of each registered dialect, allowing every measurement. */
function everyDialect() {
  return parseConfig({
    defaultServer: DIALECT_IDS[0],
    servers: DIALECT_IDS.map((id, i) =>
      loopbackEntry(id, 2300 + i, { dialect: id, supports: ["ping", "traceroute"] })
    ),
  }, "every dialect");
}

Deno.test("registry: ids are unique and every dialect says what it is", () => {
  assert.deepEqual([...DIALECT_IDS].sort(), Object.keys(DIALECTS).sort());
  assert.equal(new Set(DIALECT_IDS).size, DIALECT_IDS.length);
  for (const id of DIALECT_IDS) {
    const dialect = DIALECTS[id];
    assert.equal(dialect.id, id);
    assert.ok(dialect.label.length > 0, id);
    assert.ok(dialect.setupCommands.length > 0, `${id}: how is paging turned off?`);
    for (const kind of ["route", "routes", "summary"] as const) {
      assert.ok(dialect.parsers[kind].some((p) => p.format === "text"), `${id}: ${kind} text`);
    }
  }
});

Deno.test("registry: servers.json accepts every registered dialect and names them all when refusing", () => {
  const config = everyDialect();
  assert.deepEqual(config.servers.map((s) => s.dialect), [...DIALECT_IDS]);
  const bad = { defaultServer: "x", servers: [loopbackEntry("x", 23, { dialect: "bird" })] };
  assert.throws(() => parseConfig(bad, "t"), (error: Error) => {
    for (const id of DIALECT_IDS) assert.match(error.message, new RegExp(`"${id}"`));
    return true;
  });
});

Deno.test("registry: list_servers' output schema lists exactly the registered dialects", async () => {
  await using client = await connectInProcess(everyDialect());
  const { tools } = await client.listTools();
  const listServers = tools.find((t) => t.name === "list_servers")!;
  const server = (listServers.outputSchema as unknown as {
    properties: { servers: { items: { properties: { dialect: { enum: string[] } } } } };
  }).properties.servers.items.properties.dialect;
  assert.deepEqual(server.enum, [...DIALECT_IDS]);
});

Deno.test("registry: the CLI's parse table and help hold every registered parser", () => {
  // Every parser, the table (orlonger) ones included, under `parse route|table|summary`.
  const cliKind = { route: "route", routes: "table", summary: "summary" } as const;
  for (const parser of PARSERS) {
    assert.ok(PARSE_DIALECTS.includes(parser.cliName), parser.cliName);
    const kind = cliKind[parser.kind];
    const found = parserFor(kind, parser.cliName);
    assert.ok(found, `${kind} ${parser.cliName}`);
    assert.equal(found.byFamily, parser.byFamily === true, `${kind} ${parser.cliName}`);
  }
  assert.ok(USAGE.includes("parse route|table|summary"), USAGE);
  for (const id of DIALECT_IDS) assert.ok(PARSE_DIALECTS.includes(id), id);
  assert.ok(PARSE_DIALECTS.includes("frr-json"), "the JSON form has its own name");
  assert.ok(USAGE.includes(`--dialect ${PARSE_DIALECTS.join("|")} `), USAGE);
  assert.equal(parserFor("route", "bird"), undefined);
});

Deno.test("registry: the parser property tests run every registered parser, on its fixtures", () => {
  for (const parser of PARSERS) {
    const fixtures = PARSER_FIXTURES[fixtureKey(parser)];
    assert.ok(
      fixtures?.length,
      `tests/dialects/_parser_cases.ts has no fixtures for ${fixtureKey(parser)}`,
    );
    const cases = PROPERTY_CASES.filter((c) => c.name.split("(")[0] === parser.name);
    assert.equal(cases.length, parser.byFamily ? 3 : 1, parser.name);
    for (const c of cases) assert.deepEqual(c.fixtures, fixtures);
  }
});

Deno.test("registry: the parser benches time every registered route and table parser, on input it reads", () => {
  const timed = PARSERS.filter(benched);
  assert.ok(timed.length >= DIALECT_IDS.length * 2);
  for (const parser of timed) {
    const benchCase = BENCH_CASES[benchCaseKey(parser)];
    assert.ok(benchCase, `bench/_parser_inputs.ts has no case for ${benchCaseKey(parser)}`);
    benchCase.verify(parser.parse(INPUTS[benchCase.input], benchCase.family));
  }
});

Deno.test("registry: a measurement is offered for exactly the dialects that have its commands", async () => {
  const config = everyDialect();
  await using client = await connectInProcess(config);
  const { tools } = await client.listTools();
  for (const kind of ["ping", "traceroute"] as const) {
    const able = DIALECT_IDS.filter((id) => measurementsOf(DIALECTS[id]).includes(kind));
    assert.deepEqual(diagnosticServers(client.lg, kind).map((s) => s.dialect), able, kind);
    const tool = tools.find((t) => t.name === kind);
    assert.equal(tool !== undefined, able.length > 0, kind);
    if (tool) {
      const server = (tool.inputSchema as unknown as { properties: { server: { enum: string[] } } })
        .properties.server;
      assert.deepEqual(server.enum, able, kind);
    }
  }
});

Deno.test("registry: every dialect's refusals are refusals, and its look-alike answers are not", () => {
  // One refusal and one look-alike answer as each CLI prints them.
  const refusals: Record<string, string> = {
    "cisco-ios": "                 ^\n% Invalid input detected at '^' marker.\n",
    frr: "% Unknown command: show bgp ipv4 unicast 8.8.8.8 json\n",
    junos: "                   ^\nsyntax error, expecting <command>.\n",
  };
  const answers: Record<string, string> = {
    "cisco-ios": "% Network not in table\n",
    frr: "% Network not in table\n",
    junos: "error: Pattern not found\n",
  };
  for (const id of DIALECT_IDS) {
    assert.ok(refusals[id] && answers[id], `add ${id}'s refusal and look-alike answer here`);
    assert.notEqual(commandRefusal(refusals[id]), null, id);
    assert.equal(commandRefusal(answers[id]), null, id);
  }
});

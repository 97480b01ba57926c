/**
 * Parser throughput: every registered route parser (dialect registry,
 * `src/dialects/mod.ts`) on one large synthetic answer (500 paths for one
 * prefix), and every table parser on a 500-row table, each group compared
 * with `JSON.parse` of the same route set. Inputs and checks are in
 * `_parser_inputs.ts`; before any bench runs, every parser's result is
 * checked against the set, so the timings are of real parsing, not of an
 * error path. A registered parser without an input stops the bench.
 *
 * Run: deno bench --allow-read bench/parsers_bench.ts
 *
 * Deno prints the time per iteration; throughput is `SIZES[input] / time`
 * (each bench name also carries its input's size in bytes).
 *
 * @module
 */

import { PARSERS } from "../src/dialects/mod.ts";
import {
  BENCH_CASES,
  benchCaseKey,
  benched,
  type InputName,
  INPUTS,
  PATH_COUNT,
  pathCount,
  SIZES,
} from "./_parser_inputs.ts";

const bytes = (name: InputName) => `${SIZES[name]} B`;

/** Every bench reads a field of its result, so the work cannot be dropped. */
function expectPaths(count: number): void {
  if (count !== PATH_COUNT) throw new Error(`parsers_bench: ${count} paths`);
}

const timed = PARSERS.filter(benched).map((parser) => {
  const benchCase = BENCH_CASES[benchCaseKey(parser)];
  if (!benchCase) {
    throw new Error(`parsers_bench: no input for ${benchCaseKey(parser)} (${parser.name})`);
  }
  const run = () => parser.parse(INPUTS[benchCase.input], benchCase.family);
  benchCase.verify(run());
  return { parser, benchCase, run };
});
expectPaths((JSON.parse(INPUTS.detailJson) as { paths: unknown[] }).paths.length);
expectPaths(pathCount(JSON.parse(INPUTS.tableJson)));

Deno.bench({
  name: `JSON.parse neutral set (${bytes("detailJson")})`,
  group: "detail-500",
  baseline: true,
  fn: () => expectPaths((JSON.parse(INPUTS.detailJson) as { paths: unknown[] }).paths.length),
});
Deno.bench({
  name: `JSON.parse neutral table (${bytes("tableJson")})`,
  group: "table-500",
  baseline: true,
  fn: () => expectPaths(pathCount(JSON.parse(INPUTS.tableJson))),
});
for (const { parser, benchCase, run } of timed) {
  Deno.bench({
    name: `${parser.name} ${benchCase.label} (${bytes(benchCase.input)})`,
    group: parser.kind === "route" ? "detail-500" : "table-500",
    fn: () => expectPaths(pathCount(run())),
  });
}

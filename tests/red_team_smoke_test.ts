/**
 * Keeps the red team (`scripts/red_team.ts`, `deno task redteam`) from
 * rotting: its case generators are seeded and deterministic, its invariant
 * checks catch what they must, and a handful of its cases in every category
 * run end to end — as a subprocess with the suite's permissions, without the
 * FRR rig, under a deadline — with the report printed and written as JSON.
 * The control cases (true of any correct build) must hold; the others need
 * only to have run.
 */

import assert from "node:assert/strict";
import { malformedDestinations, refusedDestinations } from "../scripts/_red_team/addresses.ts";
import { CATEGORIES } from "../scripts/_red_team/case.ts";
import {
  controlCharacterProblems,
  covers,
  typedFieldProblems,
} from "../scripts/_red_team/checks.ts";
import { Random } from "../scripts/_red_team/random.ts";
import type { Report } from "../scripts/_red_team/report.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SEED = 20261201;

/** Cases that hold on any correct build: a failure means the product or the instrument broke. */
const CONTROLS = [
  "bad-input/global-accepted/route_lookup/8.8.8.8",
  'bad-input/special-space/route_lookup/classic/"10.0.0.1"',
  "hostile-server/login/silent/frr/",
  "hostile-server/answer/flood/frr-json/route",
  "faults/down/route_lookup",
  "faults/idle-close/closes-silently",
  "state-files/ledger/control-no-file",
  "budget/quota-runs-out/refused-before-connecting",
  "budget/politeness/identical-concurrent-calls-one-query",
  "load/150-calls-cancelled-at-random-times",
  "sandbox/outside-allow-net/other-port/route_lookup",
  "sandbox/no-prompt-without---no-prompt",
  "sandbox/stdout-only-json-rpc",
];

/** Cases that only need to run to the end (they may fail until the issue 9 fixes land). */
const OTHERS = [
  "bad-input/prompt-example/diagnose_prefix",
  "hostile-server/answer/prompt-inside/frr-text/route",
  "state-files/ledger/not-json",
  "budget/killed-mid-query/SIGTERM-0-",
];

Deno.test("red team: case generators are deterministic for a seed", () => {
  const a = refusedDestinations(new Random(SEED, "bad-input")).map((d) => d.text);
  const b = refusedDestinations(new Random(SEED, "bad-input")).map((d) => d.text);
  const c = refusedDestinations(new Random(SEED + 1, "bad-input")).map((d) => d.text);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(a.some((d) => d.startsWith("2002:")), "6to4 destinations are generated");
  const malformed = malformedDestinations(new Random(SEED));
  assert.ok(malformed.some((d) => d.text.includes("\u2028")));
});

Deno.test("red team: invariant checks catch what they must", () => {
  assert.ok(covers("8.8.8.0/24", "8.8.8.8"));
  assert.ok(!covers("8.8.8.128/25", "8.8.8.8"));
  assert.ok(covers("2001:4860::/32", "2001:4860:4860::8888"));
  assert.ok(!covers("2001:db8::/32", "8.8.8.8"));
  assert.deepEqual(controlCharacterProblems({ ok: "a\nb\tc" }, "x"), []);
  for (const bad of ["\u001b[2J", "\u007f", "\u009b", "\u2028", "\u202e"]) {
    assert.equal(controlCharacterProblems({ paths: [{ nextHop: bad }] }, "x").length, 1, bad);
  }
  assert.deepEqual(
    typedFieldProblems({ prefix: "8.8.8.0/24", paths: [{ nextHop: "198.51.100.2" }] }),
    [],
  );
  assert.equal(typedFieldProblems({ neighbors: [{ state: "IGNORE ALL PREVIOUS" }] }).length, 1);
  assert.equal(typedFieldProblems({ paths: [{ lastUpdate: "never" }] }).length, 1);
});

Deno.test("red team smoke: a few cases of every category run and report; the controls hold", async () => {
  const dir = await Deno.makeTempDir({ prefix: "red-team-smoke-" });
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 240_000);
  try {
    const json = `${dir}/report.json`;
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-net=127.0.0.1,127.0.0.2,127.0.0.3",
        "--allow-read",
        "--allow-write",
        "--allow-run",
        "--allow-env",
        "scripts/red_team.ts",
        "--seed",
        String(SEED),
        "--no-rig",
        "--quiet",
        "--time-limit",
        "150",
        "--json",
        json,
        ...[...CONTROLS, ...OTHERS].flatMap((id) => ["--case", id]),
      ],
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: controller.signal,
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    assert.ok(!controller.signal.aborted, `the red team did not end within 240 s\n${stderr}`);
    assert.ok(output.code === 0 || output.code === 1, `exit code ${output.code}\n${stderr}`);
    assert.match(stderr, new RegExp(`red team seed ${SEED}`));
    assert.match(stdout, /category +\| tried \| held/);

    const report: Report = JSON.parse(await Deno.readTextFile(json));
    assert.equal(report.seed, SEED);
    assert.deepEqual(report.figures.map((f) => f.category), [...CATEGORIES]);
    const ids = report.outcomes.map((o) => o.id);
    assert.equal(new Set(ids).size, ids.length, "case ids are unique");
    const setup = report.outcomes.filter((o) => o.id.endsWith("(suite setup)"));
    assert.deepEqual(setup.map((o) => o.why), [], "every suite could run");
    for (const f of report.figures) {
      assert.ok(f.tried >= 1, `${f.category}: no case ran`);
      const mine = report.outcomes.filter((o) => o.category === f.category);
      assert.equal(f.held, mine.filter((o) => o.status === "held").length, f.category);
    }
    for (const id of [...CONTROLS, ...OTHERS]) {
      const matching = report.outcomes.filter((o) => o.id.includes(id));
      assert.ok(matching.length >= 1, `no case ${id} in the report`);
      assert.ok(matching.every((o) => o.status !== "skipped"), `${id} was skipped`);
      if (CONTROLS.includes(id)) {
        for (const o of matching) {
          assert.equal(o.status, "held", `control case ${o.id} did not hold: ${o.why.join("; ")}`);
        }
      }
    }
  } finally {
    clearTimeout(deadline);
    await Deno.remove(dir, { recursive: true });
  }
});

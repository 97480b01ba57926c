/**
 * The suite itself: property tests run from a printed seed that TEST_SEED can
 * change; a test that hangs or spins fails at its deadline, and the run goes
 * on; `.ci/run` stops a run that hangs and still prints
 * `N passed, N failed`.
 */

import assert from "node:assert/strict";
import { DEFAULT_SEED } from "./harness/mod.ts";
import { withDeadline } from "./_deadline.ts";

const root = new URL("..", import.meta.url).pathname;
const denoJson = JSON.parse(await Deno.readTextFile(`${root}deno.json`));

/** Runs a command to its end, killing it (and its process group) if it takes over `ms`. */
async function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; ms?: number } = {},
) {
  // setsid: the command leads its own process group, so a timeout can stop all of it.
  const child = new Deno.Command("setsid", {
    args: [command, ...args],
    cwd: options.cwd ?? root,
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = await withDeadline(
    child.output(),
    options.ms ?? 60_000,
    [command, ...args].join(" "),
    () => Deno.kill(-child.pid, "SIGKILL"),
  );
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

/** `deno test` with the test task's flags (its lockfile, the deadline preload). */
function testFlags(): string[] {
  const flags = (denoJson.tasks.test as string).split(" ").slice(2);
  assert.ok(flags.includes("--preload=tests/_deadline.ts"), denoJson.tasks.test);
  return flags;
}

Deno.test("property tests print their seed, and TEST_SEED runs them from another", async () => {
  const property = (seed?: string) =>
    run(Deno.execPath(), [
      "test",
      ...testFlags(),
      "--no-check", // checked by the suite's own run; this is about the seed
      "--filter",
      "the largest NFAs",
      "tests/validation/as_path_regex_property_test.ts",
    ], { env: seed === undefined ? {} : { TEST_SEED: seed } });

  const fixed = await property("");
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.match(
    fixed.stdout + fixed.stderr,
    new RegExp(
      `tests/validation/as_path_regex_property_test\\.ts: property tests use seed ${DEFAULT_SEED} `,
    ),
  );
  const chosen = await property("4242");
  assert.equal(chosen.code, 0, chosen.stderr);
  assert.match(
    chosen.stdout + chosen.stderr,
    /property tests use seed 4242 \(repeat with TEST_SEED=4242\)/,
  );
  const typo = await property("42x");
  assert.notEqual(typo.code, 0);
  assert.match(typo.stdout + typo.stderr, /TEST_SEED=42x is not a whole number/);
});

Deno.test("a test that hangs or spins fails at its deadline, where it is, and the run goes on", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/hang_test.ts`,
      [
        // Live ops (a timer, a listening socket) and a hot loop: Deno alone never ends these.
        `Deno.test("waits an hour", () => new Promise<void>((r) => setTimeout(r, 3_600_000)));`,
        `Deno.test({ name: "waits for a client", async fn() {`,
        `  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });`,
        `  await listener.accept();`,
        `} });`,
        `Deno.test("spins", () => { for (;;) { /* a synchronous hang */ } });`,
        `Deno.test("sets its own", { timeout: 60_000 }, async () => {`,
        `  await new Promise((r) => setTimeout(r, 600));`,
        `});`,
        `Deno.test("fails", () => { throw new Error("boom"); });`,
        `Deno.test("after", async () => { await new Promise((r) => setTimeout(r, 1)); });`,
      ].join("\n"),
    );
    const result = await run(Deno.execPath(), [
      "test",
      "--no-config",
      "--no-check",
      `--preload=${root}tests/_deadline.ts`,
      "--allow-env",
      "--allow-net=127.0.0.1",
      "hang_test.ts",
    ], { cwd: dir, env: { TEST_DEADLINE_MS: "300", NO_COLOR: "1" } });
    const out = result.stdout + result.stderr;
    assert.notEqual(result.code, 0);
    for (const [name, line] of [["waits an hour", 1], ["waits for a client", 2], ["spins", 6]]) {
      assert.match(out, new RegExp(`^${name} \\.\\.\\. FAILED`, "m"));
      // Reported where the test is, not where the wrapper is.
      assert.match(out, new RegExp(`^${name} => \\./hang_test\\.ts:${line}:\\d+$`, "m"));
    }
    assert.equal(out.match(/Test timed out after 300ms/g)?.length, 3, out);
    assert.match(out, /^sets its own \.\.\. ok/m);
    assert.match(out, /^fails => \.\/hang_test\.ts:10:\d+$/m);
    assert.match(out, /^after \.\.\. ok/m);
    assert.match(out, /FAILED \| 2 passed \| 4 failed/);
    assert.doesNotMatch(out, /_deadline\.ts:/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A copy of .ci/run with a fake `deno` (and apt-get, sudo) first on PATH. */
async function ciRun(mode: "hang" | "finish") {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/.ci`);
    await Deno.mkdir(`${dir}/bin`);
    await Deno.copyFile(`${root}.ci/run`, `${dir}/.ci/run`);
    const fake = (name: string, body: string) =>
      Deno.writeTextFile(`${dir}/bin/${name}`, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    await fake("apt-get", "echo fake apt-get >&2; exit 1");
    await fake("sudo", "exit 1");
    await fake(
      "deno",
      [
        `if [ "$1" = "--version" ]; then echo "deno 2.9.6 (fake)"; exit 0; fi`,
        `echo "running 3 tests from ./tests/x_test.ts"`,
        `echo "first ... ok (1ms)"`,
        `echo "second ... FAILED (2ms)"`,
        `echo "third ..."`,
        `echo "  a step ... ok (1ms)"`,
        mode === "hang"
          ? "exec sleep 600"
          : `echo "third ... ok (1ms)"; echo "FAILED | 2 passed (1 step) | 1 failed (1s)"; exit 1`,
      ].join("\n"),
    );
    return await run("bash", [`${dir}/.ci/run`], {
      env: { PATH: `${dir}/bin:/usr/bin:/bin`, CI_TEST_TIMEOUT: "2" },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test(".ci/run stops a run that hangs, and still prints N passed, N failed", async () => {
  const hung = await ciRun("hang");
  assert.equal(hung.code, 1, hung.stderr);
  assert.equal(hung.stdout.trimEnd().split("\n").at(-1), "1 passed, 2 failed");
  assert.match(hung.stderr, /did not finish within 2 s and was stopped \(CI_TEST_TIMEOUT\)/);

  const finished = await ciRun("finish");
  assert.equal(finished.code, 1, finished.stderr);
  assert.equal(finished.stdout.trimEnd().split("\n").at(-1), "2 passed, 1 failed");
});

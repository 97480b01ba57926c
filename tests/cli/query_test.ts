/**
 * `query DEST [--max-paths N]`: the paths one server has, cut to N with a
 * note naming the option that shows more; a bad N is refused before any
 * server is asked.
 */

import assert from "node:assert/strict";
import { FakeTelnetServer, iosScript, loopbackEntry } from "../harness/mod.ts";
import { runCli } from "../harness/cli.ts";

/** An IOS answer for 8.8.8.0/24 with three paths, the first best. */
const ANSWER = [
  "BGP routing table entry for 8.8.8.0/24, version 7",
  "Paths: (3 available, best #1, table default)",
  ...["3356 15169", "174 15169", "6939 15169"].flatMap((asPath, i) => [
    "  Refresh Epoch 1",
    `  ${asPath}`,
    `    198.51.100.${i + 1} from 198.51.100.${i + 1} (192.0.2.${i + 1})`,
    `      Origin IGP, metric 0, localpref 100, valid, external${i === 0 ? ", best" : ""}`,
    "      rx pathid: 0, tx pathid: 0x0",
  ]),
].join("\n");

function run(args: string[], allow: string[]) {
  return runCli(args, { allow });
}

Deno.test("cli query --max-paths: cut to N with a note that names the option", async () => {
  await using rv = new FakeTelnetServer(
    iosScript({ answers: { "show ip bgp 8.8.8.8": ANSWER } }),
  );
  const dir = await Deno.makeTempDir();
  try {
    const config = `${dir}/servers.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        defaultServer: "rv",
        servers: [
          loopbackEntry("rv", rv.port, { dialect: "cisco-ios", login: { username: "rviews" } }),
        ],
      }),
    );
    const allow = [`--allow-net=127.0.0.1:${rv.port}`, `--allow-read=${dir}`];
    const base = ["query", "8.8.8.8", "--config", config, "--ledger", "memory", "--json"];

    const all = await run(base, allow);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(
      JSON.parse(all.stdout).paths.map((p: { asPath: number[] }) => p.asPath),
      [[3356, 15169], [174, 15169], [6939, 15169]],
    );

    const two = await run([...base, "--max-paths", "2"], allow);
    assert.equal(two.code, 0, two.stderr);
    const result = JSON.parse(two.stdout);
    assert.deepEqual(result.paths.map((p: { asPath: number[] }) => p.asPath), [
      [3356, 15169],
      [174, 15169],
    ]);
    assert.equal(result.truncated, true);
    assert.ok(
      result.warnings.includes(
        "3 paths match; showing the first 2 (raise maxPaths; --max-paths N on the command line)",
      ),
      JSON.stringify(result.warnings),
    );

    const asked = rv.connections;
    for (const bad of ["0", "501", "2.5", "x"]) {
      const refused = await run([...base, "--max-paths", bad], allow);
      assert.equal(refused.code, 2, bad);
      assert.match(refused.stderr, /--max-paths is a whole number from 1 to 500/);
    }
    assert.equal(rv.connections, asked, "a refused option asks no server");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

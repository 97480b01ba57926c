/**
 * `compare DEST`: the findings, the verdict and the table on stdout, a
 * progress line per server on stderr as the fan-out runs, the AS graph as
 * Mermaid (`--mermaid`) and as a PNG file (`--png`); bad options and a PNG
 * file the process may not write are refused before any server is asked.
 */

import assert from "node:assert/strict";
import { FakeTelnetServer, iosScript, loopbackEntry } from "../harness/mod.ts";
import { runCli } from "../harness/cli.ts";

/** An IOS answer for 8.8.8.0/24 with one best path. */
function answer(asPath: string): string {
  return [
    "BGP routing table entry for 8.8.8.0/24, version 7",
    "Paths: (1 available, best #1, table default)",
    "  Refresh Epoch 1",
    `  ${asPath}`,
    "    198.51.100.1 from 198.51.100.1 (192.0.2.1)",
    "      Origin IGP, metric 0, localpref 100, valid, external, best",
    "      rx pathid: 0, tx pathid: 0x0",
  ].join("\n");
}

function run(args: string[], allow: string[]) {
  return runCli(args, { allow });
}

Deno.test("cli compare: findings, table, progress on stderr, --mermaid, --png, --json", async () => {
  await using rv1 = new FakeTelnetServer(
    iosScript({ answers: { "show ip bgp 8.8.8.8": answer("3356 15169") } }),
  );
  await using rv2 = new FakeTelnetServer(
    iosScript({ answers: { "show ip bgp 8.8.8.8": answer("174 64512 15169") } }),
  );
  const dir = await Deno.makeTempDir();
  try {
    const ios = { dialect: "cisco-ios", login: { username: "rviews" } };
    const config = `${dir}/servers.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        defaultServer: "rv1",
        servers: [loopbackEntry("rv1", rv1.port, ios), loopbackEntry("rv2", rv2.port, ios)],
      }),
    );
    const allow = [
      `--allow-net=127.0.0.1:${rv1.port},127.0.0.1:${rv2.port}`,
      `--allow-read=${dir}`,
    ];
    const base = ["compare", "8.8.8.8", "--config", config, "--ledger", "memory"];

    const plain = await run([...base, "--servers", "rv1,rv2"], allow);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(
      plain.stdout,
      /^Findings \(1 warning, 1 info\):\n {2}WARNING {2}bogon-asn-in-path: /,
    );
    assert.match(plain.stdout, /^8\.8\.8\.0\/24: seen by 2\/2, origin AS15169 everywhere\.$/m);
    assert.match(plain.stdout, /^rv2 +seen +8\.8\.8\.0\/24 +174 64512 15169 /m);
    assert.doesNotMatch(plain.stdout, /mermaid/);
    // One progress line per server as it answers (in either order), on stderr only.
    const progress = plain.stderr.split("\n").filter((line) => line.startsWith("["));
    assert.deepEqual(progress.map((line) => line.slice(0, 6)), ["[1/2] ", "[2/2] "]);
    assert.deepEqual(progress.map((line) => line.slice(6).replace(/\d+ ms\)$/, "N ms)")).sort(), [
      "rv1 sees 8.8.8.0/24 (N ms)",
      "rv2 sees 8.8.8.0/24 (N ms)",
    ]);
    assert.doesNotMatch(plain.stdout, /^\[\d\/2\]/m);

    const mermaid = await run([...base, "--servers", "rv1,rv2", "--mermaid"], allow);
    assert.equal(mermaid.code, 0, mermaid.stderr);
    assert.match(mermaid.stdout, /```mermaid\nflowchart LR\n[^`]+\n```\n$/);
    assert.match(mermaid.stdout, /a64512\("AS64512<br\/>Private use"\):::suspicious/);

    const png = `${dir}/graph.png`;
    const drawn = await run([...base, "--png", png], [...allow, `--allow-write=${png}`]);
    assert.equal(drawn.code, 0, drawn.stderr);
    const bytes = await Deno.readFile(png);
    assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    const [, width, height, kb] =
      drawn.stdout.match(/^Picture: .*graph\.png \((\d+)×(\d+), (\d+) KB\)$/m) ??
        [];
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    assert.deepEqual([Number(width), Number(height)], [view.getUint32(16), view.getUint32(20)]);
    assert.equal(Number(kb), Math.ceil(bytes.length / 1000));

    const json = await run([...base, "--servers", "rv2", "--json"], allow);
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout);
    assert.deepEqual(
      result.findings.map((f: { kind: string }) => f.kind),
      ["bogon-asn-in-path", "rpki-not-validated"],
    );
    assert.match(result.graph.mermaid, /^flowchart LR/);
    const asked = rv1.connections + rv2.connections;

    // Refused before anything is sent: a PNG file this process may not write, bad options,
    // an unknown server.
    const unwritable = await run([...base, "--png", `${dir}/other.png`], allow);
    assert.equal(unwritable.code, 1);
    assert.match(
      unwritable.stderr,
      /Cannot write the picture to .*other\.png: run with --allow-write=.*other\.png\. No route server was asked/,
    );
    const count = await run([...base, "--max-servers", "0"], allow);
    assert.equal(count.code, 2);
    assert.match(count.stderr, /--max-servers is a whole number from 1 to 40/);
    const empty = await run([...base, "--servers", ","], allow);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /--servers takes server names separated by commas, or all/);
    const unknown = await run([...base, "--servers", "rv1,nope"], allow);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown or disabled server "nope"/);
    const two = await run(["compare", "8.8.8.8", "9.9.9.9", "--config", config], allow);
    assert.equal(two.code, 2);
    assert.match(two.stderr, /compare takes one destination/);
    assert.equal(rv1.connections + rv2.connections, asked);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

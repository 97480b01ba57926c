/**
 * The quota ledger across real processes: several processes sharing the state
 * file add up exactly (the limit holds across them); a process killed in the
 * middle of a query has booked what it used; README's CLI commands keep the
 * quota between runs.
 */

import assert from "node:assert/strict";
import { FakeTelnetServer, frrScript, loopbackEntry } from "../harness/mod.ts";

const root = new URL("../..", import.meta.url);

/** The module cache of this process, so that child processes need no download. */
async function denoDir(): Promise<string> {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
  }).output();
  return JSON.parse(new TextDecoder().decode(info.stdout)).denoDir;
}

/** Sums every server's buckets in a ledger file (any version). */
async function ledgerTotals(path: string) {
  const json = JSON.parse(await Deno.readTextFile(path));
  const totals = { connections: 0, bytesDown: 0, bytesUp: 0 };
  for (const buckets of Object.values(json.servers as Record<string, number[][]>)) {
    for (const [, c, d, u] of buckets) {
      totals.connections += c;
      totals.bytesDown += d;
      totals.bytesUp += u;
    }
  }
  return totals;
}

/** A fake FRR server that answers every route query with "not found", then hangs up. */
function notFoundServer(): FakeTelnetServer {
  const answers = new Proxy({} as Record<string, string>, {
    has: (_, line) => typeof line === "string" && line.startsWith("show bgp ipv4 unicast"),
    // FRR's not-found answer in each form (text is asked first).
    get: (_, line) => (String(line).endsWith(" json") ? "{}" : "% Network not in table\r\n"),
  });
  return new FakeTelnetServer(frrScript({ answers, closeAfter: 1 }));
}

async function writeConfig(dir: string, port: number, quota: Record<string, number>) {
  const path = `${dir}/servers.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({ defaultServer: "rs", servers: [loopbackEntry("rs", port, { quota })] }),
  );
  return path;
}

async function readLine(reader: ReadableStreamDefaultReader<string>, buffer: { text: string }) {
  while (!buffer.text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer.text += value;
  }
  const at = buffer.text.indexOf("\n");
  const line = at < 0 ? buffer.text : buffer.text.slice(0, at);
  buffer.text = at < 0 ? "" : buffer.text.slice(at + 1);
  return line;
}

/** What one worker process reports (tests/politeness/_ledger_worker.ts). */
interface WorkerOutcome {
  answered: number;
  refused: number;
  unavailable: number;
  failed: string[];
}

/**
 * Runs `workers` processes sharing `ledger`, started together, each making
 * `count` lookups; returns what each reported and what each wrote to stderr.
 */
async function runWorkers(options: {
  port: number;
  dir: string;
  config: string;
  ledger: string;
  workers: number;
  count: number;
  allowWrite?: string;
}): Promise<{ outcomes: WorkerOutcome[]; stderr: string[] }> {
  const workers = Array.from(
    { length: options.workers },
    (_, i) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-prompt",
          `--allow-net=127.0.0.1:${options.port}`,
          `--allow-read=${options.dir}`,
          `--allow-write=${options.allowWrite ?? options.dir}`,
          "tests/politeness/_ledger_worker.ts",
          options.config,
          options.ledger,
          String(options.count),
          String(i * 10),
        ],
        cwd: root,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn(),
  );
  const readers = workers.map((w) => ({
    reader: w.stdout.pipeThrough(new TextDecoderStream()).getReader(),
    buffer: { text: "" },
  }));
  const stderr = workers.map((w) => new Response(w.stderr).text());
  // Every worker has opened the ledger before any of them asks anything.
  for (const { reader, buffer } of readers) assert.equal(await readLine(reader, buffer), "ready");
  const writers = workers.map((w) => w.stdin.getWriter());
  await Promise.all(writers.map((w) => w.write(new TextEncoder().encode("go\n"))));
  const outcomes = await Promise.all(
    readers.map(async ({ reader, buffer }) => JSON.parse(await readLine(reader, buffer))),
  );
  await Promise.all(writers.map((w) => w.close()));
  for (const { reader } of readers) await reader.cancel();
  const statuses = await Promise.all(workers.map((w) => w.status));
  assert.ok(statuses.every((s) => s.success));
  return { outcomes, stderr: await Promise.all(stderr) };
}

Deno.test("four processes sharing a ledger make exactly the quota's connections, all booked", async () => {
  await using fake = notFoundServer();
  const dir = await Deno.makeTempDir();
  try {
    const config = await writeConfig(dir, fake.port, { connections: 10 });
    const ledger = `${dir}/ledger.json`;
    const { outcomes } = await runWorkers({
      port: fake.port,
      dir,
      config,
      ledger,
      workers: 4,
      count: 6,
    });
    for (const outcome of outcomes) assert.deepEqual(outcome.failed, []);
    const answered = outcomes.reduce((sum, o) => sum + o.answered, 0);
    const refused = outcomes.reduce((sum, o) => sum + o.refused, 0);
    assert.equal(answered, 10);
    assert.equal(refused, 14);
    await fake.settled();
    assert.equal(fake.connections, 10);
    assert.equal((await ledgerTotals(ledger)).connections, 10);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("four processes sharing a ledger never send more than the upload budget together", async () => {
  await using fake = notFoundServer();
  const dir = await Deno.makeTempDir();
  try {
    // Room for a few lookups' commands (each about 100 bytes up), not for 24.
    const config = await writeConfig(dir, fake.port, { connections: 100, bytesUp: 500 });
    const ledger = `${dir}/ledger.json`;
    const { outcomes } = await runWorkers({
      port: fake.port,
      dir,
      config,
      ledger,
      workers: 4,
      count: 6,
    });
    for (const outcome of outcomes) {
      for (const failure of outcome.failed) assert.match(failure, /upload/, failure);
    }
    await fake.settled();
    const totals = await ledgerTotals(ledger);
    assert.ok(fake.keys.length <= 500, `the server received ${fake.keys.length} bytes, budget 500`);
    assert.ok(totals.bytesUp <= 500, `${totals.bytesUp} bytes up booked, budget 500`);
    assert.ok(
      totals.bytesUp >= fake.keys.length,
      `${totals.bytesUp} booked, ${fake.keys.length} sent`,
    );
    assert.ok(outcomes.reduce((sum, o) => sum + o.answered, 0) > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const UNUSABLE: [string, (dir: string, ledger: string) => Promise<string | undefined>][] = [
  // Not a regular file: never locked.
  ["whose lock is a directory", async (_dir, ledger) => {
    await Deno.mkdir(`${ledger}.lock`);
    return undefined;
  }],
  // The lock can be taken, the file cannot be written (as on a full disk or a read-only file).
  ["that cannot be written", (_dir, ledger) => Promise.resolve(`${ledger}.lock`)],
];

for (const [what, arrange] of UNUSABLE) {
  Deno.test(`two processes sharing a ledger ${what} connect nowhere (not a budget each)`, async () => {
    await using fake = notFoundServer();
    const dir = await Deno.makeTempDir();
    try {
      const config = await writeConfig(dir, fake.port, { connections: 5 });
      const ledger = `${dir}/ledger.json`;
      const allowWrite = await arrange(dir, ledger);
      const { outcomes, stderr } = await runWorkers({
        port: fake.port,
        dir,
        config,
        ledger,
        workers: 2,
        count: 5,
        allowWrite,
      });
      for (const outcome of outcomes) {
        assert.deepEqual(outcome.failed, []);
        assert.equal(outcome.answered, 0);
        assert.equal(outcome.unavailable, 5);
      }
      assert.equal(fake.connections, 0, "connections made without the shared ledger");
      for (const text of stderr) {
        // One warning per process, not one per refusal.
        const warnings = text.split("\n").filter((l) => /cannot be used/.test(l));
        assert.equal(warnings.length, 1, text);
        assert.match(warnings[0], /no connection is made until it can be locked and written/);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

/** A server that greets, then answers a query with 3000 bytes and never finishes. */
function hangingServer(): FakeTelnetServer {
  return new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    while (true) {
      const line = await c.line();
      if (line === null) return;
      if (line === "terminal length 0") {
        await c.send(`${line}\r\nrv> `);
        continue;
      }
      await c.send(`${line}\r\n{"prefix": "8.8.8.0/24", ` + "x".repeat(3000));
      await c.sleep(60_000);
      return;
    }
  });
}

for (const signal of ["SIGTERM", "SIGKILL"] as const) {
  Deno.test(`a CLI query killed with ${signal} mid-answer has booked its connection and bytes`, async () => {
    await using fake = hangingServer();
    const dir = await Deno.makeTempDir();
    try {
      const config = await writeConfig(dir, fake.port, {});
      const ledger = `${dir}/ledger.json`;
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-prompt",
          `--allow-net=127.0.0.1:${fake.port}`,
          `--allow-read=${dir}`,
          `--allow-write=${dir}`,
          "src/main.ts",
          "query",
          "8.8.8.0/24",
          "--config",
          config,
          "--ledger",
          ledger,
        ],
        cwd: root,
        stdout: "null",
        stderr: "piped",
      }).spawn();
      const query = "show bgp ipv4 unicast 8.8.8.0/24";
      for (let i = 0; i < 1000 && !fake.lines.includes(query); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(fake.lines.includes(query), "the query was sent");
      await new Promise((resolve) => setTimeout(resolve, 300)); // the answer is being read
      child.kill(signal);
      const status = await child.status;
      await child.stderr.cancel();
      assert.equal(status.success, false);
      const totals = await ledgerTotals(ledger);
      assert.equal(fake.connections, 1);
      assert.equal(totals.connections, 1);
      assert.ok(totals.bytesDown >= fake.bytesSent, `${totals.bytesDown} < ${fake.bytesSent}`);
      if (signal === "SIGTERM") {
        // What was kept in memory (the upload) was written on the way out.
        assert.ok(totals.bytesUp >= fake.keys.length, `${totals.bytesUp} < ${fake.keys.length}`);
      }
    } finally {
      await fake.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("an MCP server stopped with SIGTERM writes what only its memory held (bytes given back)", async () => {
  const answer = JSON.stringify({ prefix: "8.8.8.0/24", paths: [] });
  await using fake = new FakeTelnetServer(
    frrScript({ answers: { "show bgp ipv4 unicast 8.8.8.0/24 json": answer } }),
  );
  const dir = await Deno.makeTempDir();
  try {
    const config = await writeConfig(dir, fake.port, {});
    const ledger = `${dir}/ledger.json`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        `--allow-net=127.0.0.1:${fake.port}`,
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        "src/main.ts",
        "--config",
        config,
        "--ledger",
        ledger,
      ],
      cwd: root,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const writer = child.stdin.getWriter();
    const send = (message: unknown) =>
      writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const buffer = { text: "" };
    await send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "t", version: "0" },
      },
    });
    assert.equal(JSON.parse(await readLine(reader, buffer)).id, 1);
    await send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "route_lookup", arguments: { destination: "8.8.8.0/24" } },
    });
    const reply = JSON.parse(await readLine(reader, buffer));
    assert.equal(reply.id, 2);
    // The session is warm and idle; the bytes reserved for the answer and not received are
    // given back in memory (written within a second): stop the process before that.
    child.kill("SIGTERM");
    const status = await child.status;
    await reader.cancel();
    await writer.close().catch(() => {});
    const text = await stderr;
    assert.equal(status.code, 143, text);
    const totals = await ledgerTotals(ledger);
    assert.equal(totals.connections, 1);
    // Booked: what the server sent, not the reservation for a full answer.
    assert.ok(
      totals.bytesDown <= fake.bytesSent,
      `${totals.bytesDown} bytes down booked, the server sent ${fake.bytesSent}`,
    );
    assert.ok(totals.bytesUp >= fake.keys.length, `${totals.bytesUp} < ${fake.keys.length}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("README's CLI query command keeps the quota between runs (same state directory)", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const lines = readme.split("\n").filter((l) =>
    /^deno run .*jsr:@bgp-lg\/mcp@[\d.]+\/cli (query|summary|servers)\b/.test(l)
  );
  assert.equal(lines.length, 3);
  for (const line of lines) {
    // The same permissions as serve: the variables that find the state directory, and it.
    assert.match(line, /--allow-env=XDG_STATE_HOME,HOME\b/, line);
    assert.match(line, /--allow-read="\$HOME\/\.local\/state\/bgp-lg-mcp"/, line);
    assert.match(line, /--allow-write="\$HOME\/\.local\/state\/bgp-lg-mcp"/, line);
  }
  // Run the query line as written (from a clone, against a fake server), twice.
  await using fake = notFoundServer();
  const home = await Deno.makeTempDir();
  try {
    const state = `${home}/.local/state/bgp-lg-mcp`;
    await Deno.mkdir(state, { recursive: true });
    // The config lives in the state directory only because README's line may read nothing else.
    await writeConfig(state, fake.port, { connections: 1 });
    const query = lines.find((l) => / query /.test(l))!
      .replace(/^deno /, `"${Deno.execPath()}" `)
      .replace(/jsr:@bgp-lg\/mcp@[\d.]+\/cli/, "src/main.ts")
      .replace("route-views2.routeviews.org:23", `127.0.0.1:${fake.port}`)
      .replace("--server route-views2", '--config "$HOME/.local/state/bgp-lg-mcp/servers.json"');
    const run = async () => {
      const output = await new Deno.Command("sh", {
        args: ["-c", query],
        cwd: root,
        clearEnv: true,
        env: { HOME: home, DENO_DIR: await denoDir() },
        stdout: "piped",
        stderr: "piped",
      }).output();
      return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
    };
    const first = await run();
    assert.equal(first.code, 0, first.stderr);
    assert.doesNotMatch(first.stderr, /kept in memory/);
    const second = await run();
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, /connection budget for rs is used up \(1 of 1 connections/);
    assert.equal(fake.connections, 1);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("deno task cli keeps its ledger in the state directory, like deno task start", async () => {
  const home = await Deno.makeTempDir();
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["task", "cli", "servers", "--json"],
      cwd: root,
      clearEnv: true,
      env: { HOME: home, DENO_DIR: await denoDir() },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, stderr);
    assert.doesNotMatch(stderr, /kept in memory/);
    const servers = JSON.parse(new TextDecoder().decode(output.stdout)).servers;
    assert.ok(servers.length >= 30);
    const ledger = JSON.parse(
      await Deno.readTextFile(`${home}/.local/state/bgp-lg-mcp/ledger.json`),
    );
    assert.equal(ledger.version, 2);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

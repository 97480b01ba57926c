/**
 * A quota ledger that cannot be read as it is means unknown use, never a full
 * budget: the file is kept aside (renamed, never overwritten) with one
 * warning, what can be read is kept field by field, and what cannot counts as
 * spent. Times are bounded; special files are never opened; size is capped.
 * Seen through the MCP tools, as a user would.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import { DAY_MS } from "../../src/politeness/ledger.ts";
import {
  callTool,
  connectInProcess,
  FakeTelnetServer,
  frrScript,
  loopbackEntry,
} from "../harness/mod.ts";

type Amounts = { connections: number; bytesDown: number; bytesUp: number };
type Listed = { servers: { budget: { remaining: Amounts } }[] };

const QUOTA = { connections: 5, bytesDown: 500_000, bytesUp: 100_000 };

/** Runs `work` with stderr lines (console.error, where `log()` writes) collected. */
async function capturingStderr<T>(work: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  // deno-lint-ignore no-console
  const original = console.error;
  // deno-lint-ignore no-console
  console.error = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    return { value: await work(), lines };
  } finally {
    // deno-lint-ignore no-console
    console.error = original;
  }
}

interface Outcome {
  remaining: Amounts;
  lookup: { isError?: boolean; text: string };
  warnings: string[];
  aside: { name: string; bytes: Uint8Array }[];
  connections: number;
}

/** Opens the service on a ledger file prepared by `prepare`, lists budgets and tries a lookup. */
async function withLedger(prepare: (path: string) => Promise<void>): Promise<Outcome> {
  const dir = await Deno.makeTempDir();
  await using fake = new FakeTelnetServer(frrScript({
    answers: { "show bgp ipv4 unicast 8.8.8.0/24": "% Network not in table\r\n" },
  }));
  try {
    const ledgerPath = `${dir}/ledger.json`;
    await prepare(ledgerPath);
    const config = parseConfig({
      defaultServer: "rs",
      servers: [loopbackEntry("rs", fake.port, { quota: QUOTA })],
    }, "test");
    const { value, lines } = await capturingStderr(async () => {
      await using client = await connectInProcess(config, { ledgerPath });
      const listed = (await callTool(client, "list_servers", {})).structuredContent as Listed;
      const lookup = await callTool(client, "route_lookup", { destination: "8.8.8.0/24" });
      return { remaining: listed.servers[0].budget.remaining, lookup };
    });
    const aside = [];
    for (const entry of Deno.readDirSync(dir)) {
      if (!entry.name.startsWith("ledger.json.corrupt-")) continue;
      const info = await Deno.lstat(`${dir}/${entry.name}`);
      aside.push({
        name: entry.name,
        bytes: info.isFile ? await Deno.readFile(`${dir}/${entry.name}`) : new Uint8Array(),
      });
    }
    return {
      ...value,
      warnings: lines.filter((line) => /quota ledger/.test(line)),
      aside,
      connections: fake.connections,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const A_MINUTE_AGO = Date.now() - 60_000;

/** Variants whose use cannot be known at all: every budget counts as spent. */
const UNREADABLE: [string, string | Uint8Array][] = [
  ["not JSON", "{ this is not json"],
  ["empty", ""],
  ["binary garbage", "\u0000garbage{"],
  ["null", "null"],
  ["an array", "[]"],
  ["a string", '"text"'],
  ["an unknown version", '{"version": 3, "servers": {}}'],
  ["servers not an object", '{"version": 1, "servers": "nope"}'],
  ["a server's buckets not a list", '{"version": 1, "servers": {"rs": "nope"}}'],
  ["a bucket with three fields", `{"version": 1, "servers": {"rs": [[${A_MINUTE_AGO}, 1, 2]]}}`],
  ["a negative count", `{"version": 1, "servers": {"rs": [[${A_MINUTE_AGO}, -1, 0, 0]]}}`],
  ["an absurd count", `{"version": 1, "servers": {"rs": [[${A_MINUTE_AGO}, 1e300, 0, 0]]}}`],
  ["a fractional count", `{"version": 1, "servers": {"rs": [[${A_MINUTE_AGO}, 1.5, 0, 0]]}}`],
  [
    "a count past 2^53",
    `{"version": 1, "servers": {"rs": [[${A_MINUTE_AGO}, 9007199254740993, 0, 0]]}}`,
  ],
  ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
];

for (const [what, content] of UNREADABLE) {
  Deno.test(`corrupt ledger (${what}): kept aside, one warning, the budget counts as spent`, async () => {
    const outcome = await withLedger((path) =>
      typeof content === "string"
        ? Deno.writeTextFile(path, content)
        : Deno.writeFile(path, content)
    );
    assert.equal(outcome.remaining.connections, 0, JSON.stringify(outcome.remaining));
    assert.equal(outcome.lookup.isError, true);
    assert.match(outcome.lookup.text, /use for rs is unknown since .* counts as the whole budget/);
    assert.equal(outcome.connections, 0);
    assert.equal(outcome.warnings.length, 1, outcome.warnings.join("\n"));
    assert.match(outcome.warnings[0], /could not be read as it was .* kept it as .*corrupt-/);
    assert.equal(outcome.aside.length, 1);
    const original = typeof content === "string" ? new TextEncoder().encode(content) : content;
    assert.deepEqual(outcome.aside[0].bytes, original);
  });
}

Deno.test("corrupt ledger: one malformed field keeps the rest of its bucket", async () => {
  const outcome = await withLedger((path) =>
    Deno.writeTextFile(
      path,
      JSON.stringify({ version: 1, servers: { rs: [[A_MINUTE_AGO, 1, "lots", 5]] } }),
    )
  );
  // One connection is known; the download use is not, so no download budget is assumed.
  assert.equal(outcome.remaining.connections, 4);
  assert.equal(outcome.remaining.bytesDown, 0);
  assert.equal(outcome.remaining.bytesUp, QUOTA.bytesUp - 5);
  assert.match(outcome.lookup.text, /download use for rs is unknown since/);
  assert.equal(outcome.connections, 0);
  assert.equal(outcome.warnings.length, 1);
  assert.equal(outcome.aside.length, 1);
});

Deno.test("corrupt ledger: an unreadable time counts at the file's modification time", async () => {
  const outcome = await withLedger((path) =>
    Deno.writeTextFile(path, JSON.stringify({ version: 1, servers: { rs: [["x", 2, 0, 0]] } }))
  );
  assert.equal(outcome.remaining.connections, 3);
  assert.equal(outcome.lookup.isError, undefined, outcome.lookup.text);
  assert.equal(outcome.warnings.length, 1);
});

for (const [what, at] of [["1e300", 1e300], ["the year 2300", Date.UTC(2300, 0, 1)]] as const) {
  Deno.test(`corrupt ledger: a bucket dated ${what} counts as now, for one window at most`, async () => {
    const outcome = await withLedger((path) =>
      Deno.writeTextFile(path, `{"version": 1, "servers": {"rs": [[${at}, 5, 0, 0]]}}`)
    );
    assert.equal(outcome.remaining.connections, 0);
    assert.equal(outcome.lookup.isError, true);
    assert.doesNotMatch(outcome.lookup.text, /Invalid time value|Unexpected error/);
    const freesAt = Date.parse(/Budget frees up at (\S+)\./.exec(outcome.lookup.text)![1]);
    assert.ok(freesAt <= Date.now() + DAY_MS + 60_000, outcome.lookup.text);
    assert.equal(outcome.warnings.length, 1);
    assert.equal(outcome.aside.length, 1);
  });
}

Deno.test("corrupt ledger: an oversized file is not parsed, and counts as unknown use", async () => {
  // Valid JSON, 5 MiB of it: more than a ledger can be.
  const filler = "x".repeat(5 * 1024 * 1024);
  const content = JSON.stringify({ version: 1, servers: { rs: [] }, filler });
  const started = performance.now();
  const outcome = await withLedger((path) => Deno.writeTextFile(path, content));
  assert.equal(outcome.remaining.connections, 0);
  assert.equal(outcome.warnings.length, 1);
  assert.match(outcome.warnings[0], /more than the 4194304 a ledger can be/);
  assert.equal(outcome.aside[0].bytes.length, content.length);
  assert.ok(performance.now() - started < 30_000);
});

Deno.test("corrupt ledger: a directory in its place is set aside, not fatal", async () => {
  const outcome = await withLedger((path) => Deno.mkdir(path));
  assert.equal(outcome.remaining.connections, 0);
  assert.equal(outcome.warnings.length, 1);
  assert.match(outcome.warnings[0], /not a regular file/);
  assert.equal(outcome.aside.length, 1);
});

Deno.test("corrupt ledger: a FIFO in its place is never opened (no hang)", async () => {
  let fifo = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = withLedger(async (path) => {
    fifo = path;
    const made = await new Deno.Command("mkfifo", { args: [path] }).output();
    assert.equal(made.success, true);
  });
  const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), 5000)));
  const first = await Promise.race([run, hung]);
  clearTimeout(timer);
  if (first === "hung") {
    // Unblock the reader (open the write end and close it), then fail.
    const writer = await Deno.open(fifo, { write: true });
    writer.close();
    await run.catch(() => {});
    assert.fail("opening the service hung on a FIFO at the ledger's path");
  }
  const outcome = first;
  assert.equal(outcome.remaining.connections, 0);
  assert.equal(outcome.warnings.length, 1);
  assert.match(outcome.warnings[0], /not a regular file/);
  assert.equal(outcome.aside.length, 1);
});

Deno.test("a sound version 1 ledger (by name) is migrated quietly to host:port", async () => {
  const outcome = await withLedger((path) =>
    Deno.writeTextFile(
      path,
      JSON.stringify({ version: 1, servers: { rs: [[A_MINUTE_AGO, 2, 10, 1]] } }),
    )
  );
  assert.equal(outcome.remaining.connections, 3);
  assert.equal(outcome.lookup.isError, undefined, outcome.lookup.text);
  assert.deepEqual(outcome.warnings, []);
  assert.deepEqual(outcome.aside, []);
});

Deno.test("a ledger the process may write but not read is unknown use and refuses bookings, said once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ledger.json`;
    await Deno.writeTextFile(path, JSON.stringify({ version: 2, servers: {} }));
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        `--allow-write=${dir}`,
        "src/main.ts",
        "--ledger",
        path,
        "servers",
        "--json",
      ],
      cwd: new URL("../..", import.meta.url),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, stderr);
    const listed = JSON.parse(new TextDecoder().decode(output.stdout)) as {
      servers: { name: string; budget: { remaining: Amounts } }[];
    };
    assert.ok(listed.servers.length > 0);
    for (const server of listed.servers) {
      assert.deepEqual(server.budget.remaining, { connections: 0, bytesDown: 0, bytesUp: 0 });
    }
    const warnings = stderr.trim().split("\n");
    assert.equal(warnings.length, 1, stderr);
    assert.match(warnings[0], /quota ledger .* cannot be used .*no connection is made until/);
    assert.match(warnings[0], /Let the process read and write/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { QuotaExceededError } from "../src/errors.ts";
import { DAY_MS, QuotaLedger } from "../src/ledger.ts";
import { defaultLedgerPath, openLedgerStore } from "../src/ledger_store.ts";

const LIMITS = { connections: 3, bytesDown: 10_000, bytesUp: 500 };
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

function clock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

Deno.test("usage sums over the sliding window and forgets what is older than 24 h", () => {
  const time = clock();
  const ledger = new QuotaLedger({ now: time.now });
  ledger.record("rv2", { connections: 1, bytesDown: 4000, bytesUp: 100 });
  time.advance(3_600_000);
  ledger.record("rv2", { connections: 1, bytesDown: 2000, bytesUp: 50 });
  ledger.record("other", { connections: 5 });
  assert.deepEqual(ledger.usage("rv2"), { connections: 2, bytesDown: 6000, bytesUp: 150 });
  time.advance(DAY_MS - 3_600_000 + 60_000); // the first hour's use has slid out
  assert.deepEqual(ledger.usage("rv2"), { connections: 1, bytesDown: 2000, bytesUp: 50 });
  time.advance(3_600_000);
  assert.deepEqual(ledger.usage("rv2"), { connections: 0, bytesDown: 0, bytesUp: 0 });
  assert.deepEqual(ledger.status("rv2", LIMITS).remaining, LIMITS);
});

Deno.test("a new connection over the limit is refused with the use and when budget frees up", () => {
  const time = clock();
  const ledger = new QuotaLedger({ now: time.now });
  ledger.record("rv2", { connections: 1 });
  time.advance(10 * 60_000);
  ledger.record("rv2", { connections: 2 });
  // A reused session needs no connection.
  ledger.check("rv2", LIMITS, { newConnection: false });
  assert.throws(() => ledger.check("rv2", LIMITS, { newConnection: true }), (error: unknown) => {
    assert.ok(error instanceof QuotaExceededError);
    assert.equal(error.kind, "connections");
    assert.equal(error.used, 3);
    assert.equal(error.limit, 3);
    // The oldest connection (T0) leaves the window one minute-bucket after T0 + 24 h.
    assert.equal(error.freesAt.getTime(), T0 + 60_000 + DAY_MS);
    assert.match(
      error.message,
      /connection budget for rv2 is used up \(3 of 3 connections in the last 24 h\)/,
    );
    assert.match(error.message, /Budget frees up at 2026-11-25T12:01:00\.000Z/);
    assert.match(error.message, /^Refused before connecting/);
    return true;
  });
});

Deno.test("spent download budget refuses even a reused session; freesAt is when enough bytes slide out", () => {
  const time = clock();
  const ledger = new QuotaLedger({ now: time.now });
  ledger.record("rv2", { bytesDown: 6000 });
  time.advance(2 * 3_600_000);
  ledger.record("rv2", { bytesDown: 4500 });
  assert.throws(() => ledger.check("rv2", LIMITS, { newConnection: false }), (error: unknown) => {
    assert.ok(error instanceof QuotaExceededError);
    assert.equal(error.kind, "bytesDown");
    assert.equal(error.used, 10_500);
    assert.equal(error.freesAt.getTime(), T0 + 60_000 + DAY_MS);
    assert.match(
      error.message,
      /download budget for rv2 is used up \(10\.5 KB of 10\.0 KB downloaded/,
    );
    return true;
  });
  assert.equal(ledger.status("rv2", LIMITS).remaining.bytesDown, 0);
});

Deno.test("snapshots round-trip and garbage is refused", () => {
  const time = clock();
  const ledger = new QuotaLedger({ now: time.now });
  ledger.record("a", { connections: 2, bytesDown: 10, bytesUp: 1 });
  const copy = new QuotaLedger({ now: time.now });
  copy.load(JSON.parse(JSON.stringify(ledger.toJSON())));
  assert.deepEqual(copy.usage("a"), { connections: 2, bytesDown: 10, bytesUp: 1 });
  assert.throws(() => copy.load({ version: 2 }), TypeError);
  assert.throws(() => copy.load("nonsense"), TypeError);
  copy.load({ version: 1, servers: { a: [[T0, 1, 1, 1], ["x"], [T0, -5, 0, 0]], b: "nope" } });
  assert.deepEqual(copy.usage("a"), { connections: 1, bytesDown: 1, bytesUp: 1 });
});

Deno.test("ledger store: persists to the file and reloads after a restart", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/state/bgp-lg-mcp/ledger.json`;
    const first = await openLedgerStore({ path });
    assert.equal(first.mode, "file");
    first.ledger.record("rv2", { connections: 1, bytesDown: 1234 });
    await first.save();
    const second = await openLedgerStore({ path });
    assert.deepEqual(second.ledger.usage("rv2"), { connections: 1, bytesDown: 1234, bytesUp: 0 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ledger store: a corrupt file is not fatal; an unwritable place means memory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ledger.json`;
    await Deno.writeTextFile(path, "{ this is not json");
    const store = await openLedgerStore({ path });
    assert.equal(store.mode, "file"); // started fresh and rewrote it
    assert.deepEqual(store.ledger.usage("rv2"), { connections: 0, bytesDown: 0, bytesUp: 0 });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), { version: 1, servers: {} });

    await Deno.writeTextFile(`${dir}/a-file`, "");
    const blocked = await openLedgerStore({ path: `${dir}/a-file/ledger.json` });
    assert.equal(blocked.mode, "memory");
    blocked.ledger.record("rv2", { connections: 1 });
    await blocked.save(); // nothing to write, no error
    assert.equal(blocked.ledger.usage("rv2").connections, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ledger path: XDG_STATE_HOME first, then HOME", () => {
  const saved = { xdg: Deno.env.get("XDG_STATE_HOME"), home: Deno.env.get("HOME") };
  try {
    Deno.env.set("XDG_STATE_HOME", "/x/state");
    assert.equal(defaultLedgerPath().path, "/x/state/bgp-lg-mcp/ledger.json");
    Deno.env.delete("XDG_STATE_HOME");
    Deno.env.set("HOME", "/home/u");
    assert.equal(defaultLedgerPath().path, "/home/u/.local/state/bgp-lg-mcp/ledger.json");
  } finally {
    if (saved.xdg === undefined) Deno.env.delete("XDG_STATE_HOME");
    else Deno.env.set("XDG_STATE_HOME", saved.xdg);
    if (saved.home !== undefined) Deno.env.set("HOME", saved.home);
  }
});

Deno.test("ledger store: two processes sharing the file keep each other's use", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ledger.json`;
    const time = clock();
    const first = await openLedgerStore({ path, now: time.now });
    const second = await openLedgerStore({ path, now: time.now });
    first.ledger.record("rv2", { connections: 1, bytesDown: 100 });
    await first.save();
    time.advance(5 * 60_000);
    second.ledger.record("rv3", { connections: 2, bytesDown: 50 });
    await second.save(); // must not overwrite rv2's use
    const third = await openLedgerStore({ path, now: time.now });
    assert.deepEqual(third.ledger.usage("rv2"), { connections: 1, bytesDown: 100, bytesUp: 0 });
    assert.deepEqual(third.ledger.usage("rv3"), { connections: 2, bytesDown: 50, bytesUp: 0 });
    // Saving again merges idempotently: nothing is counted twice.
    await first.save();
    await first.save();
    const fourth = await openLedgerStore({ path, now: time.now });
    assert.equal(fourth.ledger.usage("rv2").connections, 1);
    assert.equal(fourth.ledger.usage("rv3").connections, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ledger store: a bare file name lives in the working directory", async () => {
  const dir = await Deno.makeTempDir();
  const saved = Deno.cwd();
  try {
    Deno.chdir(dir);
    const store = await openLedgerStore({ path: "ledger.json" });
    assert.equal(store.mode, "file");
    store.ledger.record("rv2", { connections: 1 });
    await store.save();
    assert.ok((await Deno.stat(`${dir}/ledger.json`)).isFile);
  } finally {
    Deno.chdir(saved);
    await Deno.remove(dir, { recursive: true });
  }
});

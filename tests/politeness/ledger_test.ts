import assert from "node:assert/strict";
import { LedgerUnavailableError, QuotaExceededError } from "../../src/errors.ts";
import {
  ALL_SERVERS,
  DAY_MS,
  QuotaLedger,
  readLedgerSnapshot,
} from "../../src/politeness/ledger.ts";
import { LedgerStore, openLedgerStore } from "../../src/politeness/ledger_store.ts";

const LIMITS = { connections: 3, bytesDown: 10_000, bytesUp: 500 };
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const RV2 = "route-views2.routeviews.org:23";

function clock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

Deno.test("usage sums over the sliding window and forgets what is older than 24 h", () => {
  const time = clock();
  const ledger = new QuotaLedger({ now: time.now });
  ledger.add(RV2, { connections: 1, bytesDown: 4000, bytesUp: 100 });
  time.advance(3_600_000);
  ledger.add(RV2, { connections: 1, bytesDown: 2000, bytesUp: 50 });
  ledger.add("other:23", { connections: 5 });
  assert.deepEqual(ledger.usage(RV2), { connections: 2, bytesDown: 6000, bytesUp: 150 });
  time.advance(DAY_MS - 3_600_000 + 60_000); // the first hour's use has slid out
  assert.deepEqual(ledger.usage(RV2), { connections: 1, bytesDown: 2000, bytesUp: 50 });
  time.advance(3_600_000);
  assert.deepEqual(ledger.usage(RV2), { connections: 0, bytesDown: 0, bytesUp: 0 });
  assert.deepEqual(ledger.status(RV2, LIMITS).remaining, LIMITS);
});

Deno.test("a new connection over the limit is refused with the use and when budget frees up", () => {
  const time = clock();
  const ledger = new QuotaLedger({ now: time.now });
  ledger.add(RV2, { connections: 1 });
  time.advance(10 * 60_000);
  ledger.add(RV2, { connections: 2 });
  // A reused session needs no connection.
  ledger.check(RV2, LIMITS, { bytesDown: 1, bytesUp: 1 }, "rv2");
  assert.throws(() => ledger.check(RV2, LIMITS, { connections: 1 }, "rv2"), (error: unknown) => {
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
  ledger.add(RV2, { bytesDown: 6000 });
  time.advance(2 * 3_600_000);
  ledger.add(RV2, { bytesDown: 4500 });
  assert.throws(() => ledger.check(RV2, LIMITS, { bytesDown: 1 }, "rv2"), (error: unknown) => {
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
  assert.equal(ledger.status(RV2, LIMITS).remaining.bytesDown, 0);
});

Deno.test("refunds go back to the bucket they were booked in, never below zero", () => {
  const time = clock();
  const ledger = new QuotaLedger({ now: time.now });
  ledger.add(RV2, { bytesDown: 16_384 });
  const booked = time.now();
  time.advance(5 * 60_000);
  ledger.add(RV2, { bytesDown: 100 });
  ledger.add(RV2, { bytesDown: -16_000 }, booked);
  assert.equal(ledger.usage(RV2).bytesDown, 484);
  ledger.add(RV2, { bytesDown: -1_000_000 }, booked);
  assert.equal(ledger.usage(RV2).bytesDown, 100);
  // A ledger of unsaved changes keeps negative amounts, to add them to the file's content.
  const delta = new QuotaLedger({ now: time.now, signed: true });
  delta.add(RV2, { bytesDown: -50 }, booked);
  const sum = ledger.clone();
  sum.add(RV2, { bytesDown: 50 }, booked);
  sum.addAll(delta);
  assert.equal(sum.usage(RV2).bytesDown, 100);
});

Deno.test("snapshots round-trip; version 1 (by name) migrates to host:port keys", () => {
  const time = clock();
  const ledger = new QuotaLedger({ now: time.now });
  ledger.add(RV2, { connections: 2, bytesDown: 10, bytesUp: 1 });
  ledger.markUnknown("x:23", ["bytesUp"], T0 - 1000);
  const copy = readLedgerSnapshot(JSON.parse(JSON.stringify(ledger.toJSON())), {
    now: time.now,
  });
  assert.deepEqual(copy.problems, []);
  assert.deepEqual(copy.ledger.usage(RV2), { connections: 2, bytesDown: 10, bytesUp: 1 });
  assert.equal(copy.ledger.unknownSince("x:23", "bytesUp"), T0 - 1000);
  const old = readLedgerSnapshot(
    { version: 1, servers: { "route-views2": [[T0, 1, 100, 10]], gone: [[T0, 1, 0, 0]] } },
    { now: time.now, legacyKey: (name) => (name === "route-views2" ? RV2 : undefined) },
  );
  assert.deepEqual(old.problems, []);
  assert.deepEqual(old.ledger.usage(RV2), { connections: 1, bytesDown: 100, bytesUp: 10 });
  assert.equal(old.ledger.usage("gone").connections, 1);
});

Deno.test("a malformed field marks only that kind unknown; the rest of the bucket is kept", () => {
  const time = clock();
  const { ledger, problems } = readLedgerSnapshot({
    version: 2,
    servers: { [RV2]: [[T0 - 60_000, 2, "lots", 30], [T0, -1, 100, 5]] },
  }, { now: time.now });
  assert.equal(problems.length, 2);
  assert.deepEqual(ledger.usage(RV2), { connections: 2, bytesDown: 100, bytesUp: 35 });
  const status = ledger.status(RV2, { connections: 100, bytesDown: 500_000, bytesUp: 100_000 });
  assert.deepEqual(status.remaining, { connections: 0, bytesDown: 0, bytesUp: 99_965 });
  assert.equal(status.unknownUntil, new Date(T0 + DAY_MS).toISOString());
  assert.throws(
    () => ledger.check(RV2, LIMITS, { bytesDown: 1 }, "rv2"),
    (error: unknown) => {
      assert.ok(error instanceof QuotaExceededError);
      assert.equal(error.unknownSince?.getTime(), T0 - 60_000);
      assert.equal(error.freesAt.getTime(), T0 - 60_000 + DAY_MS);
      assert.match(error.message, /download use for rv2 is unknown since 2026-11-24T11:59/);
      return true;
    },
  );
});

Deno.test("an absurd count (1e300, a fraction, past a safe integer) is malformed, not a clamped number", () => {
  const time = clock();
  for (const absurd of [1e300, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, 2 ** 48 + 1]) {
    const { ledger, problems } = readLedgerSnapshot({
      version: 2,
      servers: { [RV2]: [[T0 - 60_000, absurd, 100, 5]] },
    }, { now: time.now });
    assert.equal(problems.length, 1, `${absurd}: ${problems.join("; ")}`);
    assert.match(problems[0], /connections is .*, not a count/);
    // Only that field is unknown: the rest of the bucket is kept as it was.
    assert.deepEqual(ledger.usage(RV2), { connections: 0, bytesDown: 100, bytesUp: 5 });
    assert.equal(ledger.unknownSince(RV2, "connections"), T0 - 60_000);
  }
  // The largest count the ledger keeps is still a count.
  const kept = readLedgerSnapshot({
    version: 2,
    servers: { [RV2]: [[T0 - 60_000, 2 ** 48, 0, 0]] },
  }, { now: time.now });
  assert.deepEqual(kept.problems, []);
});

Deno.test("times are bounded: the future is now, an unreadable time is the file's mtime", () => {
  const time = clock();
  const mtime = T0 - 3_600_000;
  const { ledger, problems } = readLedgerSnapshot({
    version: 2,
    servers: {
      "a:23": [[1e300, 1, 0, 0]],
      "b:23": [[Date.UTC(2300, 0, 1), 3, 0, 0]],
      "c:23": [["yesterday", 3, 0, 0]],
    },
  }, { now: time.now, fallbackAt: mtime });
  assert.equal(problems.length, 3);
  for (const key of ["a:23", "b:23"]) {
    // Counted now, gone after one window, never "Invalid time value".
    assert.throws(() => ledger.check(key, { ...LIMITS, connections: 1 }, { connections: 1 }), {
      name: "QuotaExceededError",
    });
    try {
      ledger.check(key, { ...LIMITS, connections: 1 }, { connections: 1 });
    } catch (error) {
      assert.ok((error as QuotaExceededError).freesAt.getTime() <= T0 + 60_000 + DAY_MS);
    }
  }
  assert.equal(ledger.usage("c:23").connections, 3);
  time.advance(DAY_MS - 3_600_000 + 60_000);
  assert.equal(ledger.usage("c:23").connections, 0); // it was dated at the file's mtime
  time.advance(3_600_000);
  assert.equal(ledger.usage("b:23").connections, 0);
});

Deno.test("anything that is not a ledger marks every server unknown from the fallback time", () => {
  for (const json of [null, [], "x", 7, { version: 9 }, { version: 2, servers: [] }]) {
    const { ledger, problems } = readLedgerSnapshot(json, { now: () => T0, fallbackAt: T0 - 5 });
    assert.equal(problems.length, 1, JSON.stringify(json));
    assert.equal(ledger.unknownSince(ALL_SERVERS, "connections"), T0 - 5);
    assert.equal(ledger.unknownSince("any:23", "bytesDown"), T0 - 5);
  }
});

Deno.test("ledger store: persists to the file and reloads after a restart", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/state/bgp-lg-mcp/ledger.json`;
    const first = await openLedgerStore({ path });
    assert.equal(first.mode, "file");
    await first.bookConnection(RV2, LIMITS, "rv2");
    const lease = await first.reserveDown(RV2, LIMITS, 2000, "rv2");
    assert.equal(lease.granted, 2000);
    first.refund(RV2, 766, lease.at);
    await first.close();
    const second = await openLedgerStore({ path });
    assert.deepEqual(second.ledger.usage(RV2), { connections: 1, bytesDown: 1234, bytesUp: 0 });
    const saved = JSON.parse(await Deno.readTextFile(path));
    assert.equal(saved.version, 2);
    assert.deepEqual(Object.keys(saved.servers), [RV2]);
    await second.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ledger store: reservations never exceed what is left; the last connection goes once", async () => {
  const store = new LedgerStore();
  const limits = { connections: 1, bytesDown: 5000, bytesUp: 100 };
  const first = await store.reserveDown(RV2, limits, 16_384, "rv2");
  assert.equal(first.granted, 5000);
  await assert.rejects(store.reserveDown(RV2, limits, 10, "rv2"), QuotaExceededError);
  store.refund(RV2, 1000, first.at);
  assert.equal((await store.reserveDown(RV2, limits, 16_384, "rv2")).granted, 1000);
  const tries = await Promise.allSettled([
    store.bookConnection("x:23", limits, "x"),
    store.bookConnection("x:23", limits, "x"),
  ]);
  assert.deepEqual(tries.map((t) => t.status).sort(), ["fulfilled", "rejected"]);
  await assert.rejects(store.bookUp("x:23", limits, 101, "x"), QuotaExceededError);
  await store.close();
});

Deno.test("ledger store: a place where the file cannot be made refuses bookings, nothing kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a-file`, "");
    const blocked = await openLedgerStore({ path: `${dir}/a-file/ledger.json` });
    assert.equal(blocked.mode, "file");
    assert.match(blocked.unavailable ?? "", /cannot lock .*Not a directory/);
    await assert.rejects(blocked.bookConnection(RV2, LIMITS, "rv2"), {
      name: "LedgerUnavailableError",
      message: /a-file\/ledger\.json cannot be used: .* nothing was booked or sent/,
    });
    await assert.rejects(blocked.reserveDown(RV2, LIMITS, 100, "rv2"), LedgerUnavailableError);
    await blocked.save(); // nothing to write, no error
    assert.equal(blocked.ledger.usage(RV2).connections, 0);
    await blocked.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ledger store: two stores sharing the file add their use, each exactly once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ledger.json`;
    const time = clock();
    const first = await openLedgerStore({ path, now: time.now });
    const second = await openLedgerStore({ path, now: time.now });
    // The same minute, the same server: both count (a maximum would lose one).
    await first.bookConnection(RV2, LIMITS, "rv2");
    await second.bookConnection(RV2, LIMITS, "rv2");
    await second.bookConnection(RV2, LIMITS, "rv2");
    // The first store sees the second's use at its next booking: the limit holds across them.
    await assert.rejects(first.bookConnection(RV2, LIMITS, "rv2"), QuotaExceededError);
    await first.bookUp(RV2, LIMITS, 40, "rv2");
    await second.bookUp(RV2, LIMITS, 2, "rv2");
    await first.save();
    await first.save();
    await second.save();
    const third = await openLedgerStore({ path, now: time.now });
    assert.deepEqual(third.ledger.usage(RV2), { connections: 3, bytesDown: 0, bytesUp: 42 });
    await Promise.all([first.close(), second.close(), third.close()]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ledger store: a file deleted while running does not reset the budget", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ledger.json`;
    const store = await openLedgerStore({ path });
    await store.bookConnection(RV2, LIMITS, "rv2");
    await Deno.remove(path);
    await store.bookConnection(RV2, LIMITS, "rv2");
    assert.equal(store.ledger.usage(RV2).connections, 2);
    const saved = JSON.parse(await Deno.readTextFile(path));
    assert.equal(saved.servers[RV2][0][1], 2);
    await store.close();
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
    await store.bookConnection(RV2, LIMITS, "rv2");
    await store.close();
    assert.ok((await Deno.stat(`${dir}/ledger.json`)).isFile);
  } finally {
    Deno.chdir(saved);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ledger store: a lock held too long by another process refuses the booking; nothing is lost", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ledger.json`;
    const store = await openLedgerStore({ path, lockTimeoutMs: 100 });
    // Another holder (a separate open file description conflicts like another process would).
    const other = await Deno.open(`${path}.lock`, { read: true, write: true });
    await other.lock(true);
    await assert.rejects(store.bookConnection(RV2, LIMITS, "rv2"), {
      name: "LedgerBusyError",
      message: /The quota ledger is locked by another process .* nothing was booked or sent/,
    });
    assert.equal(store.mode, "file");
    // Uploads are booked under the lock as well: refused too.
    await assert.rejects(store.bookUp(RV2, LIMITS, 10, "rv2"), { name: "LedgerBusyError" });
    await store.save(); // nothing changed: no error
    await other.unlock();
    other.close();
    await store.bookConnection(RV2, LIMITS, "rv2");
    await store.bookUp(RV2, LIMITS, 10, "rv2");
    await store.close();
    const saved = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(saved.servers[RV2].map((b: number[]) => b.slice(1)), [[1, 0, 10]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ledger store: a lock that cannot be taken refuses bookings until it can; the file is never touched", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ledger.json`;
    const at = Date.now() - 60_000;
    await Deno.writeTextFile(
      path,
      JSON.stringify({ version: 2, servers: { [RV2]: [[at, 1, 0, 0]] } }),
    );
    await Deno.mkdir(`${path}.lock`); // not a regular file: never locked
    const store = await openLedgerStore({ path });
    assert.match(store.unavailable ?? "", /is not a regular file/);
    // What the file holds is still counted (list_servers shows it) ...
    assert.equal(store.ledger.usage(RV2).connections, 1);
    // ... but nothing is booked, however much budget is left.
    await assert.rejects(store.bookConnection(RV2, LIMITS, "rv2"), LedgerUnavailableError);
    await assert.rejects(store.bookConnection(RV2, LIMITS, "rv2"), LedgerUnavailableError);
    // Never written nor set aside without the lock.
    assert.deepEqual(JSON.parse(await Deno.readTextFile(path)).servers[RV2], [[at, 1, 0, 0]]);
    // Once the lock can be taken, bookings go on where the file left off.
    await Deno.remove(`${path}.lock`);
    await store.bookConnection(RV2, LIMITS, "rv2");
    assert.equal(store.unavailable, null);
    await store.close();
    const saved = JSON.parse(await Deno.readTextFile(path)).servers[RV2];
    assert.equal(saved.reduce((sum: number, b: number[]) => sum + b[1], 0), 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

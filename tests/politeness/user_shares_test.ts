/**
 * The per-user fairness rule on the file ledger (HTTP with tokens, no Redis):
 * a user takes at most their share, the team at most the whole budget; a
 * refused share leaves nothing booked; the users' use is in the state file,
 * seen by another process's store; calls for no user are the team's only;
 * and a seeded run of random bookings keeps every invariant.
 */

import assert from "node:assert/strict";
import { QuotaExceededError, ShareExceededError } from "../../src/errors.ts";
import type { QuotaLimits } from "../../src/politeness/ledger.ts";
import { openLedgerStore } from "../../src/politeness/ledger_store.ts";
import { userKey, UserShareLedger } from "../../src/politeness/user_shares.ts";
import { runAsUser } from "../../src/politeness/user_context.ts";
import { prng, testSeed } from "../harness/prng.ts";

const LIMITS: QuotaLimits = { connections: 10, bytesDown: 10_000, bytesUp: 1_000 };
const KEY = "127.0.0.1:2605";

async function withFile<T>(fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "bgp-lg-shares-" });
  try {
    return await fn(`${dir}/ledger.json`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a user takes at most their share of connections; the team at most the budget", async () => {
  await withFile(async (path) => {
    const store = await openLedgerStore({ path });
    const ledger = new UserShareLedger(store, { share: 0.5 });
    for (let i = 0; i < 5; i++) {
      await runAsUser("alice", () => ledger.bookConnection(KEY, LIMITS, "rig"));
    }
    const refused = await runAsUser("alice", () => ledger.bookConnection(KEY, LIMITS, "rig"))
      .catch((error) => error);
    assert.ok(refused instanceof ShareExceededError, String(refused));
    assert.equal(refused.user, "alice");
    assert.equal(refused.userLimit, 5);
    assert.match(
      refused.message,
      /^Refused before connecting: your share of the connection budget for rig is used up \(you: 5 connections of the 5 connections each user may take in 24 h, 50% of the team's 10 connections; the team has used 5 connections\)/,
    );
    // The refusal left nothing booked, for the team or for alice.
    assert.equal(ledger.status(KEY, LIMITS).used.connections, 5);
    assert.equal(ledger.userStatus(KEY, LIMITS, "alice").used.connections, 5);
    for (let i = 0; i < 5; i++) {
      await runAsUser("bob", () => ledger.bookConnection(KEY, LIMITS, "rig"));
    }
    // Carol has her whole share, but the team has nothing left: the team's refusal.
    const team = await runAsUser("carol", () => ledger.bookConnection(KEY, LIMITS, "rig"))
      .catch((error) => error);
    assert.ok(team instanceof QuotaExceededError && !(team instanceof ShareExceededError));
    assert.match(team.message, /the connection budget for rig is used up \(10 of 10 connections/);
    assert.equal(ledger.userStatus(KEY, LIMITS, "carol").used.connections, 0);
    assert.deepEqual(ledger.userStatus(KEY, LIMITS, "bob").remaining, {
      connections: 0,
      bytesDown: 5_000,
      bytesUp: 500,
    });
    await ledger.close();
  });
});

Deno.test("downloads: a lease is the smaller of the two; what is given back goes to both", async () => {
  await withFile(async (path) => {
    const store = await openLedgerStore({ path });
    const ledger = new UserShareLedger(store, { share: 0.25 });
    const lease = await runAsUser("alice", () => ledger.reserveDown(KEY, LIMITS, 4_000, "rig"));
    assert.deepEqual([lease.granted, lease.user], [2_500, "alice"]);
    assert.equal(ledger.status(KEY, LIMITS).used.bytesDown, 2_500);
    runAsUser("alice", () => ledger.refund(KEY, 1_000, lease.at));
    assert.equal(ledger.status(KEY, LIMITS).used.bytesDown, 1_500);
    assert.equal(ledger.userStatus(KEY, LIMITS, "alice").used.bytesDown, 1_500);
    // A refund outside the call's context still goes to the lease's user.
    ledger.refund(KEY, 500, lease.at, lease.user);
    assert.equal(ledger.userStatus(KEY, LIMITS, "alice").used.bytesDown, 1_000);
    await runAsUser("alice", () => ledger.reserveDown(KEY, LIMITS, 5_000, "rig"));
    const spent = await runAsUser("alice", () => ledger.reserveDown(KEY, LIMITS, 10, "rig"))
      .catch((error) => error);
    assert.ok(spent instanceof ShareExceededError, String(spent));
    assert.match(spent.message, /your share of the download budget for rig is used up/);
    assert.equal(ledger.status(KEY, LIMITS).used.bytesDown, 2_500);
    // Uploads: checked against the share before they are booked.
    await runAsUser("bob", () => ledger.bookUp(KEY, LIMITS, 250, "rig"));
    await assert.rejects(
      () => runAsUser("bob", () => ledger.bookUp(KEY, LIMITS, 1, "rig")),
      ShareExceededError,
    );
    assert.equal(ledger.status(KEY, LIMITS).used.bytesUp, 250);
    await ledger.close();
  });
});

Deno.test("the users' use is in the state file: another process's store sees it", async () => {
  await withFile(async (path) => {
    const first = new UserShareLedger(await openLedgerStore({ path }), { share: 0.5 });
    for (let i = 0; i < 4; i++) {
      await runAsUser("alice", () => first.bookConnection(KEY, LIMITS, "rig"));
    }
    await first.bookConnection(KEY, LIMITS, "rig"); // no user: the team's only
    await first.close();
    const second = new UserShareLedger(await openLedgerStore({ path }), { share: 0.5 });
    await runAsUser("alice", () => second.bookConnection(KEY, LIMITS, "rig"));
    await assert.rejects(
      () => runAsUser("alice", () => second.bookConnection(KEY, LIMITS, "rig")),
      ShareExceededError,
    );
    assert.equal(second.status(KEY, LIMITS).used.connections, 6);
    await second.close();
    const saved = JSON.parse(await Deno.readTextFile(path)).servers;
    const sum = (key: string) =>
      (saved[key] as number[][]).reduce((total, bucket) => total + bucket[1], 0);
    assert.deepEqual(Object.keys(saved).sort(), [KEY, userKey("alice", KEY)]);
    assert.deepEqual([sum(KEY), sum(userKey("alice", KEY))], [6, 5]);
  });
});

Deno.test("two processes at once: a share used up in the other is refused, and nothing stays booked", async () => {
  await withFile(async (path) => {
    // Both open before either books: the second one's view is stale until it syncs.
    const a = new UserShareLedger(await openLedgerStore({ path }), { share: 0.5 });
    const b = new UserShareLedger(await openLedgerStore({ path }), { share: 0.5 });
    for (let i = 0; i < 5; i++) {
      await runAsUser("alice", () => a.bookConnection(KEY, LIMITS, "rig"));
    }
    await a.save();
    const refused = await runAsUser("alice", () => b.bookConnection(KEY, LIMITS, "rig"))
      .catch((error) => error);
    assert.ok(refused instanceof ShareExceededError, String(refused));
    await b.save();
    await a.close();
    await b.close();
    const third = await openLedgerStore({ path });
    assert.equal(third.status(KEY, LIMITS).used.connections, 5);
    assert.equal(third.status(userKey("alice", KEY), LIMITS).used.connections, 5);
    await third.close();
  });
});

Deno.test("two processes at once: an upload over a share used up in the other is refused", async () => {
  await withFile(async (path) => {
    const a = new UserShareLedger(await openLedgerStore({ path }), { share: 0.5 });
    const b = new UserShareLedger(await openLedgerStore({ path }), { share: 0.5 });
    await runAsUser("alice", () => a.bookUp(KEY, LIMITS, 500, "rig"));
    // b's view has none of it; the user's booking under the lock sees it and refuses.
    const refused = await runAsUser("alice", () => b.bookUp(KEY, LIMITS, 10, "rig"))
      .catch((error) => error);
    assert.ok(refused instanceof ShareExceededError, String(refused));
    await a.close();
    await b.close();
    const third = await openLedgerStore({ path });
    assert.equal(third.status(userKey("alice", KEY), LIMITS).used.bytesUp, 500);
    // The team's booking of the refused upload stays: over-counted, never under.
    assert.equal(third.status(KEY, LIMITS).used.bytesUp, 510);
    await third.close();
  });
});

Deno.test("random bookings of several users keep every invariant (seeded)", async () => {
  const seed = testSeed();
  const random = prng(seed);
  const users = ["alice", "bob", "carol", undefined];
  await withFile(async (path) => {
    const store = await openLedgerStore({ path });
    const ledger = new UserShareLedger(store, { share: 0.4 });
    const booked = new Map<string | undefined, number>();
    for (let step = 0; step < 300; step++) {
      const user = users[Math.floor(random() * users.length)];
      const op = random();
      const run = <T>(fn: () => Promise<T> | T) =>
        user === undefined ? Promise.resolve(fn()) : Promise.resolve(runAsUser(user, fn));
      try {
        if (op < 0.4) {
          await run(() => ledger.bookConnection(KEY, LIMITS, "rig"));
        } else if (op < 0.8) {
          const lease = await run(() =>
            ledger.reserveDown(KEY, LIMITS, 1 + Math.floor(random() * 2_000), "rig")
          );
          const back = Math.floor(random() * lease.granted);
          await run(() => ledger.refund(KEY, back, lease.at));
          booked.set(user, (booked.get(user) ?? 0) + lease.granted - back);
        } else {
          await run(() => ledger.bookUp(KEY, LIMITS, 1 + Math.floor(random() * 200), "rig"));
        }
      } catch (error) {
        assert.ok(error instanceof QuotaExceededError, `seed ${seed} step ${step}: ${error}`);
      }
      const team = ledger.status(KEY, LIMITS).used;
      for (const kind of ["connections", "bytesDown", "bytesUp"] as const) {
        assert.ok(team[kind] <= LIMITS[kind], `seed ${seed} step ${step}: team ${kind}`);
        let sum = 0;
        for (const name of ["alice", "bob", "carol"]) {
          const mine = ledger.userStatus(KEY, LIMITS, name);
          assert.ok(mine.used[kind] <= mine.limits[kind], `seed ${seed}: ${name} ${kind}`);
          sum += mine.used[kind];
        }
        assert.ok(sum <= team[kind], `seed ${seed} step ${step}: users above the team`);
      }
    }
    const down = ledger.status(KEY, LIMITS).used.bytesDown;
    assert.equal(down, [...booked.values()].reduce((a, b) => a + b, 0), `seed ${seed}`);
    await ledger.close();
  });
});

/**
 * The shared quota ledger in a real redis-server: replicas booking at once
 * take every unit exactly once, the sliding window is the file ledger's to the
 * millisecond (seeded comparison against `LedgerStore`), per-user shares, and
 * Redis going away, freezing, losing its data or being set up to evict keys.
 */

import assert from "node:assert/strict";
import { QuotaExceededError } from "../../src/errors.ts";
import { LedgerStore } from "../../src/politeness/ledger_store.ts";
import type { QuotaLimits } from "../../src/politeness/ledger.ts";
import { openRedis, type RedisLink } from "../../src/politeness/redis_client.ts";
import { openRedisLedger, RedisLedgerStore } from "../../src/politeness/redis_ledger.ts";
import {
  RedisConfigError,
  RedisUnavailableError,
  ShareExceededError,
  UnknownSharedUseError,
} from "../../src/errors.ts";
import { runAsUser } from "../../src/politeness/user_context.ts";
import { prng, testSeed } from "../harness/prng.ts";
import { rawCommand, redisTest, startRedis } from "../harness/mod.ts";

const KEY = "route-views.example.net:23";
const LIMITS: QuotaLimits = { connections: 10, bytesDown: 50_000, bytesUp: 2_000 };

function link(url: string, commandTimeoutMs = 2000): Promise<RedisLink> {
  return openRedis({ url, commandTimeoutMs, connectTimeoutMs: 3000, maxReconnectDelayMs: 200 });
}

async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

await redisTest("two replicas booking at once take each connection exactly once", async () => {
  await using redis = await startRedis();
  const links = [await link(redis.url), await link(redis.url)];
  try {
    const stores = await Promise.all(links.map((l) => openRedisLedger({ link: l })));
    const attempts = stores.flatMap((store) =>
      Array.from({ length: 20 }, () => store.bookConnection(KEY, LIMITS, "rv"))
    );
    const outcomes = await Promise.allSettled(attempts);
    const booked = outcomes.filter((o) => o.status === "fulfilled").length;
    const refused = outcomes.filter((o) =>
      o.status === "rejected" && o.reason instanceof QuotaExceededError
    ).length;
    assert.equal(booked, 10);
    assert.equal(refused, 30);
    for (const store of stores) {
      const { team } = await store.refresh(KEY, LIMITS);
      assert.equal(team.used.connections, 10);
      assert.equal(team.remaining.connections, 0);
    }
    // The refusal names the limit and when it frees up (the first booking's minute + 24 h).
    const refusal = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    assert.match(refusal.reason.message, /connection budget for rv is used up \(10 of 10/);
    // What Redis holds: one bucket, ten connections.
    const raw = await rawCommand(redis.port, "HGETALL", `bgp-lg-mcp:ledger:team:${KEY}`);
    assert.match(raw, /\r\n10:0:0\r\n$/);
    await Promise.all(stores.map((s) => s.close()));
  } finally {
    await Promise.all(links.map((l) => l.close()));
  }
});

await redisTest(
  "two replicas uploading at once never exceed the upload budget together",
  async () => {
    await using redis = await startRedis();
    const links = [await link(redis.url), await link(redis.url)];
    try {
      const stores = await Promise.all(links.map((l) => openRedisLedger({ link: l })));
      // 2,000 bytes up: 40 uploads of 100 bytes over both replicas, at once.
      const attempts = stores.flatMap((store) =>
        Array.from({ length: 20 }, () => store.bookUp(KEY, LIMITS, 100, "rv"))
      );
      const outcomes = await Promise.allSettled(attempts);
      assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 20);
      for (const o of outcomes) {
        if (o.status === "rejected") assert.ok(o.reason instanceof QuotaExceededError, o.reason);
      }
      for (const store of stores) {
        await store.save();
        assert.equal((await store.refresh(KEY, LIMITS)).team.used.bytesUp, 2_000);
      }
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await Promise.all(links.map((l) => l.close()));
    }
  },
);

/** One step of the comparison: what each ledger answered. */
type Outcome = string;

async function outcome(run: () => Promise<unknown> | unknown): Promise<Outcome> {
  try {
    const value = await run();
    return `ok ${JSON.stringify(value ?? null)}`;
  } catch (error) {
    if (error instanceof QuotaExceededError) {
      return `refused ${error.kind} ${error.used}/${error.limit} until ${error.freesAt.toISOString()}`;
    }
    throw error;
  }
}

await redisTest("the sliding window is the file ledger's, step by step (seeded)", async () => {
  await using redis = await startRedis();
  const seed = testSeed();
  const random = prng(seed);
  let now = Date.UTC(2026, 5, 1, 12, 0, 17, 345);
  const clock = () => now;
  const limits: QuotaLimits = { connections: 5, bytesDown: 40_000, bytesUp: 150 };
  const file = new LedgerStore({ path: null, now: clock });
  const l = await link(redis.url);
  try {
    const shared = await openRedisLedger({ link: l, now: clock, share: 1 });
    const leases: { at: number; left: number }[] = [];
    const connections: number[] = [];
    const seen = new Set<string>();
    for (let step = 0; step < 600; step++) {
      const roll = random();
      // Time moves on by seconds to hours, sometimes past the whole window.
      now += Math.floor(
        roll < 0.05
          ? 24 * 3_600_000 + random() * 120_000
          : random() < 0.7
          ? random() * 90_000
          : random() * 4 * 3_600_000,
      );
      const op = random();
      let a: Outcome;
      let b: Outcome;
      const context = `seed ${seed}, step ${step}`;
      if (op < 0.3) {
        a = await outcome(() => file.bookConnection(KEY, limits, "rv"));
        b = await outcome(() => shared.bookConnection(KEY, limits, "rv"));
        if (a.startsWith("ok")) connections.push(now);
      } else if (op < 0.6) {
        const wanted = 1 + Math.floor(random() * 12_000);
        a = await outcome(() => file.reserveDown(KEY, limits, wanted, "rv"));
        b = await outcome(() => shared.reserveDown(KEY, limits, wanted, "rv"));
        if (a.startsWith("ok")) {
          const lease = JSON.parse(a.slice(3));
          leases.push({ at: lease.at, left: Math.floor(random() * lease.granted) });
        }
      } else if (op < 0.75 && leases.length > 0) {
        const lease = leases.splice(Math.floor(random() * leases.length), 1)[0];
        file.refund(KEY, lease.left, lease.at);
        shared.refund(KEY, lease.left, lease.at);
        a = b = "refund";
      } else if (op < 0.85 && connections.length > 0) {
        const at = connections.pop()!;
        file.unbookConnection(KEY, at);
        shared.unbookConnection(KEY, at);
        a = b = "unbook";
      } else {
        const bytes = 1 + Math.floor(random() * 60);
        a = await outcome(() => file.bookUp(KEY, limits, bytes, "rv"));
        b = await outcome(() => shared.bookUp(KEY, limits, bytes, "rv"));
        // Checked against this replica's view of the buckets: the same answer, to the ms.
      }
      await shared.save();
      assert.equal(b, a, context);
      seen.add(a.replace(/^(ok|refused \w+).*$/, "$1"));
      const fresh = await shared.refresh(KEY, limits);
      assert.deepEqual(fresh.team, file.status(KEY, limits), context);
    }
    // The sequence reached every limit, not only the happy path.
    for (const what of ["ok", "refused connections", "refused bytesDown", "refused bytesUp"]) {
      assert.ok(seen.has(what), `seed ${seed}: no step was ${what} (${[...seen]})`);
    }
    await shared.close();
  } finally {
    await l.close();
  }
});

await redisTest("a user may take at most the configured share of a server's budget", async () => {
  await using redis = await startRedis();
  const l = await link(redis.url);
  try {
    const store = await openRedisLedger({ link: l, share: 0.5 });
    const limits: QuotaLimits = { connections: 4, bytesDown: 10_000, bytesUp: 1_000 };
    await runAsUser("alice", () => store.bookConnection(KEY, limits, "rv"));
    await runAsUser("alice", () => store.bookConnection(KEY, limits, "rv"));
    const refused = await runAsUser("alice", () => store.bookConnection(KEY, limits, "rv"))
      .catch((e) => e);
    assert.ok(refused instanceof ShareExceededError, String(refused));
    assert.equal(refused.user, "alice");
    assert.match(
      refused.message,
      /your share of the connection budget for rv is used up \(you: 2 connections of the 2 connections each user may take in 24 h, 50% of the team's 4 connections; the team has used 2 connections\)/,
    );
    // Another user still has a share; then the team's budget is spent for everyone.
    await runAsUser("bob", () => store.bookConnection(KEY, limits, "rv"));
    await runAsUser("bob", () => store.bookConnection(KEY, limits, "rv"));
    const carol = await runAsUser("carol", () => store.bookConnection(KEY, limits, "rv"))
      .catch((e) => e);
    assert.ok(carol instanceof QuotaExceededError && !(carol instanceof ShareExceededError));
    assert.match(carol.message, /connection budget for rv is used up \(4 of 4/);
    // Download reservations are granted no larger than the user's share.
    const lease = await runAsUser("carol", () => store.reserveDown(KEY, limits, 9_000, "rv"));
    assert.deepEqual([lease.granted, lease.user], [5_000, "carol"]);
    const budget = await store.refresh(KEY, limits, "alice");
    assert.equal(budget.team.used.connections, 4);
    assert.equal(budget.user?.used.connections, 2);
    assert.equal(budget.user?.limits.connections, 2);
    assert.equal(budget.team.used.bytesDown, 5_000);
    assert.equal(budget.user?.used.bytesDown, 0);
    await store.close();
  } finally {
    await l.close();
  }
});

await redisTest(
  "Redis killed mid-run: clear refusals, then its lost ledger counts as spent",
  async () => {
    await using redis = await startRedis();
    const l = await link(redis.url, 1000);
    try {
      const store = await openRedisLedger({ link: l });
      const at = await store.bookConnection(KEY, LIMITS, "rv");
      const lease = await store.reserveDown(KEY, LIMITS, 16_384, "rv");
      await redis.kill();
      const started = performance.now();
      const refused = await store.bookConnection(KEY, LIMITS, "rv").catch((e) => e);
      assert.ok(refused instanceof RedisUnavailableError, String(refused));
      assert.match(
        refused.message,
        /^Refused before connecting: the team's shared budget and cache in Redis \(redis:\/\/127\.0\.0\.1:\d+\) cannot be used/,
      );
      assert.match(refused.message, /no route server was contacted/);
      assert.ok(performance.now() - started < 2_000, "refused at once, no offline queue");
      await assert.rejects(() => store.reserveDown(KEY, LIMITS, 100, "rv"), RedisUnavailableError);
      // Synchronous checks (reused sessions) and uploads are refused too: never an unshared budget.
      assert.throws(
        () => store.ledger.check(KEY, LIMITS, { bytesDown: 1 }, "rv"),
        RedisUnavailableError,
      );
      await assert.rejects(() => store.bookUp(KEY, LIMITS, 20, "rv"), RedisUnavailableError);
      // What cannot wait is kept for the reconnection.
      store.refund(KEY, 16_000, lease.at);
      store.unbookConnection(KEY, at);
      assert.equal(store.pendingChanges, 2);

      // A new, empty Redis on the same port: the link reconnects with backoff by itself,
      // and the replica sees that the ledger it knew is gone.
      await redis.restart();
      await until("reconnection", () => l.ready);
      const lost = await store.bookConnection(KEY, LIMITS, "rv").catch((e) => e);
      assert.ok(lost instanceof UnknownSharedUseError, String(lost));
      assert.match(lost.message, /use for rv is unknown since .* shared ledger in Redis was lost/);
      await store.save();
      assert.equal(store.pendingChanges, 0);
      const { team } = await store.refresh(KEY, LIMITS);
      assert.equal(team.remaining.connections, 0);
      assert.ok(team.unknownUntil !== undefined);
      await store.close();
    } finally {
      await l.close();
    }
  },
);

await redisTest("a frozen Redis makes bookings fail within the command timeout", async () => {
  await using redis = await startRedis();
  const l = await link(redis.url, 500);
  try {
    const store = await openRedisLedger({ link: l });
    redis.freeze();
    const started = performance.now();
    const refused = await store.bookConnection(KEY, LIMITS, "rv").catch((e) => e);
    const waited = performance.now() - started;
    assert.ok(refused instanceof RedisUnavailableError, String(refused));
    assert.match(refused.message, /no answer within 500 ms/);
    assert.ok(waited < 3_000, `waited ${waited} ms`);
    redis.thaw();
    await until("answers again", () => l.ready);
    await store.close();
  } finally {
    await l.close();
  }
});

await redisTest(
  "a Redis that evicts any key is refused; damaged entries count as spent",
  async () => {
    await using redis = await startRedis();
    await rawCommand(redis.port, "CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
    const l = await link(redis.url);
    try {
      await assert.rejects(() => openRedisLedger({ link: l }), (error: Error) => {
        assert.ok(error instanceof RedisConfigError);
        assert.match(
          error.message,
          /maxmemory-policy allkeys-lru.*Set maxmemory-policy to noeviction/,
        );
        return true;
      });
      await rawCommand(redis.port, "CONFIG", "SET", "maxmemory-policy", "volatile-lru");
      const store = await openRedisLedger({ link: l });
      await store.bookConnection(KEY, LIMITS, "rv");
      await rawCommand(redis.port, "HSET", `bgp-lg-mcp:ledger:team:${KEY}`, "12345x", "garbage");
      const refused = await store.bookConnection(KEY, LIMITS, "rv").catch((e) => e);
      assert.ok(refused instanceof UnknownSharedUseError, String(refused));
      await store.close();
      // A key of the wrong type is set aside, and also counts as unknown use.
      const other = "other.example.net:23";
      await rawCommand(redis.port, "SET", `bgp-lg-mcp:ledger:team:${other}`, "not a hash");
      const store2 = new RedisLedgerStore({ link: l });
      const refused2 = await store2.bookConnection(other, LIMITS, "other").catch((e) => e);
      assert.ok(refused2 instanceof UnknownSharedUseError, String(refused2));
      await store2.close();
    } finally {
      await l.close();
    }
  },
);

/**
 * The per-server connection limit across replicas in a real redis-server:
 * never more holders than the limit over two replicas, a dead replica's slots
 * expire, waiters say they want a slot, and the limit fails closed without Redis.
 */

import assert from "node:assert/strict";
import { openRedis, type RedisLink } from "../../src/politeness/redis_client.ts";
import { RedisSemaphore } from "../../src/politeness/redis_gate.ts";
import { RedisUnavailableError } from "../../src/errors.ts";
import { redisTest, startRedis } from "../harness/mod.ts";

const KEY = "route-views.example.net:23";

function link(url: string): Promise<RedisLink> {
  return openRedis({ url, commandTimeoutMs: 2000, connectTimeoutMs: 3000 });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

await redisTest("two replicas never hold more than maxConcurrent slots of a server", async () => {
  await using redis = await startRedis();
  const links = [await link(redis.url), await link(redis.url)];
  try {
    const gates = links.map((l) => new RedisSemaphore({ link: l, pollMs: 20 }));
    let open = 0;
    let peak = 0;
    const work = async (i: number) => {
      const slot = await gates[i % 2].acquire(KEY, 3, { timeoutMs: 20_000 });
      assert.ok(slot, "a slot within the wait");
      open++;
      peak = Math.max(peak, open);
      assert.ok((await gates[0].count(KEY)) <= 3);
      await delay(30 + (i % 5) * 10);
      open--;
      await slot.release();
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => work(i)));
    assert.equal(peak, 3);
    assert.equal(await gates[0].count(KEY), 0);
    await Promise.all(gates.map((g) => g.close()));
  } finally {
    await Promise.all(links.map((l) => l.close()));
  }
});

await redisTest("a dead replica's slots expire and a waiting replica gets one", async () => {
  await using redis = await startRedis();
  const dying = await link(redis.url);
  const alive = await link(redis.url);
  try {
    const a = new RedisSemaphore({ link: dying, leaseTtlMs: 600 });
    const b = new RedisSemaphore({ link: alive, leaseTtlMs: 600, pollMs: 50 });
    assert.ok(await a.tryAcquire(KEY, 2));
    assert.ok(await a.tryAcquire(KEY, 2));
    // Renewal keeps them past their TTL while the replica lives.
    await delay(900);
    assert.equal(await b.count(KEY), 2);
    assert.equal(await b.tryAcquire(KEY, 2), null);
    // The replica dies: its link is gone, nobody renews, nothing is released.
    await dying.close();
    const started = performance.now();
    const slot = await b.acquire(KEY, 2, { timeoutMs: 5_000 });
    assert.ok(slot);
    assert.ok(performance.now() - started < 2_000);
    await b.close();
    await a.close();
  } finally {
    await alive.close();
  }
});

await redisTest("a waiter says it wants a slot, times out, and can be cancelled", async () => {
  await using redis = await startRedis();
  const links = [await link(redis.url), await link(redis.url)];
  try {
    const [a, b] = links.map((l) => new RedisSemaphore({ link: l, pollMs: 50 }));
    const wanted: string[] = [];
    const stop = await a.onWanted([KEY], (key) => wanted.push(key));
    const held = await a.tryAcquire(KEY, 1);
    assert.ok(held);
    assert.equal(await b.acquire(KEY, 1, { timeoutMs: 300 }), null);
    assert.ok(wanted.includes(KEY), "the holder heard that a slot is wanted");
    const controller = new AbortController();
    const waiting = b.acquire(KEY, 1, { timeoutMs: 10_000, signal: controller.signal });
    controller.abort(new DOMException("gave up", "AbortError"));
    await assert.rejects(waiting, { name: "AbortError" });
    // Released: the next waiter is woken at once.
    const next = b.acquire(KEY, 1, { timeoutMs: 5_000 });
    await delay(50);
    await held.release();
    assert.ok(await next);
    stop();
    await a.close();
    await b.close();
  } finally {
    await Promise.all(links.map((l) => l.close()));
  }
});

await redisTest("without Redis no slot is granted", async () => {
  await using redis = await startRedis();
  const l = await link(redis.url);
  try {
    const gate = new RedisSemaphore({ link: l });
    await redis.kill();
    await assert.rejects(() => gate.acquire(KEY, 3, { timeoutMs: 1000 }), RedisUnavailableError);
    await gate.close();
  } finally {
    await l.close();
  }
});

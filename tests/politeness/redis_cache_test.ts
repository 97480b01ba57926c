/**
 * The shared answer cache in a real redis-server: single flight across two
 * replicas (one question asked however many callers on both), a dead lock
 * holder taken over, failures passed on, cancellation, TTLs, a bounded wait,
 * and Redis going away.
 */

import assert from "node:assert/strict";
import { TelnetError } from "../../src/errors.ts";
import { openRedis, type RedisLink } from "../../src/politeness/redis_client.ts";
import { RedisQueryCache } from "../../src/politeness/redis_cache.ts";
import {
  RedisUnavailableError,
  SharedQueryError,
  SharedWaitTimeoutError,
} from "../../src/errors.ts";
import { rawCommand, redisTest, startRedis } from "../harness/mod.ts";

function link(url: string): Promise<RedisLink> {
  return openRedis({ url, commandTimeoutMs: 2000, connectTimeoutMs: 3000 });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A question whose answer takes `ms` to come, counting how often it is asked. */
function question(
  ms: number,
  answer: unknown = { prefix: "192.0.2.0/24", asPath: [64500, 15169] },
) {
  const asked = { count: 0 };
  const produce = async (signal: AbortSignal) => {
    asked.count++;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(signal.reason);
      }, { once: true });
    });
    return answer;
  };
  return { asked, produce };
}

await redisTest("callers on two replicas asking at once cause one question", async () => {
  await using redis = await startRedis();
  const links = [await link(redis.url), await link(redis.url)];
  try {
    const caches = links.map((l) => new RedisQueryCache({ link: l, pollMs: 50 }));
    const { asked, produce } = question(300);
    const calls = Array.from(
      { length: 24 },
      (_, i) => caches[i % 2].get("rv|route|longest|192.0.2.1", 60_000, produce),
    );
    const hits = await Promise.all(calls);
    assert.equal(asked.count, 1);
    for (const hit of hits) {
      assert.deepEqual(hit.value, { prefix: "192.0.2.0/24", asPath: [64500, 15169] });
    }
    assert.equal(hits.filter((h) => !h.cached).length, 1);
    const [a, b] = caches.map((c) => c.stats);
    assert.equal(a.asked + b.asked, 1);
    // The other replica's callers: one waited in Redis, the rest joined it locally.
    assert.equal(a.waited + b.waited, 1);
    assert.equal(a.joined + b.joined, 22);
    // Later calls are cache hits on either replica, with the answer's age.
    const later = await caches[1].get("rv|route|longest|192.0.2.1", 60_000, produce);
    assert.deepEqual([later.cached, asked.count], [true, 1]);
    assert.equal(caches[1].stats.hits, 1);
  } finally {
    await Promise.all(links.map((l) => l.close()));
  }
});

/** A link whose every answer from Redis arrives `ms` late (a replica on a slow network). */
function slow(inner: RedisLink, ms: number): RedisLink {
  return new Proxy(inner, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (name !== "command" && name !== "script") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async (...args: unknown[]) => {
        const reply = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        await delay(ms);
        return reply;
      };
    },
  });
}

await redisTest(
  "a replica whose look misses just before the holder lets go does not ask again",
  async () => {
    await using redis = await startRedis();
    const links = [await link(redis.url), await link(redis.url)];
    try {
      const fast = new RedisQueryCache({ link: links[0], pollMs: 50 });
      // Each answer from Redis reaches this replica 150 ms late: its look finds nothing, and by
      // the time it could take the lock the holder has stored its answer and let go.
      const late = new RedisQueryCache({ link: slow(links[1], 150), pollMs: 50 });
      const { asked, produce } = question(50);
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const first = fast.get("rv|route|exact|192.0.2.0/24", 60_000, (signal) => {
        holding();
        return produce(signal);
      });
      await held;
      const second = late.get("rv|route|exact|192.0.2.0/24", 60_000, produce);
      const [a, b] = await Promise.all([first, second]);
      assert.deepEqual(a.value, b.value);
      assert.equal(asked.count, 1);
      assert.deepEqual([a.cached, b.cached], [false, true]);
    } finally {
      await Promise.all(links.map((l) => l.close()));
    }
  },
);

await redisTest("a dead lock holder's question is taken over when its lock expires", async () => {
  await using redis = await startRedis();
  const l = await link(redis.url);
  try {
    const cache = new RedisQueryCache({ link: l, pollMs: 50 });
    // A replica took the lock and died: nobody refreshes it; it expires in 400 ms.
    await rawCommand(redis.port, "SET", "bgp-lg-mcp:cache-lock:k", "dead-flight", "PX", "400");
    const { asked, produce } = question(10, "answer");
    const started = performance.now();
    const hit = await cache.get("k", 60_000, produce);
    assert.deepEqual([hit.value, hit.cached, asked.count], ["answer", false, 1]);
    assert.ok(performance.now() - started >= 300, "waited for the lock to expire");
  } finally {
    await l.close();
  }
});

await redisTest("a failure is passed on to the other replica; nothing is asked twice", async () => {
  await using redis = await startRedis();
  const links = [await link(redis.url), await link(redis.url)];
  try {
    const [a, b] = links.map((l) => new RedisQueryCache({ link: l, pollMs: 50 }));
    let asked = 0;
    const failing = async () => {
      asked++;
      await delay(200);
      throw new TelnetError("rv", "timeout", "rv did not answer within 30 s; nothing was cached");
    };
    const first = a.get("k", 60_000, failing).catch((e) => e);
    await delay(50);
    const second = b.get("k", 60_000, failing).catch((e) => e);
    const [e1, e2] = await Promise.all([first, second]);
    assert.ok(e1 instanceof TelnetError);
    assert.ok(e2 instanceof SharedQueryError, String(e2));
    assert.equal(e2.message, "rv did not answer within 30 s; nothing was cached");
    assert.equal(e2.originalName, "TelnetError");
    assert.equal(asked, 1);
    // Failures are not cached: the next call asks again.
    const { asked: again, produce } = question(1, "fine");
    assert.equal((await b.get("k", 60_000, produce)).value, "fine");
    assert.equal(again.count, 1);
  } finally {
    await Promise.all(links.map((l) => l.close()));
  }
});

await redisTest("a holder whose callers all cancel hands the question to a waiter", async () => {
  await using redis = await startRedis();
  const links = [await link(redis.url), await link(redis.url)];
  try {
    const [a, b] = links.map((l) => new RedisQueryCache({ link: l, pollMs: 50 }));
    const { asked, produce } = question(300, "answer");
    const controller = new AbortController();
    const cancelled = a.get("k", 60_000, produce, controller.signal).catch((e) => e);
    await delay(50);
    const waiting = b.get("k", 60_000, produce);
    await delay(50);
    controller.abort("the user gave up");
    assert.equal((await cancelled).name, "AbortError");
    const hit = await waiting;
    assert.deepEqual([hit.value, hit.cached], ["answer", false]);
    assert.equal(asked.count, 2);
  } finally {
    await Promise.all(links.map((l) => l.close()));
  }
});

await redisTest(
  "answers expire after their TTL; a TTL of 0 shares but does not cache",
  async () => {
    await using redis = await startRedis();
    const links = [await link(redis.url), await link(redis.url)];
    try {
      const [a, b] = links.map((l) => new RedisQueryCache({ link: l, pollMs: 50 }));
      const { asked, produce } = question(150, "answer");
      await a.get("ttl", 300, produce);
      assert.equal((await b.get("ttl", 300, produce)).cached, true);
      await delay(400);
      assert.equal((await b.get("ttl", 300, produce)).cached, false);
      assert.equal(asked.count, 2);
      const both = await Promise.all([a.get("zero", 0, produce), b.get("zero", 0, produce)]);
      assert.equal(asked.count, 3, "shared in flight");
      assert.deepEqual(both.map((h) => h.value), ["answer", "answer"]);
      await a.get("zero", 0, produce);
      assert.equal(asked.count, 4, "not cached");
    } finally {
      await Promise.all(links.map((l) => l.close()));
    }
  },
);

await redisTest("a wait for another replica is bounded", async () => {
  await using redis = await startRedis();
  const l = await link(redis.url);
  try {
    const cache = new RedisQueryCache({ link: l, pollMs: 50, maxWaitMs: 400 });
    // A live holder that never answers (its lock lasts a minute).
    await rawCommand(redis.port, "SET", "bgp-lg-mcp:cache-lock:slow", "live-flight", "PX", "60000");
    const { asked, produce } = question(1);
    const error = await cache.get("slow", 60_000, produce).catch((e) => e);
    assert.ok(error instanceof SharedWaitTimeoutError, String(error));
    assert.match(error.message, /has not answered yet; this call stopped waiting and sent nothing/);
    assert.equal(asked.count, 0);
    // A caller that gives up stops the wait at once (no poll goes on behind it).
    const patient = new RedisQueryCache({ link: l, pollMs: 50 });
    const controller = new AbortController();
    const waiting = patient.get("slow", 60_000, produce, controller.signal);
    await delay(120);
    controller.abort("the user gave up");
    await assert.rejects(waiting, { name: "AbortError" });
    await delay(200);
    assert.equal(asked.count, 0);
  } finally {
    await l.close();
  }
});

await redisTest("without Redis nothing is asked and the error says why", async () => {
  await using redis = await startRedis();
  const l = await link(redis.url);
  try {
    const cache = new RedisQueryCache({ link: l });
    await redis.kill();
    const { asked, produce } = question(1);
    const error = await cache.get("k", 60_000, produce).catch((e) => e);
    assert.ok(error instanceof RedisUnavailableError, String(error));
    assert.equal(asked.count, 0);
  } finally {
    await l.close();
  }
});

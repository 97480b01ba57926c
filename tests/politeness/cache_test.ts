import assert from "node:assert/strict";
import { QueryCache } from "../../src/politeness/cache.ts";

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

Deno.test("answers are served from the cache until the TTL runs out", async () => {
  const time = clock();
  const cache = new QueryCache({ now: time.now });
  let calls = 0;
  const produce = () => Promise.resolve(++calls);
  assert.deepEqual(await cache.get("k", 60_000, produce), {
    value: 1,
    cached: false,
    ageSeconds: 0,
  });
  time.advance(42_500);
  assert.deepEqual(await cache.get("k", 60_000, produce), {
    value: 1,
    cached: true,
    ageSeconds: 42,
  });
  time.advance(17_500);
  assert.deepEqual(await cache.get("k", 60_000, produce), {
    value: 2,
    cached: false,
    ageSeconds: 0,
  });
  assert.equal((await cache.get("other", 60_000, produce)).value, 3);
});

Deno.test("single flight: 20 concurrent identical calls run the query once", async () => {
  const cache = new QueryCache();
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const produce = async () => {
    calls++;
    await gate;
    return "answer";
  };
  const pending = Array.from({ length: 20 }, () => cache.get("k", 60_000, produce));
  release();
  const hits = await Promise.all(pending);
  assert.equal(calls, 1);
  assert.deepEqual(hits.map((h) => h.value), Array(20).fill("answer"));
  assert.equal(hits.filter((h) => !h.cached).length, 1);
});

Deno.test("failures are shared by concurrent callers but never cached", async () => {
  const cache = new QueryCache();
  let calls = 0;
  const failing = () => {
    calls++;
    return Promise.reject(new Error("server down"));
  };
  const results = await Promise.allSettled([
    cache.get("k", 60_000, failing),
    cache.get("k", 60_000, failing),
  ]);
  assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected"]);
  assert.equal(calls, 1);
  await assert.rejects(cache.get("k", 60_000, failing), /server down/);
  assert.equal(calls, 2);
});

Deno.test("a TTL of 0 disables caching", async () => {
  const cache = new QueryCache();
  let calls = 0;
  await cache.get("k", 0, () => Promise.resolve(++calls));
  await cache.get("k", 0, () => Promise.resolve(++calls));
  assert.equal(calls, 2);
});

Deno.test("the shared query is cancelled only when every waiting caller gave up", async () => {
  const cache = new QueryCache();
  let querySignal!: AbortSignal;
  let finish!: (v: string) => void;
  const produce = (signal: AbortSignal) => {
    querySignal = signal;
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      signal.addEventListener("abort", () => reject(signal.reason));
    });
  };
  const a = new AbortController();
  const b = new AbortController();
  const first = cache.get("k", 60_000, produce, a.signal);
  const second = cache.get("k", 60_000, produce, b.signal);
  a.abort(new DOMException("first gave up", "AbortError"));
  await assert.rejects(first, /first gave up/);
  assert.equal(querySignal.aborted, false); // the second caller still waits
  finish("answer");
  assert.equal((await second).value, "answer");

  const c = new AbortController();
  const third = cache.get("k2", 60_000, produce, c.signal);
  c.abort(new DOMException("gone", "AbortError"));
  await assert.rejects(third, /gone/);
  assert.equal(querySignal.aborted, true); // nobody waits any more
});

Deno.test("a flight every caller gave up on is not joined: the next caller starts afresh", async () => {
  const cache = new QueryCache();
  let calls = 0;
  const produce = (signal: AbortSignal) => {
    const call = ++calls;
    // The first query ignores its abort for a while, as a socket being torn down would.
    if (call === 1) {
      return new Promise<string>((_, reject) =>
        signal.addEventListener("abort", () => setTimeout(() => reject(signal.reason), 10))
      );
    }
    return Promise.resolve(`answer ${call}`);
  };
  const gaveUp = new AbortController();
  const first = cache.get("k", 60_000, produce, gaveUp.signal);
  gaveUp.abort(new DOMException("gave up", "AbortError"));
  await assert.rejects(first, /gave up/);
  // The first query has not settled yet; a new caller must not inherit its abort.
  const second = await cache.get("k", 60_000, produce);
  assert.deepEqual(second, { value: "answer 2", cached: false, ageSeconds: 0 });
  assert.equal(calls, 2);
  await new Promise((resolve) => setTimeout(resolve, 20)); // let the dying query settle
  assert.equal((await cache.get("k", 60_000, produce)).value, "answer 2");
});

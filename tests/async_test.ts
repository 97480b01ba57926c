/**
 * The deadline and bounded-map helpers every timed or fanned-out step uses
 * (src/_async.ts): a deadline aborts with its reason, a parent's abort passes
 * through with the parent's reason, disposing clears everything (the op
 * sanitizer would see a timer left behind), and a pooled map never runs more
 * than its limit at once and keeps the items' order.
 */

import assert from "node:assert/strict";
import { deadlineSignal, mapPooled } from "../src/_async.ts";

Deno.test("deadline: aborts with its reason when the time is up, and says it expired", async () => {
  const reason = new Error("too slow");
  using deadline = deadlineSignal(20, { reason: () => reason });
  assert.equal(deadline.signal.aborted, false);
  await new Promise((resolve) => deadline.signal.addEventListener("abort", resolve));
  assert.equal(deadline.signal.reason, reason);
  assert.equal(deadline.expired, true);
});

Deno.test("deadline: without a reason, a TimeoutError", async () => {
  using deadline = deadlineSignal(1);
  await new Promise((resolve) => deadline.signal.addEventListener("abort", resolve));
  assert.equal((deadline.signal.reason as DOMException).name, "TimeoutError");
});

Deno.test("deadline: the parent's abort passes through with its reason, not as expiry", () => {
  const parent = new AbortController();
  using deadline = deadlineSignal(60_000, { signal: parent.signal });
  parent.abort("client went away");
  assert.equal(deadline.signal.aborted, true);
  assert.equal(deadline.signal.reason, "client went away");
  assert.equal(deadline.expired, false);
});

Deno.test("deadline: a parent aborted already aborts it at once", () => {
  const parent = AbortSignal.abort(new Error("gone"));
  using deadline = deadlineSignal(60_000, { signal: parent });
  assert.equal(deadline.signal.aborted, true);
  assert.equal((deadline.signal.reason as Error).message, "gone");
});

Deno.test("deadline: disposing clears the timer and the parent's listener", async () => {
  const parent = new AbortController();
  {
    using deadline = deadlineSignal(10, { signal: parent.signal });
    assert.equal(deadline.signal.aborted, false);
  }
  await new Promise((resolve) => setTimeout(resolve, 30));
  parent.abort(); // no listener left: nothing happens, and the sanitizers see no timer
});

Deno.test("pooled map: at most `limit` in flight, results in the items' order", async () => {
  let inFlight = 0;
  let most = 0;
  const delays = [30, 5, 20, 1, 15, 10, 2];
  const results = await mapPooled(delays, 3, async (ms, i) => {
    most = Math.max(most, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, ms));
    inFlight--;
    return `${i}:${ms}`;
  });
  assert.equal(most, 3);
  assert.deepEqual(results, delays.map((ms, i) => `${i}:${ms}`));
  assert.deepEqual(await mapPooled([], 8, () => Promise.resolve(1)), []);
});

import assert from "node:assert/strict";
import { ConnectionGate, type Permit } from "../../src/politeness/gate.ts";

const KEY = "rs.example.net:23";

Deno.test("gate: at most limit permits per key, whoever holds them; a release serves the queue in order", async () => {
  const gate = new ConnectionGate();
  const pool = {};
  const probes = {};
  const a = gate.tryAcquire(KEY, { limit: 2, owner: pool })!;
  const b = gate.tryAcquire(KEY, { limit: 2, owner: probes })!;
  assert.equal(gate.tryAcquire(KEY, { limit: 2, owner: pool }), null);
  assert.ok(gate.tryAcquire("other:23", { limit: 2, owner: pool }));
  const order: string[] = [];
  const first = gate.acquire(KEY, { limit: 2, owner: pool }, { timeoutMs: 5000 }).then((p) => {
    order.push("first");
    return p;
  });
  const second = gate.acquire(KEY, { limit: 2, owner: probes }, { timeoutMs: 5000 }).then((p) => {
    order.push("second");
    return p;
  });
  b.release();
  b.release(); // idempotent
  const p1 = (await first)!;
  assert.equal(gate.open(KEY), 2);
  a.release();
  const p2 = (await second)!;
  assert.deepEqual(order, ["first", "second"]);
  assert.equal(gate.peak(KEY), 2);
  p1.release();
  p2.release();
  assert.equal(gate.open(KEY), 0);
});

Deno.test("gate: a waiting request closes the longest-idle connection of another holder", async () => {
  const gate = new ConnectionGate();
  const lookups = {};
  const diagnostics = {};
  const evicted: string[] = [];
  const held: Permit[] = [];
  for (const name of ["old", "new"]) {
    const permit = gate.tryAcquire(KEY, { limit: 2, owner: lookups })!;
    held.push(permit);
    permit.markIdle(() => {
      evicted.push(name);
      permit.release();
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const permit = await gate.acquire(KEY, { limit: 2, owner: diagnostics }, { timeoutMs: 1000 });
  assert.ok(permit);
  assert.deepEqual(evicted, ["old"]);
  assert.equal(gate.open(KEY), 2);
  // A busy connection is never closed: this request waits, and times out.
  held[1].markBusy();
  assert.equal(
    await gate.acquire(KEY, { limit: 2, owner: diagnostics }, { timeoutMs: 50 }),
    null,
  );
  permit.release();
  held[1].release();
});

Deno.test("gate: an owner's own limit holds below the server's; idle permits of that owner make room", async () => {
  const gate = new ConnectionGate();
  const diagnostics = {};
  const one = gate.tryAcquire(KEY, { limit: 3, owner: diagnostics, ownerLimit: 1 })!;
  assert.equal(gate.tryAcquire(KEY, { limit: 3, owner: diagnostics, ownerLimit: 1 }), null);
  const controller = new AbortController();
  const waiting = gate.acquire(KEY, { limit: 3, owner: diagnostics, ownerLimit: 1 }, {
    timeoutMs: 5000,
    signal: controller.signal,
  });
  controller.abort(new Error("gave up"));
  await assert.rejects(waiting, /gave up/);
  one.markIdle(() => one.release());
  assert.ok(gate.tryAcquire(KEY, { limit: 3, owner: {} }));
  const next = await gate.acquire(KEY, { limit: 3, owner: diagnostics, ownerLimit: 1 }, {
    timeoutMs: 1000,
  });
  assert.ok(next);
});

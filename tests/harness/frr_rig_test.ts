import assert from "node:assert/strict";
import { rigTest, SINGLE_RIG, startRig } from "./frr_rig.ts";
import { listenerOwner, ownerIn } from "./port_owner.ts";

Deno.test("listenerOwner tells this process's listener from another's and from none", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  assert.equal(await listenerOwner(Deno.pid, "127.0.0.1", port), "ours");
  assert.equal(await listenerOwner(Deno.pid, "127.0.0.2", port), "none");
  const child = new Deno.Command("sleep", { args: ["30"], stdout: "null", stderr: "null" }).spawn();
  try {
    assert.equal(await listenerOwner(child.pid, "127.0.0.1", port), "other");
  } finally {
    child.kill();
    await child.status;
  }
});

Deno.test("ownerIn reads ss lines: the exact address or a wildcard, by pid", () => {
  const table = [
    'LISTEN 0 4096 127.0.0.1:4000 0.0.0.0:* users:(("bgpd",pid=10,fd=12))',
    'LISTEN 0 4096 0.0.0.0:4001 0.0.0.0:* users:(("other",pid=11,fd=3))',
    'LISTEN 0 4096 [::]:4002 [::]:* users:(("gobgpd",pid=12,fd=7),("gobgpd",pid=13,fd=7))',
    "LISTEN 0 4096 127.0.0.1:4003 0.0.0.0:*",
    "",
  ].join("\n");
  assert.equal(ownerIn(table, { pid: 10, address: "127.0.0.1", port: 4000 }), "ours");
  assert.equal(ownerIn(table, { pid: 10, address: "127.0.0.2", port: 4000 }), "none");
  assert.equal(ownerIn(table, { pid: 10, address: "127.0.0.1", port: 40 }), "none");
  assert.equal(ownerIn(table, { pid: 10, address: "127.0.0.2", port: 4001 }), "other");
  assert.equal(ownerIn(table, { pid: 13, address: "127.0.0.3", port: 4002 }), "ours");
  assert.equal(ownerIn(table, { pid: 10, address: "127.0.0.1", port: 4003 }), "none");
});

await rigTest("a rig whose vty port was taken starts again on new ports", async () => {
  // The first attempt's vty port is held here, as another test's rig would: bgpd then runs
  // without its vty, and the rig must not hand that port to the test.
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const picks: number[][] = [];
  const rig = await startRig(SINGLE_RIG, {
    pickPorts(count) {
      const held = Array.from(
        { length: count },
        () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
      );
      const ports = held.map((l) => l.addr.port);
      for (const l of held) l.close();
      // Popped last-first: the route server's BGP port, then its vty port.
      if (picks.length === 0) ports[count - 2] = taken.addr.port;
      picks.push([...ports]);
      return ports;
    },
  });
  try {
    // A later attempt may meet a port taken by someone else too (a parallel run): it retries.
    assert.ok(picks.length >= 2, `${picks.length} attempt`);
    assert.notEqual(rig.vtyPort, taken.addr.port);
    const last = picks.at(-1)!;
    assert.equal(rig.vtyPort, last[last.length - 2]);
    assert.equal(await listenerOwner(Deno.pid, "127.0.0.1", rig.vtyPort), "other");
  } finally {
    await rig.stop();
  }
});

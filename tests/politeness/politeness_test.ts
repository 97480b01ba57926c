/**
 * One politeness layer over everything that connects: `maxConcurrent` holds
 * per server across the query pool, the ping/traceroute pool and the probes;
 * probes are booked connections; one host:port has one budget, whatever its names.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import { engineOf } from "../../src/service/looking_glass.ts";
import {
  callTool,
  connectInProcess,
  FakeTelnetServer,
  frrScript,
  iosScript,
  loopbackEntry,
} from "../harness/mod.ts";

type Budget = { used: { connections: number }; remaining: { connections: number } };
type Listed = { servers: { name: string; budget: Budget; probe?: { reachable: boolean } }[] };

/** Waits until the fake server has accepted `count` connections (accepting runs on its own). */
async function accepted(fake: FakeTelnetServer, count: number): Promise<void> {
  for (let i = 0; i < 100 && fake.connections < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("50 concurrent list_servers probes: within maxConcurrent and the quota, every one booked", async () => {
  await using fake = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    await c.line(); // a probe closes at once
  });
  const config = parseConfig({
    defaultServer: "rs",
    servers: [loopbackEntry("rs", fake.port, {
      limits: { maxConcurrent: 2, cacheTtlMs: 0 },
      quota: { connections: 10 },
    })],
  }, "test");
  await using client = await connectInProcess(config);
  const results = await Promise.all(
    Array.from({ length: 50 }, () => callTool(client, "list_servers", { probe: true })),
  );
  for (const result of results) {
    assert.equal(result.isError, undefined, result.text);
    assert.equal((result.structuredContent as Listed).servers[0].probe?.reachable, true);
  }
  await new Promise((resolve) => setTimeout(resolve, 100)); // the server accepts on its own
  assert.ok(fake.maxOpen <= 2, `${fake.maxOpen} connections at once`);
  assert.ok(fake.connections <= 10, `${fake.connections} connections for a quota of 10`);
  const booked = client.lg.budget(config.servers[0]).used.connections;
  await accepted(fake, booked);
  assert.equal(booked, fake.connections);

  // Probes go on until the connection budget is spent, and then none is made.
  for (let i = 0; i < 12; i++) await callTool(client, "list_servers", { probe: true });
  const last = (await callTool(client, "list_servers", { probe: true }))
    .structuredContent as Listed & { servers: { probe: { error?: string } }[] };
  assert.match(last.servers[0].probe.error ?? "", /not probed: the connection budget is used up/);
  await accepted(fake, 10);
  assert.equal(fake.connections, 10);
  assert.equal(client.lg.budget(config.servers[0]).used.connections, 10);
});

Deno.test("20 concurrent probes of a server that is down: none says it is reachable", async () => {
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = closed.addr.port;
  closed.close(); // nothing listens there: every connect is refused
  const dir = await Deno.makeTempDir();
  try {
    const config = parseConfig({
      defaultServer: "rs",
      servers: [loopbackEntry("rs", port, { limits: { cacheTtlMs: 0 } })],
    }, "test");
    // A file ledger: booking takes a while, so the probes overlap.
    await using client = await connectInProcess(config, { ledgerPath: `${dir}/ledger.json` });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => callTool(client, "list_servers", { probe: true })),
    );
    for (const result of results) {
      const probe = (result.structuredContent as Listed & {
        servers: { probe: { reachable: boolean; error?: string } }[];
      }).servers[0].probe;
      assert.equal(probe.reachable, false, JSON.stringify(probe));
      assert.match(probe.error ?? "", /refused/i);
    }
    assert.equal(client.lg.budget(config.servers[0]).used.connections, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a probe waits for room behind a session still logging in (maxConcurrent 1)", async () => {
  const answers = {
    "show bgp ipv4 unicast 8.8.8.0/24 json": JSON.stringify({ prefix: "8.8.8.0/24", paths: [] }),
  };
  // The greeting comes late: the lookup's connection is open, its session not yet logged in.
  await using fake = new FakeTelnetServer(async (c) => {
    await c.sleep(400);
    await frrScript({ answers })(c);
  });
  const config = parseConfig({
    defaultServer: "rs",
    servers: [loopbackEntry("rs", fake.port, {
      limits: { maxConcurrent: 1, cacheTtlMs: 0, probeTimeoutMs: 5_000 },
    })],
  }, "test");
  await using client = await connectInProcess(config);
  const lookup = callTool(client, "route_lookup", { destination: "8.8.8.0/24" });
  await accepted(fake, 1);
  const listed = await callTool(client, "list_servers", { probe: true });
  await lookup;
  const probe = (listed.structuredContent as Listed).servers[0].probe;
  assert.equal(probe?.reachable, true, JSON.stringify(probe));
  assert.equal(fake.maxOpen, 1, `${fake.maxOpen} connections at once against a limit of 1`);
  assert.equal(engineOf(client.lg).gate.peak("127.0.0.1:" + fake.port), 1);
});

Deno.test("maxConcurrent is per server across lookups, ping, traceroute and probes", async () => {
  const route = [
    "BGP routing table entry for 8.8.8.0/24, version 7",
    "Paths: (1 available, best #1, table default)",
    "  3356 15169",
    "    4.68.1.1 from 4.68.1.1 (4.69.184.193)",
    "      Origin IGP, metric 0, localpref 100, valid, external, best",
  ].join("\n");
  const answers: Record<string, string> = {
    "ping 8.8.8.8 repeat 1 timeout 1": [
      "Type escape sequence to abort.",
      "Sending 1, 100-byte ICMP Echos to 8.8.8.8, timeout is 1 seconds:",
      "!",
      "Success rate is 100 percent (1/1), round-trip min/avg/max = 12/12/12 ms",
    ].join("\n"),
    "traceroute 8.8.8.8 timeout 1 ttl 1 2": [
      "Type escape sequence to abort.",
      "Tracing the route to 8.8.8.8",
      "  1 128.223.51.1 0 msec 0 msec 1 msec",
      "  2 8.8.8.8 [AS 15169] 20 msec 19 msec 20 msec",
    ].join("\n"),
  };
  for (let i = 0; i < 4; i++) {
    answers[`show ip bgp 8.8.${i}.0/24`] = route.replace("8.8.8.0", `8.8.${i}.0`);
  }
  await using fake = new FakeTelnetServer(iosScript({ answers, delayMs: 150 }));
  const config = parseConfig({
    defaultServer: "rv",
    servers: [{
      ...loopbackEntry("rv", fake.port, {
        dialect: "cisco-ios",
        login: { username: "rviews" },
        supports: ["ping", "traceroute"],
        limits: { maxConcurrent: 2, queueTimeoutMs: 20_000 },
      }),
    }],
  }, "test");
  await using client = await connectInProcess(config);
  const calls = [
    ...Array.from(
      { length: 4 },
      (_, i) => callTool(client, "route_lookup", { destination: `8.8.${i}.0/24` }),
    ),
    callTool(client, "ping", { destination: "8.8.8.8", count: 1, timeoutSeconds: 1 }),
    callTool(client, "traceroute", { destination: "8.8.8.8", maxHops: 2, timeoutSeconds: 1 }),
    callTool(client, "list_servers", { probe: true }),
  ];
  const results = await Promise.all(calls);
  for (const result of results) assert.equal(result.isError, undefined, result.text);
  assert.ok(fake.maxOpen <= 2, `${fake.maxOpen} connections at once against a limit of 2`);
  assert.equal(engineOf(client.lg).gate.peak("127.0.0.1:" + fake.port), 2);
  assert.equal(client.lg.budget(config.servers[0]).used.connections, fake.connections);
});

Deno.test("two names for one host:port share one budget", async () => {
  await using fake = new FakeTelnetServer(frrScript({
    answers: { "show bgp ipv4 unicast 8.8.8.0/24": "% Network not in table\r\n" },
    closeAfter: 1,
  }));
  const config = parseConfig({
    defaultServer: "alias-a",
    servers: [
      loopbackEntry("alias-a", fake.port, { quota: { connections: 1 } }),
      loopbackEntry("alias-b", fake.port, { quota: { connections: 1 } }),
    ],
  }, "test");
  await using client = await connectInProcess(config);
  const first = await callTool(client, "route_lookup", { destination: "8.8.8.0/24" });
  assert.equal(first.isError, undefined, first.text);
  const second = await callTool(client, "route_lookup", {
    destination: "8.8.8.0/24",
    server: "alias-b",
  });
  assert.equal(second.isError, true);
  assert.match(second.text, /connection budget for alias-b is used up \(1 of 1 connections/);
  assert.equal(fake.connections, 1);
  const listed = (await callTool(client, "list_servers", {})).structuredContent as Listed;
  assert.deepEqual(listed.servers.map((s) => s.budget.remaining.connections), [0, 0]);
});

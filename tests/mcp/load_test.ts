/**
 * Load: 500 tool calls issued at once through one stdio server process to
 * three real FRR route servers, each behind a counting relay. Every call is
 * answered, no server ever sees more than its session limit, memory stays
 * bounded, and every socket is closed at the end.
 */

import assert from "node:assert/strict";
import {
  callTool,
  NAMES_RSS_ALLOWANCE,
  Relay,
  type RigSpec,
  rigTest,
  spawnServer,
  startRig,
} from "../harness/mod.ts";

const SPEC: RigSpec = {
  feeders: [
    { id: 2, as: 15169, routes: ["add 8.8.8.0/24 aspath 15169 origin igp"] },
    { id: 3, as: 3356, routes: ["add 8.8.8.0/24 aspath 174,15169 origin igp med 10"] },
  ],
  routeServers: [1, 2, 3].map((n) => ({
    name: `rs${n}`,
    address: `127.0.0.2${n}`,
    feeders: [2, 3],
    expect: { ipv4: 2, ipv6: 0 },
  })),
};

const CALLS = 500;
const MAX_CONCURRENT = 2;

await rigTest("load: 500 concurrent calls through one process to 3 route servers", async () => {
  const rig = await startRig(SPEC);
  const relays = ["rs1", "rs2", "rs3"].map((name) =>
    new Relay({ target: { hostname: "127.0.0.1", port: rig.vtyPorts[name] } })
  );
  try {
    const config = await rig.writeConfig([], {
      servers: relays.map((relay, i) => ({
        name: `r${i + 1}`,
        host: "127.0.0.1",
        port: relay.port,
        dialect: "frr",
        login: "none",
        location: `relay to rs${i + 1}`,
        addressFamilies: ["ipv4"],
        enabled: true,
      })),
      top: {
        limits: { maxConcurrent: MAX_CONCURRENT, queueTimeoutMs: 60_000, queryTimeoutMs: 60_000 },
        quota: { connections: 100_000, bytesDown: 1e9, bytesUp: 1e9 },
      },
    });
    {
      await using server = await spawnServer(config, relays.map((r) => `127.0.0.1:${r.port}`), [
        "--ledger",
        "memory",
      ]);
      // One answer first: it loads the AS-names table (a fixed cost, once).
      const warm = await callTool(server.client, "route_lookup", { destination: "8.8.8.8" });
      assert.equal(warm.isError, undefined, warm.text);
      const warmRss = await server.peakRss();
      const calls = Array.from({ length: CALLS }, (_, i) => {
        const name = `r${(i % 3) + 1}`;
        if (i % 25 === 0) return callTool(server.client, "bgp_summary", { server: name });
        // Distinct destinations defeat the cache: half found, half not.
        const destination = i % 2 ? `8.8.8.${(i % 250) + 1}` : `9.9.${i % 250}.1`;
        return callTool(server.client, "route_lookup", { destination, server: name });
      });
      const results = await Promise.all(calls);
      const failures = results.filter((r) => r.isError);
      assert.deepEqual(failures.map((r) => r.text), []);
      const found = results.filter((r) =>
        (r.structuredContent as { found?: boolean }).found === true
      );
      assert.ok(found.length >= 200, `${found.length} lookups found 8.8.8.0/24`);
      for (const result of found) {
        const best = (result.structuredContent as { paths: { best: boolean; asPath: number[] }[] })
          .paths
          .find((p) => p.best);
        assert.deepEqual(best?.asPath, [15169, 15169]);
      }
      for (const relay of relays) {
        assert.ok(
          relay.maxOpen <= MAX_CONCURRENT,
          `a server saw ${relay.maxOpen} sessions at once`,
        );
        assert.ok(relay.connections <= MAX_CONCURRENT * 2, `${relay.connections} connections`);
      }
      const rss = await server.peakRss();
      const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
      assert.ok(rss < 150 * 1024 * 1024 + NAMES_RSS_ALLOWANCE, `peak RSS ${mb(rss)}`);
      // The flood itself adds what it added before AS names existed, at most.
      assert.ok(rss - warmRss < 80 * 1024 * 1024, `peak RSS ${mb(rss)} after ${mb(warmRss)}`);
    }
    // The client closed stdin: the process said goodbye and closed every session.
    for (const relay of relays) {
      for (let i = 0; relay.open > 0 && i < 50; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(relay.open, 0);
    }
  } finally {
    for (const relay of relays) await relay.close();
    await rig.stop();
  }
});

// deno-lint-ignore-file no-console -- a benchmark reports on stdout
/**
 * Fan-out benchmark: route_compare over N real FRR route servers, each behind
 * a relay adding a different one-way delay, against the slowest single
 * lookup. Sessions and cache are cold in every round (a new LookingGlass).
 *
 * Run (root, FRR and GoBGP installed): deno task bench:fanout
 */

import { loadConfig } from "../src/config/load.ts";
import { compareRoute } from "../src/service/route_compare.ts";
import { lookupRoute } from "../src/service/route_lookup.ts";
import { LookingGlass } from "../src/service/looking_glass.ts";
import { Relay, type RigSpec, startRig } from "../tests/harness/mod.ts";

const DELAYS_MS = [5, 10, 15, 20, 25, 30, 35, 40];
const ROUNDS = 7;

const spec: RigSpec = {
  feeders: [
    { id: 2, as: 15169, routes: ["add 8.8.8.0/24 aspath 15169 origin igp"] },
    { id: 3, as: 3356, routes: ["add 8.8.8.0/24 aspath 174,15169 origin igp"] },
  ],
  routeServers: [1, 2].map((n) => ({
    name: `rs${n}`,
    address: `127.0.0.1${n}`,
    feeders: [2, 3],
    expect: { ipv4: 2, ipv6: 0 },
  })),
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rig = await startRig(spec);
const relays: Relay[] = [];
try {
  // Eight vantage points: four relays in front of each route server, each with its own delay.
  const entries = DELAYS_MS.map((delayMs, i) => {
    const relay = new Relay({
      target: { hostname: "127.0.0.1", port: rig.vtyPorts[`rs${(i % 2) + 1}`] },
      delayMs,
    });
    relays.push(relay);
    return {
      name: `v${i + 1}`,
      host: "127.0.0.1",
      port: relay.port,
      dialect: "frr",
      login: "none",
      location: `relay +${delayMs} ms`,
      addressFamilies: ["ipv4"],
      enabled: true,
    };
  });
  const config = await loadConfig(
    await rig.writeConfig([], {
      servers: entries,
      top: { quota: { connections: 100_000, bytesDown: 1e9, bytesUp: 1e9 } },
    }),
  );
  const cold = async <T>(work: (lg: LookingGlass) => Promise<T>) => {
    await using lg = await LookingGlass.open(config, { ledgerPath: null });
    const started = performance.now();
    await work(lg);
    return performance.now() - started;
  };

  console.log("servers  slowest single (ms)  route_compare (ms)  ratio");
  for (const n of [2, 4, 8]) {
    const names = entries.slice(0, n).map((e) => e.name);
    const singles: number[] = [];
    const fanouts: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const perServer = [];
      for (const server of names) {
        perServer.push(await cold((lg) => lookupRoute(lg, { destination: "8.8.8.8", server })));
      }
      singles.push(Math.max(...perServer));
      fanouts.push(
        await cold((lg) => compareRoute(lg, { destination: "8.8.8.8", servers: names })),
      );
    }
    const single = median(singles);
    const fanout = median(fanouts);
    console.log(
      `${String(n).padEnd(9)}${single.toFixed(1).padEnd(21)}${fanout.toFixed(1).padEnd(20)}${
        (fanout / single).toFixed(2)
      }`,
    );
  }
} finally {
  for (const relay of relays) await relay.close();
  await rig.stop();
}

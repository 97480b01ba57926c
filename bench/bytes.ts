// deno-lint-ignore-file no-console -- a benchmark reports on stdout
/**
 * Bytes per lookup, text vs json, on a real FRR route server: one prefix held
 * with 2, 20 and 200 paths (GoBGP sends them all with BGP add-path, each from
 * its own peer of a seeded MRT file, with route-views-like AS paths and
 * communities). Each lookup is a `route_lookup` through the MCP server with
 * the cache off; the bytes are what the quota ledger booked for it (the whole
 * answer: echo, output, the end sentinel's prompt), so "lookups per 500 KB" is
 * what a Route Views user gets per collector per day from warm sessions.
 *
 * Run (root, FRR and GoBGP installed): deno task bench:bytes
 */

import { loadConfig } from "../src/config/load.ts";
import {
  callTool,
  connectInProcess,
  encodeMrt,
  type MrtPeer,
  type MrtRoute,
  prng,
  startRig,
} from "../tests/harness/mod.ts";

const COUNTS = [2, 20, 200] as const;
const BUDGET = 500_000;
const ROUNDS = 5;

/** `count` paths for `prefix`, each from its own peer. */
function paths(count: number, prefix: string, random: () => number): {
  routes: MrtRoute[];
  peers: MrtPeer[];
} {
  const peers = Array.from({ length: count }, (_, i) => ({
    address: `10.${200 + (count % 50)}.${i >> 8}.${i & 255}`,
    as: 64600 + i,
  }));
  const asn = () => 1 + Math.floor(random() * 64000);
  const routes = peers.map((peer, i): MrtRoute => ({
    prefix,
    peer: i,
    attributes: {
      origin: "IGP",
      asPath: [{
        type: "sequence",
        asns: [peer.as, ...Array.from({ length: 1 + Math.floor(random() * 4) }, asn), 64500],
      }],
      nextHop: "192.0.2.1",
      ...(random() < 0.3 ? { med: Math.floor(random() * 1000) } : {}),
      communities: Array.from(
        { length: Math.floor(random() * 6) },
        () => `${peer.as}:${Math.floor(random() * 65536)}`,
      ),
      largeCommunities: random() < 0.2 ? [`${peer.as}:1:${Math.floor(random() * 1000)}`] : [],
    },
  }));
  return { routes, peers };
}

const random = prng(11);
const sets = COUNTS.map((count, i) => ({
  count,
  prefix: `45.60.${i}.0/24`,
  ...paths(count, `45.60.${i}.0/24`, random),
}));
const peers = sets.flatMap((s) => s.peers);
let offset = 0;
const routes = sets.flatMap((s) => {
  const shifted = s.routes.map((r) => ({ ...r, peer: r.peer! + offset }));
  offset += s.peers.length;
  return shifted;
});

const rig = await startRig({
  feeders: [{
    id: 2,
    as: 15169,
    routes: [],
    addPath: true,
    mrt: { bytes: encodeMrt(routes, { peers }), ipv4: COUNTS.length, ipv6: 0 },
  }],
  routeServers: [{
    name: "rig",
    address: "127.0.0.1",
    feeders: [2],
    expect: { ipv4: COUNTS.reduce((a, b) => a + b, 0), ipv6: 0 },
  }],
});
try {
  const entry = (name: string, preferJson: boolean) => ({
    name,
    host: "127.0.0.1",
    port: rig.vtyPort,
    dialect: "frr",
    login: "none",
    location: "loopback",
    addressFamilies: ["ipv4"],
    enabled: true,
    preferJson,
    limits: { cacheTtlMs: 0 },
    quota: { bytesDown: 1_000_000_000, connections: 1000 },
  });
  const config = await loadConfig(
    await rig.writeConfig([], { servers: [entry("text", false), entry("json", true)] }),
  );
  await using client = await connectInProcess(config);
  const booked = (name: string) =>
    client.lg.budget(config.servers.find((s) => s.name === name)!).used.bytesDown;
  console.log("bytes per warm route_lookup (FRR 8.4, medians of 5), and lookups per 500 KB\n");
  console.log("paths  text B   json B   json/text  per 500 KB: text  json");
  for (const { count, prefix } of sets) {
    const result: Record<string, number> = {};
    for (const server of ["text", "json"]) {
      // A first lookup opens the session (its greeting is not a lookup's cost).
      await callTool(client, "route_lookup", { destination: prefix, server, maxPaths: 500 });
      const each: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const before = booked(server);
        const r = await callTool(client, "route_lookup", {
          destination: prefix,
          server,
          maxPaths: 500,
        });
        if (r.isError) throw new Error(r.text);
        each.push(booked(server) - before);
      }
      result[server] = each.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
    }
    console.log(
      `${String(count).padEnd(6)} ${String(result.text).padEnd(8)} ${
        String(result.json).padEnd(8)
      } ` +
        `${(result.json / result.text).toFixed(2).padEnd(10)} ${
          String(Math.floor(BUDGET / result.text)).padStart(11)
        }  ${Math.floor(BUDGET / result.json)}`,
    );
  }
} finally {
  await rig.stop();
}

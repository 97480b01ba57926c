// deno-lint-ignore-file no-console -- a benchmark reports on stdout
/**
 * Team benchmark: two replica processes of the real server (`serve --http
 * --tokens --redis`) on one real redis-server, in front of the FRR rig behind
 * a counting relay. 200 HTTP clients (the SDK's StreamableHTTPClientTransport,
 * ten users), half on each replica, call `route_lookup` at once: a tenth ask
 * the same question, the rest one of 36 distinct ones (each asked of the route
 * server once). Reports the call latency (p50, p99), the route server's most
 * connections at once against `maxConcurrent`, and each replica's peak RSS;
 * then the latency of one cached call at a time over HTTP with Redis, and
 * what building the MCP server for each request costs.
 *
 * Run (root, FRR, GoBGP and redis-server installed): deno task bench:team
 */

import { builtinConfig } from "../src/config/load.ts";
import { createServer } from "../src/mcp/server.ts";
import { LookingGlass } from "../src/service/looking_glass.ts";
import { callTool, RIG_ROUTES, startTeam } from "../tests/harness/mod.ts";

const CLIENTS = 200;
const MAX_CONCURRENT = 2;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

const team = await startTeam({
  limits: { maxConcurrent: MAX_CONCURRENT, queueTimeoutMs: 60_000, queryTimeoutMs: 60_000 },
  quota: { connections: 100_000, bytesDown: 1e9, bytesUp: 1e9 },
});
try {
  for (let round = 0; round < 2; round++) {
    const clients = await Promise.all(
      Array.from(
        { length: CLIENTS },
        (_, i) => team.connect(i % 2, team.users[i % team.users.length]),
      ),
    );
    const before = { connections: team.relay.connections, lines: team.relay.lines.length };
    const started = performance.now();
    const latencies = await Promise.all(clients.map(async (client, i) => {
      const destination = i % 10 === 0 ? RIG_ROUTES.google.prefix : `9.${round + 1}.${i % 40}.0/24`;
      const t0 = performance.now();
      const result = await callTool(client, "route_lookup", { destination });
      if (result.isError) throw new Error(result.text);
      return performance.now() - t0;
    }));
    const wall = performance.now() - started;
    await Promise.all(clients.map((c) => c.close()));
    const queries = team.relay.lines.slice(before.lines).filter((l) =>
      l.startsWith("show ")
    ).length;
    console.log(
      `round ${round + 1}: ${CLIENTS} concurrent calls over 2 replicas in ${wall.toFixed(0)} ms ` +
        `(${(CLIENTS / (wall / 1000)).toFixed(0)} calls/s); latency p50 ${
          quantile(latencies, 0.5).toFixed(1)
        } ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms; ${queries} route-server queries, ` +
        `${
          team.relay.connections - before.connections
        } new connections, at most ${team.relay.maxOpen} ` +
        `open at once (maxConcurrent ${MAX_CONCURRENT})`,
    );
  }
  for (const [i, replica] of team.replicas.entries()) {
    console.log(`replica ${i + 1}: peak RSS ${((await replica.peakRss()) / 1e6).toFixed(0)} MB`);
  }
  // One call at a time, answered from the shared cache: the floor of a call through a replica.
  await using client = await team.connect(0, team.users[0]);
  const cached: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await callTool(client, "route_lookup", { destination: RIG_ROUTES.google.prefix });
    cached.push(performance.now() - t0);
  }
  console.log(
    `cached call over HTTP + Redis, one at a time: p50 ${quantile(cached, 0.5).toFixed(2)} ms, ` +
      `p99 ${quantile(cached, 0.99).toFixed(2)} ms`,
  );
} finally {
  await team.stop();
}

// What a stateless server pays per request: a fresh MCP server with every tool, resource and prompt.
{
  await using lg = await LookingGlass.open(builtinConfig(), { ledgerPath: null });
  for (let i = 0; i < 50; i++) await createServer(lg).close();
  const n = 500;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await createServer(lg).close();
  console.log(`createServer per request: ${((performance.now() - t0) / n).toFixed(3)} ms`);
}

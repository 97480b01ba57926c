/**
 * A team deployment with real parts: two replica processes of the real server
 * (`serve --http … --tokens … --redis …`) sharing one real redis-server, in
 * front of the real FRR rig behind a counting relay (what the route server
 * sees), called by the SDK's real StreamableHTTPClientTransport as ten users.
 *
 * - Callers spread over both replicas asking the same question cause exactly
 *   one route-server query (single flight across replicas).
 * - Distinct questions from both replicas at once never open more than
 *   `maxConcurrent` connections to the server, each question asked once.
 * - The ledger counts every connection from both replicas exactly once, and
 *   the users' shares add up to the team's use.
 * - Redis killed mid-run: every route-server query is refused with the clear
 *   error and nothing reaches the server; tools that need no route server keep
 *   working; when Redis is back the replicas reconnect and the ledger still
 *   holds every connection.
 * - Load: 200 concurrent HTTP clients through both replicas, all answered,
 *   `maxConcurrent` held (at the route server and in Redis's slots), one
 *   query per distinct question, every connection in the ledger once; Redis
 *   killed in the middle of another 200: each answered or refused with the
 *   clear error, no new connection to the route server.
 */

import assert from "node:assert/strict";
import type { BgpPath } from "../src/bgp/types.ts";
import {
  callTool,
  type CallToolResult,
  rawCommand,
  RIG_ROUTES,
  startTeam,
  type Team,
  teamTest,
} from "./harness/mod.ts";

const MAX_CONCURRENT = 2;

type Listing = {
  ledger: string;
  user?: string;
  userShare?: number;
  sharedState?: { redis: string; reachable: boolean; note?: string };
  servers: {
    name: string;
    budget: { used: { connections: number; bytesDown: number } };
    yourShare?: { limits: { connections: number }; used: { connections: number } };
  }[];
};

/** Calls a tool on replica `replica` as `user`, on a client of its own (connected, called, closed). */
async function call(
  team: Team,
  replica: number,
  user: string,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult & { text: string }> {
  await using client = await team.connect(replica, user);
  return await callTool(client, name, args);
}

/** The lines the route server was sent that ask about `destination`. */
function asked(team: Team, destination: string): string[] {
  return team.relay.lines.filter((line) => line.includes(` ${destination}`));
}

async function listing(team: Team, replica: number, user: string): Promise<Listing> {
  const result = await call(team, replica, user, "list_servers", {});
  assert.equal(result.isError, undefined, result.text);
  return result.structuredContent as Listing;
}

await teamTest(
  "team: two replicas on one Redis share one cache, one ledger, one limit",
  async (t) => {
    await using team = await startTeam({
      persistRedis: true,
      limits: { maxConcurrent: MAX_CONCURRENT, queueTimeoutMs: 30_000, queryTimeoutMs: 30_000 },
    });
    const { relay, users } = team;

    await t.step(
      "20 callers over both replicas, one question: one route-server query",
      async () => {
        const results = await Promise.all(
          Array.from(
            { length: 20 },
            (_, i) =>
              call(team, i % 2, users[i % users.length], "route_lookup", {
                destination: RIG_ROUTES.google.prefix,
              }),
          ),
        );
        for (const result of results) {
          assert.equal(result.isError, undefined, result.text);
          const data = result.structuredContent as { paths: BgpPath[]; cached: boolean };
          const best = data.paths.find((p) => p.best)!;
          assert.deepEqual(best.asPath, RIG_ROUTES.google.viaGoogle.asPath);
          assert.equal(best.nextHop, RIG_ROUTES.google.viaGoogle.nextHop);
        }
        assert.equal(asked(team, RIG_ROUTES.google.prefix).length, 1, relay.lines.join("\n"));
        const fresh = results.filter((r) => !(r.structuredContent as { cached: boolean }).cached);
        assert.equal(fresh.length, 1);
      },
    );

    await t.step(
      "distinct questions from both replicas: at most maxConcurrent connections",
      async () => {
        const destinations = Array.from({ length: 24 }, (_, i) => `9.9.${i}.0/24`);
        const results = await Promise.all(
          destinations.map((destination, i) =>
            call(team, i % 2, users[i % users.length], "route_lookup", { destination })
          ),
        );
        for (const result of results) {
          assert.equal(result.isError, undefined, result.text);
          assert.equal((result.structuredContent as { found: boolean }).found, false);
        }
        for (const destination of destinations) {
          // Each asked once: the text form (FRR answers it), nothing else.
          assert.deepEqual(asked(team, destination), [`show bgp ipv4 unicast ${destination}`]);
        }
        assert.ok(relay.maxOpen <= MAX_CONCURRENT, `${relay.maxOpen} connections at once`);
        assert.ok(relay.connections >= 1);
      },
    );

    await t.step("the ledger counts every connection from both replicas once", async () => {
      const [a, b] = await Promise.all([listing(team, 0, users[0]), listing(team, 1, users[1])]);
      assert.equal(a.ledger, "redis");
      assert.deepEqual([a.user, a.userShare], [users[0], 0.5]);
      const teamUse = a.servers[0].budget.used.connections;
      assert.equal(teamUse, relay.connections);
      assert.equal(b.servers[0].budget.used.connections, teamUse);
      // Every connection was made for one of the users: their shares add up to the team's use.
      const shares = await Promise.all(users.map((user, i) => listing(team, i % 2, user)));
      const sum = shares.reduce((total, s) => total + s.servers[0].yourShare!.used.connections, 0);
      assert.equal(sum, teamUse);
      for (const share of shares) assert.equal(share.servers[0].yourShare!.limits.connections, 50);
    });

    await t.step(
      "Redis killed mid-run: the clear error, nothing sent, the rest keeps working",
      async () => {
        await team.redis.kill();
        const before = { connections: relay.connections, lines: relay.lines.length };
        const refused = await Promise.all(
          Array.from(
            { length: 10 },
            (_, i) => call(team, i % 2, users[i], "route_lookup", { destination: `9.8.${i}.0/24` }),
          ),
        );
        for (const result of refused) {
          assert.equal(result.isError, true, result.text);
          assert.match(
            result.text,
            /^Refused before connecting: the team's shared budget and cache in Redis \(redis:\/\/127\.0\.0\.1:\d+\/?\) cannot be used \(.+\); no route server was contacted/,
          );
        }
        const summary = await call(team, 0, users[0], "bgp_summary", {});
        assert.equal(summary.isError, true);
        assert.match(summary.text, /cannot be used/);
        assert.deepEqual({ connections: relay.connections, lines: relay.lines.length }, before);
        // Tools that need no route server: the list (as of Redis's last answer), resources, refusals.
        const list = await listing(team, 1, users[1]);
        assert.equal(list.sharedState?.reachable, false);
        assert.match(list.sharedState?.note ?? "", /route-server queries are refused/);
        assert.equal(list.servers[0].budget.used.connections, before.connections);
        const refusal = await call(team, 0, users[0], "route_lookup", { destination: "10.1.2.3" });
        assert.match(refusal.text, /private-use/);
        {
          await using client = await team.connect(1, users[2]);
          const resource = await client.readResource({ uri: "servers://list" });
          assert.match((resource.contents[0] as { text: string }).text, /"name": "rig"/);
        }
        assert.deepEqual({ connections: relay.connections, lines: relay.lines.length }, before);
      },
    );

    await t.step(
      "Redis back: both replicas reconnect and answer; the ledger holds every connection",
      async () => {
        await team.redis.restart();
        for (const replica of [0, 1]) {
          let result: CallToolResult & { text: string };
          const deadline = Date.now() + 20_000;
          do {
            result = await call(team, replica, users[replica], "route_lookup", {
              destination: `9.7.${replica}.0/24`,
            });
            if (!result.isError) break;
            await new Promise((resolve) => setTimeout(resolve, 200));
          } while (Date.now() < deadline);
          assert.equal(result.isError, undefined, result.text);
        }
        const list = await listing(team, 0, users[0]);
        assert.equal(list.sharedState?.reachable, true);
        assert.equal(list.servers[0].budget.used.connections, relay.connections);
      },
    );
  },
);

await teamTest("team load: 200 concurrent HTTP clients through both replicas", async () => {
  await using team = await startTeam({
    limits: { maxConcurrent: MAX_CONCURRENT, queueTimeoutMs: 60_000, queryTimeoutMs: 60_000 },
  });
  const { relay, users } = team;
  const CLIENTS = 200;
  // A mix: every tenth client asks the same question, the rest one of 36 distinct ones.
  const destinations = Array.from(
    { length: CLIENTS },
    (_, i) => i % 10 === 0 ? RIG_ROUTES.google.prefix : `9.6.${i % 40}.0/24`,
  );
  // The team's slots of the server in Redis, looked at every 20 ms while the clients run.
  const slots = `bgp-lg-mcp:gate:127.0.0.1:${relay.port}`;
  let running = true;
  let mostSlots = 0;
  const watching = (async () => {
    while (running) {
      const reply = await rawCommand(team.redis.port, "ZCARD", slots);
      mostSlots = Math.max(mostSlots, Number(/^:(\d+)/.exec(reply)?.[1] ?? NaN));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const results = await Promise.all(
    destinations.map((destination, i) =>
      call(team, i % 2, users[i % users.length], "route_lookup", { destination })
    ),
  ).finally(() => (running = false));
  await watching;
  for (const result of results) assert.equal(result.isError, undefined, result.text);
  for (const destination of new Set(destinations)) {
    assert.equal(asked(team, destination).length, 1, destination);
  }
  assert.ok(relay.maxOpen <= MAX_CONCURRENT, `${relay.maxOpen} connections at once`);
  assert.ok(mostSlots >= 1 && mostSlots <= MAX_CONCURRENT, `${mostSlots} slots in Redis at once`);
  // The ledger holds every connection the route server saw, from both replicas, once.
  const [a, b] = await Promise.all([listing(team, 0, users[0]), listing(team, 1, users[1])]);
  assert.equal(a.servers[0].budget.used.connections, relay.connections);
  assert.equal(b.servers[0].budget.used.connections, relay.connections);
  for (const replica of team.replicas) {
    assert.ok((await replica.peakRss()) < 400 * 1024 * 1024, "peak RSS under 400 MB");
  }

  // Redis killed in the middle of another 200: each call is answered or refused with the clear
  // error (before connecting, or a query stopped on its open session), and the route server sees
  // no new connection after the kill.
  const shows = () => relay.lines.filter((line) => line.startsWith("show ")).length;
  const before = shows();
  const wave = Array.from(
    { length: CLIENTS },
    (_, i) =>
      call(team, i % 2, users[i % users.length], "route_lookup", {
        destination: `9.5.${i % 60}.0/24`,
      }),
  );
  const deadline = Date.now() + 30_000;
  while (shows() < before + 12 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const atKill = { connections: relay.connections, shows: shows() };
  await team.redis.kill();
  const outcomes = await Promise.all(wave);
  let refused = 0;
  for (const result of outcomes) {
    if (result.isError === undefined) continue;
    refused++;
    assert.match(
      result.text,
      /^(?:Refused before connecting: the|The) team's shared budget and cache in Redis \(redis:\/\/127\.0\.0\.1:\d+\/?\) cannot be used \([^)]+\)(?:;|: the query was stopped and its session with the route server closed)/,
    );
  }
  assert.ok(refused > 0, "some calls came after the kill");
  assert.equal(relay.connections, atKill.connections);
  // At most the commands already on their way when Redis went (one per open session).
  assert.ok(shows() - atKill.shows <= MAX_CONCURRENT, `${shows() - atKill.shows} sent after`);
});

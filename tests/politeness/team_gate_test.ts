/**
 * The team's per-server connection limit on top of each replica's gate
 * (`team_gate.ts`), with two replicas' pools on one real redis-server and a
 * fake route server: a replica that waits for room gets it from another
 * replica's idle session, a slot Redis no longer counts closes its
 * connection (at once when idle, after its query when busy), and a probe
 * holds a slot for its connection.
 */

import assert from "node:assert/strict";
import type { ServerConfig } from "../../src/config/schema.ts";
import { budgetKey } from "../../src/politeness/budget.ts";
import { ConnectionGate } from "../../src/politeness/gate.ts";
import { LedgerStore } from "../../src/politeness/ledger_store.ts";
import { SessionPool } from "../../src/politeness/pool.ts";
import { probeServers } from "../../src/politeness/probe.ts";
import { openRedis, type RedisLink } from "../../src/politeness/redis_client.ts";
import { RedisSemaphore } from "../../src/politeness/redis_gate.ts";
import { TeamGate } from "../../src/politeness/team_gate.ts";
import type { Session } from "../../src/session.ts";
import { openTelnetSession } from "../../src/telnet/session.ts";
import {
  FakeTelnetServer,
  frrScript,
  loopbackServer,
  rawCommand,
  redisTest,
  startRedis,
} from "../harness/mod.ts";

function server(port: number, limits: Record<string, number> = {}): ServerConfig {
  return loopbackServer("fake", port, {
    limits: {
      commandTimeoutMs: 5000,
      maxConcurrent: 1,
      idleTimeoutMs: 60_000,
      queueTimeoutMs: 4000,
      ...limits,
    },
  });
}

const ask = (command: string) => (session: Session) =>
  session.command(command, { timeoutMs: 5000, maxBytes: 1 << 20 });

/** One replica: its own gate, pool and ledger, the team's limit through its own Redis link. */
interface Replica extends AsyncDisposable {
  link: RedisLink;
  gate: ConnectionGate;
  semaphore: RedisSemaphore;
  team: TeamGate;
  pool: SessionPool;
  ledger: LedgerStore;
}

async function replica(url: string, keys: string[]): Promise<Replica> {
  const link = await openRedis({ url, commandTimeoutMs: 2000, connectTimeoutMs: 3000 });
  const gate = new ConnectionGate();
  const semaphore = new RedisSemaphore({ link, pollMs: 20 });
  const team = new TeamGate(semaphore, gate);
  await team.watch(keys);
  const ledger = new LedgerStore();
  const pool = new SessionPool({ open: openTelnetSession, ledger, gate, team });
  const close = async () => {
    await pool.close();
    await team.close();
    await semaphore.close();
    await link.close();
  };
  return { link, gate, semaphore, team, pool, ledger, [Symbol.asyncDispose]: close };
}

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

await redisTest(
  "a replica waiting for room gets it from another replica's idle session at once",
  async () => {
    await using redis = await startRedis();
    await using fake = new FakeTelnetServer(frrScript({ answers: { "show x": "x answer" } }));
    const rs = server(fake.port);
    await using a = await replica(redis.url, [budgetKey(rs)]);
    await using b = await replica(redis.url, [budgetKey(rs)]);
    assert.equal(await a.pool.run(rs, ask("show x")), "x answer");
    assert.equal(a.pool.stats("fake").open, 1, "idle, holding the team's only slot");
    const started = performance.now();
    assert.equal(await b.pool.run(rs, ask("show x")), "x answer");
    // Not after a's idle timeout (60 s) nor b's queue timeout (4 s): a closed its idle session.
    assert.ok(performance.now() - started < 3000, `${performance.now() - started} ms`);
    assert.equal(a.pool.stats("fake").open, 0);
    assert.equal(fake.maxOpen, 1);
    assert.equal(fake.connections, 2);
  },
);

/** Makes Redis forget every slot of `key` and fills the room with another replica's. */
async function takeTheRoom(port: number, key: string): Promise<void> {
  const set = `bgp-lg-mcp:gate:${key}`;
  await rawCommand(port, "DEL", set);
  await rawCommand(port, "ZADD", set, String(Date.now() + 600_000), "someone-else");
}

await redisTest(
  "a slot Redis lost closes its connection: at once when idle, after its query when busy",
  async () => {
    await using redis = await startRedis();
    await using fake = new FakeTelnetServer(
      frrScript({ answers: { "show x": "x answer", "show slow": "slow answer" }, delayMs: 0 }),
    );
    const rs = server(fake.port, { maxConcurrent: 1 });
    const key = budgetKey(rs);
    await using a = await replica(redis.url, [key]);

    // Idle: closed as soon as the renewal finds the slot gone.
    assert.equal(await a.pool.run(rs, ask("show x")), "x answer");
    assert.equal(a.pool.stats("fake").open, 1);
    await takeTheRoom(redis.port, key);
    await a.semaphore.renew();
    await until(() => a.pool.stats("fake").open === 0, "the idle session closed");
    await until(() => a.gate.open(key) === 0, "its permit given back");
    await rawCommand(redis.port, "DEL", `bgp-lg-mcp:gate:${key}`);

    // Busy: the query ends, then the session is closed instead of kept.
    const answer = a.pool.run(rs, async (session) => {
      await takeTheRoom(redis.port, key);
      await a.semaphore.renew();
      return await ask("show x")(session);
    });
    assert.equal(await answer, "x answer");
    await until(() => a.pool.stats("fake").open === 0, "the busy session closed after its query");
    assert.equal(fake.connections, 2);
  },
);

await redisTest("a probe holds a slot of the team's limit for its connection", async () => {
  await using redis = await startRedis();
  await using fake = new FakeTelnetServer(frrScript({ answers: {} }));
  const rs = server(fake.port, { maxConcurrent: 1, probeTimeoutMs: 500 });
  const key = budgetKey(rs);
  await using a = await replica(redis.url, [key]);
  const probe = () =>
    probeServers([rs], { gate: a.gate, team: a.team, ledger: a.ledger }).then((r) => r[0]);
  const free = await probe();
  assert.equal(free.reachable, true, free.error);
  assert.equal(fake.connections, 1);
  // Another replica holds the only slot: no probe connection, and the answer says why.
  await rawCommand(redis.port, "ZADD", `bgp-lg-mcp:gate:${key}`, String(Date.now() + 600_000), "b");
  const full = await probe();
  assert.equal(full.reachable, false);
  assert.match(full.error ?? "", /no room under its limit of 1 connections across the team's/);
  assert.equal(fake.connections, 1);
  assert.equal(a.ledger.status(key, rs.quota).used.connections, 1);
});

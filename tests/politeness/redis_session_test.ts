/**
 * A telnet session metered by the team's ledger in a real redis-server when
 * Redis goes away mid-session: the query is stopped with the team's error
 * for an open session (not a "before connecting" one, not a cut answer), the
 * session is closed (nothing unread is left for the next query), and a
 * command that could not be booked is never sent.
 */

import assert from "node:assert/strict";
import type { ServerConfig } from "../../src/config/schema.ts";
import { RedisUnavailableError } from "../../src/errors.ts";
import { SessionMeter } from "../../src/politeness/budget.ts";
import { openRedis } from "../../src/politeness/redis_client.ts";
import { openRedisLedger } from "../../src/politeness/redis_ledger.ts";
import { openTelnetSession } from "../../src/telnet/session.ts";
import {
  FakeTelnetServer,
  frrScript,
  loopbackServer,
  redisTest,
  startRedis,
} from "../harness/mod.ts";

function server(port: number): ServerConfig {
  return loopbackServer("fake", port, { limits: { commandTimeoutMs: 10_000 } });
}

const BIG = Array.from({ length: 3000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24 via 192.0.2.1`)
  .join("\n");

function isSessionStop(error: unknown): boolean {
  assert.ok(error instanceof RedisUnavailableError, String(error));
  assert.equal(error.stage, "session");
  assert.match(
    error.message,
    /^The team's shared budget and cache in Redis \(redis:\/\/127\.0\.0\.1:\d+\/?\) cannot be used \(.+\): the query was stopped and its session with the route server closed/,
  );
  return true;
}

await redisTest(
  "Redis gone while an answer is read: the query stops, the session closes",
  async () => {
    await using redis = await startRedis();
    await using fake = new FakeTelnetServer(
      frrScript({ answers: { "show big": BIG }, delayMs: 500 }),
    );
    const link = await openRedis({
      url: redis.url,
      commandTimeoutMs: 2000,
      connectTimeoutMs: 3000,
    });
    try {
      const ledger = await openRedisLedger({ link });
      const rs = server(fake.port);
      const session = await openTelnetSession(rs, { meter: new SessionMeter(ledger, rs) });
      try {
        // The command is booked and sent; Redis dies while the server is still thinking.
        const answer = session.command("show big", { timeoutMs: 10_000, maxBytes: 1 << 20 });
        answer.catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, 150));
        await redis.kill();
        await assert.rejects(answer, isSessionStop);
        assert.equal(session.closed, true);
        assert.deepEqual(fake.lines.filter((l) => l.startsWith("show")), ["show big"]);
      } finally {
        session.close();
        await session.gone;
      }
      await ledger.close();
    } finally {
      await link.close();
    }
  },
);

await redisTest("Redis gone between queries: the next command is not sent", async () => {
  await using redis = await startRedis();
  await using fake = new FakeTelnetServer(frrScript({ answers: { "show x": "x answer" } }));
  const link = await openRedis({ url: redis.url, commandTimeoutMs: 2000, connectTimeoutMs: 3000 });
  try {
    const ledger = await openRedisLedger({ link });
    const rs = server(fake.port);
    const session = await openTelnetSession(rs, { meter: new SessionMeter(ledger, rs) });
    try {
      const first = await session.command("show x", { timeoutMs: 5000, maxBytes: 1 << 20 });
      assert.match(first, /x answer/);
      await redis.kill();
      await assert.rejects(
        session.command("show x", { timeoutMs: 5000, maxBytes: 1 << 20 }),
        isSessionStop,
      );
      assert.equal(session.closed, true);
      assert.deepEqual(fake.lines.filter((l) => l.startsWith("show")), ["show x"]);
    } finally {
      session.close();
      await session.gone;
    }
    await ledger.close();
  } finally {
    await link.close();
  }
});

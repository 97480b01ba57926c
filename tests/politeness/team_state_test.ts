/**
 * The team's shared state opened in one call on a real redis-server, with the
 * `/metrics` collector reading quota used per server and cache hits from it.
 */

import assert from "node:assert/strict";
import { serverMetrics } from "../../src/mcp/metrics.ts";
import { collectTeamMetrics } from "../../src/mcp/team_metrics.ts";
import { openTeamState } from "../../src/politeness/team_state.ts";
import { RedisUnavailableError } from "../../src/errors.ts";
import { redisTest, startRedis } from "../harness/mod.ts";

const QUOTA = { connections: 100, bytesDown: 500_000, bytesUp: 100_000 };

await redisTest(
  "the shared state feeds quota used per server and cache hits to /metrics",
  async () => {
    await using redis = await startRedis();
    await using team = await openTeamState({ redisUrl: redis.url, prefix: "team-a" });
    const servers = [
      { name: "route-views", key: "route-views.example.net:23", quota: QUOTA },
      { name: "amsix", key: "amsix.example.net:23", quota: QUOTA },
    ];
    await team.ledger.bookConnection(servers[0].key, QUOTA, "route-views");
    const lease = await team.ledger.reserveDown(servers[0].key, QUOTA, 16_384, "route-views");
    team.ledger.refund(servers[0].key, 16_384 - 1_200, lease.at);
    await team.ledger.save();
    await team.cache.get("q", 60_000, () => Promise.resolve("answer"));
    await team.cache.get("q", 60_000, () => Promise.resolve("answer"));
    const metrics = serverMetrics();
    collectTeamMetrics(metrics, {
      servers,
      budget: async (key, limits) => (await team.ledger.refresh(key, limits, undefined)).team,
      cacheStats: () => team.cache.stats,
    });
    const text = await metrics.registry.render();
    assert.match(text, /^bgp_lg_quota_used\{server="route-views",kind="connections"\} 1$/m);
    assert.match(text, /^bgp_lg_quota_used\{server="route-views",kind="bytes_down"\} 1200$/m);
    assert.match(text, /^bgp_lg_quota_used\{server="amsix",kind="connections"\} 0$/m);
    assert.match(text, /^bgp_lg_quota_limit\{server="amsix",kind="bytes_down"\} 500000$/m);
    assert.match(text, /^bgp_lg_cache_hits_total\{source="cache"\} 1$/m);
  },
);

await redisTest("an unreachable Redis is a clear error at start", async () => {
  await using redis = await startRedis();
  await redis.kill();
  await assert.rejects(
    () => openTeamState({ redisUrl: redis.url, connectTimeoutMs: 500 }),
    (error: Error) => {
      assert.ok(error instanceof RedisUnavailableError, String(error));
      assert.match(error.message, /cannot be used \((connect ECONNREFUSED|no connection within)/);
      return true;
    },
  );
  await assert.rejects(
    () => openTeamState({ redisUrl: "http://127.0.0.1:1" }),
    /redis:\/\/ or rediss:\/\//,
  );
});

/**
 * In team mode an answer one replica asked for is read by the others from
 * Redis, as JSON: every kind of value the cache holds (a route, an
 * `orlonger` table, a summary — each as the plan's answer — and a probe
 * result) must come back exactly as it was stored. Every parser's answer to
 * every fixture goes through JSON, and one of each kind through a real
 * redis-server from one replica's cache to another's.
 */

import assert from "node:assert/strict";
import { ParseError } from "../../src/errors.ts";
import type { ProbeResult } from "../../src/politeness/probe.ts";
import { openRedis } from "../../src/politeness/redis_client.ts";
import { RedisQueryCache } from "../../src/politeness/redis_cache.ts";
import type { PlanAnswer } from "../../src/service/run_plan.ts";
import { redisTest, startRedis } from "../harness/mod.ts";
import { PARSERS } from "../dialects/_parser_cases.ts";

/** Every answer of every parser to its fixtures, as the cache keeps it. */
function answers(): { name: string; value: PlanAnswer<unknown> }[] {
  const out: { name: string; value: PlanAnswer<unknown> }[] = [];
  for (const parser of PARSERS) {
    for (const path of parser.fixtures) {
      let parsed: unknown;
      try {
        parsed = parser.parse(
          Deno.readTextFileSync(new URL(`../fixtures/${path}`, import.meta.url)),
        );
      } catch (error) {
        if (error instanceof ParseError) continue;
        throw error;
      }
      out.push({
        name: `${parser.name} ${path}`,
        value: { parsed, command: "show …", notes: ["a note"], truncated: true },
      });
    }
  }
  return out;
}

const PROBES: ProbeResult[] = [
  { reachable: true, connectMs: 12.5 },
  { reachable: false, error: "no answer within 3000 ms" },
  { reachable: true, note: "a session with the server is open now; no new connection was made" },
];

Deno.test("every parsed answer and probe result is the same after a JSON round trip", () => {
  const all = answers();
  // Every kind the cache holds has answers here.
  const kinds = new Set(PARSERS.filter((p) => p.fixtures.length > 0).map((p) => p.kind));
  assert.deepEqual([...kinds].sort(), ["route", "routes", "summary"]);
  assert.ok(all.length >= 20, `only ${all.length} answers`);
  for (
    const { name, value } of [...all, ...PROBES.map((p, i) => ({ name: `probe ${i}`, value: p }))]
  ) {
    assert.deepStrictEqual(JSON.parse(JSON.stringify(value)), value, name);
  }
});

await redisTest(
  "one of each kind, stored by one replica, is read back unchanged by another",
  async () => {
    await using redis = await startRedis();
    const first = await openRedis({ url: redis.url });
    const second = await openRedis({ url: redis.url });
    try {
      const asker = new RedisQueryCache({ link: first });
      const reader = new RedisQueryCache({ link: second });
      const all = answers();
      const samples = [
        ...["route", "routes", "summary"].map((kind) =>
          all.find((a) => PARSERS.find((p) => a.name.startsWith(`${p.name} `))?.kind === kind)!
        ),
        ...PROBES.map((value, i) => ({ name: `probe|${i}`, value })),
      ];
      for (const { name, value } of samples) {
        const stored = await asker.get(name, 60_000, () => Promise.resolve(value));
        assert.equal(stored.cached, false);
        const read = await reader.get(name, 60_000, () => Promise.reject(new Error("asked again")));
        assert.equal(read.cached, true, name);
        assert.deepStrictEqual(read.value, value, name);
      }
    } finally {
      await first.close();
      await second.close();
    }
  },
);

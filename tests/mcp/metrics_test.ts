/**
 * The Prometheus text format: HELP and TYPE lines, escaped label values and
 * help, sorted series, collectors run before each scrape, bounded series.
 */

import assert from "node:assert/strict";
import { MetricsRegistry, serverMetrics } from "../../src/mcp/metrics.ts";

Deno.test("counters and gauges render in the text exposition format", async () => {
  const registry = new MetricsRegistry();
  const calls = registry.counter("demo_calls_total", "Calls, by tool.\nSecond line \\ end", [
    "tool",
  ]);
  const used = registry.gauge("demo_used", "Used.", ["server", "kind"]);
  const plain = registry.counter("demo_plain_total", "No labels.");
  calls.inc({ tool: "route_lookup" });
  calls.inc({ tool: "route_lookup" }, 2);
  calls.inc({ tool: 'we"ird\\name\nx' });
  used.set({ server: "rv", kind: "bytes_down" }, 1234.5);
  used.set({ server: "rv", kind: "connections" }, NaN);
  plain.inc();
  let scrapes = 0;
  registry.collect(() => {
    scrapes++;
    used.set({ server: "amsix", kind: "connections" }, Infinity);
  });
  registry.collect(() => {
    throw new Error("a collector that fails is skipped");
  });
  assert.equal(
    await registry.render(),
    [
      "# HELP demo_calls_total Calls, by tool.\\nSecond line \\\\ end",
      "# TYPE demo_calls_total counter",
      'demo_calls_total{tool="route_lookup"} 3',
      'demo_calls_total{tool="we\\"ird\\\\name\\nx"} 1',
      "# HELP demo_used Used.",
      "# TYPE demo_used gauge",
      'demo_used{server="amsix",kind="connections"} +Inf',
      'demo_used{server="rv",kind="bytes_down"} 1234.5',
      'demo_used{server="rv",kind="connections"} NaN',
      "# HELP demo_plain_total No labels.",
      "# TYPE demo_plain_total counter",
      "demo_plain_total 1",
      "",
    ].join("\n"),
  );
  assert.equal(scrapes, 1);
  assert.equal(calls.value({ tool: "route_lookup" }), 3);
});

Deno.test("bad names, negative counts and unbounded label sets are refused", () => {
  const registry = new MetricsRegistry();
  assert.throws(() => registry.counter("2bad", "x"), RangeError);
  assert.throws(() => registry.counter("ok_total", "x", ["__reserved"]), RangeError);
  const c = registry.counter("ok_total", "x", ["tool"]);
  assert.throws(() => registry.counter("ok_total", "again"), /already registered/);
  assert.throws(() => c.inc({ tool: "a" }, -1), /only goes up/);
  for (let i = 0; i < 1100; i++) c.inc({ tool: `tool${i}` });
  assert.equal(c.value({ tool: "(other)" }), 100);
  // A count kept elsewhere never goes down.
  c.set({ tool: "tool1" }, 10);
  c.set({ tool: "tool1" }, 5);
  assert.equal(c.value({ tool: "tool1" }), 10);
});

Deno.test("the server's metric families", async () => {
  const metrics = serverMetrics();
  metrics.toolCalls.inc({ tool: "route_lookup" });
  metrics.quotaUsed.set({ server: "route-views", kind: "connections" }, 3);
  const text = await metrics.registry.render();
  for (
    const name of [
      "bgp_lg_tool_calls_total counter",
      "bgp_lg_tool_errors_total counter",
      "bgp_lg_http_requests_total counter",
      "bgp_lg_auth_failures_total counter",
      "bgp_lg_cache_hits_total counter",
      "bgp_lg_quota_used gauge",
      "bgp_lg_quota_limit gauge",
    ]
  ) assert.match(text, new RegExp(`^# TYPE ${name}$`, "m"));
  assert.match(text, /^bgp_lg_quota_used\{server="route-views",kind="connections"\} 3$/m);
});

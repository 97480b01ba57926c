/**
 * IPv6 on Cisco IOS (route-views main): `show bgp ipv6 unicast` takes a prefix
 * and answers a bare address with `% Incomplete command.` (a real capture), so
 * an address is looked up in the routing table first (`show ipv6 route
 * <address>` names the longest match's prefix) and BGP is then asked for that
 * prefix; an IOS that refuses the first form is asked for the address
 * directly.
 */

import assert from "node:assert/strict";
import { ciscoIos, IOS_DETAIL_FILTER } from "../../src/dialects/cisco_ios.ts";
import type { ParsedRoute } from "../../src/bgp/types.ts";
import { parseConfig } from "../../src/config/schema.ts";
import { parseDestination } from "../../src/validation/destination.ts";
import {
  callTool,
  connectInProcess,
  FakeTelnetServer,
  fixture,
  iosScript,
  loopbackEntry,
} from "../harness/mod.ts";

// The fixtures in a routable prefix (tools refuse documentation space).
const routable = (text: string) => text.replaceAll("2001:DB8:5000", "2A00:1450:4000");
const RIB = routable(fixture("ios-composed/show_ipv6_route_address.txt"));
const BGP = routable(fixture("ios-composed/show_bgp_ipv6_unicast_prefix.txt"));

Deno.test("the plan for an IPv6 address: routing table, then BGP for its prefix", () => {
  const address = parseDestination("2a00:1450:4001::1");
  const [viaRib, direct] = ciscoIos.routeQuery(address);
  assert.equal(viaRib.command, "show ipv6 route 2a00:1450:4001::1");
  assert.equal(direct.command, `show bgp ipv6 unicast 2a00:1450:4001::1${IOS_DETAIL_FILTER}`);
  const next = viaRib.followUp!(RIB);
  assert.ok("command" in next);
  assert.equal(next.command, `show bgp ipv6 unicast 2a00:1450:4000::/38${IOS_DETAIL_FILTER}`);
  assert.equal(next.parse(BGP).prefix, "2a00:1450:4000::/38");
  // No route in the table: not found, nothing more to ask.
  assert.deepEqual(viaRib.followUp!("% Route not found\n"), {
    value: { found: false, prefix: null, paths: [], totalPaths: 0 } satisfies ParsedRoute,
  });
  // A prefix is asked directly; IPv4 is unchanged.
  assert.deepEqual(
    ciscoIos.routeQuery(parseDestination("2a00:1450:4000::/38")).map((s) => s.command),
    [`show bgp ipv6 unicast 2a00:1450:4000::/38${IOS_DETAIL_FILTER}`],
  );
  assert.deepEqual(ciscoIos.routeQuery(parseDestination("8.8.8.8")).map((s) => s.command), [
    `show ip bgp 8.8.8.8${IOS_DETAIL_FILTER}`,
  ]);
});

function iosConfig(port: number) {
  return parseConfig({
    defaultServer: "main",
    limits: { commandTimeoutMs: 3000, cacheTtlMs: 0 },
    servers: [loopbackEntry("main", port, {
      dialect: "cisco-ios",
      login: { username: "rviews" },
      addressFamilies: ["ipv4", "ipv6"],
    })],
  }, "t");
}

Deno.test("route_lookup of an IPv6 address on IOS: the longest match's paths, no incomplete command", async () => {
  await using fake = new FakeTelnetServer(iosScript({
    answers: {
      "show ipv6 route 2a00:1450:4001::1": RIB,
      "show bgp ipv6 unicast 2a00:1450:4000::/38": BGP,
    },
  }));
  await using client = await connectInProcess(iosConfig(fake.port));
  const result = await callTool(client, "route_lookup", { destination: "2a00:1450:4001::1" });
  assert.equal(result.isError, undefined, result.text);
  const data = result.structuredContent as {
    command: string;
    prefix: string;
    paths: { best: boolean; nextHop: string; asPath: number[] }[];
    warnings: string[];
  };
  assert.equal(data.prefix, "2a00:1450:4000::/38");
  assert.equal(data.command, `show bgp ipv6 unicast 2a00:1450:4000::/38${IOS_DETAIL_FILTER}`);
  assert.deepEqual(data.paths.map((p) => [p.best, p.nextHop, p.asPath]), [
    [false, "2001:1860::223", [101, 174, 1299, 64500]],
    [false, "2620:0:2250::ff0b", [20130, 6939, 64500]],
    [true, "2001:470:0:1a::1", [6939, 64500]],
  ]);
  assert.deepEqual(data.warnings, []);
  // The bare address was never given to `show bgp ipv6 unicast`.
  assert.equal(fake.lines.some((l) => l === "show bgp ipv6 unicast 2a00:1450:4001::1"), false);
  assert.ok(fake.lines.includes("show ipv6 route 2a00:1450:4001::1"));
});

Deno.test("an IOS that refuses `show ipv6 route` is asked for the address directly", async () => {
  await using fake = new FakeTelnetServer(iosScript({
    answers: { "show bgp ipv6 unicast 2a00:1450:4001::1": BGP },
  }));
  await using client = await connectInProcess(iosConfig(fake.port));
  const result = await callTool(client, "route_lookup", { destination: "2a00:1450:4001::1" });
  assert.equal(result.isError, undefined, result.text);
  const data = result.structuredContent as { command: string; prefix: string; warnings: string[] };
  assert.equal(data.prefix, "2a00:1450:4000::/38");
  assert.equal(data.command, `show bgp ipv6 unicast 2a00:1450:4001::1${IOS_DETAIL_FILTER}`);
  assert.match(
    data.warnings.join(" "),
    /did not accept `show ipv6 route 2a00:1450:4001::1`; used `show bgp ipv6 unicast 2a00:1450:4001::1/,
  );
});

Deno.test("an IPv6 address IOS has no route for is not found, not a refused command", async () => {
  // IOS answers `show ipv6 route <address>` without a matching route with `% Route not found`.
  await using fake = new FakeTelnetServer(iosScript({
    answers: { "show ipv6 route 2a00:1450:4001::1": "% Route not found" },
  }));
  await using client = await connectInProcess(iosConfig(fake.port));
  const result = await callTool(client, "route_lookup", { destination: "2a00:1450:4001::1" });
  assert.equal(result.isError, undefined, result.text);
  const data = result.structuredContent as { found: boolean; command: string; paths: unknown[] };
  assert.equal(data.found, false);
  assert.equal(data.command, "show ipv6 route 2a00:1450:4001::1");
  assert.deepEqual(data.paths, []);
  // Nothing more was asked: neither BGP form.
  assert.equal(fake.lines.some((l) => l.startsWith("show bgp ipv6")), false);
});

/**
 * route_compare tells "not validated here" from "valid": a server that
 * validates (`supports: ["rpki"]`, route-views main) reports its best path's
 * RPKI state, a server that does not says `not-validated`.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import {
  callTool,
  connectInProcess,
  FakeTelnetServer,
  fixture,
  frrScript,
  iosScript,
  loopbackEntry,
} from "../harness/mod.ts";

// The capture in a routable prefix (tools refuse documentation space).
const IOS = fixture("ios-composed/show_ip_bgp_prefix_large_community.txt")
  .replaceAll("192.0.2.0/24", "8.8.8.0/24");
const FRR = [
  "BGP routing table entry for 8.8.8.0/24, version 7",
  "Paths: (1 available, best #1, table default)",
  "  8283 15169",
  "    198.51.100.2 from 198.51.100.2 (198.51.100.2)",
  "      Origin IGP, valid, external, best (First path received)",
].join("\n");

Deno.test("route_compare: RPKI state where the server validates, not-validated elsewhere", async () => {
  await using ios = new FakeTelnetServer(iosScript({
    answers: { "show ip bgp 8.8.8.0/24": IOS },
  }));
  await using frr = new FakeTelnetServer(frrScript({
    answers: { "show bgp ipv4 unicast 8.8.8.0/24": FRR },
  }));
  const config = parseConfig({
    defaultServer: "main",
    limits: { commandTimeoutMs: 3000 },
    servers: [
      loopbackEntry("main", ios.port, {
        dialect: "cisco-ios",
        login: { username: "rviews" },
        supports: ["rpki"],
      }),
      loopbackEntry("collector", frr.port),
    ],
  }, "t");
  await using client = await connectInProcess(config);
  const result = await callTool(client, "route_compare", {
    destination: "8.8.8.0/24",
    servers: ["main", "collector"],
  });
  assert.equal(result.isError, undefined, result.text);
  const data = result.structuredContent as {
    results: { server: string; found: boolean; rpki?: string; bestPath?: { asPath: number[] } }[];
  };
  assert.deepEqual(
    data.results.map((r) => [r.server, r.found, r.rpki, r.bestPath?.asPath]),
    [
      ["main", true, "valid", [8283, 64500]],
      ["collector", true, "not-validated", [8283, 15169]],
    ],
  );
  assert.match(result.text, /RPKI/);
  assert.match(result.text, /main .*valid/);
  assert.match(result.text, /collector .*not validated/);
});

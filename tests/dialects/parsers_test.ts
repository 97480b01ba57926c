import assert from "node:assert/strict";
import { parseDetailEntries } from "../../src/dialects/_detail_text.ts";
import { parseIosRoute, parseIosSummary } from "../../src/dialects/cisco_ios.ts";
import { parseFrrRoute, parseFrrSummary } from "../../src/dialects/frr.ts";
import { parseFrrRouteJson, parseFrrSummaryJson } from "../../src/dialects/frr_json.ts";
import { commandRefusal } from "../../src/dialects/mod.ts";
import { ParseError } from "../../src/errors.ts";
import { fixture } from "../harness/mod.ts";

// ---- Cisco IOS / IOS-XE -------------------------------------------------------------------

Deno.test("cisco-ios: route-reflector detail (Local paths, metric, localpref, Updated on)", () => {
  const route = parseIosRoute(fixture("cisco-ios/show_bgp_prefix_detail_ipv4_rr.txt"));
  assert.equal(route.found, true);
  assert.equal(route.prefix, "5.5.5.5/32");
  assert.equal(route.totalPaths, 2);
  const [first, second] = route.paths;
  assert.deepEqual(
    [first.best, first.valid, first.asPath, first.originAs, first.origin],
    [true, true, [], null, "IGP"],
  );
  assert.equal(first.nextHop, "1.1.1.4"); // "(metric 11)" is the IGP metric, not part of the hop
  assert.deepEqual(first.peer, { address: "1.1.1.1", routerId: "1.1.1.1" });
  assert.equal(first.med, 0);
  assert.equal(first.localPref, 1000);
  assert.equal(first.lastUpdate, "2022-01-31T22:43:03"); // Jan 31 2022 22:43:03 PST, local time
  assert.equal(second.best, false);
  assert.equal(second.nextHop, "1.1.1.3");
  assert.equal(second.localPref, 100);
});

Deno.test("cisco-ios: show bgp all detail holds every entry, IPv6 and inaccessible hops", () => {
  const entries = parseDetailEntries(
    fixture("cisco-ios/show_bgp_all_detail_multi_afi.txt"),
    "cisco-ios",
  );
  assert.deepEqual(entries.map((e) => e.prefix).slice(0, 6), [
    "10.4.1.1/32",
    "10.16.2.2/32",
    "10.1.1.0/24",
    "2001:1:1:1::1/128",
    "2001:2:2:2::2/128",
    "2001:db8:1:1::/64", // canonical (RFC 5952) form of the printed 2001:DB8:1:1::/64
  ]);
  const v6 = entries[4];
  assert.equal(v6.totalPaths, 2);
  assert.deepEqual(v6.paths.map((p) => [p.nextHop, p.peer.address, p.best]), [
    ["2001:db8:1:1::2", "2001:db8:1:1::2", true],
    ["::ffff:a01:102", "10.1.1.2", false], // ::FFFF:10.1.1.2
  ]);
  // The first route of a multi-entry answer is what a lookup reports.
  assert.equal(
    parseIosRoute(fixture("cisco-ios/show_bgp_all_detail_multi_afi.txt")).prefix,
    "10.4.1.1/32",
  );
});

Deno.test("cisco-ios: a route-views answer with RPKI, aggregator, wrapped community and hex attribute", () => {
  // Shape of route-views.routeviews.org output (docs/route-servers.md §3.1), documentation values.
  const text = [
    "BGP routing table entry for 192.0.2.0/24, version 1295019693",
    "Paths: (3 available, best #2, table default)",
    "  Not advertised to any peer",
    "  Refresh Epoch 1",
    "  4901 6079 1299 64500",
    "    162.250.137.254 from 162.250.137.254 (162.250.137.254)",
    "      Origin IGP, localpref 100, valid, external",
    "      Community: 65000:10100 65000:10300",
    "                 65000:10400 no-export",
    "      path 7FE0DF658448 RPKI State not found",
    "      rx pathid: 0, tx pathid: 0",
    "  Refresh Epoch 1",
    "  3333 64501 64500, (aggregated by 65500 198.51.100.2)",
    "    193.0.0.56 from 193.0.0.56 (193.0.0.56)",
    "      Origin IGP, metric 0, localpref 100, valid, external, atomic-aggregate, best",
    "      Community: 4259840100",
    "      Extended Community: RT:101:22100",
    "      unknown transitive attribute: flag 0xE0 type 0x20 length 0x18",
    "        value 0000 205B 0000 0000 0000 0001 0000 205B",
    "              0000 0005 0000 0001",
    "      path 7FDFFBEF9928 RPKI State valid",
    "      rx pathid: 0, tx pathid: 0x0",
    "  Refresh Epoch 2",
    "  64502 {64500,64510}",
    "    203.0.113.7 (inaccessible) from 203.0.113.7 (203.0.113.7)",
    "      Origin incomplete, metric 20, localpref 100, valid, external",
    "      Large Community: 64502:1:2 64502:3:4",
    "      path 7FDFFBEF9999 RPKI State invalid",
  ].join("\n");
  const route = parseIosRoute(text);
  assert.equal(route.totalPaths, 3);
  const [a, b, c] = route.paths;
  assert.deepEqual(a.asPath, [4901, 6079, 1299, 64500]);
  assert.equal(a.originAs, 64500);
  assert.deepEqual(a.communities, ["65000:10100", "65000:10300", "65000:10400", "65535:65281"]);
  assert.equal(a.rpki, "not-found");
  assert.equal(a.med, undefined);
  assert.equal(a.best, false);
  assert.deepEqual(b.asPath, [3333, 64501, 64500]);
  assert.equal(b.asPathText, "3333 64501 64500");
  assert.equal(b.best, true);
  assert.equal(b.med, 0);
  assert.deepEqual(b.communities, ["65000:100"]); // old-format 32-bit value
  assert.deepEqual(b.extendedCommunities, ["RT:101:22100"]);
  assert.equal(b.rpki, "valid");
  assert.deepEqual(c.asPath, [64502]);
  assert.equal(c.originAs, null); // ends in a two-member AS_SET
  assert.equal(c.asPathText, "64502 {64500,64510}");
  assert.equal(c.nextHop, "203.0.113.7");
  assert.equal(c.origin, "incomplete");
  assert.deepEqual(c.largeCommunities, ["64502:1:2", "64502:3:4"]);
  assert.equal(c.rpki, "invalid");
});

Deno.test("cisco-ios: % Network not in table is found: false", () => {
  const route = parseIosRoute("% Network not in table");
  assert.deepEqual(route, { found: false, prefix: null, paths: [], totalPaths: 0 });
});

Deno.test("cisco-ios: summary with Idle (Admin) and run-together columns", () => {
  const summary = parseIosSummary(fixture("cisco-ios/show_ip_bgp_summary.txt"));
  assert.equal(summary.routerId, "10.0.0.0");
  assert.equal(summary.localAs, 65000);
  assert.equal(summary.neighbors.length, 10);
  assert.deepEqual(summary.neighbors[0], {
    address: "10.0.0.1",
    asn: 65000,
    state: "Established",
    established: true,
    uptime: "3w0d",
    prefixesReceived: 558720,
  });
  assert.deepEqual(summary.neighbors[4].prefixesReceived, 558720); // "26552304 14931352"
  assert.deepEqual(summary.neighbors[9], {
    address: "10.0.0.10",
    asn: 65009,
    state: "Idle (Admin)",
    established: false,
    uptime: "1y10w",
    prefixesReceived: null,
  });
});

Deno.test("cisco-ios: summary row wrapped after a long IPv6 neighbour address", () => {
  const summary = parseIosSummary(
    fixture("cisco-ios/show_bgp_ipv6_unicast_summary_wrapped_neighbor.txt"),
  );
  assert.equal(summary.routerId, "2.2.2.2");
  assert.equal(summary.localAs, 200);
  assert.deepEqual(summary.neighbors, [{
    address: "1000:192:168:0:1::1",
    asn: 100,
    state: "Idle",
    established: false,
    uptime: "00:00:07",
    prefixesReceived: null,
  }]);
});

Deno.test("cisco-ios: show bgp all summary reads the first address family only", () => {
  const summary = parseIosSummary(fixture("cisco-ios/show_ip_bgp_summary_all_afi.txt"));
  assert.equal(summary.routerId, "1.1.1.1");
  assert.deepEqual(summary.neighbors.map((n) => [n.address, n.prefixesReceived]), [[
    "10.0.14.4",
    7,
  ]]);
});

// ---- FRR / Quagga text ---------------------------------------------------------------------

Deno.test("frr: multipath detail with advertised-to list and a mis-indented Community line", () => {
  const route = parseFrrRoute(fixture("frr/show_ip_bgp_prefix_multipath.txt"));
  assert.equal(route.prefix, "193.11.248.128/25");
  assert.equal(route.totalPaths, 4);
  assert.deepEqual(route.paths.map((p) => p.nextHop), [
    "10.0.0.61",
    "10.0.0.59",
    "10.0.0.63",
    "10.0.0.57",
  ]);
  assert.deepEqual(route.paths.map((p) => p.best), [false, false, false, true]);
  for (const path of route.paths) {
    assert.deepEqual(path.asPath, [64600, 65534, 64799, 65515]);
    assert.equal(path.originAs, 65515);
    assert.deepEqual(path.communities, ["5060:12345"]);
  }
  assert.deepEqual(route.paths[3].peer, { address: "10.0.0.57", routerId: "100.1.0.29" });
  assert.equal(route.paths[0].lastUpdate, "2021-04-20T05:54:41"); // Tue Apr 20 05:54:41 2021
});

Deno.test("frr: iBGP detail with local-AS community and blank line between paths", () => {
  const route = parseFrrRoute(fixture("frr/show_ip_bgp_prefix_ibgp_rr_local_as.txt"));
  assert.equal(route.prefix, "10.0.0.44/31");
  assert.deepEqual(route.paths.map((p) => [p.nextHop, p.best, p.origin, p.localPref, p.med]), [
    ["10.1.0.2", false, "incomplete", 100, 0],
    ["10.1.0.0", true, "incomplete", 100, 0],
  ]);
  assert.deepEqual(route.paths[0].communities, ["65535:65283"]);
});

Deno.test("frr: FRR 7 summary with never/Active", () => {
  const summary = parseFrrSummary(fixture("frr/show_ip_bgp_summary_frr7.txt"));
  assert.equal(summary.routerId, "10.10.10.1");
  assert.equal(summary.localAs, 123456);
  assert.deepEqual(
    summary.neighbors.map((n) => [n.address, n.asn, n.state, n.uptime, n.prefixesReceived]),
    [
      ["10.10.10.10", 1234, "Established", "5d13h10m", 0],
      ["123.123.123.123", 345612, "Established", "1d00h18m", 0],
      ["193.189.82.105", 12365, "Active", "never", null],
    ],
  );
});

// ---- FRR 8.4 captured from the test rig (text and json must agree) --------------------------

Deno.test("frr rig capture: 8.8.8.0/24 in text and json give the same paths", () => {
  const text = parseFrrRoute(fixture("frr-rig/route_8.8.8.8.txt"));
  const json = parseFrrRouteJson(fixture("frr-rig/route_8.8.8.8.json.txt"));
  for (const route of [text, json]) {
    assert.equal(route.prefix, "8.8.8.0/24");
    assert.equal(route.totalPaths, 2);
    const [viaLevel3, viaGoogle] = route.paths;
    assert.deepEqual(viaLevel3.asPath, [3356, 174, 15169]);
    assert.equal(viaLevel3.med, 10);
    assert.equal(viaLevel3.best, false);
    assert.equal(viaLevel3.nextHop, "198.51.100.3");
    assert.deepEqual(viaLevel3.peer, { address: "127.0.0.3", routerId: "127.0.0.3" });
    assert.deepEqual(viaGoogle.asPath, [15169, 15169]);
    assert.equal(viaGoogle.originAs, 15169);
    assert.equal(viaGoogle.best, true);
    assert.equal(viaGoogle.nextHop, "198.51.100.2");
    assert.deepEqual(viaGoogle.communities, ["15169:100", "65535:666", "65535:65281"]);
  }
  assert.equal(json.paths[1].lastUpdate, "2026-11-24T20:55:32.000Z");
  assert.equal(text.paths[1].lastUpdate, "2026-11-24T20:55:32"); // Tue Nov 24 20:55:32 2026
});

Deno.test("frr rig capture: AS_SET, aggregator and EGP origin", () => {
  for (
    const route of [
      parseFrrRoute(fixture("frr-rig/route_4.4.4.0_24_as_set.txt")),
      parseFrrRouteJson(fixture("frr-rig/route_4.4.4.0_24_as_set.json.txt")),
    ]
  ) {
    const [path] = route.paths;
    assert.deepEqual(path.asPath, [15169, 64500]);
    assert.equal(path.asPathText, "15169 64500 {64501,64502}");
    assert.equal(path.originAs, null);
    assert.equal(path.origin, "EGP");
    assert.equal(path.med, 5);
  }
});

Deno.test("frr rig capture: well-known community names in text and json, 4-byte ASN, localpref", () => {
  for (
    const route of [
      parseFrrRoute(fixture("frr-rig/route_5.5.5.5_well_known.txt")),
      parseFrrRouteJson(fixture("frr-rig/route_5.5.5.5_well_known.json.txt")),
    ]
  ) {
    assert.equal(route.prefix, "5.5.0.0/16");
    const [path] = route.paths;
    assert.deepEqual(path.communities, ["0:0", "65535:0", "65535:65284"]);
    assert.deepEqual(path.asPath, [15169, 4200000001]);
    assert.equal(path.originAs, 4200000001);
    assert.equal(path.localPref, 0);
  }
});

Deno.test("frr rig capture: large community and IPv6", () => {
  assert.deepEqual(
    parseFrrRoute(fixture("frr-rig/route_1.1.1.1_large.txt")).paths[0].largeCommunities,
    [
      "13335:1:2",
    ],
  );
  for (
    const route of [
      parseFrrRoute(fixture("frr-rig/route_2001_4860_32.txt")),
      parseFrrRouteJson(fixture("frr-rig/route_2001_4860_32.json.txt")),
    ]
  ) {
    assert.equal(route.prefix, "2001:4860::/32");
    assert.equal(route.paths[0].nextHop, "2001:db8::2");
    assert.deepEqual(route.paths[0].communities, ["65535:65281"]);
  }
});

Deno.test("frr rig capture: not found is found: false in text and json", () => {
  assert.equal(parseFrrRoute(fixture("frr-rig/route_not_found.txt")).found, false);
  assert.equal(parseFrrRouteJson(fixture("frr-rig/route_not_found.json.txt")).found, false);
});

Deno.test("frr rig capture: FRR 8 summary text (PfxSnt, Desc) and json agree", () => {
  const text = parseFrrSummary(fixture("frr-rig/summary_ipv4.txt"));
  const json = parseFrrSummaryJson(fixture("frr-rig/summary_ipv4.json.txt"));
  for (const summary of [text, json]) {
    assert.equal(summary.routerId, "127.0.0.1");
    assert.equal(summary.localAs, 6447);
    assert.deepEqual(
      summary.neighbors.map((n) => [n.address, n.asn, n.state, n.established, n.prefixesReceived]),
      [
        ["127.0.0.2", 15169, "Established", true, 3],
        ["127.0.0.3", 3356, "Established", true, 3],
        ["127.0.0.4", 64999, "Active", false, null],
      ],
    );
    assert.equal(summary.neighbors[2].uptime, "never");
  }
});

// ---- FRR json from other sources -----------------------------------------------------------

Deno.test("frr-json: sonic summary with the ipv4Unicast wrapper", () => {
  const summary = parseFrrSummaryJson(fixture("frr-json/show_bgp_ipv4_summary.txt"));
  assert.equal(summary.routerId, "10.1.0.32");
  assert.equal(summary.localAs, 65100);
  assert.equal(summary.neighbors.length, 24);
  assert.deepEqual(summary.neighbors[0], {
    address: "10.0.0.33",
    asn: 64001,
    state: "Active",
    established: false,
    uptime: "never",
    prefixesReceived: null,
  });
  const up = summary.neighbors.find((n) => n.address === "10.0.0.1")!;
  assert.deepEqual([up.asn, up.established, up.uptime, up.prefixesReceived], [
    65200,
    true,
    "1d21h11m",
    6402,
  ]);
});

Deno.test("frr-json: old field names (med, localpref) and a string AS path are read", () => {
  const route = parseFrrRouteJson(JSON.stringify({
    prefix: "203.0.113.0/24",
    paths: [{
      aspath: "64500 64501",
      origin: "IGP",
      med: 7,
      localpref: 150,
      valid: true,
      bestpath: true,
      peerId: "192.0.2.1",
      nexthops: [{ ip: "fe80::1", scope: "link-local" }, { ip: "2001:db8::1", scope: "global" }],
      community: { string: "64500:1 noExport" },
    }],
  }));
  const [path] = route.paths;
  assert.deepEqual([path.med, path.localPref, path.best], [7, 150, true]);
  assert.deepEqual(path.asPath, [64500, 64501]);
  assert.equal(path.nextHop, "2001:db8::1");
  assert.equal(path.peer.address, "192.0.2.1");
  assert.deepEqual(path.communities, ["64500:1", "65535:65281"]);
});

Deno.test("frr-json: text that is not JSON is a ParseError (triggers the text fallback)", () => {
  assert.throws(() => parseFrrRouteJson("BGP routing table entry for 8.8.8.0/24"), ParseError);
  assert.throws(() => parseFrrSummaryJson("% Unknown command"), ParseError);
});

// ---- refusals and garbage -------------------------------------------------------------------

Deno.test("command refusals are told apart from answers", () => {
  assert.equal(
    commandRefusal(fixture("frr-rig/unknown_command.txt")),
    "% [BGP] Unknown command: show bogus",
  );
  assert.equal(
    commandRefusal("                 ^\n% Invalid input detected at '^' marker."),
    "% Invalid input detected at '^' marker.",
  );
  assert.equal(commandRefusal("% Network not in table"), null);
  assert.equal(commandRefusal(fixture("frr-rig/route_8.8.8.8.txt")), null);
});

Deno.test("text that is not a BGP entry is a ParseError, not an empty answer", () => {
  assert.throws(() => parseFrrRoute("Hello, this is not a router"), ParseError);
  assert.throws(() => parseIosSummary("nothing here"), ParseError);
  assert.throws(
    () =>
      parseFrrRoute(
        "BGP routing table entry for 8.8.8.0/24\nPaths: (1 available)\n  15169 x99\n    1.2.3.4 from 1.2.3.4 (1.2.3.4)\n      Origin IGP",
      ),
    /Cannot read the AS path/,
  );
});

Deno.test("frr: sessions up without a policy or without the family are established", () => {
  const text = [
    "BGP router identifier 192.0.2.1, local AS number 6447 vrf-id 0",
    "",
    "Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc",
    "198.51.100.1    4      64500        12        10        0    0    0 00:04:01     (Policy) (Policy) N/A",
    "198.51.100.2    4      64501        12        10        0    0    0 00:04:01        NoNeg    NoNeg N/A",
    "198.51.100.3    4      64502         0         0        0    0    0    never  Idle (Admin)        0 N/A",
  ].join("\n");
  const summary = parseFrrSummary(text);
  assert.deepEqual(summary.neighbors.map((n) => [n.state, n.established, n.prefixesReceived]), [
    ["Established (Policy)", true, null],
    ["Established (NoNeg)", true, null],
    ["Idle (Admin)", false, null],
  ]);
});

Deno.test("frr: a family without neighbours is an empty summary, not AS0", () => {
  for (
    const summary of [
      parseFrrSummary("% No BGP neighbors found in VRF default"),
      parseFrrSummaryJson("{}"),
    ]
  ) {
    assert.deepEqual(summary, { routerId: null, localAs: null, neighbors: [] });
  }
});

Deno.test("frr-json: only {} means not found; other shapes are not understood", () => {
  assert.equal(parseFrrRouteJson("{\n}").found, false);
  assert.throws(() => parseFrrRouteJson('{"warning":"something else"}'), ParseError);
});

Deno.test("frr-json: an impossible epoch falls back to the printed time", () => {
  const route = parseFrrRouteJson(JSON.stringify({
    prefix: "203.0.113.0/24",
    paths: [{
      aspath: { string: "64500", segments: [{ type: "as-sequence", list: [64500] }] },
      origin: "IGP",
      valid: true,
      lastUpdate: { epoch: 1e300, string: "Tue Nov 24 20:55:32 2026\n" },
      nexthops: [{ ip: "192.0.2.1" }],
      peer: { peerId: "192.0.2.1" },
    }],
  }));
  assert.equal(route.paths[0].lastUpdate, "2026-11-24T20:55:32"); // the printed local time
});

Deno.test("communities: prototype names are not well-known communities; wrapped lists keep every kind", () => {
  const route = parseIosRoute([
    "BGP routing table entry for 192.0.2.0/24, version 1",
    "Paths: (1 available, best #1, table default)",
    "  64500",
    "    192.0.2.1 from 192.0.2.1 (192.0.2.1)",
    "      Origin IGP, valid, external, best",
    "      Community: 64500:1 constructor",
    "                 4259840100 no-export",
    "                 route-filter-v4 64500:2",
  ].join("\n"));
  // `constructor` is no community: left out, never passed on as text.
  assert.deepEqual(route.paths[0].communities, [
    "64500:1",
    "65000:100",
    "65535:65281",
    "65535:3",
    "64500:2",
  ]);
});

Deno.test("an AS path with unclosed brackets is refused quickly, not parsed for minutes", () => {
  const text = [
    "BGP routing table entry for 192.0.2.0/24",
    "  " + "[".repeat(200_000),
    "    192.0.2.1 from 192.0.2.1 (192.0.2.1)",
    "      Origin IGP, valid",
  ].join("\n");
  assert.throws(() => parseFrrRoute(text), /Cannot read the AS path/);
});

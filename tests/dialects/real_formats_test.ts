/**
 * Real output formats that broke or lost data (issue 11), each on a fixture
 * written in the same shape as the real output (tests/fixtures/SOURCES.md).
 */

import assert from "node:assert/strict";
import { parseIosRoute, parseIosTable } from "../../src/dialects/cisco_ios.ts";
import { parseFrrTable } from "../../src/dialects/frr.ts";
import { parseJunosRoute, parseJunosRoutes } from "../../src/dialects/junos.ts";
import { fixture } from "../harness/fixtures.ts";

Deno.test("junos: an `AS path: Recorded` line under each route never costs the answer", () => {
  const route = parseJunosRoute(
    fixture("junos-composed/show_route_detail_as_path_recorded.txt"),
    "inet.0",
  );
  assert.equal(route.found, true);
  assert.equal(route.prefix, "192.0.2.0/24");
  assert.deepEqual(route.paths.map((p) => p.asPath), [[64500, 64511], [64501, 64502, 64511], [
    64503,
    64504,
  ]]);
  assert.deepEqual(route.paths.map((p) => p.asPathText), [
    "64500 64511",
    "64501 64502 64511",
    "64503 (65001 65002) 64504 {64505 64506}",
  ]);
  assert.deepEqual(route.paths.map((p) => p.originAs), [64511, 64511, null]);
  assert.deepEqual(route.paths.map((p) => p.best), [true, false, false]);
  assert.deepEqual(route.paths[0].communities, ["64496:50001", "64496:52250", "64496:54100"]);
  // A known annotation is read past without a warning.
  assert.equal(route.warnings, undefined);
});

Deno.test("junos: an unknown second `AS path:` line is left out with a warning", () => {
  const text = fixture("junos-composed/show_route_detail_as_path_recorded.txt")
    .replace("AS path: Recorded", "AS path: Something new (v2)");
  const route = parseJunosRoute(text, "inet.0");
  assert.deepEqual(route.paths[0].asPath, [64500, 64511]);
  assert.deepEqual(route.warnings, [
    'Left out line 21 "AS path: Something new (v2)" of the route from 198.51.100.10: a second ' +
    "AS path line",
  ]);
  // The same in the brief form, and for an orlonger answer.
  const brief = [
    "inet.0: 9 destinations, 9 routes (9 active, 0 holddown, 0 hidden)",
    "192.0.2.0/24       *[BGP/170] 3w3d 03:12:24, localpref 100, from 198.51.100.10",
    "                      AS path: 64500 64511 I, validation-state: unverified",
    "                      AS path: Recorded",
    "                    >  to 198.51.100.1 via ge-0/0/1.0",
  ].join("\n");
  assert.deepEqual(parseJunosRoute(brief, "inet.0").paths[0].asPath, [64500, 64511]);
  assert.equal(parseJunosRoutes(text, "inet.0")[0].warnings?.length, 1);
});

Deno.test("junos: a route whose only AS path line is an annotation is still an error", () => {
  const text = fixture("junos-composed/show_route_detail_as_path_recorded.txt")
    .replace("AS path: 64500 64511 I\n", "");
  assert.throws(() => parseJunosRoute(text, "inet.0"), /has no AS path/);
});

Deno.test("ios-xe: large communities decoded from the unknown attribute, others reported", () => {
  const route = parseIosRoute(fixture("ios-composed/show_ip_bgp_prefix_large_community.txt"));
  assert.equal(route.totalPaths, 4);
  const [first, best, otc, odd] = route.paths;
  assert.deepEqual(first.largeCommunities, [
    "64500:1:2",
    "64500:100:4294967295",
    "4200000000:0:7",
  ]);
  assert.equal(first.unknownAttributes, undefined);
  assert.equal(best.best, true);
  assert.deepEqual(best.largeCommunities, ["8283:0:1", "8283:5:1"]);
  assert.deepEqual(best.communities, ["8283:1", "8283:101"]);
  assert.equal(best.rpki, "valid");
  assert.deepEqual(otc.unknownAttributes, [{ type: 0x23, flags: 0xc0, hex: "0000fbf5" }]);
  assert.deepEqual(otc.largeCommunities, []);
  assert.deepEqual(otc.asPath, [3561, 209, 3356, 64500]);
  assert.deepEqual(odd.unknownAttributes, [{ type: 0xf1, flags: 0xc0, hex: "0102030405" }]);
  assert.deepEqual(odd.extendedCommunities, ["RT:20912:65016"]);
});

Deno.test("ios-xe: a type 0x20 attribute that is not whole triples stays an unknown attribute", () => {
  const text = fixture("ios-composed/show_ip_bgp_prefix_large_community.txt")
    .replace("type 0x20 length 0x18", "type 0x20 length 0x14")
    .replace("              0000 0005 0000 0001\n", "              0000 0005\n");
  const best = parseIosRoute(text).paths[1];
  assert.deepEqual(best.largeCommunities, []);
  assert.deepEqual(best.unknownAttributes, [{
    type: 0x20,
    flags: 0xe0,
    hex: "0000205b00000000000000010000205b00000005",
  }]);
});

Deno.test("ios ipv6: the exact answer, upper-case hex made canonical", () => {
  const route = parseIosRoute(fixture("ios-composed/show_bgp_ipv6_unicast_prefix.txt"));
  assert.equal(route.prefix, "2001:db8:5000::/38");
  assert.deepEqual(route.paths.map((p) => p.nextHop), [
    "2001:1860::223",
    "2620:0:2250::ff0b",
    "2001:470:0:1a::1",
  ]);
  assert.deepEqual(route.paths.map((p) => p.best), [false, false, true]);
  assert.deepEqual(route.paths.map((p) => p.rpki), ["not-found", "not-found", "not-found"]);
});

Deno.test("tables: a bare 0.0.0.0 is the default route, classful networks get their length", () => {
  const entries = parseIosTable(
    fixture("ios-composed/show_ip_bgp_table_default_route_repeated_header.txt"),
  );
  assert.deepEqual(entries.map((e) => e.prefix), [
    "0.0.0.0/0",
    "10.0.0.0/8",
    "192.0.2.0/24",
    "192.0.2.128/25",
    "203.0.113.0/24",
  ]);
  assert.deepEqual(entries.map((e) => e.totalPaths), [2, 2, 1, 2, 1]);
  const [defaultRoute] = entries;
  assert.deepEqual(defaultRoute.paths.map((p) => [p.nextHop, p.asPath, p.best, p.med]), [
    ["198.51.100.17", [64511, 64496], false, undefined],
    ["198.51.100.1", [64500, 64496], true, 0],
  ]);
  // After the repeated header the columns still place the numbers.
  assert.equal(entries[3].paths[1].med, 100);
});

Deno.test("tables: a whole banner repeated mid-table (FRR) is read past", () => {
  const table = fixture("frr-rig/route_1.1.1.0_24_orlonger.txt");
  const lines = table.split("\n");
  const at = lines.findIndex((l) => l.startsWith("*> 1.1.1.128/25"));
  const banner = lines.slice(0, lines.findIndex((l) => l.includes("Network")) + 1);
  const doubled = [...lines.slice(0, at), "", ...banner, ...lines.slice(at)].join("\n");
  assert.deepEqual(parseFrrTable(doubled), parseFrrTable(table));
  assert.equal(parseFrrTable(table).length, 3);
});

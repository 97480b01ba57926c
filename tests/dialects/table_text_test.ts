import assert from "node:assert/strict";
import { parseIosTable } from "../../src/dialects/cisco_ios.ts";
import { parseFrrTable } from "../../src/dialects/frr.ts";
import { parseFrrTableJson } from "../../src/dialects/frr_json.ts";
import { fixture } from "../harness/mod.ts";

const brief = (entries: ReturnType<typeof parseIosTable>) =>
  entries.map((
    e,
  ) => [
    e.prefix,
    e.paths.map((
      p,
    ) => [p.best, p.nextHop, p.med ?? null, p.localPref ?? null, p.asPathText, p.origin]),
  ]);

Deno.test("IOS table: status codes run into the prefix, wrapped prefixes, blank metric columns", () => {
  const entries = parseIosTable(fixture("cisco-ios/show_ip_bgp_table_wrapped_prefix.txt"));
  assert.deepEqual(entries.map((e) => e.prefix), [
    "199.16.104.96/27",
    "199.16.104.128/27",
    "199.16.104.160/27",
  ]);
  assert.deepEqual(brief(entries)[1], ["199.16.104.128/27", [
    [false, "10.66.166.3", 0, 100, "11111 99999", "incomplete"],
    [false, "10.66.166.4", 0, 100, "11111 99999", "incomplete"],
    [false, "10.66.166.2", 0, 100, "11111 99999", "incomplete"],
    [true, "10.118.160.97", null, null, "11111 99999", "incomplete"],
  ]]);
});

Deno.test("IOS table with the RPKI header: weights are not MEDs, local routes have empty paths", () => {
  const entries = parseIosTable(fixture("cisco-ios/show_ip_bgp_table_rpki_header.txt"));
  assert.deepEqual(brief(entries.slice(0, 2)), [
    ["10.16.0.0/20", [[true, "200.200.200.234", 0, null, "", "IGP"]]],
    ["10.20.0.0/16", [
      [true, "200.200.200.194", 0, 100, "65005 65026 65008 65000", "IGP"],
      [false, "200.200.200.195", 0, 100, "65005 65026 65008 65000", "IGP"],
    ]],
  ]);
  const metric20 = entries.find((e) => e.prefix === "10.97.0.0/16")!.paths[1];
  assert.equal(metric20.med, 20);
});

Deno.test("IOS table: a network printed without a length gets its classful mask", () => {
  const text = [
    "     Network          Next Hop            Metric LocPrf Weight Path",
    "*>  12.0.0.0         192.0.2.1                0             0 7018 i",
    "*>  128.9.0.0        192.0.2.1                              0 3356 226 i",
    "*>  193.0.14.0       192.0.2.1                              0 3333 25152 i",
    "*>  193.0.15.0/25    192.0.2.1                              0 3333 25152 i",
  ].join("\n");
  assert.deepEqual(parseIosTable(text).map((e) => [e.prefix, e.paths[0].asPathText]), [
    ["12.0.0.0/8", "7018"],
    ["128.9.0.0/16", "3356 226"],
    ["193.0.14.0/24", "3333 25152"],
    ["193.0.15.0/25", "3333 25152"],
  ]);
});

Deno.test("FRR table: multipath rows, wrapped prefixes, IPv6", () => {
  const v4 = parseFrrTable(fixture("frr/show_ip_bgp_table.txt"));
  assert.deepEqual(brief(v4.slice(0, 2)), [
    ["0.0.0.0/0", [
      [false, "10.0.0.63", null, null, "64600 65534 6666 6667", "IGP"],
      [false, "10.0.0.61", null, null, "64600 65534 6666 6667", "IGP"],
      [false, "10.0.0.59", null, null, "64600 65534 6666 6667", "IGP"],
      [true, "10.0.0.57", null, null, "64600 65534 6666 6667", "IGP"],
    ]],
    ["10.1.0.32/32", [[true, "0.0.0.0", 0, null, "", "IGP"]]],
  ]);
  const wrapped = v4.find((e) => e.prefix === "192.168.16.128/25")!;
  assert.deepEqual(wrapped.paths.map((p) => p.nextHop), [
    "10.0.0.63",
    "10.0.0.61",
    "10.0.0.59",
    "10.0.0.57",
  ]);
  const v6 = parseFrrTable(fixture("frr/show_ipv6_bgp_table_wrapped.txt"));
  const wrapped6 = v6.find((e) => e.prefix === "20c0:a808:0:80::/64")!;
  assert.deepEqual(wrapped6.paths.map((p) => [p.nextHop, p.best]), [
    ["fc00::7e", false],
    ["fc00::7a", false],
    ["fc00::76", false],
    ["fc00::72", true],
  ]);
  assert.equal(v6.length, 13);
});

Deno.test("FRR table json: bestpath flags, string paths, old and new field names", () => {
  const [route] = parseFrrTableJson(fixture("frr-json/show_ip_bgp_table.txt"));
  assert.equal(route.prefix, "0.0.0.0/0");
  assert.deepEqual(
    route.paths.map((p) => [p.best, p.nextHop, p.peer.address, p.asPath, p.localPref]),
    [
      [false, "10.0.0.7", "3.3.3.2", [65200, 6666, 6667], 100],
      [true, "10.0.0.1", "3.3.3.1", [65200, 6666, 6667], 100],
    ],
  );
  const community = parseFrrTableJson(
    fixture("frr-json/show_bgp_ipv4_unicast_community_table.txt"),
  );
  assert.deepEqual(community.map((e) => [e.prefix, e.totalPaths]), [["38.29.214.0/24", 1], [
    "199.34.92.0/23",
    3,
  ]]);
  assert.deepEqual(parseFrrTableJson("{}"), []);
});

Deno.test("an empty table answer is an empty list", () => {
  assert.deepEqual(parseFrrTable(""), []);
  assert.deepEqual(parseIosTable("% Network not in table"), []);
});

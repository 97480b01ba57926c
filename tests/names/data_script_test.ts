/**
 * `deno task data`'s pure parts: the build date from the package version,
 * integrity, reading an npm tarball, the distiller's repairs and refusals,
 * and the sanity checks that keep a truncated or wrong copy from being
 * written.
 */

import assert from "node:assert/strict";
// Script-only packages (pinned in tests/deno.lock), used here to build a tarball.
// deno-lint-ignore no-import-prefix
import { gzipSync } from "npm:fflate@0.8.3";
// deno-lint-ignore no-import-prefix
import { createTar } from "npm:nanotar@0.3.0";
import {
  build,
  dateFromVersion,
  integrityOf,
  readTarball,
  tarballUrl,
} from "../../scripts/data.ts";
import { cleanName, distill, RowError } from "../../scripts/_data/distill.ts";
import { FULL_TABLE, sanityProblems } from "../../scripts/_data/sanity.ts";
import { fixtureCsv, fixtureTable } from "../harness/names_fixture.ts";

Deno.test("data: the build date comes from the package version", () => {
  assert.equal(dateFromVersion("2.3.2026061719"), "2026-06-17");
  assert.equal(dateFromVersion("2.3.2025040218"), "2025-04-02");
  assert.equal(dateFromVersion("1.0.0"), null);
  assert.equal(
    tarballUrl("2.3.2026061719"),
    "https://registry.npmjs.org/@ip-location-db/asn/-/asn-2.3.2026061719.tgz",
  );
});

Deno.test("data: integrity is the registry's sha512 form", async () => {
  // sha512 of the empty input, base64.
  assert.equal(
    await integrityOf(new Uint8Array(0)),
    "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
  );
  assert.match(await integrityOf(new Uint8Array(1), "SHA-256"), /^sha256-/);
});

Deno.test("data: an npm tarball gives both CSV files and the version", async () => {
  const csv = await fixtureCsv();
  const tgz = gzipSync(createTar([
    { name: "package/package.json", data: JSON.stringify({ version: "2.3.2026061719" }) },
    { name: "package/asn-ipv4.csv", data: csv.ipv4 },
    { name: "package/asn-ipv6.csv", data: csv.ipv6 },
  ]));
  assert.deepEqual(readTarball(tgz), { ...csv, version: "2.3.2026061719" });
  const partial = gzipSync(createTar([{ name: "package/asn-ipv4.csv", data: csv.ipv4 }]));
  assert.throws(() => readTarball(partial), /The tarball has no asn-ipv6\.csv/);
});

Deno.test("data: a copy far smaller than the real dataset fails the sanity checks", async () => {
  // The fixture is a valid slice: it distils, but it is not a whole table.
  const { problems } = await build(await fixtureCsv(), {
    date: "2026-06-17",
    source: { package: "@ip-location-db/asn" },
  });
  assert.ok(problems.some((p) => /^only 63 IPv4 ranges/.test(p)), problems.join("; "));
  assert.ok(problems.some((p) => /IPv4 addresses mapped/.test(p)));
  // Its known origins and names pass.
  assert.ok(!problems.some((p) => /maps to|is named/.test(p)), problems.join("; "));
});

Deno.test("data: wrong origins and names are reported", async () => {
  const { table, distilled } = await fixtureTable();
  const limits = {
    ...FULL_TABLE,
    minIpv4Ranges: 0,
    minIpv6Ranges: 0,
    minAses: 0,
    minIpv4Addresses: 0,
    origins: [["8.8.8.8", 15169], ["8.8.9.1", 15169]] as [string, number][],
    names: [[15169, /google/i], [174, /lumen/i]] as [number, RegExp][],
  };
  assert.deepEqual(sanityProblems(distilled, table, limits), [
    "8.8.9.1 maps to 23089, expected AS15169",
    'AS174 is named "Cogent Communications", expected /lumen/i',
  ]);
});

Deno.test("distil: rows that cannot be parsed fail the run with their line", () => {
  const good = ["1.0.0.0", "1.0.0.255", "13335", "Cloudflare, Inc."];
  const cases: [string[][], RegExp][] = [
    [[good, ["1.0.1.0", "1.0.1.255", "13335"]], /asn-ipv4\.csv line 2: expected 4 fields, found 3/],
    [[["1.0.0", "1.0.0.255", "1", "x"]], /line 1: 1\.0\.0-1\.0\.0\.255 is not an ipv4 range/],
    [[["1.0.0.0", "1.0.0.255", "-1", "x"]], /line 1: "-1" is not an AS number/],
    [[["1.0.0.0", "1.0.0.255", "4294967296", "x"]], /"4294967296" is not an AS number/],
    [[["1.0.0.9", "1.0.0.1", "1", "x"]], /1\.0\.0\.9-1\.0\.0\.1 ends before it starts/],
  ];
  for (const [rows, message] of cases) {
    assert.throws(
      () => distill(rows, []),
      (e: unknown) => e instanceof RowError && message.test(e.message),
    );
  }
  assert.throws(() => distill([], [["2001::", "1.2.3.4", "1", "x"]]), /asn-ipv6\.csv line 1/);
});

Deno.test("distil: overlaps resolve to the smaller range; non-global space is dropped", () => {
  const out = distill([
    ["8.0.0.0", "8.255.255.255", "3356", "Level 3"],
    ["8.8.8.0", "8.8.8.255", "15169", "Google"], // inside the /8
    ["10.1.0.0", "10.1.255.255", "64512", "Private"], // RFC 1918
    ["100.64.0.0", "100.127.255.255", "1", "CGN"], // RFC 6598, the whole block
  ], [
    ["2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "1", "Doc"],
    ["fc00::", "fc00::ffff", "1", "ULA"],
    ["2001:4:112::", "2001:4:112:ffff:ffff:ffff:ffff:ffff", "112", "DNS-OARC"], // an exception
  ]);
  const ranges = out.ipv4.map((r) => [r.start, r.end, out.asns[r.as]]);
  assert.deepEqual(ranges, [
    [0x08000000n, 0x080807ffn, 3356],
    [0x08080800n, 0x080808ffn, 15169],
    [0x08080900n, 0x08ffffffn, 3356],
  ]);
  assert.deepEqual(out.ipv6.map((r) => out.asns[r.as]), [112]);
  assert.deepEqual(out.repairs, {
    ipv4OverlapsResolved: 1,
    ipv4NonGlobalDropped: 2,
    ipv6NonGlobalDropped: 2,
  });
});

Deno.test("distil: names are cleaned, bounded, and one per AS", () => {
  const repairs: Record<string, number> = {};
  assert.equal(cleanName("  Acme\u0007 \u202eNet  ", 1, repairs), "Acme Net");
  assert.equal(cleanName("AS65002", 65002, repairs), null);
  assert.equal(cleanName("AS65003", 65002, repairs), "AS65003");
  assert.equal(cleanName("", 7, repairs), null);
  assert.equal(cleanName("x".repeat(130), 7, repairs), `${"x".repeat(119)}…`);
  assert.deepEqual(repairs, {
    controlCharactersReplaced: 1,
    placeholderNames: 2,
    namesShortened: 1,
  });
  const out = distill([
    ["1.0.0.0", "1.0.0.255", "5", "Beta"],
    ["1.0.1.0", "1.0.1.255", "5", "Alpha"],
    ["1.0.2.0", "1.0.2.255", "5", "Beta"],
  ], []);
  assert.deepEqual(out.names, ["Beta"]);
  assert.equal(out.repairs.asesWithSeveralNames, 1);
});

/**
 * AS names and origins from a slice of the real dataset (tests/fixtures/asn,
 * see SOURCES.md), distilled, encoded and decoded exactly as `deno task data`
 * does: range boundaries, gaps, prefixes spanning several ranges, IPv6 ranges
 * that split a /64, the repaired overlap, special-purpose origins, name
 * search, and input validation.
 */

import assert from "node:assert/strict";
import { InvalidDestinationError } from "../../src/errors.ts";
import { parseDestination } from "../../src/validation/destination.ts";
import { InvalidAsnError, InvalidAsSearchError } from "../../src/errors.ts";
import { foldForSearch, parseAsnInput } from "../../src/names/query.ts";
import { MAX_SEARCH_RESULTS, rangePrefixes } from "../../src/names/table.ts";
import { distill } from "../../scripts/_data/distill.ts";
import { decodeNames } from "../../src/names/loader.ts";
import { containerOf, distilCsv, fixtureCsv, fixtureTable } from "../harness/names_fixture.ts";

const { table, distilled, container } = await fixtureTable();

function origin(query: string): number | undefined {
  return table.originOf(query).covering?.asn;
}

Deno.test("names: the AS numbers of the slice are named from the dataset", () => {
  assert.deepEqual(table.asName(15169), {
    asn: 15169,
    name: "Google LLC",
    source: "dataset",
    inDataset: true,
    ranges: { ipv4: 2, ipv6: 3 },
  });
  assert.equal(table.asName(3356).name, "Level 3 Communications, Inc.");
  assert.equal(table.asName(174).name, "Cogent Communications");
  assert.equal(table.asName(13335).name, "Cloudflare, Inc.");
  // A quoted CSV name with doubled quotes keeps its quotes.
  assert.equal(table.asName(201907).name, 'LLC "SPUTNIK"');
  assert.equal(table.date, "2026-06-17");
});

Deno.test("names: an AS the data does not know has no name; special numbers are named by IANA", () => {
  assert.deepEqual(table.asName(999999), {
    asn: 999999,
    name: null,
    source: "none",
    inDataset: false,
    ranges: { ipv4: 0, ipv6: 0 },
  });
  // The dataset maps 23.26.105.0/24 to AS65002 with the placeholder name "AS65002".
  const private65002 = table.asName(65002);
  assert.equal(private65002.name, "Private use");
  assert.equal(private65002.source, "iana");
  assert.equal(private65002.special?.reference, "RFC 6996");
  assert.equal(private65002.inDataset, true);
  assert.deepEqual(private65002.ranges, { ipv4: 1, ipv6: 0 });
  assert.equal(table.asName(0).name, "Reserved: no AS may use AS 0");
  assert.equal(table.asName(23456).special?.kind, "as-trans");
  assert.equal(table.asName(4294967294).source, "iana");
  // AS112 is special but real: its dataset name stays, the IANA entry is attached.
  const as112 = table.asName(112);
  assert.equal(as112.name, "DNS-OARC");
  assert.equal(as112.special?.bogon, false);
  assert.throws(() => table.asName(-1), RangeError);
  assert.throws(() => table.asName(2 ** 32), RangeError);
});

Deno.test("names: a bogon AS is named by IANA even where the dataset gives it a name", async () => {
  const small = await decodeNames(containerOf(distill([
    ["9.0.0.0", "9.0.0.255", "64512", "Leaky Networks Ltd"],
    ["9.0.1.0", "9.0.1.255", "23456", "Transit Corp"],
    ["9.0.2.0", "9.0.2.255", "112", "DNS-OARC"],
  ], [])));
  assert.equal(small.asName(64512).name, "Private use");
  assert.equal(small.asName(64512).source, "iana");
  assert.equal(small.originOf("9.0.1.1").covering?.name?.startsWith("AS_TRANS"), true);
  // AS112 is not a bogon: the dataset's name stands.
  assert.equal(small.asName(112).name, "DNS-OARC");
  assert.equal(small.asName(112).source, "dataset");
});

Deno.test("origin: an address maps to the range holding it, exactly at both boundaries", () => {
  const answer = table.originOf("8.8.8.8");
  assert.deepEqual(answer, {
    query: "8.8.8.8",
    family: "ipv4",
    covering: {
      family: "ipv4",
      start: "8.8.8.0",
      end: "8.8.8.255",
      prefixes: ["8.8.8.0/24"],
      prefixCount: 1,
      asn: 15169,
      name: "Google LLC",
    },
    overlapping: [],
    overlappingCount: 0,
  });
  assert.equal(origin("8.8.8.0"), 15169);
  assert.equal(origin("8.8.8.255"), 15169);
  assert.equal(origin("8.8.7.255"), 3356);
  assert.equal(origin("8.8.9.0"), 23089);
  // 4.0.0.0-4.4.61.191 is Level 3 (AS3356); the next address is AS203.
  assert.equal(origin("4.2.2.2"), 3356);
  assert.equal(origin("4.4.61.191"), 3356);
  assert.equal(origin("4.4.61.192"), 203);
  assert.equal(origin("1.1.1.1"), 13335);
  // The first row of the file, at its first address.
  assert.equal(origin("1.0.0.0"), 13335);
});

Deno.test("origin: an address in no range, and a prefix spanning several, say so", () => {
  // The file has 1.0.0.0-1.0.0.255 then 1.0.4.0-1.0.7.255: 1.0.1.0 is in neither.
  assert.deepEqual(table.originOf("1.0.1.0"), {
    query: "1.0.1.0",
    family: "ipv4",
    covering: null,
    overlapping: [],
    overlappingCount: 0,
  });
  const wide = table.originOf("1.0.0.0/21");
  assert.equal(wide.covering, null);
  assert.equal(wide.overlappingCount, 2);
  assert.deepEqual(wide.overlapping.map((r) => [r.start, r.end, r.asn]), [
    ["1.0.0.0", "1.0.0.255", 13335],
    ["1.0.4.0", "1.0.7.255", 38803],
  ]);
  // A prefix inside one range is covered by it.
  const inside = table.originOf("8.8.8.0/25");
  assert.equal(inside.covering?.asn, 15169);
  assert.equal(inside.query, "8.8.8.0/25");
  // A range that is not one CIDR block is listed as the blocks that make it up.
  const level3 = table.originOf("4.0.0.0/16").covering!;
  assert.equal(level3.end, "4.4.61.191");
  assert.deepEqual(level3.prefixes.slice(0, 3), ["4.0.0.0/14", "4.4.0.0/19", "4.4.32.0/20"]);
  assert.equal(level3.prefixCount, 8);
});

Deno.test("origin: IPv6, including ranges that split a /64", () => {
  assert.equal(origin("2001:4860:4860::8888"), 15169);
  assert.equal(origin("2606:4700:4700::1111"), 13335);
  assert.equal(origin("2001:500:30ff::2f"), 396585);
  assert.equal(origin("2001:500:30ff::30"), 396552);
  assert.equal(origin("2001:500:30ff::31"), 396585);
  assert.equal(origin("2001:500:30ff:ffff:ffff:ffff:ffff:ffff"), 396585);
  const split = table.originOf("2001:500:30ff::/64");
  assert.equal(split.covering, null);
  assert.deepEqual(split.overlapping.map((r) => r.asn), [396585, 396552, 396585]);
  assert.deepEqual(split.overlapping[1].prefixes, ["2001:500:30ff::30/128"]);
  const google = table.originOf("2001:4860::/34").covering!;
  assert.equal(google.start, "2001:4860::");
  assert.equal(google.end, "2001:4860:4804:ffff:ffff:ffff:ffff:ffff");
});

Deno.test("origin: special-purpose origins, AS112, and the repaired overlap", () => {
  const bogon = table.originOf("23.26.105.7").covering!;
  assert.equal(bogon.asn, 65002);
  assert.equal(bogon.name, "Private use");
  assert.equal(bogon.special?.bogon, true);
  assert.equal(origin("2001:4:112::1"), 112);
  // 214.95.0.0-215.0.255.255 (AS749) overlaps 215.0.0.0-215.1.3.255 (AS721): the smaller wins.
  assert.equal(origin("214.255.255.255"), 749);
  assert.equal(origin("215.0.0.0"), 721);
  assert.equal(origin("215.1.3.255"), 721);
  assert.equal(distilled.repairs.ipv4OverlapsResolved, 1);
  // Teredo (2001::/32) is non-global space: dropped, never asked for.
  assert.equal(distilled.repairs.ipv6NonGlobalDropped, 1);
  // AS65002, AS65666, AS65534, AS4294967294 and AS212276 are named only "AS<number>".
  assert.equal(distilled.repairs.placeholderNames, 5);
  assert.equal(table.asName(212276).name, null);
});

Deno.test("origin: text is validated exactly as a route_lookup destination", () => {
  for (const bad of ["10.0.0.1", "192.168.1.0/24", "2001:db8::1", "fe80::1", "github.com", ""]) {
    let expected = "";
    try {
      parseDestination(bad);
    } catch (error) {
      expected = (error as Error).message;
    }
    assert.ok(expected !== "", bad);
    assert.throws(
      () => table.originOf(bad),
      (error: unknown) => error instanceof InvalidDestinationError && error.message === expected,
    );
  }
  // A validated destination can be passed as is.
  assert.equal(table.originOf(parseDestination("8.8.8.8/32")).covering?.asn, 15169);
});

Deno.test("search: best matches first, bounded, with totals", () => {
  const level3 = table.searchAs("level 3");
  assert.equal(level3.query, "level 3");
  assert.deepEqual(level3.matches.map((m) => [m.asn, m.match]), [
    [3356, "prefix"],
    [3549, "prefix"],
    [203, "prefix"],
  ]);
  assert.equal(level3.total, 3);
  assert.equal(table.searchAs("COGENT").matches[0].asn, 174);
  assert.equal(table.searchAs("  google   llc ").matches[0].name, "Google LLC");
  // The AS number itself comes first.
  const byNumber = table.searchAs("AS15169");
  assert.deepEqual(byNumber.matches.map((m) => [m.asn, m.match]), [[15169, "asn"]]);
  assert.equal(byNumber.total, 1);
  assert.equal(table.searchAs("23456").matches[0].name?.startsWith("AS_TRANS"), true);
  // A whole-name match beats a name start, which beats a word start, which beats any other.
  const kinds = table.searchAs("communications", 50).matches.map((m) => m.match);
  assert.deepEqual([...kinds].sort(), kinds.slice().sort());
  assert.ok(kinds.includes("word"));
  const limited = table.searchAs("l", 2);
  assert.equal(limited.matches.length, 2);
  assert.ok(limited.total > 2);
  assert.ok(table.searchAs("e", 1000).matches.length <= MAX_SEARCH_RESULTS);
  assert.deepEqual(table.searchAs("no such organisation").matches, []);
});

Deno.test("search: bad text is refused with the reason", () => {
  assert.throws(() => table.searchAs(""), InvalidAsSearchError);
  assert.throws(() => table.searchAs("   "), /The search text is empty/);
  assert.throws(() => table.searchAs("x".repeat(101)), /101 characters long; the limit is 100/);
  assert.throws(() => table.searchAs("goo\u0000gle"), /control characters/);
  assert.equal(foldForSearch("Telefónica ÖSTERREICH"), "telefonica osterreich");
});

Deno.test("ranges of an AS: a few listed in address order, all counted", () => {
  const level3 = table.rangesOf(3356, 2);
  assert.deepEqual(level3.ipv4.map((r) => r.start), ["4.0.0.0", "4.4.62.0"]);
  assert.equal(
    level3.counts.ipv4,
    distilled.ipv4.filter((r) => distilled.asns[r.as] === 3356).length,
  );
  assert.deepEqual(table.rangesOf(999999).counts, { ipv4: 0, ipv6: 0 });
  assert.deepEqual(table.rangesOf(15169, 0).ipv4, []);
});

Deno.test("AS number input: every bad form is refused with the reason", () => {
  assert.equal(parseAsnInput(3356), 3356);
  assert.equal(parseAsnInput("3356"), 3356);
  assert.equal(parseAsnInput("AS3356"), 3356);
  assert.equal(parseAsnInput(" as3356 "), 3356);
  assert.equal(parseAsnInput("1.10"), 65546);
  assert.equal(parseAsnInput("4294967295"), 4294967295);
  assert.equal(parseAsnInput(0), 0);
  const cases: [number | string, RegExp][] = [
    [-1, /^-1 is out of range\. Accepted: an AS number from 0 to 4294967295/],
    [2 ** 32, /^4294967296 is out of range/],
    ["4294967296", /^"4294967296" is out of range/],
    ["99999999999999999999", /is out of range/],
    ["AS-1", /is out of range/],
    [1.5, /^1\.5 is not a whole number/],
    [Number.NaN, /^NaN is not an AS number/],
    ["", /^The AS number is empty/],
    ["cogent", /^"cogent" is not an AS number.*search for a part of its name/],
    ["1.70000", /is not an AS number/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseAsnInput(input), (error: unknown) => {
      assert.ok(error instanceof InvalidAsnError, String(input));
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\.$/);
      return true;
    });
  }
});

Deno.test("rangePrefixes: exact CIDR cover of a range, including whole spaces", () => {
  assert.deepEqual(rangePrefixes("ipv4", 0n, 2n ** 32n - 1n), {
    prefixes: ["0.0.0.0/0"],
    count: 1,
  });
  assert.deepEqual(rangePrefixes("ipv6", 0n, 2n ** 128n - 1n), { prefixes: ["::/0"], count: 1 });
  assert.deepEqual(rangePrefixes("ipv4", 1n, 6n), {
    prefixes: ["0.0.0.1/32", "0.0.0.2/31", "0.0.0.4/31", "0.0.0.6/32"],
    count: 4,
  });
  // The worst IPv4 case, 0.0.0.1-255.255.255.254, is 62 blocks: 8 listed, all counted.
  const worst = rangePrefixes("ipv4", 1n, 2n ** 32n - 2n);
  assert.equal(worst.count, 62);
  assert.equal(worst.prefixes.length, 8);
});

Deno.test("the distilled table is deterministic: the same rows give the same bytes", async () => {
  const again = containerOf(distilCsv(await fixtureCsv()));
  assert.deepEqual(again, container);
});

/**
 * The IANA special-purpose AS number table: every block's edges, the RFC of
 * each, AS112 not a bogon, and a seeded comparison of the binary search with
 * a plain scan of the table.
 */

import assert from "node:assert/strict";
import {
  describeSpecialAsn,
  isBogonAsn,
  MAX_ASN,
  SPECIAL_ASNS,
  specialAsn,
} from "../../src/bgp/special_asns.ts";
import { prng, seedBanner, testSeed } from "../harness/prng.ts";

const SEED = testSeed();
// deno-lint-ignore no-console
console.error(seedBanner("tests/special_asns_test.ts", SEED));

Deno.test("special ASNs: the IANA blocks, each with its reference", () => {
  const cases: [number, string | undefined, string | undefined][] = [
    [0, "reserved", "RFC 7607"],
    [1, undefined, undefined],
    [112, "as112", "RFC 7534"],
    [23455, undefined, undefined],
    [23456, "as-trans", "RFC 6793"],
    [23457, undefined, undefined],
    [64495, undefined, undefined],
    [64496, "documentation", "RFC 5398"],
    [64511, "documentation", "RFC 5398"],
    [64512, "private-use", "RFC 6996"],
    [65534, "private-use", "RFC 6996"],
    [65535, "last", "RFC 7300"],
    [65536, "documentation", "RFC 5398"],
    [65551, "documentation", "RFC 5398"],
    [65552, "reserved", "IANA"],
    [131071, "reserved", "IANA"],
    [131072, undefined, undefined],
    [3356, undefined, undefined],
    [4199999999, undefined, undefined],
    [4200000000, "private-use", "RFC 6996"],
    [4294967294, "private-use", "RFC 6996"],
    [4294967295, "last", "RFC 7300"],
  ];
  for (const [asn, kind, reference] of cases) {
    const entry = specialAsn(asn);
    assert.equal(entry?.kind, kind, String(asn));
    assert.equal(entry?.reference, reference, String(asn));
  }
  assert.equal(describeSpecialAsn(specialAsn(65000)!), "Private use (RFC 6996)");
  assert.equal(specialAsn(23456)!.name.startsWith("AS_TRANS"), true);
});

Deno.test("special ASNs: every block but AS112 is a bogon in a public AS path", () => {
  assert.equal(isBogonAsn(112), false);
  assert.equal(isBogonAsn(3356), false);
  for (const entry of SPECIAL_ASNS) {
    if (entry.kind === "as112") continue;
    assert.equal(isBogonAsn(entry.first), true, entry.name);
    assert.equal(isBogonAsn(entry.last), true, entry.name);
  }
});

Deno.test("special ASNs: the table is ordered and disjoint, within 0 to 2^32 - 1", () => {
  let previous = -1;
  for (const entry of SPECIAL_ASNS) {
    assert.ok(entry.first > previous && entry.last >= entry.first && entry.last <= MAX_ASN);
    assert.match(entry.reference, /^(RFC \d{4}|IANA)$/);
    previous = entry.last;
  }
});

Deno.test("special ASNs: out-of-range numbers are refused", () => {
  for (const bad of [-1, 2 ** 32, 1.5, Number.NaN, Infinity]) {
    assert.throws(() => specialAsn(bad), RangeError, String(bad));
  }
});

Deno.test("special ASNs: the binary search agrees with a plain scan (seeded)", () => {
  const seed = SEED;
  const random = prng(seed);
  const edges = SPECIAL_ASNS.flatMap((e) => [e.first - 1, e.first, e.last, e.last + 1])
    .filter((n) => n >= 0 && n <= MAX_ASN);
  const samples = [
    ...edges,
    ...Array.from({ length: 20_000 }, () => Math.floor(random() * 2 ** 32)),
  ];
  for (const asn of samples) {
    const scanned = SPECIAL_ASNS.find((e) => asn >= e.first && asn <= e.last);
    assert.equal(specialAsn(asn), scanned, `AS${asn} (seed ${seed})`);
  }
});

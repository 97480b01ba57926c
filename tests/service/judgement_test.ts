/**
 * The findings' offline data, wired: bogon ASNs from the IANA table
 * (`bgp/special_asns.ts`), the dataset's origin and names from the AS-names
 * table (the test slice of the real data); and one server's paths judged as
 * vantage points of their own.
 */

import assert from "node:assert/strict";
import type { BgpPath, ParsedRoute } from "../../src/bgp/types.ts";
import {
  asNameOf,
  bogonAsn,
  datasetOriginOf,
  judge,
  judgeLookup,
} from "../../src/service/judgement.ts";
import { loadJudgement } from "../../src/service/load_judgement.ts";
import { fixtureTable } from "../harness/names_fixture.ts";

const { table } = await fixtureTable();

function path(asPath: number[], extra: Partial<BgpPath> = {}): BgpPath {
  return {
    best: false,
    valid: true,
    asPath,
    asPathText: asPath.join(" "),
    originAs: asPath.at(-1) ?? null,
    origin: "IGP",
    nextHop: "198.51.100.1",
    peer: { address: "198.51.100.1", routerId: "192.0.2.1" },
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
    ...extra,
  } as BgpPath;
}

function route(prefix: string, ...paths: BgpPath[]): ParsedRoute {
  return { found: true, prefix, paths, totalPaths: paths.length };
}

Deno.test("bogonAsn: the IANA numbers that never belong in a path; AS112 and ordinary ones do", () => {
  assert.deepEqual(bogonAsn(0), { kind: "reserved", rfc: "RFC 7607" });
  assert.deepEqual(bogonAsn(23456), { kind: "as-trans", rfc: "RFC 6793" });
  assert.deepEqual(bogonAsn(64496), { kind: "documentation", rfc: "RFC 5398" });
  assert.deepEqual(bogonAsn(64512), { kind: "private-use", rfc: "RFC 6996" });
  assert.deepEqual(bogonAsn(4200000000), { kind: "private-use", rfc: "RFC 6996" });
  assert.equal(bogonAsn(65535)?.rfc, "RFC 7300");
  assert.equal(bogonAsn(4294967295)?.rfc, "RFC 7300");
  for (const asn of [112, 15169, 3356, 196623]) assert.equal(bogonAsn(asn), undefined);
  // Out of range is no finding, not a failure of the whole answer.
  for (const asn of [-1, 2 ** 32, 1.5, NaN]) assert.equal(bogonAsn(asn), undefined);
});

Deno.test("datasetOriginOf: the range holding a prefix; none when no one range does", () => {
  const origin = datasetOriginOf(table);
  assert.deepEqual(origin("8.8.8.0/24"), {
    asn: 15169,
    name: "Google LLC",
    range: "8.8.8.0/24",
  });
  assert.deepEqual(origin("4.0.0.0/16"), {
    asn: 3356,
    name: "Level 3 Communications, Inc.",
    range: "4.0.0.0-4.4.61.191",
  });
  assert.equal(origin("8.8.0.0/16"), undefined); // several ranges overlap it
  assert.equal(origin("10.0.0.0/8"), undefined); // not global unicast: the dataset is not asked
  assert.equal(asNameOf(table)(15169), "Google LLC");
  assert.equal(asNameOf(table)(4294967294), "Private use"); // IANA's name
});

Deno.test("judge: the dataset's origin makes origin-differs-from-dataset; without names it cannot", () => {
  const outcomes = [
    { server: "rv1", route: route("8.8.8.0/24", path([3356, 15169], { best: true })) },
    { server: "rv2", route: route("8.8.8.0/24", path([174, 64666], { best: true })) },
  ];
  const named = judge({ destination: "8.8.8.8", outcomes, table });
  const differs = named.findings.find((f) => f.kind === "origin-differs-from-dataset");
  assert.ok(differs, named.findings.map((f) => f.kind).join(", "));
  assert.deepEqual(differs.evidence.asns, [64666]);
  assert.match(differs.summary, /the AS-names dataset \(as of 2026-06-17\) maps it to AS15169/);
  assert.match(named.graph.mermaid, /AS15169<br\/>Google LLC/);
  assert.deepEqual(
    named.graph.ases.find((a) => a.asn === 3356)?.name,
    "Level 3 Communications, Inc.",
  );

  const bare = judge({ destination: "8.8.8.8", outcomes, table: null });
  assert.equal(bare.findings.some((f) => f.kind === "origin-differs-from-dataset"), false);
  assert.ok(bare.findings.some((f) => f.kind === "moas"));
  assert.equal(bare.graph.ases.some((a) => a.name !== undefined), false);
});

Deno.test("judgeLookup: each path a vantage point; RPKI is the server's; no visibility", () => {
  const paths = [
    path([3356, 15169], { best: true, rpki: "valid" }),
    path([174, 64512, 15169], {
      peer: { address: "198.51.100.2", routerId: "192.0.2.2" },
      rpki: "valid",
    }),
  ];
  const judged = judgeLookup({
    server: "rv",
    destination: "8.8.8.8",
    prefix: "8.8.8.0/24",
    paths,
    table: null,
  });
  const kinds = judged.findings.map((f) => f.kind);
  // The private ASN is on a path that is not the best one: seen anyway.
  assert.deepEqual(kinds, ["bogon-asn-in-path", "rpki-valid"]);
  assert.deepEqual(judged.findings[0].evidence.servers, ["rv via 198.51.100.2"]);
  assert.deepEqual(judged.findings[1].evidence.servers, ["rv"]);
  assert.deepEqual(judged.graph.vantagePoints.map((v) => v.server), [
    "rv via 198.51.100.1",
    "rv via 198.51.100.2",
  ]);
  assert.deepEqual(judged.graph.edges.map((e) => `${e.from}>${e.to}:${e.weight}`), [
    "v0>a3356:1",
    "a3356>a15169:1",
    "v1>a174:1",
    "a174>a64512:1",
    "a64512>a15169:1",
  ]);
});

Deno.test("loadJudgement: one import() per process, shared by every query", async () => {
  // 500 concurrent lookups each starting an import() kept the event loop busy enough under the
  // red team's load for connects to time out; one shared promise does not.
  const first = loadJudgement();
  assert.equal(loadJudgement(), first);
  assert.equal((await first).judge, judge);
});

/**
 * Path rules: `bogon-asn-in-path`, `possible-route-leak`, `prepending` and
 * `path-length-outlier`, each with the cases where it must not fire.
 */

import assert from "node:assert/strict";
import { bogonAsnFindings, pathAsns } from "../../src/findings/bogon_asn.ts";
import { leakSegments, routeLeakFindings } from "../../src/findings/route_leak.ts";
import { LARGE_TRANSIT, largeTransit } from "../../src/findings/large_transit.ts";
import {
  EXCESSIVE_PREPENDS,
  HEAVY_PREPENDS,
  prependingFindings,
  prependRuns,
} from "../../src/findings/prepending.ts";
import { median, pathLengthFindings } from "../../src/findings/path_length.ts";
import type { FindingsInput } from "../../src/findings/types.ts";
import type { VantageOutcome } from "../../src/bgp/consensus.ts";
import {
  at,
  best,
  everywhere,
  NOT_FOUND,
  path,
  route,
  testAsName,
  testSpecialAsn,
} from "./_findings_fixtures.ts";

function input(destination: string, outcomes: VantageOutcome[]): FindingsInput {
  return { destination, outcomes, specialAsn: testSpecialAsn, asName: testAsName };
}

// --- bogon-asn-in-path ------------------------------------------------------------------------

Deno.test("bogon-asn-in-path: each kind of special ASN, anywhere in the path", () => {
  const cases: [number[], number, string, RegExp][] = [
    [[3356, 0, 15169], 0, "critical", /AS0 \(AS 0, reserved, RFC 7607\).*RFC 7607/],
    [[3356, 23456, 15169], 23456, "warning", /AS23456 \(AS_TRANS, as-trans, RFC 6793\)/],
    [[3356, 64496, 15169], 64496, "warning", /AS64496 \(documentation, RFC 5398\)/],
    [[3356, 65551, 15169], 65551, "warning", /AS65551 \(documentation, RFC 5398\)/],
    [[3356, 64512, 15169], 64512, "warning", /AS64512 \(private-use, RFC 6996\)/],
    [[3356, 4200000000], 4200000000, "warning", /as its origin/],
    [[3356, 65535, 15169], 65535, "warning", /AS65535 \(reserved, RFC 7300\)/],
    [[4294967295, 15169], 4294967295, "warning", /AS4294967295 \(reserved/],
  ];
  for (const [asPath, asn, severity, summary] of cases) {
    const found = bogonAsnFindings(
      input("8.8.8.0/24", [at("rv1", route("8.8.8.0/24", best(asPath)))]),
    );
    assert.equal(found.length, 1, `${asPath}`);
    assert.equal(found[0].kind, "bogon-asn-in-path");
    assert.equal(found[0].severity, severity, `${asPath}`);
    assert.deepEqual(found[0].evidence.asns, [asn]);
    assert.deepEqual(found[0].evidence.servers, ["rv1"]);
    assert.deepEqual(found[0].evidence.paths.map((p) => p.asPath), [asPath]);
    assert.match(found[0].summary, summary);
  }
});

Deno.test("bogon-asn-in-path: one finding per ASN over servers, AS_SET members included", () => {
  const found = bogonAsnFindings(input("8.8.8.0/24", [
    at("rv1", route("8.8.8.0/24", best([3356, 15169]), path([174, 64512, 15169]))),
    at("rv2", route("8.8.8.0/24", best([6939, 64512, 64512, 15169]))),
    at(
      "rv3",
      route(
        "8.8.8.0/24",
        best([174, 15169], { originAs: null, asPathText: "174 15169 {65001,3356}" }),
      ),
    ),
    at("rv4", route("8.8.8.0/24", best([174, 15169], { asPathText: "174 15169 {1.0}" }))),
  ]));
  assert.deepEqual(found.map((f) => f.evidence.asns[0]), [64512, 65001, 65536]);
  const [first, second, third] = found;
  assert.deepEqual(first.evidence.servers, ["rv1", "rv2"]);
  // rv1's best path is clean: its evidence is the path that has the ASN.
  assert.deepEqual(first.evidence.paths.map((p) => [p.server, p.best, p.asPath]), [
    ["rv1", false, [174, 64512, 15169]],
    ["rv2", true, [6939, 64512, 64512, 15169]],
  ]);
  assert.match(first.summary, /at 2 servers \(rv1 and rv2\)/);
  assert.deepEqual(second.evidence.servers, ["rv3"]);
  assert.deepEqual(third.evidence.servers, ["rv4"]);
  // asdot 1.0 is AS65536, documentation space.
  assert.deepEqual(pathAsns(path([174], { asPathText: "174 {1.0,65001}" })), [174, 65536, 65001]);
});

Deno.test("bogon-asn-in-path: does not fire for ordinary ASNs or a path the server marks invalid", () => {
  assert.deepEqual(
    bogonAsnFindings(input("8.8.8.0/24", [
      ...everywhere(3, "8.8.8.0/24", [3356, 174, 15169]),
      at("rv4", route("8.8.8.0/24", best([6939, 15169]), path([64512, 15169], { valid: false }))),
      at("rv5", NOT_FOUND),
      at("rv6", null),
    ])),
    [],
  );
  // Boundaries: the ASN just outside each special range is ordinary.
  for (const asn of [1, 23455, 23457, 64495, 65552, 4199999999]) {
    assert.deepEqual(
      bogonAsnFindings(input("8.8.8.0/24", [at("rv1", route("8.8.8.0/24", best([174, asn])))])),
      [],
      `AS${asn}`,
    );
  }
});

// --- possible-route-leak ----------------------------------------------------------------------

Deno.test("route leak: the segments between two transit-free ASes, prepends collapsed", () => {
  assert.deepEqual(leakSegments([3356, 64500, 174, 15169]), [
    { upper: 3356, between: [64500], lower: 174 },
  ]);
  assert.deepEqual(leakSegments([6939, 3356, 3356, 6939, 6939, 1299, 2914, 13335]), [
    { upper: 3356, between: [6939], lower: 1299 },
  ]);
  // Two leaks in one path; an organisation's siblings count as transit-free.
  assert.deepEqual(leakSegments([174, 100, 3549, 200, 300, 701, 15169]), [
    { upper: 174, between: [100], lower: 3549 },
    { upper: 3549, between: [200, 300], lower: 701 },
  ]);
  // Valley-free shapes: up, across one peering, down.
  for (
    const asPath of [
      [3356, 15169],
      [3356, 174, 15169],
      [6939, 3356, 64500],
      [64500, 64501, 3356, 1299, 64502, 64503],
      [3356, 3356, 3356],
      [64500, 64501, 64502],
      [],
    ]
  ) {
    assert.deepEqual(leakSegments(asPath), [], `${asPath}`);
  }
  assert.equal(largeTransit(3549)?.name, largeTransit(3356)?.name);
  assert.equal(largeTransit(6939), undefined);
  const all = LARGE_TRANSIT.flatMap((n) => n.asns);
  assert.equal(new Set(all).size, all.length);
});

Deno.test("route leak: warning on a best path, info on another path; evidence per server", () => {
  const found = routeLeakFindings(input("1.1.1.0/24", [
    at("rv1", route("1.1.1.0/24", best([3356, 12345, 174, 13335]))),
    at("rv2", route("1.1.1.0/24", best([6939, 13335]), path([3356, 12345, 12345, 174, 13335]))),
    at("rv3", route("1.1.1.0/24", best([1299, 13335]), path([2914, 54321, 6453, 13335]))),
  ]));
  assert.equal(found.length, 2);
  const [onBest, onOther] = found;
  assert.equal(onBest.kind, "possible-route-leak");
  assert.equal(onBest.severity, "warning");
  assert.deepEqual(onBest.evidence.asns, [12345]);
  assert.deepEqual(onBest.evidence.servers, ["rv1", "rv2"]);
  assert.deepEqual(onBest.evidence.paths.map((p) => [p.server, p.best]), [
    ["rv1", true],
    ["rv2", false],
  ]);
  assert.match(
    onBest.summary,
    /^Possible route leak on the best path at 2 servers \(rv1 and rv2\): the route comes down from AS174 \(Cogent\) to AS12345 and goes back up to AS3356 \(Lumen\)\./,
  );
  assert.match(onBest.summary, /Heuristic over a list of 15 transit-free networks/);
  assert.equal(onOther.severity, "info");
  assert.deepEqual(onOther.evidence.asns, [54321]);
  assert.match(onOther.summary, /^Possible route leak on a path at 1 server \(rv3\)/);
});

Deno.test("route leak: does not fire on valley-free paths or paths the server marks invalid", () => {
  assert.deepEqual(
    routeLeakFindings(input("8.8.8.0/24", [
      at("rv1", route("8.8.8.0/24", best([3356, 15169]), path([6939, 174, 15169]))),
      at("rv2", route("8.8.8.0/24", best([64500, 1299, 3356, 15169]))),
      at(
        "rv3",
        route("8.8.8.0/24", best([174, 15169]), path([3356, 12345, 174], { valid: false })),
      ),
    ])),
    [],
  );
});

// --- prepending -------------------------------------------------------------------------------

Deno.test("prepending: runs of one AS", () => {
  assert.deepEqual(prependRuns([3356, 64500, 64500, 64500, 15169, 15169]), [
    { asn: 3356, prepends: 0 },
    { asn: 64500, prepends: 2 },
    { asn: 15169, prepends: 1 },
  ]);
  assert.deepEqual(prependRuns([]), []);
  assert.deepEqual(HEAVY_PREPENDS, 3);
  assert.deepEqual(EXCESSIVE_PREPENDS, 10);
});

Deno.test("prepending: heavy prepends on the best path are info, excessive ones a warning", () => {
  const origin = [15169, 15169, 15169, 15169];
  const [heavy] = prependingFindings(input("8.8.8.0/24", [
    at("rv1", route("8.8.8.0/24", best([3356, ...origin]))),
    at("rv2", route("8.8.8.0/24", best([174, ...origin, 15169]))),
    at("rv3", route("8.8.8.0/24", best([6939, 15169]))),
  ]));
  assert.equal(heavy.kind, "prepending");
  assert.equal(heavy.severity, "info");
  assert.deepEqual(heavy.evidence.asns, [15169]);
  assert.deepEqual(heavy.evidence.servers, ["rv1", "rv2"]);
  assert.match(
    heavy.summary,
    /^The origin AS15169 \(Google\) prepends itself 3 to 4 times on the best path at 2 servers \(rv1 and rv2\)/,
  );
  const transit = [3356, ...Array(11).fill(174), 15169];
  const [excessive] = prependingFindings(input("8.8.8.0/24", [
    at("rv1", route("8.8.8.0/24", best(transit))),
  ]));
  assert.equal(excessive.severity, "warning");
  assert.match(excessive.summary, /^AS174 \(Cogent\) prepends itself 10 times/);
  assert.match(excessive.summary, /excessive/);
});

Deno.test("prepending: does not fire below the threshold or on paths that are not best", () => {
  assert.deepEqual(
    prependingFindings(input("8.8.8.0/24", [
      at("rv1", route("8.8.8.0/24", best([3356, 15169, 15169, 15169]))),
      at(
        "rv2",
        route("8.8.8.0/24", best([174, 15169]), path([6939, 15169, 15169, 15169, 15169, 15169])),
      ),
      at("rv3", NOT_FOUND),
    ])),
    [],
  );
});

// --- path-length-outlier ----------------------------------------------------------------------

Deno.test("path-length-outlier: a best path 3 or more ASes longer than the median", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  const found = pathLengthFindings(input("8.8.8.0/24", [
    at("rv1", route("8.8.8.0/24", best([3356, 15169]))),
    at("rv2", route("8.8.8.0/24", best([174, 3356, 15169]))),
    at("rv3", route("8.8.8.0/24", best([6939, 174, 15169]))),
    at("rv4", route("8.8.8.0/24", best([100, 200, 300, 400, 500, 15169]))),
    at("rv5", route("8.8.8.0/24", best([100, 200, 300, 400, 500, 600, 15169]))),
  ]));
  assert.equal(found.length, 1);
  const [f] = found;
  assert.equal(f.kind, "path-length-outlier");
  assert.equal(f.severity, "info");
  assert.deepEqual(f.evidence.servers, ["rv4", "rv5"]);
  assert.deepEqual(f.evidence.paths.map((p) => p.asPath.length), [6, 7]);
  assert.match(
    f.summary,
    /rv4 \(6 ASes\) and rv5 \(7 ASes\) is much longer than the median of 3 ASes over 5 servers/,
  );
});

Deno.test("path-length-outlier: does not fire under the margin, for prepends, or with too few paths", () => {
  const none = (outcomes: VantageOutcome[]) =>
    assert.deepEqual(pathLengthFindings(input("8.8.8.0/24", outcomes)), []);
  // 2 more than the median.
  none([
    at("rv1", route("8.8.8.0/24", best([3356, 15169]))),
    at("rv2", route("8.8.8.0/24", best([174, 15169]))),
    at("rv3", route("8.8.8.0/24", best([100, 200, 300, 15169]))),
  ]);
  // Prepending makes a path long, not a detour.
  none([
    at("rv1", route("8.8.8.0/24", best([3356, 15169]))),
    at("rv2", route("8.8.8.0/24", best([174, 15169]))),
    at("rv3", route("8.8.8.0/24", best([6939, 15169, 15169, 15169, 15169, 15169, 15169]))),
  ]);
  // Two best paths make no median worth comparing to.
  none([
    at("rv1", route("8.8.8.0/24", best([3356, 15169]))),
    at("rv2", route("8.8.8.0/24", best([100, 200, 300, 400, 500, 600, 15169]))),
    at("rv3", NOT_FOUND),
    at("rv4", null),
  ]);
});

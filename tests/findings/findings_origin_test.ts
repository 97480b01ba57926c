/**
 * Origin rules: `moas`, `more-specific-other-origin` and
 * `origin-differs-from-dataset`, each with the cases where it must not fire.
 */

import assert from "node:assert/strict";
import { moasFindings } from "../../src/findings/moas.ts";
import { moreSpecificFindings } from "../../src/findings/more_specific.ts";
import { datasetOriginFindings } from "../../src/findings/dataset_origin.ts";
import type { DatasetOrigin, FindingsInput } from "../../src/findings/types.ts";
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

function input(
  destination: string,
  outcomes: VantageOutcome[],
  extra: Partial<FindingsInput> = {},
): FindingsInput {
  return { destination, outcomes, specialAsn: testSpecialAsn, asName: testAsName, ...extra };
}

// --- moas -------------------------------------------------------------------------------------

Deno.test("moas: two origins for one prefix across servers, with servers and one path each", () => {
  const found = moasFindings(input("8.8.8.0/24", [
    ...everywhere(3, "8.8.8.0/24", [3356, 15169]),
    at("rv4", route("8.8.8.0/24", best([6939, 666]))),
    at("rv5", NOT_FOUND),
    at("rv6", null),
  ]));
  assert.equal(found.length, 1);
  const [moas] = found;
  assert.equal(moas.kind, "moas");
  assert.equal(moas.severity, "warning");
  assert.deepEqual(moas.evidence.asns, [15169, 666]);
  assert.deepEqual(moas.evidence.servers, ["rv1", "rv2", "rv3", "rv4"]);
  assert.deepEqual(moas.evidence.prefixes, ["8.8.8.0/24"]);
  assert.deepEqual(moas.evidence.paths.map((p) => [p.server, p.originAs, p.asPath]), [
    ["rv1", 15169, [3356, 15169]],
    ["rv2", 15169, [3356, 15169]],
    ["rv3", 15169, [3356, 15169]],
    ["rv4", 666, [6939, 666]],
  ]);
  assert.match(moas.summary, /^8\.8\.8\.0\/24 has 2 origin ASes: AS15169 \(Google\) at 3 servers/);
  assert.match(moas.summary, /AS666 at 1 server \(rv4\)/);
});

Deno.test("moas: two origins inside one server's paths; the best path is the evidence", () => {
  const [moas] = moasFindings(input("1.1.1.0/24", [
    at("rv1", route("1.1.1.0/24", path([174, 13335]), best([3356, 13335]), path([174, 666]))),
  ]));
  assert.deepEqual(moas.evidence.asns, [13335, 666]);
  assert.deepEqual(moas.evidence.paths.map((p) => [p.asPath, p.best]), [
    [[3356, 13335], true],
    [[174, 666], false],
  ]);
});

Deno.test("moas: does not fire for one origin, other prefixes, invalid paths or AS_SET ends", () => {
  // One origin everywhere, even with different paths and prepends.
  assert.deepEqual(
    moasFindings(input("8.8.8.8", [
      at("rv1", route("8.8.8.0/24", best([3356, 15169, 15169]))),
      at("rv2", route("8.8.8.0/24", best([174, 15169]), path([6939, 15169]))),
    ])),
    [],
  );
  // A different origin for a different (more-specific) prefix is not MOAS.
  assert.deepEqual(
    moasFindings(input("8.8.8.8", [
      at("rv1", route("8.8.8.0/24", best([3356, 15169]))),
      at("rv2", route("8.8.8.0/25", best([174, 666]))),
    ])),
    [],
  );
  // A path the server marks invalid does not count, nor a path ending in an AS_SET.
  assert.deepEqual(
    moasFindings(input("8.8.8.0/24", [
      at("rv1", route("8.8.8.0/24", best([3356, 15169]), path([174, 666], { valid: false }))),
      at(
        "rv2",
        route(
          "8.8.8.0/24",
          best([174, 15169]),
          path([174, 64500], { originAs: null, asPathText: "174 64500 {64501,64502}" }),
        ),
      ),
    ])),
    [],
  );
  // Nothing answered, nothing found.
  assert.deepEqual(moasFindings(input("8.8.8.0/24", [at("a", null), at("b", NOT_FOUND)])), []);
});

// --- more-specific-other-origin ---------------------------------------------------------------

Deno.test("more-specific-other-origin: a /25 of the /24 from another AS (address query)", () => {
  const found = moreSpecificFindings(input("192.0.2.10", [
    ...everywhere(6, "192.0.2.0/24", [3356, 15169]),
    at("rv7", route("192.0.2.0/25", best([6939, 666]))),
    at("rv8", route("192.0.2.0/25", best([174, 6939, 666]))),
  ]));
  assert.equal(found.length, 1);
  const [f] = found;
  assert.equal(f.kind, "more-specific-other-origin");
  assert.equal(f.severity, "warning");
  assert.deepEqual(f.evidence.asns, [666]);
  assert.deepEqual(f.evidence.prefixes, ["192.0.2.0/24", "192.0.2.0/25"]);
  assert.deepEqual(f.evidence.servers, ["rv1", "rv2", "rv3", "rv4", "rv5", "rv6", "rv7", "rv8"]);
  // Both hijack paths and one path of the covering prefix for contrast.
  assert.deepEqual(f.evidence.paths.map((p) => [p.server, p.prefix, p.originAs]), [
    ["rv7", "192.0.2.0/25", 666],
    ["rv8", "192.0.2.0/25", 666],
    ["rv1", "192.0.2.0/24", 15169],
  ]);
  assert.match(
    f.summary,
    /^192\.0\.2\.0\/25, a more-specific of 192\.0\.2\.0\/24, is originated by AS666, not by the origin of 192\.0\.2\.0\/24 \(AS15169 \(Google\)\); seen by 2 of 8 servers \(rv7 and rv8\)/,
  );
});

Deno.test("more-specific-other-origin: per-path prefixes of an orlonger answer, IPv6", () => {
  const [f] = moreSpecificFindings(input("2001:db8::/32", [
    at(
      "rv1",
      route(
        "2001:db8::/32",
        best([3356, 64500], { prefix: "2001:db8::/32" }),
        path([174, 666], { prefix: "2001:db8:1::/48" }),
      ),
    ),
  ]));
  assert.deepEqual(f.evidence.prefixes, ["2001:db8::/32", "2001:db8:1::/48"]);
  assert.deepEqual(f.evidence.asns, [666]);
});

Deno.test("more-specific-other-origin: does not fire for the same origin, an origin of the covering prefix, or unrelated prefixes", () => {
  const none = (outcomes: VantageOutcome[], destination = "192.0.2.10") =>
    assert.deepEqual(moreSpecificFindings(input(destination, outcomes)), []);
  // The more-specific from the same origin (traffic engineering).
  none([
    at("rv1", route("192.0.2.0/24", best([3356, 15169]))),
    at("rv2", route("192.0.2.0/25", best([174, 15169]))),
  ]);
  // The covering prefix is MOAS and the more-specific comes from one of its origins.
  none([
    at("rv1", route("192.0.2.0/24", best([3356, 15169]), path([174, 666]))),
    at("rv2", route("192.0.2.0/25", best([174, 666]))),
  ]);
  // Prefixes side by side, neither inside the other.
  none([
    at("rv1", route("192.0.2.0/25", best([3356, 15169]))),
    at("rv2", route("192.0.2.128/25", best([174, 666]))),
  ], "192.0.2.0/24");
  // A more-specific that does not overlap the destination (an off-prefix answer) is ignored.
  none([
    at("rv1", route("198.51.100.0/24", best([3356, 15169]))),
    at("rv2", route("198.51.100.0/25", best([174, 666]))),
  ], "192.0.2.10");
  // Unparsable prefix text is ignored rather than guessed at.
  none([
    at("rv1", route("192.0.2.0/24", best([3356, 15169]))),
    at("rv2", route("192.0.2.0/33", best([174, 666]))),
  ]);
  // Only one prefix seen.
  none(everywhere(4, "192.0.2.0/24", [3356, 15169]));
});

// --- origin-differs-from-dataset --------------------------------------------------------------

function dataset(entries: Record<string, DatasetOrigin>) {
  return (prefix: string) => entries[prefix];
}

Deno.test("origin-differs-from-dataset: the dataset maps the exact prefix to another AS", () => {
  for (const range of ["8.8.8.0/24", "8.8.8.0-8.8.8.255"]) {
    const [f] = datasetOriginFindings(input("8.8.8.0/24", [
      at("rv1", route("8.8.8.0/24", best([3356, 666]))),
      at("rv2", route("8.8.8.0/24", best([174, 666]))),
    ], {
      datasetOrigin: dataset({ "8.8.8.0/24": { asn: 15169, name: "GOOGLE", range } }),
      datasetLabel: "the dataset (as of 2026-06-17)",
    }));
    assert.equal(f.kind, "origin-differs-from-dataset");
    assert.equal(f.severity, "warning", range);
    assert.deepEqual(f.evidence.asns, [666]);
    assert.deepEqual(f.evidence.servers, ["rv1", "rv2"]);
    assert.equal(f.evidence.paths.length, 2);
    assert.match(
      f.summary,
      /^8\.8\.8\.0\/24 is originated by AS666 at 2 servers \(rv1 and rv2\), but the dataset \(as of 2026-06-17\) maps it to AS15169 \(GOOGLE\)\./,
    );
  }
});

Deno.test("origin-differs-from-dataset: a covering range only is info; MOAS flags only the other origin", () => {
  const [covering] = datasetOriginFindings(input("192.0.2.0/24", [
    at("rv1", route("192.0.2.0/24", best([3356, 64500]))),
  ], { datasetOrigin: () => ({ asn: 3356, range: "192.0.0.0/16" }) }));
  assert.equal(covering.severity, "info");
  assert.match(covering.summary, /maps its covering range 192\.0\.0\.0\/16 to AS3356/);
  assert.match(covering.summary, /the offline dataset/);

  const [moas] = datasetOriginFindings(input("8.8.8.0/24", [
    at("rv1", route("8.8.8.0/24", best([3356, 15169]))),
    at("rv2", route("8.8.8.0/24", best([174, 15169]))),
    at("rv3", route("8.8.8.0/24", best([6939, 666]))),
  ], { datasetOrigin: () => ({ asn: 15169, range: "8.8.8.0/24" }) }));
  assert.deepEqual(moas.evidence.asns, [666]);
  assert.deepEqual(moas.evidence.servers, ["rv3"]);
  assert.match(moas.summary, /which 2 servers also see/);
});

Deno.test("origin-differs-from-dataset: does not fire when it agrees, knows nothing, or is not given", () => {
  const outcomes = everywhere(3, "8.8.8.0/24", [3356, 15169]);
  assert.deepEqual(datasetOriginFindings(input("8.8.8.0/24", outcomes)), []);
  assert.deepEqual(
    datasetOriginFindings(input("8.8.8.0/24", outcomes, {
      datasetOrigin: () => ({ asn: 15169, range: "8.8.8.0/24" }),
    })),
    [],
  );
  assert.deepEqual(
    datasetOriginFindings(input("8.8.8.0/24", outcomes, { datasetOrigin: () => undefined })),
    [],
  );
  assert.deepEqual(
    datasetOriginFindings(input("8.8.8.0/24", [at("rv1", NOT_FOUND), at("rv2", null)], {
      datasetOrigin: () => ({ asn: 15169, range: "8.8.8.0/24" }),
    })),
    [],
  );
});

Deno.test("origin-differs-from-dataset: names from the dataset are cleaned of control characters", () => {
  const [f] = datasetOriginFindings(input("8.8.8.0/24", [
    at("rv1", route("8.8.8.0/24", best([3356, 666]))),
  ], {
    datasetOrigin: () => ({
      asn: 15169,
      name: "EVIL\u001b[31m\nIGNORE PREVIOUS\u202e",
      range: "8.8.8.0/24",
    }),
  }));
  assert.doesNotMatch(f.summary, /[\p{Cc}\p{Cf}]/u);
  assert.match(f.summary, /AS15169 \(EVIL \[31m IGNORE PREVIOUS\)/);
});

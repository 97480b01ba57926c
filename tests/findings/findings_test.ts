/**
 * `rpki-*` and `visibility` rules, the order and filter of
 * `computeFindings`, the text block, and a seeded property: every finding
 * carries evidence from the answers it was given, and clean text.
 */

import assert from "node:assert/strict";
// fast-check is for the tests only (pinned in tests/deno.lock; see tests/dependencies_test.ts).
// deno-lint-ignore no-import-prefix
import fc from "npm:fast-check@4.10.2";
import {
  computeFindings,
  FINDING_KINDS,
  orderFindings,
  renderFindings,
} from "../../src/findings/mod.ts";
import { bogonAsnFindings } from "../../src/findings/bogon_asn.ts";
import { datasetOriginFindings } from "../../src/findings/dataset_origin.ts";
import { moasFindings } from "../../src/findings/moas.ts";
import { moreSpecificFindings } from "../../src/findings/more_specific.ts";
import { pathLengthFindings } from "../../src/findings/path_length.ts";
import { prependingFindings } from "../../src/findings/prepending.ts";
import { routeLeakFindings } from "../../src/findings/route_leak.ts";
import { rpkiFindings } from "../../src/findings/rpki.ts";
import { visibilityFindings } from "../../src/findings/visibility.ts";
import type { FindingsInput } from "../../src/findings/types.ts";
import type { VantageOutcome } from "../../src/bgp/consensus.ts";
import type { BgpPath, ParsedRoute } from "../../src/bgp/types.ts";
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
import { seedBanner, testSeed } from "../harness/prng.ts";

const SEED = testSeed();
// deno-lint-ignore no-console
console.error(seedBanner("tests/findings_test.ts", SEED));

function input(destination: string, outcomes: VantageOutcome[]): FindingsInput {
  return { destination, outcomes, specialAsn: testSpecialAsn, asName: testAsName };
}

// --- rpki -------------------------------------------------------------------------------------

Deno.test("rpki: invalid, valid, not-found and not validated, per server's best path", () => {
  const found = rpkiFindings(input("8.8.8.0/24", [
    at("rv1", route("8.8.8.0/24", best([3356, 15169], { rpki: "invalid" }))),
    at("rv2", route("8.8.8.0/24", best([174, 15169], { rpki: "valid" }))),
    at("rv3", route("8.8.8.0/24", best([6939, 15169]))),
    at("rv4", route("8.8.8.0/24", best([1299, 15169], { rpki: "not-found" }))),
    at("rv5", route("8.8.8.0/24", best([2914, 15169]), path([174, 15169], { rpki: "valid" }))),
    at("rv6", NOT_FOUND),
    at("rv7", null),
  ]));
  assert.deepEqual(found.map((f) => [f.kind, f.severity, f.evidence.servers]), [
    ["rpki-invalid", "critical", ["rv1"]],
    ["rpki-valid", "info", ["rv2"]],
    ["rpki-not-found", "info", ["rv4"]],
    // rv5 validates another path, not its best one: not validated, never "valid".
    ["rpki-not-validated", "info", ["rv3", "rv5"]],
  ]);
  const [invalid, , , unvalidated] = found;
  assert.deepEqual(invalid.evidence.paths.map((p) => [p.server, p.rpki, p.asPath]), [
    ["rv1", "invalid", [3356, 15169]],
  ]);
  assert.deepEqual(invalid.evidence.asns, [15169]);
  assert.match(
    invalid.summary,
    /^The best path is RPKI invalid at 1 server \(rv1\), origin AS15169 \(Google\), while 1 server reports it valid/,
  );
  assert.match(unvalidated.summary, /^rv3 and rv5 print no RPKI state/);
  assert.deepEqual(unvalidated.evidence.paths.map((p) => p.rpki), [undefined, undefined]);
});

Deno.test("rpki: a server that prints no state is never read as valid", () => {
  const found = rpkiFindings(input("8.8.8.0/24", everywhere(3, "8.8.8.0/24", [3356, 15169])));
  assert.deepEqual(found.map((f) => f.kind), ["rpki-not-validated"]);
  assert.match(found[0].summary, /^rv1, rv2 and rv3 print no RPKI state/);
  const one = rpkiFindings(input("8.8.8.0/24", everywhere(1, "8.8.8.0/24", [3356, 15169])));
  assert.match(one[0].summary, /^rv1 prints no RPKI state/);
});

Deno.test("rpki: does not fire invalid when every server says valid, nor anything without a route", () => {
  const valid = rpkiFindings(input("8.8.8.0/24", [
    at(
      "rv1",
      route(
        "8.8.8.0/24",
        best([3356, 15169], { rpki: "valid" }),
        path([174, 666], { rpki: "invalid" }),
      ),
    ),
    at("rv2", route("8.8.8.0/24", best([174, 15169], { rpki: "valid" }))),
  ]));
  assert.deepEqual(valid.map((f) => f.kind), ["rpki-valid"]);
  assert.deepEqual(rpkiFindings(input("8.8.8.0/24", [at("rv1", NOT_FOUND), at("rv2", null)])), []);
});

// --- visibility -------------------------------------------------------------------------------

Deno.test("visibility: seen by some, missing from others; failures not counted", () => {
  const [f] = visibilityFindings(input("8.8.8.0/24", [
    ...everywhere(3, "8.8.8.0/24", [3356, 15169]),
    at("rv4", NOT_FOUND),
    at("rv5", NOT_FOUND),
    at("rv6", null),
  ]));
  assert.equal(f.kind, "visibility");
  assert.equal(f.severity, "warning");
  assert.deepEqual(f.evidence.servers, ["rv4", "rv5"]);
  assert.deepEqual(f.evidence.prefixes, ["8.8.8.0/24"]);
  assert.equal(
    f.summary,
    "8.8.8.0/24 is seen by 3 of 5 servers; missing from rv4 and rv5. rv6 could not be asked and is not counted.",
  );
});

Deno.test("visibility: seen by none is critical; nothing answered is no finding", () => {
  const [none] = visibilityFindings(input("192.0.2.1", [
    at("rv1", NOT_FOUND),
    at("rv2", NOT_FOUND),
    at("rv3", null),
    at("rv4", null),
  ]));
  assert.equal(none.severity, "critical");
  assert.equal(
    none.summary,
    "No server has a route for 192.0.2.1: 0 of 2 (rv1 and rv2). rv3 and rv4 could not be asked and are not counted.",
  );
  assert.deepEqual(visibilityFindings(input("192.0.2.1", [at("rv1", null), at("rv2", null)])), []);
  assert.deepEqual(visibilityFindings(input("192.0.2.1", [])), []);
});

Deno.test("visibility: a more-specific that others reach only through the covering prefix", () => {
  const found = visibilityFindings(input("192.0.2.10", [
    at("rv1", route("192.0.2.0/25", best([3356, 64500]))),
    at("rv2", route("192.0.2.0/24", best([174, 64500]))),
    at("rv3", route("192.0.2.0/24", best([6939, 64500]))),
  ]));
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].severity, "info");
  assert.deepEqual(found[0].evidence.servers, ["rv2", "rv3"]);
  assert.deepEqual(found[0].evidence.prefixes, ["192.0.2.0/25", "192.0.2.0/24"]);
  assert.deepEqual(found[0].evidence.paths.map((p) => p.server), ["rv2", "rv3"]);
  assert.match(
    found[0].summary,
    /^192\.0\.2\.0\/25 is seen by 1 of 3 servers; rv2 and rv3 have only the covering 192\.0\.2\.0\/24/,
  );
});

Deno.test("visibility: does not fire when every server that answered sees the same prefix", () => {
  assert.deepEqual(
    visibilityFindings(
      input("8.8.8.0/24", [...everywhere(4, "8.8.8.0/24", [3356, 15169]), at("x", null)]),
    ),
    [],
  );
  // An orlonger answer with several prefixes at one server, the same at another.
  const orlonger = route(
    "192.0.2.0/24",
    best([3356, 64500], { prefix: "192.0.2.0/24" }),
    path([3356, 64500], { prefix: "192.0.2.0/25" }),
  );
  assert.deepEqual(
    visibilityFindings(input("192.0.2.0/24", [at("rv1", orlonger), at("rv2", orlonger)])),
    [],
  );
});

// --- all rules together -----------------------------------------------------------------------

const HIJACK: VantageOutcome[] = [
  at("rv1", route("192.0.2.0/24", best([3356, 15169], { rpki: "valid" }))),
  at("rv2", route("192.0.2.0/24", best([174, 15169], { rpki: "valid" }))),
  at("rv3", route("192.0.2.0/25", best([6939, 666], { rpki: "invalid" }))),
  at("rv4", route("192.0.2.0/24", best([3356, 64512, 15169]))),
  at("rv5", NOT_FOUND),
];

Deno.test("computeFindings: most severe first, then by kind; the kinds option filters", () => {
  const all = computeFindings({ ...input("192.0.2.10", HIJACK) });
  assert.deepEqual(all.map((f) => [f.severity, f.kind]), [
    ["critical", "rpki-invalid"],
    ["warning", "more-specific-other-origin"],
    ["warning", "bogon-asn-in-path"],
    ["warning", "visibility"],
    ["info", "visibility"],
    ["info", "rpki-valid"],
    ["info", "rpki-not-validated"],
  ]);
  const some = computeFindings(input("192.0.2.10", HIJACK), {
    kinds: ["rpki-invalid", "moas", "visibility"],
  });
  assert.deepEqual(some.map((f) => f.kind), ["rpki-invalid", "visibility", "visibility"]);
  assert.deepEqual(computeFindings(input("192.0.2.10", HIJACK), { kinds: [] }), []);
  // A quiet, healthy prefix has no warning.
  const healthy = computeFindings(input("8.8.8.0/24", [
    at("rv1", route("8.8.8.0/24", best([3356, 15169], { rpki: "valid" }))),
    at("rv2", route("8.8.8.0/24", best([174, 15169], { rpki: "valid" }))),
    at("rv3", route("8.8.8.0/24", best([6939, 15169], { rpki: "valid" }))),
  ]));
  assert.deepEqual(healthy.map((f) => f.kind), ["rpki-valid"]);
});

Deno.test("renderFindings: a count line and one line per finding", () => {
  const text = renderFindings(computeFindings(input("192.0.2.10", HIJACK)));
  const lines = text.split("\n");
  assert.equal(lines[0], "Findings (1 critical, 3 warning, 3 info):");
  assert.match(
    lines[1],
    /^ {2}CRITICAL rpki-invalid: The best path is RPKI invalid at 1 server \(rv3\)/,
  );
  assert.match(lines[2], /^ {2}WARNING {2}more-specific-other-origin: 192\.0\.2\.0\/25/);
  assert.match(lines[7], /^ {2}info {5}rpki-not-validated: rv4 prints no RPKI state/);
  assert.equal(renderFindings([]), "Findings: none.");
});

// --- property ---------------------------------------------------------------------------------

const asn = fc.oneof(
  fc.constantFrom(0, 174, 3356, 1299, 6939, 15169, 23456, 64512, 64496, 666, 4200000000),
  fc.integer({ min: 1, max: 0xffff_ffff }),
);
const arbitraryPath = fc.record({
  asPath: fc.array(asn, { maxLength: 8 }),
  best: fc.boolean(),
  valid: fc.boolean(),
  rpki: fc.constantFrom(undefined, "valid", "invalid", "not-found"),
  prefix: fc.constantFrom(undefined, "192.0.2.0/24", "192.0.2.0/25", "192.0.2.128/25", "bogus"),
}).map(({ asPath, prefix, ...options }): BgpPath =>
  path(asPath, { ...options, ...(prefix ? { prefix } : {}) })
);
const arbitraryRoute: fc.Arbitrary<ParsedRoute | null> = fc.oneof(
  fc.constant(null),
  fc.constant(NOT_FOUND),
  fc.record({
    prefix: fc.constantFrom("192.0.2.0/24", "192.0.2.0/25", "192.0.0.0/16"),
    paths: fc.array(arbitraryPath, { minLength: 1, maxLength: 5 }),
  }).map(({ prefix, paths }) => route(prefix, ...paths)),
);
const hostileName = fc.string({ maxLength: 80, unit: "binary" });

Deno.test("property: every finding has evidence from the servers given, and clean text", () => {
  fc.assert(
    fc.property(
      fc.array(arbitraryRoute, { maxLength: 8 }),
      hostileName,
      fc.constantFrom("192.0.2.10", "192.0.2.0/24"),
      (routes, name, destination) => {
        const outcomes = routes.map((r, i) => at(`rv${i + 1}`, r));
        const servers = new Set(outcomes.map((o) => o.server));
        const findings = computeFindings({
          destination,
          outcomes,
          specialAsn: testSpecialAsn,
          asName: () => name,
          datasetOrigin: () => ({ asn: 15169, name, range: "192.0.2.0/24" }),
          datasetLabel: name,
        });
        for (const f of findings) {
          assert.ok(FINDING_KINDS.includes(f.kind));
          assert.ok(f.evidence.servers.length > 0, `${f.kind} without servers`);
          for (const s of f.evidence.servers) assert.ok(servers.has(s));
          for (const p of f.evidence.paths) assert.ok(f.evidence.servers.includes(p.server));
          assert.doesNotMatch(f.summary, /[\p{Cc}\p{Cf}\u2028\u2029]/u);
          const needsPaths = !["visibility", "rpki-not-validated"].includes(f.kind);
          if (needsPaths) assert.ok(f.evidence.paths.length > 0, `${f.kind} without paths`);
        }
        // Deterministic: the same answers give the same findings.
        assert.deepEqual(
          computeFindings({ destination, outcomes, specialAsn: testSpecialAsn }),
          computeFindings({ destination, outcomes, specialAsn: testSpecialAsn }),
        );
      },
    ),
    { seed: SEED, numRuns: 400 },
  );
});

Deno.test("computeFindings runs every rule: the same findings as each rule run alone", () => {
  const input: FindingsInput = {
    destination: "8.8.8.0/24",
    outcomes: [
      at("rv1", route("8.8.8.0/24", best([3356, 15169], { rpki: "valid" }))),
      at("rv2", route("8.8.8.0/24", best([174, 64666], { rpki: "invalid" }))), // MOAS, RPKI
      at("rv3", route("8.8.8.0/25", best([1299, 64512, 64777]))), // hijack signature, bogon
      at("rv4", route("8.8.8.0/24", best([3356, 64500, 174, 15169]))), // transit, not, transit
      at("rv5", route("8.8.8.0/24", best([6939, 15169, 15169, 15169, 15169]))), // prepending
      at("rv6", route("8.8.8.0/24", best([2914, 64501, 64502, 64503, 64504, 64505, 15169]))),
      at("rv7", route("8.8.8.0/24", best([6453, 15169]))),
      at("rv8", NOT_FOUND), // visibility
      at("rv9", null),
    ],
    specialAsn: testSpecialAsn,
    datasetOrigin: () => ({ asn: 15169, range: "8.8.8.0/24" }),
  };
  const alone = [
    rpkiFindings,
    moasFindings,
    moreSpecificFindings,
    datasetOriginFindings,
    bogonAsnFindings,
    routeLeakFindings,
    visibilityFindings,
    prependingFindings,
    pathLengthFindings,
  ].map((rule) => rule(input));
  // Each rule finds something here, so a rule left out of computeFindings shows.
  assert.deepEqual(alone.map((found) => found.length > 0), alone.map(() => true));
  assert.deepEqual(computeFindings(input), orderFindings(alone.flat()));
});

/**
 * The AS graph builder, its Mermaid and DOT text (golden files), and
 * escaping: hostile AS and server names never change the structure of
 * either text and come back as the same characters.
 *
 * Set UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change.
 */

import assert from "node:assert/strict";
import { buildAsGraph, MAX_AS_NODES, peersAsVantagePoints } from "../../src/picture/graph.ts";
import { mermaidEscape, toMermaid } from "../../src/picture/mermaid.ts";
import { dotEscape, toDot } from "../../src/picture/dot.ts";
import { suspiciousAsns } from "../../src/picture/suspicious.ts";
import { coverText, inFont } from "../../src/picture/font_coverage.ts";
import { computeFindings } from "../../src/findings/mod.ts";
import {
  at,
  best,
  NOT_FOUND,
  path,
  route,
  testSpecialAsn,
} from "../findings/_findings_fixtures.ts";
import { EXAMPLE, exampleName } from "./_picture_fixtures.ts";

const GOLDEN = new URL("./golden/", import.meta.url);

async function golden(name: string, actual: string): Promise<void> {
  const file = new URL(name, GOLDEN);
  let update = false;
  try {
    update = Deno.env.get("UPDATE_GOLDEN") === "1";
  } catch {
    update = false;
  }
  if (update) await Deno.writeTextFile(file, actual + "\n");
  assert.equal(actual + "\n", await Deno.readTextFile(file), `golden ${name}`);
}

function exampleGraph() {
  const findings = computeFindings({
    destination: "8.8.8.8",
    outcomes: EXAMPLE,
    specialAsn: testSpecialAsn,
    asName: exampleName,
  });
  return buildAsGraph({
    destination: "8.8.8.8",
    outcomes: EXAMPLE,
    asName: exampleName,
    suspicious: suspiciousAsns(findings),
  });
}

// --- graph ------------------------------------------------------------------------------------

Deno.test("graph: vantage points, ASes, origins and edge weights from the best paths", () => {
  const graph = exampleGraph();
  assert.equal(graph.title, "8.8.8.8: best paths from 8 vantage points");
  assert.deepEqual(graph.vantagePoints.map((v) => [v.id, v.server, v.answer, v.prefix]), [
    ["v0", "route-views2", "route", "8.8.8.0/24"],
    ["v1", "route-views.linx", "route", "8.8.8.0/24"],
    ["v2", "route-views.amsix", "route", "8.8.8.0/24"],
    ["v3", "route-views.eqix", "route", "8.8.8.0/24"],
    ["v4", "route-views.sg", "route", "8.8.8.0/25"],
    ["v5", "route-views.sydney", "route", "8.8.8.0/25"],
    ["v6", "route-views.wide", "route", "8.8.8.0/24"],
    ["v7", "route-views.napafrica", "no-route", null],
  ]);
  const byAsn = new Map(graph.ases.map((a) => [a.asn, a]));
  // Only best paths count: route-views2's second path via AS174 is not drawn.
  assert.equal(byAsn.has(174), false);
  assert.deepEqual(
    [15169, 64511].map((asn) => {
      const a = byAsn.get(asn)!;
      return [a.origin, a.suspicious, a.prefixes, a.paths];
    }),
    [[true, false, ["8.8.8.0/24"], 5], [true, true, ["8.8.8.0/25"], 2]],
  );
  assert.equal(byAsn.get(3356)!.origin, false);
  assert.equal(byAsn.get(3356)!.name, "Lumen");
  // The prepended AS64511 is one node, one edge from AS6453 used by two best paths.
  const edge = (from: string, to: string) =>
    graph.edges.find((e) => e.from === from && e.to === to)?.weight;
  assert.equal(edge("a6453", "a64511"), 2);
  assert.equal(edge("a3356", "a15169"), 2);
  assert.equal(edge("v3", "a2914"), 1);
  assert.equal(edge("a64511", "a64511"), undefined);
  assert.equal(graph.maxWeight, 2);
  assert.deepEqual(graph.warnings, []);
});

Deno.test("graph: several origins for one prefix are flagged without any finding", () => {
  const graph = buildAsGraph({
    destination: "192.0.2.0/24",
    outcomes: [
      at("a", route("192.0.2.0/24", best([3356, 64500]))),
      at("b", route("192.0.2.0/24", best([174, 64501]))),
      at("c", route("198.51.100.0/24", best([174, 64502]))),
    ],
  });
  const flagged = graph.ases.filter((n) => n.suspicious).map((n) => n.asn);
  assert.deepEqual(flagged, [64500, 64501]);
  // Without MOAS or findings, nothing is flagged.
  const calm = buildAsGraph({
    destination: "192.0.2.0/24",
    outcomes: [at("a", route("192.0.2.0/24", best([3356, 64500])))],
  });
  assert.deepEqual(calm.ases.filter((n) => n.suspicious), []);
});

Deno.test("graph: failed servers, AS_SET origins, loops and empty paths", () => {
  const graph = buildAsGraph({
    destination: "192.0.2.0/24",
    outcomes: [
      at("down", null),
      at("none", NOT_FOUND),
      at(
        "set",
        route(
          "192.0.2.0/24",
          best([174, 64500], { originAs: null, asPathText: "174 64500 {64501,64502}" }),
        ),
      ),
      at("loop", route("192.0.2.0/24", best([3356, 174, 3356, 64500]))),
      at("local", route("192.0.2.0/24", best([]))),
    ],
  });
  assert.deepEqual(graph.vantagePoints.map((v) => v.answer), [
    "failed",
    "no-route",
    "route",
    "route",
    "route",
  ]);
  const set = graph.ases.find((a) => a.asn === null)!;
  assert.deepEqual([set.id, set.label, set.origin], ["s0", "{64501,64502}", true]);
  assert.equal(graph.ases.find((a) => a.asn === 64500)!.origin, true);
  // A path through AS3356 twice counts once for the node, and each edge once.
  assert.equal(graph.ases.find((a) => a.asn === 3356)!.paths, 1);
  assert.deepEqual(
    graph.edges.filter((e) => e.from === "a3356" || e.to === "a3356").map((e) => e.weight),
    [1, 1, 1, 1],
  );
  assert.equal(graph.edges.some((e) => e.from === "v4"), false);
});

Deno.test("graph: bounded; the paths that would pass the limit are left out with a warning", () => {
  const outcomes = Array.from(
    { length: 30 },
    (_, i) =>
      at(
        `rv${i}`,
        route("192.0.2.0/24", best(Array.from({ length: 10 }, (_, j) => 100000 + i * 10 + j))),
      ),
  );
  const graph = buildAsGraph({ destination: "192.0.2.0/24", outcomes });
  assert.equal(graph.ases.length, MAX_AS_NODES);
  assert.equal(graph.vantagePoints.length, 30);
  assert.deepEqual(graph.warnings, [
    `The picture leaves out the best paths of 10 servers to stay under ${MAX_AS_NODES} ASes`,
  ]);
});

Deno.test("graph: one server's paths as vantage points (route_lookup), each drawn", () => {
  const answer = route(
    "8.8.8.0/24",
    best([3356, 15169]),
    { ...path([174, 15169]), peer: { address: "198.51.100.2" } },
  );
  const outcomes = peersAsVantagePoints("rv2", answer);
  assert.deepEqual(outcomes.map((o) => o.server), ["rv2 via 198.51.100.1", "rv2 via 198.51.100.2"]);
  const graph = buildAsGraph({ destination: "8.8.8.0/24", outcomes });
  assert.deepEqual(graph.ases.map((a) => [a.asn, a.paths]), [[3356, 1], [15169, 2], [174, 1]]);
  assert.deepEqual(peersAsVantagePoints("rv2", NOT_FOUND), [{ server: "rv2", route: NOT_FOUND }]);
  // The server's own answer is left as it was.
  assert.equal(answer.paths[1].best, false);
});

Deno.test("suspiciousAsns: the ASes of warning and critical findings that point at one", () => {
  const findings = computeFindings({
    destination: "8.8.8.8",
    outcomes: EXAMPLE,
    specialAsn: testSpecialAsn,
  });
  assert.deepEqual(suspiciousAsns(findings), [64511]);
  assert.deepEqual(
    suspiciousAsns([{
      kind: "prepending",
      severity: "warning",
      summary: "x",
      evidence: { servers: ["a"], prefixes: [], paths: [], asns: [15169] },
    }, {
      kind: "origin-differs-from-dataset",
      severity: "info",
      summary: "x",
      evidence: { servers: ["a"], prefixes: [], paths: [], asns: [64500] },
    }]),
    [],
  );
});

// --- Mermaid and DOT --------------------------------------------------------------------------

Deno.test("Mermaid and DOT: golden text for the example", async () => {
  const graph = exampleGraph();
  await golden("picture_example.mmd", toMermaid(graph));
  await golden("picture_example.dot", toDot(graph));
});

const HOSTILE = [
  'x"]; click v0 call alert(1); a["',
  "evil\n  v0 --> v1\n%%{init: {'theme':'dark'}}%%",
  "```\n# heading\n```",
  "<img src=x onerror=alert(1)> &amp; &#60;",
  'back\\slash \\N \\G \\n \\"quote',
  "A -->|label| B; style v0 fill:#f00",
  "`markdown **bold**`",
  "end",
  "\u202eright-to-left\u2028line\u0000nul\u001b[31m",
  "Ünïcödé 日本語 🚀",
];

/** Mermaid lines our renderer may write: anything else means a label escaped its quotes. */
const MERMAID_LINE = [
  /^flowchart LR$/,
  /^ {2}classDef (vantage|transit|origin|suspicious|absent) [a-z0-9:#,. -]+$/,
  /^ {2}[va]\d+(\[|\(|\(\[)"[A-Za-z0-9 ,.:/_()+#;<>-]*"(\]|\)|\]\)):::(vantage|transit|origin|suspicious|absent)$/,
  /^ {2}[vas]\d+ -->(\|\d+\|)? [as]\d+$/,
  /^ {2}linkStyle [\d,]+ stroke:#[0-9a-f]{6},stroke-width:[\d.]+px$/,
];

/** The lines of text a Mermaid label shows. */
function mermaidLabel(line: string): string[] {
  const quoted = /"(.*)"/.exec(line)![1];
  assert.doesNotMatch(quoted.replaceAll("<br/>", ""), /[<>"]/);
  return quoted.split("<br/>").map((part) =>
    part.replace(/#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
  );
}

Deno.test("Mermaid: hostile names stay inside their labels and read back unchanged", () => {
  for (const name of HOSTILE) {
    const graph = buildAsGraph({
      destination: "192.0.2.0/24",
      outcomes: [at(name, route("192.0.2.0/24", best([3356, 64500])))],
      asName: () => name,
    });
    const text = toMermaid(graph);
    assert.doesNotMatch(text, /`/, "no backtick: the fenced block cannot end early");
    assert.doesNotMatch(text, /%%/, "no comment or directive");
    const lines = text.split("\n");
    for (const line of lines) {
      assert.ok(
        MERMAID_LINE.some((re) => re.test(line)),
        `unexpected line ${JSON.stringify(line)}`,
      );
    }
    // Exactly the nodes and edges of the graph, and the labels say what the graph says.
    assert.equal(lines.filter((l) => / -->/.test(l)).length, graph.edges.length);
    const vantage = lines.find((l) => l.startsWith("  v0"))!;
    assert.deepEqual(mermaidLabel(vantage), [graph.vantagePoints[0].server]);
    const node = lines.find((l) => l.startsWith("  a3356"))!;
    assert.deepEqual(mermaidLabel(node), ["AS3356", graph.ases[0].name]);
    assert.doesNotMatch(graph.vantagePoints[0].server, /[\p{Cc}\p{Cf}\u2028]/u);
  }
  assert.equal(mermaidEscape('a"b'), "a#34;b");
  assert.equal(mermaidEscape("AS3356 Lumen (US)"), "AS3356 Lumen (US)");
});

Deno.test("DOT: hostile names stay inside their strings", () => {
  for (const name of HOSTILE) {
    const graph = buildAsGraph({
      destination: "192.0.2.0/24",
      outcomes: [at(name, route("192.0.2.0/24", best([3356, 64500])))],
      asName: () => name,
    });
    const dot = toDot(graph);
    const lines = dot.split("\n");
    // Every line is one of ours: a header line, a node line or an edge line.
    for (const line of lines.slice(4, -1)) {
      assert.match(
        line,
        /^ {2,4}(\{ rank=source;|\}|[vas]\d+ \[label="(?:[^"\\]|\\.)*", .*\];|[vas]\d+ -> [as]\d+ \[.*\];)$/,
        line,
      );
    }
    const strings = [...dot.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
    for (const s of strings) assert.doesNotMatch(s, /[<>\n]|&(?!amp;|lt;|gt;)/);
  }
  assert.equal(dotEscape('a"b\\c&<>'), 'a\\"b\\\\c&amp;&lt;&gt;');
});

Deno.test("font coverage: characters the PNG font lacks are drawn as U+FFFD", () => {
  assert.equal(coverText("AS3356 Lumen Zürich Łódź – ok"), "AS3356 Lumen Zürich Łódź – ok");
  assert.equal(coverText("日本 🚀"), "\ufffd\ufffd \ufffd");
  assert.equal(inFont(0x41), true);
  assert.equal(inFont(0x1f680), false);
});

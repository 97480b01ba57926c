/**
 * Findings and pictures through MCP: `route_compare` returns its findings
 * and the AS graph (structured, Mermaid in the text) and a PNG image item
 * unless `picture` is false; `route_lookup` returns findings, and with more
 * than one path the graph, and the PNG only when asked. A PNG that cannot be
 * drawn leaves the Mermaid text and a warning, never a failed call.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import { attachPicture } from "../../src/mcp/tools/_picture.ts";
import type { RouteGraph } from "../../src/bgp/results.ts";
import type { PngEngine } from "../../src/picture/render.ts";
import { callTool, connectInProcess, FakeTelnetServer, iosScript } from "../harness/mod.ts";

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** An IOS answer for 8.8.8.0/24 with one path per AS path given, the first best. */
function answer(...asPaths: string[]): string {
  return [
    "BGP routing table entry for 8.8.8.0/24, version 7",
    `Paths: (${asPaths.length} available, best #1, table default)`,
    ...asPaths.flatMap((asPath, i) => [
      "  Refresh Epoch 1",
      `  ${asPath}`,
      `    198.51.100.${i + 1} from 198.51.100.${i + 1} (192.0.2.${i + 1})`,
      `      Origin IGP, metric 0, localpref 100, valid, external${i === 0 ? ", best" : ""}`,
      "      rx pathid: 0, tx pathid: 0x0",
    ]),
  ].join("\n");
}

function entry(name: string, port: number) {
  return {
    name,
    host: "127.0.0.1",
    port,
    dialect: "cisco-ios",
    login: { username: "rviews" },
    location: name,
    addressFamilies: ["ipv4"],
    enabled: true,
  };
}

function pngOf(content: { type: string; data?: unknown; mimeType?: unknown }[]): Uint8Array[] {
  return content.filter((c) => c.type === "image").map((c) => {
    assert.equal(c.mimeType, "image/png");
    return Uint8Array.from(atob(c.data as string), (ch) => ch.charCodeAt(0));
  });
}

interface Judged {
  findings: { kind: string; severity: string; evidence: { asns: number[]; servers: string[] } }[];
  graph?: RouteGraph;
  warnings: string[];
}

Deno.test("route_compare: findings first, the AS graph as Mermaid, and a PNG unless picture is false", async () => {
  await using rv1 = new FakeTelnetServer(
    iosScript({ answers: { "show ip bgp 8.8.8.8": answer("3356 15169") } }),
  );
  // A second origin, and a private ASN in the path.
  await using rv2 = new FakeTelnetServer(
    iosScript({ answers: { "show ip bgp 8.8.8.8": answer("174 64512 64666") } }),
  );
  await using client = await connectInProcess(parseConfig({
    defaultServer: "rv1",
    servers: [entry("rv1", rv1.port), entry("rv2", rv2.port)],
  }, "test"));

  const compare = await callTool(client, "route_compare", {
    destination: "8.8.8.8",
    servers: ["rv1", "rv2"],
  });
  assert.equal(compare.isError, undefined, compare.text);
  const data = compare.structuredContent as unknown as Judged;
  const kinds = data.findings.map((f) => f.kind);
  assert.ok(kinds.includes("moas"), kinds.join(", "));
  const bogon = data.findings.find((f) => f.kind === "bogon-asn-in-path");
  assert.deepEqual(bogon?.evidence.asns, [64512]);
  assert.deepEqual(bogon?.evidence.servers, ["rv2"]);
  // The text item opens with the findings and ends with the graph as a Mermaid block.
  const [first] = compare.content as { type: string; text: string }[];
  assert.equal(first.type, "text");
  assert.match(first.text, /^Findings \(\d+ warning/);
  assert.match(first.text, / {2}WARNING {2}moas: /);
  assert.match(first.text, /```mermaid\nflowchart LR\n[^`]*\n```$/);
  assert.ok(first.text.endsWith(data.graph!.mermaid + "\n```"));
  // Both origins in the warning colour, and their edges drawn from the vantage points.
  const graph = data.graph!;
  assert.deepEqual(graph.ases.filter((a) => a.suspicious).map((a) => a.asn).sort(), [
    15169,
    64512,
    64666,
  ]);
  assert.deepEqual(graph.vantagePoints.map((v) => [v.server, v.answer]), [
    ["rv1", "route"],
    ["rv2", "route"],
  ]);
  assert.deepEqual(graph.edges.map((e) => `${e.from}>${e.to}`), [
    "v0>a3356",
    "a3356>a15169",
    "v1>a174",
    "a174>a64512",
    "a64512>a64666",
  ]);
  const [png, ...more] = pngOf(compare.content as { type: string }[]);
  assert.deepEqual(more, []);
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  assert.ok(png.length > 5000, `${png.length} bytes`);

  const plain = await callTool(client, "route_compare", {
    destination: "8.8.8.8",
    servers: ["rv1", "rv2"],
    picture: false,
  });
  assert.deepEqual(pngOf(plain.content as { type: string }[]), []);
  assert.deepEqual((plain.structuredContent as unknown as Judged).graph, graph);
});

Deno.test("route_lookup: findings always, the graph for more than one path, the PNG when asked", async () => {
  await using one = new FakeTelnetServer(
    iosScript({ answers: { "show ip bgp 8.8.8.8": answer("3356 15169") } }),
  );
  await using many = new FakeTelnetServer(
    iosScript({
      answers: { "show ip bgp 8.8.8.8": answer("3356 15169", "174 15169 15169 15169 15169") },
    }),
  );
  await using client = await connectInProcess(parseConfig({
    defaultServer: "one",
    servers: [entry("one", one.port), entry("many", many.port)],
  }, "test"));

  const single = await callTool(client, "route_lookup", { destination: "8.8.8.8", picture: true });
  assert.equal(single.isError, undefined, single.text);
  const s = single.structuredContent as unknown as Judged;
  assert.deepEqual(s.findings.map((f) => f.kind), ["rpki-not-validated"]);
  assert.equal(s.graph, undefined);
  assert.deepEqual(pngOf(single.content as { type: string }[]), []);
  assert.match(single.text, /^one: 8\.8\.8\.0\/24 has 1 path .*\nFindings \(1 info\):\n/);
  assert.doesNotMatch(single.text, /mermaid/);

  const lookup = await callTool(client, "route_lookup", { destination: "8.8.8.8", server: "many" });
  const m = lookup.structuredContent as unknown as Judged;
  // The second path's heavy prepending is found although it is not the best path: each path
  // is a vantage point of its own (the server via its peer).
  assert.ok(m.findings.some((f) => f.kind === "prepending"), m.findings.map((f) => f.kind).join());
  assert.deepEqual(m.graph?.vantagePoints.map((v) => v.server), [
    "many via 198.51.100.1",
    "many via 198.51.100.2",
  ]);
  assert.match(lookup.text, /```mermaid\nflowchart LR\n/);
  assert.deepEqual(pngOf(lookup.content as { type: string }[]), []); // picture is off by default

  const drawn = await callTool(client, "route_lookup", {
    destination: "8.8.8.8",
    server: "many",
    picture: true,
  });
  const [png] = pngOf(drawn.content as { type: string }[]);
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
});

Deno.test("picture: a PNG that cannot be drawn is the Mermaid text and a warning, not a failure", async () => {
  const graph: RouteGraph = {
    title: "8.8.8.8: best paths from 1 vantage point",
    vantagePoints: [{ id: "v0", server: "rv", answer: "route", prefix: "8.8.8.0/24" }],
    ases: [{
      id: "a15169",
      asn: 15169,
      label: "AS15169",
      origin: true,
      suspicious: false,
      prefixes: ["8.8.8.0/24"],
      paths: 1,
    }],
    edges: [{ from: "v0", to: "a15169", weight: 1 }],
    maxWeight: 1,
    mermaid: "flowchart LR",
  };
  const result = { graph, warnings: ["earlier"] };
  const broken = await attachPicture(result, true, {
    loadEngine: () => Promise.reject(new Error("no WebAssembly\u001b[31m here")),
  });
  assert.deepEqual(broken.content, []);
  assert.equal(broken.result.graph, graph);
  assert.deepEqual(broken.result.warnings, [
    "earlier",
    "The picture could not be drawn as PNG (no WebAssembly [31m here); the Mermaid text shows it " +
    "instead",
  ]);
  // Not asked, or nothing to draw: nothing is loaded.
  const never = () => Promise.reject(new Error("must not load"));
  assert.deepEqual(await attachPicture(result, false, { loadEngine: never }), {
    result,
    content: [],
  });
  const none = { warnings: [] };
  assert.deepEqual(await attachPicture(none, true, { loadEngine: never }), {
    result: none,
    content: [],
  });
});

Deno.test("picture: the same graph is drawn once, a different one again; a failure is not kept", async () => {
  const graph = (asn: number): RouteGraph => ({
    title: "8.8.8.8: best paths from 1 vantage point",
    vantagePoints: [{ id: "v0", server: "rv", answer: "route", prefix: "8.8.8.0/24" }],
    ases: [{
      id: `a${asn}`,
      asn,
      label: `AS${asn}`,
      origin: true,
      suspicious: false,
      prefixes: ["8.8.8.0/24"],
      paths: 1,
    }],
    edges: [{ from: "v0", to: `a${asn}`, weight: 1 }],
    maxWeight: 1,
    mermaid: `flowchart LR\n  v0 --> a${asn}`,
  });
  const drawn: string[] = [];
  let broken = false;
  const engine: PngEngine = {
    graphvizVersion: "test",
    render(dot) {
      if (broken) throw new Error("broken");
      drawn.push(dot);
      return { png: new Uint8Array([137, 80, 78, 71, drawn.length]), width: 1, height: 1 };
    },
  };
  const loadEngine = () => Promise.resolve(engine);
  const first = await attachPicture({ graph: graph(15169), warnings: [] }, true, { loadEngine });
  const again = await attachPicture({ graph: graph(15169), warnings: [] }, true, { loadEngine });
  assert.equal(drawn.length, 1);
  assert.deepEqual(again.content, first.content);
  await attachPicture({ graph: graph(64500), warnings: [] }, true, { loadEngine });
  assert.equal(drawn.length, 2);
  broken = true;
  const failed = await attachPicture({ graph: graph(64501), warnings: [] }, true, { loadEngine });
  assert.deepEqual(failed.content, []);
  broken = false;
  await attachPicture({ graph: graph(64501), warnings: [] }, true, { loadEngine });
  assert.equal(drawn.length, 3);
});

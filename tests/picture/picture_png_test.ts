/**
 * The PNG: a real PNG of the size it says, not trivially small, the same
 * bytes every time (and in another process with no permissions at all);
 * Graphviz reads every hostile label back as the same text; a renderer that
 * cannot load or draw degrades to the Mermaid text with a warning; and
 * nothing of the renderer is imported until a picture asks for it.
 */

import assert from "node:assert/strict";
import { instance } from "@viz-js/viz";
import { buildAsGraph } from "../../src/picture/graph.ts";
import { toDot } from "../../src/picture/dot.ts";
import { loadBundledEngine, type PngEngine, renderPicture } from "../../src/picture/render.ts";
import { imageContent, mermaidFence, toBase64 } from "../../src/picture/content.ts";
import { FONT_BASE64, FONT_SHA256 } from "../../src/picture/_font_data.ts";
import { at, best, route, testSpecialAsn } from "../findings/_findings_fixtures.ts";
import { EXAMPLE, EXAMPLE_OPTIONS, exampleName, syntheticFanOut } from "./_picture_fixtures.ts";
import { computeFindings } from "../../src/findings/mod.ts";
import { suspiciousAsns } from "../../src/picture/suspicious.ts";
import { withDeadline } from "../_deadline.ts";

const ROOT = new URL("../..", import.meta.url);
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function example() {
  return buildAsGraph({ destination: "8.8.8.8", outcomes: EXAMPLE, asName: exampleName });
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.slice()));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Width and height from the IHDR chunk, which must come first. */
function ihdr(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.equal(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

Deno.test("PNG: signature, the size it says, not trivial, the same bytes every time", async () => {
  const first = await renderPicture(example());
  assert.deepEqual(first.warnings, []);
  const png = first.png!;
  assert.deepEqual([...png.png.subarray(0, 8)], PNG_SIGNATURE);
  assert.deepEqual(ihdr(png.png), { width: png.width, height: png.height });
  // Eight vantage points at 4/3 px per point: wider than tall, room for the labels.
  assert.ok(png.width > 800 && png.width <= 2000, `width ${png.width}`);
  assert.ok(png.height > 400 && png.height < png.width, `height ${png.height}`);
  assert.ok(png.png.length > 20_000, `only ${png.png.length} bytes`);
  assert.equal(new TextDecoder().decode(png.png.subarray(-8, -4)), "IEND");
  const again = await renderPicture(example());
  assert.equal(await sha256(again.png!.png), await sha256(png.png));
  assert.equal(first.mermaid, again.mermaid);
});

Deno.test("PNG: README's example picture is what the code draws (deno task picture:example)", async () => {
  const findings = computeFindings({
    destination: "8.8.8.8",
    outcomes: EXAMPLE,
    specialAsn: testSpecialAsn,
    asName: exampleName,
  });
  const graph = buildAsGraph({
    destination: "8.8.8.8",
    outcomes: EXAMPLE,
    asName: exampleName,
    suspicious: suspiciousAsns(findings),
  });
  const { png } = await renderPicture(graph, EXAMPLE_OPTIONS);
  const committed = await Deno.readFile(new URL("docs/images/route_compare.png", ROOT));
  assert.equal(await sha256(committed), await sha256(png!.png));
});

Deno.test("content: the PNG as an MCP image item, base64 that decodes to the same bytes", async () => {
  const picture = await renderPicture(example());
  const [item, ...rest] = imageContent(picture);
  assert.deepEqual(rest, []);
  assert.equal(item.type, "image");
  assert.equal(item.mimeType, "image/png");
  const decoded = Uint8Array.from(atob(item.data), (c) => c.charCodeAt(0));
  assert.equal(await sha256(decoded), await sha256(picture.png!.png));
  // Larger than one chunk of the encoder, and a size that is not a multiple of 3.
  const big = Uint8Array.from({ length: 100_001 }, (_, i) => (i * 7) & 0xff);
  assert.deepEqual(Uint8Array.from(atob(toBase64(big)), (c) => c.charCodeAt(0)), big);
  assert.deepEqual(imageContent({ mermaid: "flowchart LR", dot: "", warnings: [] }), []);
  assert.equal(mermaidFence(picture), "```mermaid\n" + picture.mermaid + "\n```");
});

Deno.test("PNG: a big fan-out is scaled to fit the longest side", async () => {
  const graph = buildAsGraph({ destination: "8.8.8.0/24", outcomes: syntheticFanOut(40) });
  const { png } = await renderPicture(graph, { maxSide: 1200 });
  assert.ok(png);
  assert.equal(Math.max(png.width, png.height), 1200);
  assert.deepEqual(ihdr(png.png), { width: png.width, height: png.height });
});

Deno.test("PNG: drawn in a process with no permissions at all, byte for byte the same", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--frozen", "tests/picture/_picture_child.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const output = await withDeadline(child.output(), 90_000, "the picture child", () => {
    try {
      child.kill();
    } catch { /* already gone */ }
  });
  const text = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const result = JSON.parse(text);
  const here = (await renderPicture(example())).png!;
  assert.deepEqual(result, {
    width: here.width,
    height: here.height,
    bytes: here.png.length,
    sha256: await sha256(here.png),
    warnings: [],
  });
});

Deno.test("PNG: Graphviz reads hostile labels back as the same text", async () => {
  const viz = await instance();
  const names = [
    'x"]; a -> b; "',
    "back\\slash \\N \\G \\l",
    "<b>html</b> &amp; &#60; &",
    "line\nbreak\u2028and\u0000nul",
  ];
  for (const name of names) {
    const graph = buildAsGraph({
      destination: "192.0.2.0/24",
      outcomes: [at(name, route("192.0.2.0/24", best([3356, 64500])))],
      asName: () => name,
    });
    const result = viz.render(toDot(graph), { format: "svg" });
    assert.equal(result.status, "success", JSON.stringify(result.errors));
    const svg = result.output!;
    assert.equal([...svg.matchAll(/class="node"/g)].length, 3, name);
    assert.equal([...svg.matchAll(/class="edge"/g)].length, 2, name);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
      m[1].replace(/&#(\d+);/g, (_, c) => String.fromCodePoint(Number(c)))
        .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&")
    );
    const cleaned = graph.vantagePoints[0].server;
    assert.ok(
      texts.includes(cleaned),
      `${JSON.stringify(cleaned)} not in ${JSON.stringify(texts)}`,
    );
    assert.ok(texts.includes(graph.ases[0].name!));
  }
});

Deno.test("PNG: a renderer that cannot load or draw gives the Mermaid text and a warning", async () => {
  const graph = example();
  const unavailable = await renderPicture(graph, {
    loadEngine: () => Promise.reject(new TypeError('Module not found \u001b[31m"npm:@viz-js/viz"')),
  });
  assert.equal(unavailable.png, undefined);
  assert.match(unavailable.mermaid, /^flowchart LR\n/);
  assert.deepEqual(unavailable.warnings, [
    'The picture could not be drawn as PNG (Module not found [31m"npm:@viz-js/viz"); the Mermaid text shows it instead',
  ]);
  const broken: PngEngine = {
    graphvizVersion: "0",
    render() {
      throw new RangeError("out of memory");
    },
  };
  const failed = await renderPicture(graph, { loadEngine: () => Promise.resolve(broken) });
  assert.equal(failed.png, undefined);
  assert.match(failed.warnings[0], /\(out of memory\)/);
  // Not asking for a PNG loads nothing.
  let loads = 0;
  const text = await renderPicture(graph, {
    png: false,
    loadEngine: () => {
      loads++;
      return Promise.resolve(broken);
    },
  });
  assert.equal(loads, 0);
  assert.deepEqual([text.png, text.warnings], [undefined, []]);
});

Deno.test("PNG: the bundled renderer loads once and is shared", async () => {
  const [a, b] = await Promise.all([loadBundledEngine(), loadBundledEngine()]);
  assert.equal(a, b);
  assert.match(a.graphvizVersion, /^\d+\.\d+/);
});

Deno.test("font: the bundled bytes are the TrueType DejaVu Sans the module says", async () => {
  const binary = atob(FONT_BASE64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  assert.equal(await sha256(bytes), FONT_SHA256);
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 1, 0, 0]);
  // The name table spells the family in UTF-16BE.
  const utf16 = [..."DejaVu Sans"].flatMap((c) => [0, c.charCodeAt(0)]);
  const at16 = bytes.findIndex((_, i) => utf16.every((b, j) => bytes[i + j] === b));
  assert.ok(at16 > 0, "family name in the name table");
  const licence = await Deno.readTextFile(new URL("src/picture/font_license.txt", ROOT));
  assert.match(licence, /Bitstream Vera Fonts Copyright/);
});

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/** Modules a root reaches by static imports, and the modules it imports dynamically. */
async function reach(root: string): Promise<{ statics: Set<string>; dynamic: Set<string> }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: InfoModule[];
  };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const statics = new Set<string>();
  const dynamic = new Set<string>();
  const queue = [...info.roots];
  while (queue.length > 0) {
    const specifier = queue.pop()!;
    if (statics.has(specifier)) continue;
    statics.add(specifier);
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!dep.code) continue;
      if (dep.isDynamic) dynamic.add(dep.code.specifier);
      else queue.push(dep.code.specifier);
    }
  }
  return { statics, dynamic };
}

Deno.test("lazy: findings and pictures import no part of the renderer until a PNG is drawn", async () => {
  for (const root of ["src/picture/mod.ts", "src/findings/mod.ts"]) {
    const { statics, dynamic } = await reach(root);
    const heavy = [...statics].filter((s) =>
      s.startsWith("npm:") || /_engine\.ts|_font_data\.ts|_resvg_wasm\.js/.test(s)
    );
    assert.deepEqual(heavy, [], root);
    const lazy = [...dynamic].map((s) => s.slice(s.lastIndexOf("/") + 1));
    assert.deepEqual(lazy, root === "src/picture/mod.ts" ? ["_engine.ts"] : [], root);
  }
  // The server itself starts without the rules, the graph and the renderer: the tools load them
  // on the first answer (service/load_judgement.ts, mcp/tools/_picture.ts).
  const server = await reach("src/main.ts");
  const wired = [...server.statics].filter((s) =>
    /\/src\/(findings|picture)\/|\/judgement\.ts$/.test(s)
  ).map((s) => s.slice(s.indexOf("/src/") + 1)).sort();
  assert.deepEqual(wired, ["src/findings/render.ts", "src/findings/types.ts"]);
  const loaded = [...server.dynamic].map((s) => s.slice(s.indexOf("/src/") + 1)).sort();
  for (
    const lazy of ["src/picture/content.ts", "src/picture/render.ts", "src/service/judgement.ts"]
  ) {
    assert.ok(loaded.includes(lazy), `${lazy} in ${loaded.join(", ")}`);
  }
  // The engine itself is what brings Graphviz, resvg and the font.
  const { statics } = await reach("src/picture/_engine.ts");
  for (const wanted of ["npm:@viz-js/viz", "npm:@resvg/resvg-wasm", "_font_data.ts"]) {
    assert.ok([...statics].some((s) => s.includes(wanted)), wanted);
  }
});

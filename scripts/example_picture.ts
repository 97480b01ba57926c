// deno-lint-ignore-file no-console -- a script reports on stdout
/**
 * Draws README's example picture (docs/images/route_compare.png) from the
 * made-up hijack in tests/picture/_picture_fixtures.ts and prints the findings block
 * and the Mermaid text that go with it. tests/picture_png_test.ts checks that
 * the committed PNG is what this draws.
 *
 * Run: deno task picture:example
 */

import { computeFindings, renderFindings } from "../src/findings/mod.ts";
import { buildAsGraph, mermaidFence, renderPicture, suspiciousAsns } from "../src/picture/mod.ts";
import { testSpecialAsn } from "../tests/findings/_findings_fixtures.ts";
import { EXAMPLE, EXAMPLE_OPTIONS, exampleName } from "../tests/picture/_picture_fixtures.ts";

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
const picture = await renderPicture(graph, EXAMPLE_OPTIONS);
if (!picture.png) throw new Error(`No PNG: ${picture.warnings.join("; ")}`);
const file = new URL("../docs/images/route_compare.png", import.meta.url);
await Deno.writeFile(file, picture.png.png);
console.log(renderFindings(findings));
console.log();
console.log(mermaidFence(picture));
console.log();
console.log(
  `docs/images/route_compare.png: ${picture.png.width}×${picture.png.height}, ` +
    `${picture.png.png.length} bytes`,
);

/**
 * One fresh process for bench/picture.ts (run with no permissions): import
 * the modules, load the renderer, draw the first picture, then warm
 * pictures for 8 and 40 vantage points; prints the timings, PNG sizes and
 * RSS as one JSON line.
 */

import { computeFindings } from "../src/findings/mod.ts";
import {
  buildAsGraph,
  loadBundledEngine,
  renderPicture,
  suspiciousAsns,
} from "../src/picture/mod.ts";
import { syntheticFanOut } from "../tests/picture/_picture_fixtures.ts";
import { testSpecialAsn } from "../tests/findings/_findings_fixtures.ts";

const ROUNDS = 15;
const mb = () => Deno.memoryUsage().rss / 2 ** 20;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function graphFor(n: number) {
  const outcomes = syntheticFanOut(n);
  const findings = computeFindings({
    destination: "8.8.8.0/24",
    outcomes,
    specialAsn: testSpecialAsn,
  });
  return buildAsGraph({
    destination: "8.8.8.0/24",
    outcomes,
    suspicious: suspiciousAsns(findings),
  });
}

const rssStart = mb();
let t = performance.now();
await loadBundledEngine();
const loadMs = performance.now() - t;
const rssLoaded = mb();
t = performance.now();
const first = await renderPicture(graphFor(8));
const firstMs = performance.now() - t;
const sizes: Record<number, { ms: number; bytes: number; width: number; height: number }> = {};
for (const n of [8, 40]) {
  const graph = graphFor(n);
  const times: number[] = [];
  let last = first;
  for (let i = 0; i < ROUNDS; i++) {
    t = performance.now();
    last = await renderPicture(graph);
    times.push(performance.now() - t);
  }
  const png = last.png!;
  sizes[n] = { ms: median(times), bytes: png.png.length, width: png.width, height: png.height };
}
const graph40 = graphFor(40);
const findingsTimes: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  t = performance.now();
  computeFindings({
    destination: "8.8.8.0/24",
    outcomes: syntheticFanOut(40),
    specialAsn: testSpecialAsn,
  });
  buildAsGraph({ destination: "8.8.8.0/24", outcomes: syntheticFanOut(40) });
  findingsTimes.push(performance.now() - t);
}
const line = JSON.stringify({
  loadMs,
  firstMs,
  warnings: first.warnings,
  sizes,
  findingsAndGraph40Ms: median(findingsTimes),
  nodes40: graph40.ases.length,
  rss: { start: rssStart, loaded: rssLoaded, end: mb() },
});
await Deno.stdout.write(new TextEncoder().encode(line + "\n"));

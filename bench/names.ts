// deno-lint-ignore-file no-console -- a benchmark reports on stdout
/**
 * AS names: the figures issue 12 sets goals for.
 *
 * - size of the committed artefact (src/names/asn_data.ts), of the container
 *   it holds, and of both gzip-compressed (roughly what git and JSR transfer);
 * - what the first `deno task start` downloads: the npm packages deno.lock
 *   pins (the data is a local module, not a package);
 * - load time on first use and the RSS it adds, each in a fresh process
 *   (medians of 7);
 * - lookup time per AS, per address (IPv4, IPv6, as text and validated) and
 *   per name search, once loaded;
 *
 * Start-up (`initialize`, `tools/list`) against the tree before AS names is
 * `bench/names_startup.ts` (`deno task bench:names-startup`).
 *
 * Run: deno task bench:names
 */

import { NamesLoader } from "../src/names/loader.ts";
import { parseDestination } from "../src/validation/destination.ts";
import { prng } from "../tests/harness/prng.ts";

const root = new URL("..", import.meta.url);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

// --- sizes -----------------------------------------------------------------------------------
const moduleBytes = await Deno.readFile(new URL("src/names/asn_data.ts", root));
const { DATA } = await import("../src/names/asn_data.ts");
const containerBytes = Uint8Array.from(atob(DATA), (c) => c.charCodeAt(0));
const lock = JSON.parse(await Deno.readTextFile(new URL("deno.lock", root))) as {
  npm: Record<string, unknown>;
};
console.log("sizes");
console.log(
  `  src/names/asn_data.ts     ${mb(moduleBytes.length)} (gzip ${mb(await gzipSize(moduleBytes))})`,
);
console.log(
  `  container (base64-decoded) ${mb(containerBytes.length)} (gzip ${
    mb(await gzipSize(containerBytes))
  })`,
);
console.log(
  `  deno task start downloads the ${
    Object.keys(lock.npm).length
  } npm packages of deno.lock; the data adds none`,
);

// --- load on first use, fresh processes --------------------------------------------------------
async function loadOnce(): Promise<{ loadMs: number; before: number; after: number }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "bench/_names_load.ts"],
    cwd: root,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  return JSON.parse(new TextDecoder().decode(output.stdout));
}
await loadOnce(); // warm Deno's module cache
const loads = [];
for (let i = 0; i < 7; i++) loads.push(await loadOnce());
console.log("first use, fresh process (median of 7)");
console.log(`  load (import + decode)    ${median(loads.map((l) => l.loadMs)).toFixed(0)} ms`);
console.log(
  `  RSS added                 ${
    median(loads.map((l) => l.after - l.before)).toFixed(1)
  } MB (from ${median(loads.map((l) => l.before)).toFixed(0)} MB)`,
);

// --- lookups once loaded ----------------------------------------------------------------------
const table = await new NamesLoader().load();
const random = prng(12);
const N = 200_000;
function time(label: string, count: number, run: (i: number) => unknown): void {
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) sink += run(i) ? 1 : 0;
  const us = ((performance.now() - started) * 1000) / count;
  console.log(`  ${label.padEnd(28)}${us.toFixed(2)} µs   (${sink} answered)`);
}
const asns = Array.from({ length: N }, () => Math.floor(random() * 400_000));
const v4 = Array.from({ length: N }, () => {
  for (;;) {
    const text = [1, 2, 3, 4].map(() => Math.floor(random() * 256)).join(".");
    try {
      return parseDestination(text);
    } catch {
      // non-global: draw again
    }
  }
});
const v6 = Array.from({ length: N / 4 }, () => {
  const groups = [0x2000 + Math.floor(random() * 0x1000)];
  for (let i = 0; i < 7; i++) groups.push(Math.floor(random() * 0x10000));
  const text = groups.map((g) => g.toString(16)).join(":");
  try {
    return parseDestination(text);
  } catch {
    return parseDestination("2001:4860:4860::8888");
  }
});
console.log("lookups once loaded (per call)");
time("asName (random AS)", N, (i) => table.asName(asns[i]).name);
time("originOf IPv4 (validated)", N, (i) => table.originOf(v4[i]).covering);
time("originOf IPv4 (text)", N / 4, (i) => table.originOf(v4[i].canonical).covering);
time("originOf IPv6 (validated)", N / 4, (i) => table.originOf(v6[i]).covering);
const queries = ["cogent", "google", "level 3", "deutsche telekom", "amazon", "a"];
table.searchAs("warm"); // builds the search index once
time("searchAs (6 queries)", queries.length * 5, (i) => table.searchAs(queries[i % 6]).total);

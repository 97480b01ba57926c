// deno-lint-ignore-file no-console -- a benchmark reports on stdout
/**
 * Pictures: how long the first picture takes (importing and starting
 * Graphviz and resvg, WebAssembly both) and a warm one, for 8 and 40 vantage
 * points; the PNG sizes; the memory the renderer adds; and that start-up
 * (`initialize` then `tools/list`) does not get slower with findings and
 * pictures wired into the tools, because the renderer is not imported until
 * a picture is drawn: this tree's server against a baseline commit's (by
 * default the last one before they were wired in), started alternately.
 * Each figure comes from fresh processes; the render processes run with no
 * permissions.
 *
 * Run: deno task bench:picture [--baseline REF]
 */

import { parseArgs } from "node:util";

const ROUNDS = 5;
const STARTS = 21;
const root = new URL("..", import.meta.url);
/** The last commit before findings and pictures were wired into the tools (issue 12's names). */
const BEFORE_WIRING = "fe31f4f";
const { values } = parseArgs({ args: Deno.args, options: { baseline: { type: "string" } } });
const baseline = values.baseline ?? BEFORE_WIRING;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface RenderRun {
  loadMs: number;
  firstMs: number;
  warnings: string[];
  sizes: Record<string, { ms: number; bytes: number; width: number; height: number }>;
  findingsAndGraph40Ms: number;
  nodes40: number;
  rss: { start: number; loaded: number; end: number };
}

async function renderRun(): Promise<RenderRun> {
  const output = await new Deno.Command(Deno.execPath(), {
    // As deno task start runs it: WebAssembly compiled once, by the baseline compiler.
    args: ["run", "--no-prompt", "--v8-flags=--liftoff-only", "bench/_picture_render.ts"],
    cwd: root,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (output.code !== 0) throw new Error(`bench/_picture_render.ts exited with ${output.code}`);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

/** Milliseconds from spawning the server in `dir` to the `tools/list` answer. */
async function startOnce(dir: string | URL): Promise<number> {
  const entry = "src/main.ts";
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", entry, "--ledger", "memory"],
    cwd: dir,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const send = (message: unknown) =>
    writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const answers = async (count: number) => {
    while (text.split("\n").length - 1 < count) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${entry} closed stdout`);
      text += value;
    }
  };
  await send({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "bench", version: "0" },
    },
  });
  await answers(1);
  await send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  await answers(2);
  const ms = performance.now() - started;
  await writer.close();
  await reader.cancel();
  await child.status;
  return ms;
}

await renderRun(); // warm the module cache
const runs: RenderRun[] = [];
for (let i = 0; i < ROUNDS; i++) runs.push(await renderRun());
const pick = (f: (r: RenderRun) => number) => median(runs.map(f));

console.log(`pictures (medians of ${ROUNDS} fresh processes, no permissions)`);
console.log(
  `  load Graphviz + resvg + font (first picture only)  ${pick((r) => r.loadMs).toFixed(0)} ms`,
);
console.log(
  `  first picture, 8 vantage points, after the load    ${pick((r) => r.firstMs).toFixed(0)} ms`,
);
for (const n of ["8", "40"]) {
  const s = runs[0].sizes[n];
  console.log(
    `  warm picture, ${n.padStart(2)} vantage points  ${pick((r) => r.sizes[n].ms).toFixed(0)} ms` +
      `   PNG ${(s.bytes / 1024).toFixed(0)} KB, ${s.width}×${s.height}`,
  );
}
console.log(
  `  findings + graph for 40 vantage points           ${
    pick((r) => r.findingsAndGraph40Ms).toFixed(2)
  } ms`,
);
console.log(
  `  RSS  ${pick((r) => r.rss.start).toFixed(0)} MB before, +${
    pick((r) => r.rss.loaded - r.rss.start).toFixed(0)
  } MB loaded, +${pick((r) => r.rss.end - r.rss.start).toFixed(0)} MB after ${2 * 15} pictures`,
);

/** The baseline commit's tree in a temporary directory. */
async function checkout(ref: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bench-picture-" });
  const archive = await new Deno.Command("git", {
    args: ["archive", "--format=tar", ref],
    cwd: root,
    stdout: "piped",
  }).output();
  if (!archive.success) throw new Error(`git archive ${ref} failed`);
  const tar = new Deno.Command("tar", { args: ["-x", "-C", dir], stdin: "piped" }).spawn();
  const writer = tar.stdin.getWriter();
  await writer.write(archive.stdout);
  await writer.close();
  if (!(await tar.status).success) throw new Error("tar -x failed");
  return dir;
}

const before = await checkout(baseline);
try {
  await startOnce(root);
  await startOnce(before);
  const wired: number[] = [];
  const unwired: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    unwired.push(await startOnce(before));
    wired.push(await startOnce(root));
  }
  const a = median(unwired);
  const b = median(wired);
  console.log(`start-up to the tools/list answer (medians of ${STARTS}, started alternately)`);
  console.log(`  ${baseline} (before findings and pictures)  ${a.toFixed(1)} ms`);
  console.log(
    `  this tree (findings and pictures wired)  ${b.toFixed(1)} ms   ratio ${(b / a).toFixed(2)}×`,
  );
} finally {
  await Deno.remove(before, { recursive: true });
}

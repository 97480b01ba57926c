// deno-lint-ignore-file no-console -- a benchmark reports on stdout
/**
 * Start-up before and after AS names and host names (issue 12): the time from
 * spawning the process to the `initialize` answer and to the `tools/list`
 * answer, for this tree and for a baseline tree (`git archive` of a ref,
 * default `main`), both through `src/main.ts` and through `deno task start`
 * (which now runs the DNS step, scripts/dns_allow_net.ts, first), and the
 * CPU time the process tree has used when tools/list is answered (user +
 * system, from /proc: steadier than wall time on a shared machine). Runs are
 * interleaved; medians of 21. Nothing leaves the machine: neither request
 * asks a route server or DNS.
 *
 * Run: deno task bench:names-startup [REF]
 */

const ROUNDS = 21;
const TICK_MS = 10; // USER_HZ is 100 on Linux
const root = new URL("..", import.meta.url).pathname;
const ref = Deno.args[0] ?? "main";

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Extracts `ref` into a temporary directory. */
async function baselineTree(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bgp-lg-baseline-" });
  const archive = new Deno.Command("git", {
    args: ["archive", ref],
    cwd: root,
    stdout: "piped",
  }).spawn();
  const untar = new Deno.Command("tar", { args: ["-x", "-C", dir], stdin: "piped" }).spawn();
  await archive.stdout.pipeTo(untar.stdin);
  if (!(await archive.status).success || !(await untar.status).success) {
    throw new Error(`git archive ${ref} failed`);
  }
  return dir;
}

/** A /proc file, read with `cat` (Deno reads /proc only with --allow-all). */
async function proc(path: string): Promise<string> {
  const output = await new Deno.Command("cat", { args: [path], stdout: "piped", stderr: "null" })
    .output();
  if (!output.success) throw new Error(`cannot read ${path}`);
  return new TextDecoder().decode(output.stdout);
}

/** CPU ms used by a process and its descendants (live ones and those already waited for). */
async function cpuMs(pid: number): Promise<number> {
  let ticks = 0;
  try {
    const fields = (await proc(`/proc/${pid}/stat`)).split(") ")[1].split(" ");
    // utime, stime, cutime, cstime are fields 14-17 (1-based); after "pid (comm) " they are 11-14.
    ticks = fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
    const children = await proc(`/proc/${pid}/task/${pid}/children`);
    for (const child of children.trim().split(/\s+/).filter(Boolean)) {
      ticks += (await cpuMs(Number(child))) / TICK_MS;
    }
  } catch {
    // The process is gone: it counts in its parent's cutime once waited for.
  }
  return ticks * TICK_MS;
}

/** One start: ms to the initialize answer and to the tools/list answer, and CPU ms by then. */
async function startOnce(
  cwd: string,
  args: string[],
  home: string,
): Promise<{ initialize: number; toolsList: number; cpu: number }> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { HOME: home },
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const send = (message: unknown) =>
    writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
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
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const lines = async (n: number) => {
    while (text.split("\n").length <= n) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the server closed stdout after ${text}`);
      text += value;
    }
  };
  await lines(1);
  const initialize = performance.now() - started;
  await send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  await lines(2);
  const toolsList = performance.now() - started;
  const cpu = await cpuMs(child.pid);
  await writer.close();
  await reader.cancel();
  await child.status;
  return { initialize, toolsList, cpu };
}

const baseline = await baselineTree();
const home = await Deno.makeTempDir({ prefix: "bgp-lg-home-" });
try {
  const runs = {
    "src/main.ts": ["run", "--no-prompt", "src/main.ts", "--ledger", "memory"],
    "deno task start": ["task", "-q", "start", "--ledger", "memory"],
  };
  const results: Record<string, { initialize: number[]; toolsList: number[]; cpu: number[] }> = {};
  for (const [label, args] of Object.entries(runs)) {
    for (const [tree, cwd] of [[ref, baseline], ["this tree", root]] as const) {
      await startOnce(cwd, args, home); // warm the module and type caches
      results[`${label} | ${tree}`] = { initialize: [], toolsList: [], cpu: [] };
    }
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const [label, args] of Object.entries(runs)) {
      for (const [tree, cwd] of [[ref, baseline], ["this tree", root]] as const) {
        const r = await startOnce(cwd, args, home);
        results[`${label} | ${tree}`].initialize.push(r.initialize);
        results[`${label} | ${tree}`].toolsList.push(r.toolsList);
        results[`${label} | ${tree}`].cpu.push(r.cpu);
      }
    }
  }
  console.log(`start-up, ms to the answer (medians of ${ROUNDS}, interleaved; baseline ${ref})`);
  console.log("                             initialize   tools/list    CPU (ms)");
  for (const label of Object.keys(runs)) {
    const before = results[`${label} | ${ref}`];
    const after = results[`${label} | this tree`];
    const row = (name: string, r: typeof before) =>
      `  ${name.padEnd(27)}${median(r.initialize).toFixed(1).padStart(10)}` +
      `${median(r.toolsList).toFixed(1).padStart(13)}${String(median(r.cpu)).padStart(12)}`;
    console.log(row(`${label} (${ref})`, before));
    console.log(row(`${label} (this tree)`, after));
    console.log(
      `  ${"ratio".padEnd(27)}${
        (median(after.initialize) / median(before.initialize)).toFixed(2).padStart(9)
      }×${(median(after.toolsList) / median(before.toolsList)).toFixed(2).padStart(12)}×` +
        `${(median(after.cpu) / median(before.cpu)).toFixed(2).padStart(11)}×   goal ≤ 1.10×`,
    );
  }
} finally {
  await Deno.remove(baseline, { recursive: true });
  await Deno.remove(home, { recursive: true });
}

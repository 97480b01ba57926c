// deno-lint-ignore-file no-console -- a benchmark reports on stdout
/**
 * Start-up: time from spawning the process to the `initialize` answer, for
 * this server (built-in servers.json) and for a bare SDK server with one echo
 * tool, side by side (medians), and each process's peak RSS.
 *
 * Run: deno task bench:startup
 */

const ROUNDS = 11;
const root = new URL("..", import.meta.url);

async function startOnce(args: string[]): Promise<{ ms: number; rssMb: number }> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...args],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(
    JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "bench", version: "0" },
      },
    }) + "\n",
  ));
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const ms = performance.now() - started;
  const status = new TextDecoder().decode(
    (await new Deno.Command("cat", { args: [`/proc/${child.pid}/status`], stdout: "piped" })
      .output()).stdout,
  );
  const rssMb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
  await writer.close();
  await reader.cancel();
  await child.status;
  return { ms, rssMb };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Warm the module cache once for both.
await startOnce(["src/main.ts", "--ledger", "memory"]);
await startOnce(["bench/_bare_server.ts"]);
const ours: { ms: number; rssMb: number }[] = [];
const bare: { ms: number; rssMb: number }[] = [];
for (let i = 0; i < ROUNDS; i++) {
  ours.push(await startOnce(["src/main.ts", "--ledger", "memory"]));
  bare.push(await startOnce(["bench/_bare_server.ts"]));
}
const o = median(ours.map((r) => r.ms));
const b = median(bare.map((r) => r.ms));
console.log(`initialize answered after (median of ${ROUNDS}):`);
console.log(
  `  bgp-lg-mcp  ${o.toFixed(1)} ms, peak RSS ${median(ours.map((r) => r.rssMb)).toFixed(0)} MB`,
);
console.log(
  `  bare SDK    ${b.toFixed(1)} ms, peak RSS ${median(bare.map((r) => r.rssMb)).toFixed(0)} MB`,
);
console.log(`  ratio       ${(o / b).toFixed(2)}×   goal ≤ 1.3×`);

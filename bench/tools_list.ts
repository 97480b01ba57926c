// deno-lint-ignore-file no-console -- a benchmark reports on stdout
/**
 * `tools/list`: how long one request takes on this server (six tools with
 * input and output schemas) and on a bare SDK server with one echo tool, over
 * stdio, after `initialize`; medians of many requests on one process each.
 *
 * Run: deno task bench:tools-list
 */

const REQUESTS = 60;
const root = new URL("..", import.meta.url);

async function timeToolsList(args: string[]): Promise<{ first: number; each: number[] }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...args],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const send = (message: unknown) =>
    writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
  const next = async (): Promise<{ id?: number }> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the server closed stdout");
      buffered += value;
    }
    const at = buffered.indexOf("\n");
    const line = buffered.slice(0, at);
    buffered = buffered.slice(at + 1);
    return JSON.parse(line);
  };
  await send({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "bench", version: "0" },
    },
  });
  await next();
  await send({ jsonrpc: "2.0", method: "notifications/initialized" });
  const times: number[] = [];
  for (let id = 1; id <= REQUESTS; id++) {
    const started = performance.now();
    await send({ jsonrpc: "2.0", id, method: "tools/list" });
    while ((await next()).id !== id) { /* a notification */ }
    times.push(performance.now() - started);
  }
  await writer.close();
  await reader.cancel();
  await child.status;
  return { first: times[0], each: times.slice(1) };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const ours = await timeToolsList(["src/main.ts", "--ledger", "memory"]);
const bare = await timeToolsList(["bench/_bare_server.ts"]);
console.log(`tools/list over stdio (first request, then the median of ${REQUESTS - 1}):`);
console.log(
  `  bgp-lg-mcp  first ${ours.first.toFixed(2)} ms, then ${median(ours.each).toFixed(2)} ms`,
);
console.log(
  `  bare SDK    first ${bare.first.toFixed(2)} ms, then ${median(bare.each).toFixed(2)} ms`,
);

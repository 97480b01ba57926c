/**
 * `deno task start` (the README's first command) serves MCP on stdio with the
 * shipped servers.json and exits when the client closes stdin. No network is used:
 * initialize and tools/list are answered locally.
 */

import assert from "node:assert/strict";

Deno.test("deno task start answers initialize and tools/list, then exits on EOF", async () => {
  // The task keeps its quota ledger under $HOME: give it a home of its own (and the same module
  // cache, which otherwise lives under $HOME too).
  const home = await Deno.makeTempDir();
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
  }).output();
  const { denoDir } = JSON.parse(new TextDecoder().decode(info.stdout));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "start"],
    cwd: new URL("..", import.meta.url),
    env: { HOME: home, DENO_DIR: denoDir },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
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
      clientInfo: { name: "t", version: "0" },
    },
  });
  await send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await send({ jsonrpc: "2.0", id: 2, method: "tools/list" });

  const responses: Record<string, unknown>[] = [];
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  while (responses.length < 2) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) if (line.trim()) responses.push(JSON.parse(line));
  }
  await writer.close();
  await reader.cancel();
  const status = await child.status;
  await child.stderr.cancel();

  const [init, list] = responses as { id: number; result: Record<string, unknown> }[];
  assert.equal(init.id, 1);
  assert.deepEqual((init.result.serverInfo as { name: string }).name, "bgp-lg-mcp");
  assert.equal(list.id, 2);
  const tools = (list.result.tools as { name: string }[]).map((t) => t.name).sort();
  assert.deepEqual(tools, [
    "bgp_summary",
    "list_servers",
    "ping",
    "route_compare",
    "route_lookup",
    "traceroute",
  ]);
  assert.equal(status.success, true);
  // The ledger was written where the task's permissions allow, and nowhere else.
  const ledger = JSON.parse(await Deno.readTextFile(`${home}/.local/state/bgp-lg-mcp/ledger.json`));
  assert.deepEqual(ledger, { version: 1, servers: {} });
  await Deno.remove(home, { recursive: true });
});

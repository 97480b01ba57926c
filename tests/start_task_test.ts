/**
 * `deno task start` (the README's first command) serves MCP on stdio with the
 * shipped servers.json and exits when the client closes stdin. No network is used:
 * initialize, tools/list and the offline tools (as_info, ip_origin: the AS-names
 * table is a module, read with no permission beyond the task's) are answered locally. Its quota ledger goes to the
 * state directory under HOME — a HOME with a space included — and, without
 * HOME, nowhere: never `/.local/state` at the filesystem root.
 */

import assert from "node:assert/strict";
import { dnsAllowNet } from "../src/validation/resolve_host.ts";
import { startDnsResponder } from "./harness/dns_responder.ts";

const ROOT_STATE = "/.local/state/bgp-lg-mcp/ledger.json";

/** The module cache of this process, so that the task needs no download. */
async function denoDir(): Promise<string> {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
  }).output();
  return JSON.parse(new TextDecoder().decode(info.stdout)).denoDir;
}

async function mtime(path: string): Promise<number | null> {
  try {
    return (await Deno.stat(path)).mtime?.getTime() ?? 0;
  } catch {
    return null;
  }
}

/** What a task run adds: arguments after `deno task start`, the tools/call requests to send. */
interface TaskOptions {
  args?: string[];
  calls?: { name: string; arguments: Record<string, unknown> }[];
}

/** Runs `deno task start` with exactly `env`, asks initialize, tools/list and two offline tools, closes stdin. */
async function startTask(env: Record<string, string>, options: TaskOptions = {}) {
  const calls = options.calls ?? [
    { name: "as_info", arguments: { asn: 15169 } },
    { name: "ip_origin", arguments: { address: "8.8.8.8" } },
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "start", ...(options.args ?? [])],
    cwd: new URL("..", import.meta.url),
    clearEnv: true,
    env,
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
  // The offline tools, under the task's own permissions (no read of the data: it is a module).
  for (const [i, params] of calls.entries()) {
    await send({ jsonrpc: "2.0", id: 3 + i, method: "tools/call", params });
  }

  const stderr = new Response(child.stderr).text();
  const responses: Record<string, unknown>[] = [];
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  while (responses.length < 2 + calls.length) {
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
  return { responses, status, stderr: await stderr };
}

function assertServed(responses: Record<string, unknown>[], stderr: string) {
  // The tool calls run concurrently: their answers may come in either order.
  const [init, list, asInfo, origin] = [...responses].sort((a, b) =>
    Number(a.id) - Number(b.id)
  ) as {
    id: number;
    result: Record<string, unknown>;
  }[];
  assert.equal(init?.id, 1, stderr);
  assert.deepEqual((init.result.serverInfo as { name: string }).name, "bgp-lg-mcp");
  assert.equal(list.id, 2);
  const tools = (list.result.tools as { name: string }[]).map((t) => t.name).sort();
  assert.deepEqual(tools, [
    "as_info",
    "bgp_summary",
    "ip_origin",
    "list_servers",
    "ping",
    "route_compare",
    "route_lookup",
    "traceroute",
  ]);
  assert.equal(asInfo.id, 3);
  assert.equal(asInfo.result.isError, undefined, JSON.stringify(asInfo.result));
  assert.equal(
    (asInfo.result.structuredContent as { as: { name: string } }).as.name,
    "Google LLC",
  );
  assert.equal(origin.id, 4);
  assert.equal(
    (origin.result.structuredContent as { covering: { asn: number } }).covering.asn,
    15169,
  );
}

Deno.test("deno task start answers initialize and tools/list, then exits on EOF; a HOME with a space works", async () => {
  // The task keeps its quota ledger under $HOME: give it a home of its own, with a space in it
  // (and the same module cache, which otherwise lives under $HOME too).
  const parent = await Deno.makeTempDir();
  const home = `${parent}/home with space`;
  await Deno.mkdir(home);
  try {
    const { responses, status, stderr } = await startTask({
      HOME: home,
      DENO_DIR: await denoDir(),
    });
    assertServed(responses, stderr);
    assert.equal(status.success, true, stderr);
    assert.doesNotMatch(stderr, /kept in memory/);
    // The ledger was written where the task's permissions allow, and nowhere else.
    const ledger = JSON.parse(
      await Deno.readTextFile(`${home}/.local/state/bgp-lg-mcp/ledger.json`),
    );
    assert.deepEqual(ledger, { version: 2, servers: {} });
    assert.deepEqual([...Deno.readDirSync(parent)].map((e) => e.name), ["home with space"]);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("deno task start without HOME keeps the ledger in memory, says so once, writes nothing", async () => {
  const before = await mtime(ROOT_STATE);
  const { responses, status, stderr } = await startTask({ DENO_DIR: await denoDir() });
  assertServed(responses, stderr);
  assert.equal(status.success, true, stderr);
  assert.equal(stderr.match(/quota ledger kept in memory only/g)?.length, 1, stderr);
  assert.match(stderr, /no state directory is known/);
  // Nothing at the filesystem root (or, if an old version left a file there, not touched).
  assert.equal(await mtime(ROOT_STATE), before);
});

Deno.test("deno task start allows the system's DNS servers and no other: a --dns-server outside its flags is refused, never asked", async () => {
  // The task's --allow-net ends with what scripts/dns_allow_net.ts prints: this machine's resolvers.
  const printed = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--no-config",
      "--no-lock",
      "--allow-read=/etc/resolv.conf",
      "scripts/dns_allow_net.ts",
    ],
    cwd: new URL("..", import.meta.url),
    stdout: "piped",
  }).output();
  let conf = "";
  try {
    conf = await Deno.readTextFile("/etc/resolv.conf");
  } catch {
    // No resolver configuration: the script prints nothing.
  }
  assert.equal(
    new TextDecoder().decode(printed.stdout),
    dnsAllowNet(conf).map((entry) => `,${entry}`).join(""),
  );
  // A DNS server the task does not allow: Deno refuses before a packet leaves.
  const dns = await startDnsResponder({ "dual.example.net": { A: ["8.8.8.8"] } });
  try {
    const { responses, status, stderr } = await startTask({ DENO_DIR: await denoDir() }, {
      args: ["--dns-server", `127.0.0.1:${dns.port}`],
      calls: [{ name: "route_lookup", arguments: { destination: "dual.example.net" } }],
    });
    assert.equal(status.success, true, stderr);
    const call = responses.find((r) => r.id === 3) as {
      result: { isError?: boolean; content: { text: string }[] };
    };
    assert.equal(call.result.isError, true);
    assert.match(
      call.result.content[0].text,
      new RegExp(
        `^Resolving dual\\.example\\.net needs permission to ask the DNS server 127\\.0\\.0\\.1:${dns.port}: ` +
          `add --allow-net=127\\.0\\.0\\.1:${dns.port} .*No route server was asked`,
      ),
    );
    assert.deepEqual(dns.questions, []);
  } finally {
    await dns.close();
  }
});

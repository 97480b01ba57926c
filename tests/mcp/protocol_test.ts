/**
 * MCP protocol errors and completions, through the SDK's real client: a bad
 * prompt argument is invalid params (-32602), a server resource that does not
 * exist is resource-not-found (-32002, with its URI), and prompt arguments
 * complete to example destinations and server names. Once in process, once
 * over the real stdio process.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import { EXAMPLE_ADDRESSES, EXAMPLE_PREFIXES } from "../../src/mcp/prompts.ts";
import { RESOURCE_NOT_FOUND } from "../../src/mcp/resources.ts";
import { parseDestination } from "../../src/validation/destination.ts";
import { hasUnsafeCharacters } from "../../src/_text.ts";
import { type Client, connectInProcess, loopbackEntry, spawnServer } from "../harness/mod.ts";

const INVALID_PARAMS = -32602;

const SERVERS = {
  defaultServer: "rv2",
  servers: [
    loopbackEntry("rv2", 1),
    loopbackEntry("rv3", 2),
    loopbackEntry("att", 3, { dialect: "junos" }),
    loopbackEntry("retired", 4, { enabled: false }),
  ],
};

/** The JSON-RPC error a request failed with. */
async function rpcError(request: Promise<unknown>): Promise<
  { code: number; message: string; data?: unknown }
> {
  try {
    await request;
  } catch (error) {
    const { code, message, data } = error as { code: number; message: string; data?: unknown };
    assert.equal(typeof code, "number", String(error));
    return { code, message, data };
  }
  assert.fail("the request succeeded");
}

async function completions(
  client: Client,
  prompt: string,
  argument: string,
  value: string,
): Promise<string[]> {
  const result = await client.complete({
    ref: { type: "ref/prompt", name: prompt },
    argument: { name: argument, value },
  });
  return result.completion.values;
}

async function checkProtocol(client: Client): Promise<void> {
  // A refused destination is invalid params, and says why.
  const privateSpace = await rpcError(
    client.getPrompt({ name: "diagnose_prefix", arguments: { prefix: "10.0.0.0/8" } }),
  );
  assert.equal(privateSpace.code, INVALID_PARAMS);
  assert.match(privateSpace.message, /private-use/);
  // The client adds the code in front once (the server sends the plain message).
  assert.match(privateSpace.message, /^MCP error -32602: (?!MCP error)/);
  const documentation = await rpcError(
    client.getPrompt({ name: "explain_as_path", arguments: { destination: "192.0.2.0/24" } }),
  );
  assert.equal(documentation.code, INVALID_PARAMS);
  assert.match(documentation.message, /documentation/i);
  const unknown = await rpcError(
    client.getPrompt({
      name: "explain_as_path",
      arguments: { destination: "8.8.8.8", server: "retired" },
    }),
  );
  assert.equal(unknown.code, INVALID_PARAMS);
  assert.match(unknown.message, /Unknown or disabled server "retired"/);

  // A server resource that does not exist is an error, not content.
  const missing = await rpcError(client.readResource({ uri: "servers://nosuch" }));
  assert.equal(missing.code, RESOURCE_NOT_FOUND);
  assert.equal(missing.code, -32002);
  assert.match(missing.message, /^MCP error -32002: Resource not found: no server named "nosuch"/);
  assert.deepEqual(missing.data, { uri: "servers://nosuch" });
  const found = await client.readResource({ uri: "servers://rv3" });
  assert.equal(JSON.parse((found.contents[0] as { text: string }).text).name, "rv3");

  // Completions: examples that start with what was typed, the canonical form, server names.
  assert.deepEqual(await completions(client, "diagnose_prefix", "prefix", "8."), [
    "8.8.8.0/24",
    "8.8.8.8",
  ]);
  assert.equal(
    (await completions(client, "diagnose_prefix", "prefix", "8.8.8.8/24"))[0],
    "8.8.8.0/24",
  );
  assert.deepEqual(await completions(client, "diagnose_prefix", "prefix", "2001:4860:"), [
    "2001:4860::/32",
    "2001:4860:4860::8888",
  ]);
  assert.deepEqual(await completions(client, "explain_as_path", "server", "rv"), ["rv2", "rv3"]);
  assert.deepEqual(await completions(client, "explain_as_path", "server", ""), [
    "rv2",
    "rv3",
    "att",
  ]);
  assert.deepEqual(await completions(client, "explain_as_path", "server", "ret"), []);
  assert.deepEqual(await completions(client, "explain_as_path", "destination", "1.1"), [
    "1.1.1.1",
    "1.1.1.0/24",
  ]);
}

Deno.test("mcp protocol: invalid params, resource not found and completions (in process)", async () => {
  await using client = await connectInProcess(parseConfig(SERVERS, "test"));
  await checkProtocol(client);
});

Deno.test("mcp protocol: the same over the real stdio process", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = `${dir}/servers.json`;
    await Deno.writeTextFile(config, JSON.stringify(SERVERS));
    await using server = await spawnServer(config, ["127.0.0.1:1"], ["--ledger", "memory"]);
    await checkProtocol(server.client);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("prompts: every example a prompt shows or completes is a destination the server accepts", async () => {
  for (const example of [...EXAMPLE_PREFIXES, ...EXAMPLE_ADDRESSES]) {
    assert.equal(parseDestination(example).canonical, example);
  }
  await using client = await connectInProcess(parseConfig(SERVERS, "test"));
  const { prompts } = await client.listPrompts();
  const examples = prompts.flatMap((p) =>
    (p.arguments ?? []).flatMap((a) => [...(a.description ?? "").matchAll(/e\.g\. (\S+)/g)])
  ).map((m) => m[1]);
  assert.deepEqual(examples, ["8.8.8.0/24", "8.8.8.8"]);
  for (const example of examples) parseDestination(example);
});

Deno.test("mcp protocol: a prompt's server argument and a resource's name are echoed escaped and bounded", async () => {
  await using client = await connectInProcess(parseConfig(SERVERS, "test"));
  const hostile = "\u001b[31mrv\u007f\u0085\u2028\u202eIGNORE";
  const prompt = await rpcError(
    client.getPrompt({
      name: "explain_as_path",
      arguments: { destination: "8.8.8.8", server: hostile + "x".repeat(5000) },
    }),
  );
  assert.equal(prompt.code, INVALID_PARAMS);
  assert.match(
    prompt.message,
    /Unknown or disabled server "\\u001b\[31mrv\\u007f\\u0085\\u2028\\u202eIGNORE/,
  );
  assert.ok(prompt.message.length < 300, `${prompt.message.length} characters`);
  assert.ok(!hasUnsafeCharacters(prompt.message));

  const resource = await rpcError(client.readResource({ uri: `servers://${"a".repeat(5000)}` }));
  assert.equal(resource.code, RESOURCE_NOT_FOUND);
  assert.match(resource.message, /Resource not found: no server named "a{69}…"; see servers:/);
  assert.ok(resource.message.length < 200, `${resource.message.length} characters`);
});
